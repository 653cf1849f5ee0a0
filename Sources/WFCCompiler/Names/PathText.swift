/// The parts of a `/`-separated path, as NSString's `lastPathComponent` and
/// `deletingLastPathComponent` give them, without bridging to NSString (which costs more
/// than checking a small workflow).
enum PathText {
    /// `a/b/c.yaml` → `c.yaml`; trailing slashes are ignored; `/` stays `/`.
    static func lastComponent(_ path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard let slash = trimmed.utf8.lastIndex(of: UInt8(ascii: "/")) else { return String(trimmed) }
        // NSString's answers for the root: `/` for `/`, empty for `//`.
        if trimmed.utf8.count == 1 { return path.utf8.count == 1 ? "/" : "" }
        return String(trimmed[trimmed.utf8.index(after: slash)...])
    }

    /// `a/b/c.yaml` → `a/b`; `c.yaml` → empty; `/c.yaml` → `/`.
    static func directory(_ path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard let slash = trimmed.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        if slash == trimmed.utf8.startIndex { return trimmed.utf8.count == 1 && path.utf8.count > 1 ? "" : "/" }
        // Repeated slashes before the last component count as one.
        var end = slash
        while end > trimmed.utf8.startIndex, trimmed.utf8[trimmed.utf8.index(before: end)] == UInt8(ascii: "/") {
            end = trimmed.utf8.index(before: end)
        }
        return end == trimmed.utf8.startIndex ? "/" : String(trimmed[..<end])
    }

    private static func trimmingTrailingSlashes(_ path: String) -> Substring {
        var s = Substring(path)
        while s.utf8.count > 1, s.utf8.last == UInt8(ascii: "/") { s = s.dropLast() }
        return s
    }
}
