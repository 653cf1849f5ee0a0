/// A path pattern from `.wfc.yaml`: `*` matches within one path segment, `**` across
/// segments, `?` one character, `[abc]`/`[a-z]`/`[!a]` a set. Patterns are relative to the
/// configuration file's folder.
public struct PathGlob: Sendable, Hashable {
    public let pattern: String
    private let chars: [Character]

    /// Why a pattern is refused; nil when it is valid.
    public static func problem(_ pattern: String) -> String? {
        if pattern.isEmpty { return "the pattern is empty" }
        if pattern.hasPrefix("/") { return "the pattern is absolute; patterns are relative to the folder of .wfc.yaml" }
        if pattern.split(separator: "/").contains("..") { return "the pattern leaves the folder of .wfc.yaml (`..`)" }
        let c = Array(pattern)
        var i = 0
        while i < c.count {
            if c[i] == "[" {
                var j = i + 1
                if j < c.count && c[j] == "!" { j += 1 }
                if j < c.count && c[j] == "]" { j += 1 }
                while j < c.count && c[j] != "]" { j += 1 }
                if j >= c.count { return "`[` at character \(i + 1) is never closed by `]`" }
                i = j
            }
            i += 1
        }
        return nil
    }

    /// Nil when the pattern is invalid (see ``problem(_:)``).
    public init?(_ pattern: String) {
        guard Self.problem(pattern) == nil else { return nil }
        self.pattern = pattern.hasPrefix("./") ? String(pattern.dropFirst(2)) : pattern
        chars = Array(self.pattern)
    }

    /// Whether `path` (relative, `/`-separated) matches the whole pattern.
    public func matches(_ path: String) -> Bool {
        let s = Array(path)
        var memo = [Bool?](repeating: nil, count: (chars.count + 1) * (s.count + 1))
        func go(_ p: Int, _ i: Int) -> Bool {
            let key = p * (s.count + 1) + i
            if let m = memo[key] { return m }
            let r: Bool
            if p == chars.count {
                r = i == s.count
            } else if chars[p] == "*" {
                if p + 1 < chars.count && chars[p + 1] == "*" {
                    // `**/` also matches no folder at all.
                    var q = p + 2
                    if q < chars.count && chars[q] == "/" && go(q + 1, i) { memo[key] = true; return true }
                    q = p + 2
                    r = go(q, i) || (i < s.count && go(p, i + 1))
                } else {
                    r = go(p + 1, i) || (i < s.count && s[i] != "/" && go(p, i + 1))
                }
            } else if i == s.count {
                r = false
            } else if chars[p] == "?" {
                r = s[i] != "/" && go(p + 1, i + 1)
            } else if chars[p] == "[" {
                var j = p + 1
                let negate = j < chars.count && chars[j] == "!"
                if negate { j += 1 }
                var hit = false
                var first = true
                while j < chars.count && (chars[j] != "]" || first) {
                    first = false
                    if j + 2 < chars.count && chars[j + 1] == "-" && chars[j + 2] != "]" {
                        if chars[j] <= s[i] && s[i] <= chars[j + 2] { hit = true }
                        j += 3
                    } else {
                        if chars[j] == s[i] { hit = true }
                        j += 1
                    }
                }
                r = s[i] != "/" && hit != negate && go(j + 1, i + 1)
            } else {
                r = chars[p] == s[i] && go(p + 1, i + 1)
            }
            memo[key] = r
            return r
        }
        return go(0, 0)
    }
}
