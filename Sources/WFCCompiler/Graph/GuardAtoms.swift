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
        conjuncts = Self.splitTopLevel(source, on: "&&").map { Self.stripParens($0.filter { !$0.isWhitespace }) }
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
        guard let f = s.unicodeScalars.first, f.properties.isAlphabetic || f == "_" else { return false }
        return s.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil)) || $0 == "_" || $0 == "." }
            && !["true", "false", "null"].contains(s)
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

    /// Splits at `sep` outside quotes, brackets and parentheses. For the keyword `in`, only
    /// where it stands alone.
    static func splitTopLevel(_ s: String, on sep: String) -> [String] {
        let chars = Array(s)
        let sepChars = Array(sep)
        var parts: [String] = []
        var depth = 0
        var quote: Character?
        var current = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                current.append(c)
                if c == "\\", i + 1 < chars.count { current.append(chars[i + 1]); i += 2; continue }
                if c == q { quote = nil }
                i += 1
                continue
            }
            if c == "'" || c == "\"" { quote = c }
            if c == "(" || c == "[" || c == "{" { depth += 1 }
            if c == ")" || c == "]" || c == "}" { depth -= 1 }
            if depth == 0, quote == nil, i + sepChars.count <= chars.count, Array(chars[i..<i + sepChars.count]) == sepChars {
                let isWord = sep.first?.isLetter ?? false
                let before = i > 0 ? chars[i - 1] : " "
                let after = i + sepChars.count < chars.count ? chars[i + sepChars.count] : " "
                // Operators must not be the start of a longer operator (`>` in `>=`, `=` in `==`).
                let operatorOK = isWord
                    ? !(before.isLetter || before.isNumber || before == "_") && !(after.isLetter || after.isNumber || after == "_")
                    : !(sep == ">" || sep == "<") || after != "="
                let prevOK = isWord || !(sep.count == 1 && "<>=!".contains(before))
                if operatorOK && prevOK {
                    parts.append(current.trimmingWhitespace())
                    current = ""
                    i += sepChars.count
                    continue
                }
            }
            current.append(c)
            i += 1
        }
        parts.append(current.trimmingWhitespace())
        return parts
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
