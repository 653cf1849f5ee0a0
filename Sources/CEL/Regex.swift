/// A linear-time regular expression matcher for the RE2 syntax subset (Thompson NFA simulated
/// with a Pike VM). There is no backtracking, so no input can make matching take more than
/// O(pattern × text) steps. Features RE2 rejects (backreferences, lookaround) are rejected too.
public struct CELRegex: Sendable {
    public struct SyntaxError: Error, Sendable {
        public var message: String
        /// Byte offset in the pattern.
        public var offset: Int
    }

    /// Upper bound on compiled program size (RE2 uses a similar budget).
    static let maxInstructions = 20_000
    static let maxRepeat = 1000

    enum Inst: Sendable {
        case char(CharSet)
        case split(Int, Int)
        case jmp(Int)
        case assert(Assertion)
        case match
    }

    enum Assertion: Sendable {
        case lineStart, lineEnd, textStart, textEnd, wordBoundary, notWordBoundary
    }

    struct CharSet: Sendable {
        var ranges: [(UInt32, UInt32)] = []
        var classes: [Unicode.GeneralCategory] = []
        var categoryGroups: [String] = []
        var negated = false
        var foldCase = false
        var dotAll = false
        var isDot = false

        func rawMatch(_ c: UInt32) -> Bool {
            for r in ranges where c >= r.0 && c <= r.1 { return true }
            if !classes.isEmpty || !categoryGroups.isEmpty, let s = Unicode.Scalar(c) {
                let gc = s.properties.generalCategory
                if classes.contains(gc) { return true }
                for g in categoryGroups where CharSet.group(gc) == g { return true }
            }
            return false
        }

        static func group(_ gc: Unicode.GeneralCategory) -> String {
            switch gc {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return "L"
            case .decimalNumber, .letterNumber, .otherNumber: return "N"
            case .nonspacingMark, .spacingMark, .enclosingMark: return "M"
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
                 .finalPunctuation, .otherPunctuation: return "P"
            case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: return "S"
            case .spaceSeparator, .lineSeparator, .paragraphSeparator: return "Z"
            default: return "C"
            }
        }

        func matches(_ c: UInt32) -> Bool {
            if isDot { return dotAll || c != 0x0A }
            var m = rawMatch(c)
            if !m && foldCase, let s = Unicode.Scalar(c) {
                let lower = s.properties.lowercaseMapping.unicodeScalars
                let upper = s.properties.uppercaseMapping.unicodeScalars
                if lower.count == 1, let l = lower.first, l.value != c { m = rawMatch(l.value) }
                if !m, upper.count == 1, let u = upper.first, u.value != c { m = rawMatch(u.value) }
            }
            return m != negated
        }
    }

    let program: [Inst]
    /// The pattern text.
    public let pattern: String

    /// Compiles a pattern; throws `SyntaxError` for invalid or unsupported syntax.
    public init(_ pattern: String) throws(SyntaxError) {
        self.pattern = pattern
        var p = RegexParser(src: Array(pattern.unicodeScalars).map(\.value), pattern: pattern)
        let node = try p.parseAll()
        var c = RegexCompiler()
        try c.emit(node)
        c.prog.append(.match)
        program = c.prog
    }

    /// True if the pattern matches anywhere in `text` (CEL `matches` semantics).
    public func matches(_ text: String) -> Bool {
        let input = Array(text.unicodeScalars).map(\.value)
        let n = program.count
        var clist = SparseSet(n), nlist = SparseSet(n)
        var stack: [Int] = []
        stack.reserveCapacity(16)
        func isWord(_ c: UInt32?) -> Bool {
            guard let c else { return false }
            return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
        }
        func add(_ set: inout SparseSet, _ pc0: Int, _ pos: Int) -> Bool {
            stack.append(pc0)
            while let pc = stack.popLast() {
                if set.contains(pc) { continue }
                set.insert(pc)
                switch program[pc] {
                case .jmp(let x): stack.append(x)
                case .split(let x, let y):
                    stack.append(y)
                    stack.append(x)
                case .assert(let a):
                    let prev: UInt32? = pos > 0 ? input[pos - 1] : nil
                    let next: UInt32? = pos < input.count ? input[pos] : nil
                    let ok: Bool
                    switch a {
                    case .textStart: ok = pos == 0
                    case .textEnd: ok = pos == input.count
                    case .lineStart: ok = pos == 0 || prev == 0x0A
                    case .lineEnd: ok = pos == input.count || next == 0x0A
                    case .wordBoundary: ok = isWord(prev) != isWord(next)
                    case .notWordBoundary: ok = isWord(prev) == isWord(next)
                    }
                    if ok { stack.append(pc + 1) }
                case .match:
                    stack.removeAll(keepingCapacity: true)
                    return true
                case .char: break
                }
            }
            return false
        }
        var pos = 0
        while true {
            // Unanchored search: start a new thread at every position.
            if add(&clist, 0, pos) { return true }
            if pos >= input.count { return false }
            let c = input[pos]
            nlist.clear()
            for k in 0..<clist.count {
                let pc = clist.dense[k]
                if case .char(let cs) = program[pc], cs.matches(c) {
                    if add(&nlist, pc + 1, pos + 1) { return true }
                }
            }
            swap(&clist, &nlist)
            pos += 1
            if clist.count == 0 && pos < input.count {
                clist.clear()
            }
        }
    }
}

struct SparseSet {
    var dense: [Int]
    var sparse: [Int]
    var count = 0
    init(_ n: Int) {
        dense = Array(repeating: 0, count: n)
        sparse = Array(repeating: 0, count: n)
    }
    func contains(_ i: Int) -> Bool { sparse[i] < count && dense[sparse[i]] == i }
    mutating func insert(_ i: Int) {
        dense[count] = i
        sparse[i] = count
        count += 1
    }
    mutating func clear() { count = 0 }
}

indirect enum RegexNode {
    case empty
    case char(CELRegex.CharSet)
    case assert(CELRegex.Assertion)
    case concat([RegexNode])
    case alt([RegexNode])
    case `repeat`(RegexNode, min: Int, max: Int?) // max nil = unbounded
}

struct RegexParser {
    let src: [UInt32]
    let pattern: String
    var pos = 0
    var foldCase = false
    var dotAll = false
    var multiLine = false
    var depth = 0

    func err(_ m: String) -> CELRegex.SyntaxError {
        let off = Array(pattern.unicodeScalars.prefix(pos)).reduce(0) { $0 + String($1).utf8.count }
        return CELRegex.SyntaxError(message: m, offset: off)
    }

    var peek: UInt32? { pos < src.count ? src[pos] : nil }

    mutating func parseAll() throws(CELRegex.SyntaxError) -> RegexNode {
        let n = try parseAlt()
        if pos < src.count { throw err("unexpected ')'") }
        return n
    }

    mutating func parseAlt() throws(CELRegex.SyntaxError) -> RegexNode {
        depth += 1
        defer { depth -= 1 }
        if depth > 200 { throw err("the pattern is nested too deeply") }
        var alts = [try parseConcat()]
        while peek == 0x7C { // |
            pos += 1
            alts.append(try parseConcat())
        }
        return alts.count == 1 ? alts[0] : .alt(alts)
    }

    mutating func parseConcat() throws(CELRegex.SyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek, c != 0x7C, c != 0x29 {
            var atom = try parseAtom()
            guard let a = atom else { continue }
            atom = a
            // Quantifiers
            while let q = peek {
                var minR = 0, maxR: Int? = nil
                if q == 0x2A { minR = 0; maxR = nil; pos += 1 }
                else if q == 0x2B { minR = 1; maxR = nil; pos += 1 }
                else if q == 0x3F { minR = 0; maxR = 1; pos += 1 }
                else if q == 0x7B, let (mn, mx, len) = parseBraces() {
                    if mn > CELRegex.maxRepeat || (mx ?? 0) > CELRegex.maxRepeat { throw err("bad repetition operator: repeat count too large (max 1000)") }
                    if let mx, mx < mn { throw err("bad repetition operator: {\(mn),\(mx)}") }
                    minR = mn; maxR = mx; pos += len
                } else { break }
                if peek == 0x3F { pos += 1 } // non-greedy: same match/no-match result
                if let n = peek, n == 0x2A || n == 0x2B || n == 0x3F {
                    throw err("bad repetition operator: repeated quantifier")
                }
                if let cur = atom {
                    if case .assert = cur { atom = cur } else { atom = .repeat(cur, min: minR, max: maxR) }
                }
                break
            }
            if let atom { items.append(atom) }
        }
        if items.isEmpty { return .empty }
        return items.count == 1 ? items[0] : .concat(items)
    }

    /// Parses `{n}`, `{n,}`, `{n,m}`; returns nil if not a valid repetition (then `{` is literal).
    func parseBraces() -> (Int, Int?, Int)? {
        var i = pos + 1
        func num() -> Int? {
            var v = 0, any = false
            while i < src.count, src[i] >= 0x30, src[i] <= 0x39 {
                v = min(v * 10 + Int(src[i] - 0x30), 100_000)
                any = true
                i += 1
            }
            return any ? v : nil
        }
        guard let mn = num() else { return nil }
        var mx: Int? = mn
        if i < src.count, src[i] == 0x2C {
            i += 1
            mx = num()
        }
        guard i < src.count, src[i] == 0x7D else { return nil }
        return (mn, mx, i + 1 - pos)
    }

    func make(_ ranges: [(UInt32, UInt32)], negated: Bool = false) -> CELRegex.CharSet {
        var cs = CELRegex.CharSet()
        cs.ranges = ranges
        cs.negated = negated
        cs.foldCase = foldCase
        return cs
    }

    static let digit: [(UInt32, UInt32)] = [(0x30, 0x39)]
    static let word: [(UInt32, UInt32)] = [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A), (0x5F, 0x5F)]
    static let space: [(UInt32, UInt32)] = [(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)]

    mutating func parseAtom() throws(CELRegex.SyntaxError) -> RegexNode? {
        guard let c = peek else { return nil }
        switch c {
        case 0x28: // (
            pos += 1
            if peek == 0x3F { // ?
                pos += 1
                guard let k = peek else { throw err("missing closing )") }
                if k == 0x3D || k == 0x21 { throw err("lookahead (?= or (?! is not supported") }
                if k == 0x3C, pos + 1 < src.count, src[pos + 1] == 0x3D || src[pos + 1] == 0x21 {
                    throw err("lookbehind (?<= or (?<! is not supported")
                }
                if k == 0x50 || k == 0x3C { // P<name> or <name>
                    if k == 0x50 { pos += 1 }
                    guard peek == 0x3C else { throw err("invalid named capture group") }
                    pos += 1
                    var any = false
                    while let d = peek, d != 0x3E {
                        guard (d >= 0x30 && d <= 0x39) || (d >= 0x41 && d <= 0x5A) || (d >= 0x61 && d <= 0x7A) || d == 0x5F else {
                            throw err("invalid named capture group name")
                        }
                        any = true
                        pos += 1
                    }
                    guard any, peek == 0x3E else { throw err("invalid named capture group") }
                    pos += 1
                    return try group()
                }
                // Flags: (?flags) or (?flags:re)
                let saved = (foldCase, dotAll, multiLine)
                var neg = false
                while let f = peek {
                    pos += 1
                    switch f {
                    case 0x69: foldCase = !neg // i
                    case 0x73: dotAll = !neg // s
                    case 0x6D: multiLine = !neg // m
                    case 0x55: break // U (ungreedy) does not change match/no-match
                    case 0x2D: neg = true
                    case 0x29: return .empty // (?i) applies to the rest of the group
                    case 0x3A:
                        let g = try group()
                        (foldCase, dotAll, multiLine) = saved
                        return g
                    default: throw err("invalid or unsupported flag group")
                    }
                }
                throw err("missing closing )")
            }
            return try group()
        case 0x29:
            throw err("unexpected )")
        case 0x2A, 0x2B, 0x3F:
            throw err("missing argument to repetition operator")
        case 0x2E: // .
            pos += 1
            var cs = CELRegex.CharSet()
            cs.isDot = true
            cs.dotAll = dotAll
            return .char(cs)
        case 0x5E: // ^
            pos += 1
            return .assert(multiLine ? .lineStart : .textStart)
        case 0x24: // $
            pos += 1
            return .assert(multiLine ? .lineEnd : .textEnd)
        case 0x5B: // [
            return .char(try parseClass())
        case 0x5C:
            return try parseEscape(inClass: false).node
        default:
            pos += 1
            return .char(make([(c, c)]))
        }
    }

    mutating func group() throws(CELRegex.SyntaxError) -> RegexNode {
        let saved = (foldCase, dotAll, multiLine)
        let inner = try parseAlt()
        (foldCase, dotAll, multiLine) = saved
        guard peek == 0x29 else { throw err("missing closing )") }
        pos += 1
        return inner
    }

    /// Parses an escape; returns a node and, for single characters, the code point (for class ranges).
    mutating func parseEscape(inClass: Bool) throws(CELRegex.SyntaxError) -> (node: RegexNode, scalar: UInt32?, set: CELRegex.CharSet?) {
        pos += 1 // backslash
        guard let c = peek else { throw err("trailing backslash at end of expression") }
        pos += 1
        func single(_ v: UInt32) -> (RegexNode, UInt32?, CELRegex.CharSet?) { (.char(make([(v, v)])), v, nil) }
        func set(_ r: [(UInt32, UInt32)], _ neg: Bool) -> (RegexNode, UInt32?, CELRegex.CharSet?) {
            let s = make(r, negated: neg)
            return (.char(s), nil, s)
        }
        switch c {
        case 0x31...0x39: throw err("backreferences (\\\(Character(Unicode.Scalar(c) ?? "?"))) are not supported")
        case 0x64: return set(RegexParser.digit, false) // d
        case 0x44: return set(RegexParser.digit, true)
        case 0x77: return set(RegexParser.word, false) // w
        case 0x57: return set(RegexParser.word, true)
        case 0x73: return set(RegexParser.space, false) // s
        case 0x53: return set(RegexParser.space, true)
        case 0x6E: return single(0x0A)
        case 0x74: return single(0x09)
        case 0x72: return single(0x0D)
        case 0x66: return single(0x0C)
        case 0x76: return single(0x0B)
        case 0x61: return single(0x07)
        case 0x30: return single(0)
        case 0x62 where !inClass: return (.assert(.wordBoundary), nil, nil)
        case 0x42 where !inClass: return (.assert(.notWordBoundary), nil, nil)
        case 0x41 where !inClass: return (.assert(.textStart), nil, nil)
        case 0x7A where !inClass: return (.assert(.textEnd), nil, nil)
        case 0x78: // x
            var v: UInt32 = 0
            if peek == 0x7B {
                pos += 1
                var any = false
                while let d = peek, d != 0x7D {
                    guard let h = hexVal(d) else { throw err("invalid escape sequence \\x") }
                    v = v * 16 + h
                    if v > 0x10FFFF { throw err("invalid escape sequence \\x") }
                    any = true
                    pos += 1
                }
                guard any, peek == 0x7D else { throw err("invalid escape sequence \\x") }
                pos += 1
            } else {
                for _ in 0..<2 {
                    guard let d = peek, let h = hexVal(d) else { throw err("invalid escape sequence \\x") }
                    v = v * 16 + h
                    pos += 1
                }
            }
            return single(v)
        case 0x70, 0x50: // p, P
            let neg = c == 0x50
            var name = ""
            if peek == 0x7B {
                pos += 1
                while let d = peek, d != 0x7D, let s = Unicode.Scalar(d) { name.unicodeScalars.append(s); pos += 1 }
                guard peek == 0x7D else { throw err("invalid character class range \\p{") }
                pos += 1
            } else if let d = peek, let s = Unicode.Scalar(d) {
                name = String(Character(s))
                pos += 1
            }
            var cs = make([], negated: neg)
            if name.hasPrefix("^") { name.removeFirst(); cs.negated.toggle() }
            if ["L", "N", "M", "P", "S", "Z", "C"].contains(name) {
                cs.categoryGroups = [name]
            } else if let gc = RegexParser.category(name) {
                cs.classes = [gc]
            } else if name == "Any" {
                cs.ranges = [(0, 0x10FFFF)]
            } else {
                throw err("unsupported Unicode class \\p{\(name)}")
            }
            return (.char(cs), nil, cs)
        case 0x51: // \Q...\E literal text
            var items: [RegexNode] = []
            while pos < src.count {
                if src[pos] == 0x5C, pos + 1 < src.count, src[pos + 1] == 0x45 { pos += 2; break }
                items.append(.char(make([(src[pos], src[pos])])))
                pos += 1
            }
            return (.concat(items), nil, nil)
        default:
            // Escaped punctuation stands for itself; escaped letters/digits are errors as in RE2.
            let isAlnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            if isAlnum || c > 0x7F { throw err("invalid escape sequence \\\(Character(Unicode.Scalar(c) ?? "?"))") }
            return single(c)
        }
    }

    func hexVal(_ d: UInt32) -> UInt32? {
        switch d {
        case 0x30...0x39: return d - 0x30
        case 0x41...0x46: return d - 0x41 + 10
        case 0x61...0x66: return d - 0x61 + 10
        default: return nil
        }
    }

    static func category(_ n: String) -> Unicode.GeneralCategory? {
        switch n {
        case "Lu": return .uppercaseLetter
        case "Ll": return .lowercaseLetter
        case "Lt": return .titlecaseLetter
        case "Lm": return .modifierLetter
        case "Lo": return .otherLetter
        case "Nd": return .decimalNumber
        case "Nl": return .letterNumber
        case "No": return .otherNumber
        case "Pd": return .dashPunctuation
        case "Ps": return .openPunctuation
        case "Pe": return .closePunctuation
        case "Po": return .otherPunctuation
        case "Sm": return .mathSymbol
        case "Sc": return .currencySymbol
        case "Zs": return .spaceSeparator
        case "Cc": return .control
        default: return nil
        }
    }

    static let posix: [String: [(UInt32, UInt32)]] = [
        "alpha": [(0x41, 0x5A), (0x61, 0x7A)], "digit": [(0x30, 0x39)], "alnum": [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
        "upper": [(0x41, 0x5A)], "lower": [(0x61, 0x7A)], "space": [(0x09, 0x0D), (0x20, 0x20)],
        "xdigit": [(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)], "punct": [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
        "word": [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A), (0x5F, 0x5F)], "blank": [(0x09, 0x09), (0x20, 0x20)],
        "cntrl": [(0, 0x1F), (0x7F, 0x7F)], "print": [(0x20, 0x7E)], "graph": [(0x21, 0x7E)], "ascii": [(0, 0x7F)],
    ]

    mutating func parseClass() throws(CELRegex.SyntaxError) -> CELRegex.CharSet {
        pos += 1 // [
        var cs = make([])
        if peek == 0x5E { cs.negated = true; pos += 1 }
        var first = true
        while true {
            guard let c = peek else { throw err("missing closing ]") }
            if c == 0x5D && !first { pos += 1; break }
            first = false
            // POSIX class [:name:]
            if c == 0x5B, pos + 1 < src.count, src[pos + 1] == 0x3A {
                var j = pos + 2
                var name = ""
                var neg = false
                if j < src.count, src[j] == 0x5E { neg = true; j += 1 }
                while j < src.count, src[j] != 0x3A, let s = Unicode.Scalar(src[j]) { name.unicodeScalars.append(s); j += 1 }
                if j + 1 < src.count, src[j + 1] == 0x5D, let r = RegexParser.posix[name] {
                    if neg { throw err("negated POSIX classes are not supported") }
                    cs.ranges += r
                    pos = j + 2
                    continue
                }
                throw err("invalid character class range [:\(name):]")
            }
            var lo: UInt32
            if c == 0x5C {
                let e = try parseEscape(inClass: true)
                if let s = e.set {
                    if s.negated {
                        // Negated shorthand inside a class: add complement ranges.
                        cs.ranges += RegexParser.complement(s.ranges)
                    } else {
                        cs.ranges += s.ranges
                        cs.classes += s.classes
                        cs.categoryGroups += s.categoryGroups
                    }
                    continue
                }
                guard let v = e.scalar else { throw err("invalid escape in character class") }
                lo = v
            } else {
                lo = c
                pos += 1
            }
            var hi = lo
            if peek == 0x2D, pos + 1 < src.count, src[pos + 1] != 0x5D {
                pos += 1
                guard let d = peek else { throw err("missing closing ]") }
                if d == 0x5C {
                    let e = try parseEscape(inClass: true)
                    guard let v = e.scalar else { throw err("invalid character class range") }
                    hi = v
                } else {
                    hi = d
                    pos += 1
                }
                if hi < lo { throw err("invalid character class range") }
            }
            cs.ranges.append((lo, hi))
        }
        return cs
    }

    static func complement(_ r: [(UInt32, UInt32)]) -> [(UInt32, UInt32)] {
        let sorted = r.sorted { $0.0 < $1.0 }
        var out: [(UInt32, UInt32)] = []
        var next: UInt32 = 0
        for (a, b) in sorted {
            if a > next { out.append((next, a - 1)) }
            next = max(next, b + 1)
        }
        if next <= 0x10FFFF { out.append((next, 0x10FFFF)) }
        return out
    }
}

struct RegexCompiler {
    var prog: [CELRegex.Inst] = []

    mutating func check() throws(CELRegex.SyntaxError) {
        if prog.count > CELRegex.maxInstructions {
            throw CELRegex.SyntaxError(message: "the pattern is too large", offset: 0)
        }
    }

    mutating func emit(_ n: RegexNode) throws(CELRegex.SyntaxError) {
        try check()
        switch n {
        case .empty: break
        case .char(let cs): prog.append(.char(cs))
        case .assert(let a): prog.append(.assert(a))
        case .concat(let items): for i in items { try emit(i) }
        case .alt(let alts):
            var jumps: [Int] = []
            for (k, a) in alts.enumerated() {
                if k < alts.count - 1 {
                    let split = prog.count
                    prog.append(.split(split + 1, 0))
                    try emit(a)
                    jumps.append(prog.count)
                    prog.append(.jmp(0))
                    prog[split] = .split(split + 1, prog.count)
                } else {
                    try emit(a)
                }
            }
            for j in jumps { prog[j] = .jmp(prog.count) }
        case .repeat(let a, let mn, let mx):
            for _ in 0..<mn { try emit(a) }
            if let mx {
                // (a(a(a)?)?)? nested optionals
                var splits: [Int] = []
                for _ in mn..<mx {
                    splits.append(prog.count)
                    prog.append(.split(prog.count + 1, 0))
                    try emit(a)
                }
                for s in splits { prog[s] = .split(s + 1, prog.count) }
            } else {
                let loop = prog.count
                prog.append(.split(loop + 1, 0))
                try emit(a)
                prog.append(.jmp(loop))
                prog[loop] = .split(loop + 1, prog.count)
            }
        }
    }
}
