import WFCIR

/// A small analysis of guards written as conjunctions of simple comparisons, enough to prove
/// two guards exclusive (`case.reason == 'transfer'` vs `case.reason == 'resignation'`,
/// `case.key_post` vs `!case.key_post`, `case.days >= 30` vs `case.days < 30`) and a choice
/// exhaustive over an enum. Anything it cannot read counts as "may hold".
struct GuardAtoms {
    enum Literal: Hashable {
        case string(String)
        case number(Double)
        case bool(Bool)
    }

    enum Constraint: Hashable {
        case oneOf(Set<Literal>)
        case noneOf(Set<Literal>)
        case range(lower: Double?, lowerInclusive: Bool, upper: Double?, upperInclusive: Bool)
    }

    struct Atom: Hashable {
        var path: String
        var constraint: Constraint
    }

    var atoms: [Atom]
    /// The conjuncts' texts, normalised (whitespace removed), for matching known forms.
    var conjuncts: [String]

    /// Reads `source`; conjuncts it cannot interpret are kept only as text.
    init(_ source: String) {
        let compact = String(decoding: source.utf8.filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)
        conjuncts = Self.splitTopLevel(compact, on: "&&").map(Self.stripParens)
        atoms = conjuncts.compactMap(Self.atom)
    }

    /// True when the two guards can never hold together.
    static func exclusive(_ a: GuardAtoms, _ b: GuardAtoms) -> Bool {
        for x in a.atoms {
            for y in b.atoms where x.path == y.path && disjoint(x.constraint, y.constraint) { return true }
        }
        return false
    }

    static func disjoint(_ a: Constraint, _ b: Constraint) -> Bool {
        switch (a, b) {
        case (.oneOf(let s), .oneOf(let t)): return s.isDisjoint(with: t)
        case (.oneOf(let s), .noneOf(let t)), (.noneOf(let t), .oneOf(let s)): return s.isSubset(of: t)
        case (.oneOf(let s), .range(let lo, let li, let hi, let hiIn)), (.range(let lo, let li, let hi, let hiIn), .oneOf(let s)):
            return s.allSatisfy { v in
                guard case .number(let n) = v else { return true }
                return !inRange(n, lo, li, hi, hiIn)
            }
        case (.range(let lo1, let li1, let hi1, let hii1), .range(let lo2, let li2, let hi2, let hii2)):
            // Disjoint when one ends before the other starts.
            if let h = hi1, let l = lo2, h < l || (h == l && !(hii1 && li2)) { return true }
            if let h = hi2, let l = lo1, h < l || (h == l && !(hii2 && li1)) { return true }
            return false
        default: return false
        }
    }

    static func inRange(_ n: Double, _ lo: Double?, _ li: Bool, _ hi: Double?, _ hiIn: Bool) -> Bool {
        if let lo, n < lo || (n == lo && !li) { return false }
        if let hi, n > hi || (n == hi && !hiIn) { return false }
        return true
    }

    private static func atom(_ c: String) -> Atom? {
        if c.hasPrefix("!"), isPath(String(c.dropFirst())) {
            return Atom(path: String(c.dropFirst()), constraint: .oneOf([.bool(false)]))
        }
        if isPath(c) { return Atom(path: c, constraint: .oneOf([.bool(true)])) }
        for op in ["==", "!=", ">=", "<=", ">", "<"] {
            let parts = splitTopLevel(c, on: op)
            guard parts.count == 2 else { continue }
            var (l, r) = (parts[0], parts[1])
            var flipped = false
            if !isPath(l), isPath(r) { (l, r) = (r, l); flipped = true }
            guard isPath(l), let lit = literal(r) else { return nil }
            switch op {
            case "==": return Atom(path: l, constraint: .oneOf([lit]))
            case "!=": return Atom(path: l, constraint: .noneOf([lit]))
            default:
                guard case .number(let n) = lit else { return nil }
                var o = op
                if flipped { o = ["<": ">", ">": "<", "<=": ">=", ">=": "<="][op] ?? op }
                switch o {
                case ">=": return Atom(path: l, constraint: .range(lower: n, lowerInclusive: true, upper: nil, upperInclusive: false))
                case ">": return Atom(path: l, constraint: .range(lower: n, lowerInclusive: false, upper: nil, upperInclusive: false))
                case "<=": return Atom(path: l, constraint: .range(lower: nil, lowerInclusive: false, upper: n, upperInclusive: true))
                default: return Atom(path: l, constraint: .range(lower: nil, lowerInclusive: false, upper: n, upperInclusive: false))
                }
            }
        }
        let inParts = splitTopLevel(c, on: "in")
        if inParts.count == 2, isPath(inParts[0]), inParts[1].hasPrefix("["), inParts[1].hasSuffix("]") {
            let inner = String(inParts[1].dropFirst().dropLast())
            let items = splitTopLevel(inner, on: ",").compactMap(literal)
            return Atom(path: inParts[0], constraint: .oneOf(Set(items)))
        }
        return nil
    }

    private static func isPath(_ s: String) -> Bool {
        guard let f = s.utf8.first, (f >= 0x41 && f <= 0x5A) || (f >= 0x61 && f <= 0x7A) || f == 0x5F else { return false }
        return s.utf8.allSatisfy { ($0 < 0x80 && isWordByte($0)) || $0 == 0x2E } && s != "true" && s != "false" && s != "null"
    }

    private static func literal(_ s: String) -> Literal? {
        if s == "true" { return .bool(true) }
        if s == "false" { return .bool(false) }
        if s.count >= 2, let q = s.first, q == "'" || q == "\"", s.last == q {
            return .string(String(s.dropFirst().dropLast()))
        }
        var t = s
        if t.hasSuffix("u") { t.removeLast() }
        return Double(t).map { .number($0) }
    }

    /// Splits at `sep` outside quotes, brackets and parentheses, working on UTF-8 bytes (the
    /// operators are ASCII). The keyword `in` splits only where it stands alone; `>`, `<` and
    /// `=` never split inside a longer operator.
    static func splitTopLevel(_ s: String, on sep: String) -> [String] {
        let b = Array(s.utf8)
        let p = Array(sep.utf8)
        let isWord = p.first.map(isWordByte) ?? false
        var parts: [String] = []
        var depth = 0
        var quote: UInt8 = 0
        var start = 0
        var i = 0
        while i < b.count {
            let c = b[i]
            if quote != 0 {
                if c == 0x5C { i += 2; continue }
                if c == quote { quote = 0 }
                i += 1
                continue
            }
            switch c {
            case 0x27, 0x22: quote = c
            case 0x28, 0x5B, 0x7B: depth += 1
            case 0x29, 0x5D, 0x7D: depth -= 1
            default: break
            }
            if depth == 0, i + p.count <= b.count, b[i] == p[0], Array(b[i..<i + p.count]) == p {
                let before: UInt8 = i > 0 ? b[i - 1] : 0x20
                let after: UInt8 = i + p.count < b.count ? b[i + p.count] : 0x20
                let ok: Bool
                if isWord {
                    ok = !isWordByte(before) && !isWordByte(after)
                } else if p.count == 1 {
                    // `>` must not be part of `>=`, `=`/`!`/`<`/`>` must not precede it.
                    ok = after != 0x3D && before != 0x3D && before != 0x21 && before != 0x3C && before != 0x3E
                } else {
                    ok = true
                }
                if ok {
                    parts.append(trim(b[start..<i]))
                    i += p.count
                    start = i
                    continue
                }
            }
            i += 1
        }
        parts.append(trim(b[start..<b.count]))
        return parts
    }

    private static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c >= 0x80
    }

    private static func trim(_ s: ArraySlice<UInt8>) -> String {
        var lo = s.startIndex
        var hi = s.endIndex
        while lo < hi, s[lo] == 0x20 || s[lo] == 0x09 { lo += 1 }
        while hi > lo, s[hi - 1] == 0x20 || s[hi - 1] == 0x09 { hi -= 1 }
        return String(decoding: s[lo..<hi], as: UTF8.self)
    }

    private static func stripParens(_ s: String) -> String {
        var t = s
        while t.hasPrefix("("), t.hasSuffix(")"), splitTopLevel(String(t.dropFirst().dropLast()), on: "&&").count >= 1,
              balanced(String(t.dropFirst().dropLast())) {
            t = String(t.dropFirst().dropLast())
        }
        return t
    }

    private static func balanced(_ s: String) -> Bool {
        var depth = 0
        for c in s {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1; if depth < 0 { return false } }
        }
        return depth == 0
    }

    /// True when the guard requires every item of checklist `field` to be done, written as
    /// `case.FIELD.all(x, x.done)`.
    func requiresAllDone(_ field: String) -> Bool {
        conjuncts.contains { Self.isAllDone($0, field) }
    }

    static func isAllDone(_ normalized: String, _ field: String) -> Bool {
        let prefix = "case.\(field).all("
        guard normalized.hasPrefix(prefix), normalized.hasSuffix(")") else { return false }
        let inner = normalized.dropFirst(prefix.count).dropLast()
        let parts = inner.split(separator: ",", maxSplits: 1)
        guard parts.count == 2 else { return false }
        return parts[1] == parts[0] + ".done"
    }
}
