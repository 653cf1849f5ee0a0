#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WFCDiagnostics

/// A `#` comment in a YAML file. libyaml reports no comments, so they are found by scanning
/// the lines, skipping every scalar's span (quoted strings, block scalars): a `#` inside a
/// scalar is text, not a comment.
public struct YAMLComment: Hashable, Sendable {
    /// The byte offset of the `#`.
    public var start: Int
    /// The end of the comment: the end of its line (exclusive, before the line break).
    public var end: Int
    /// True when nothing but blanks precedes the `#` on its line.
    public var ownLine: Bool

    public init(start: Int, end: Int, ownLine: Bool) {
        self.start = start
        self.end = end
        self.ownLine = ownLine
    }
}

extension YAMLNode {
    /// The byte ranges of every scalar in this node's tree (keys and values), in file order.
    public var scalarRanges: [Range<Int>] {
        var out: [Range<Int>] = []
        for r in tree.records where r.kind == .scalar {
            let s = r.span
            if s.end.offset > s.start.offset { out.append(s.start.offset..<s.end.offset) }
        }
        return out.sorted { $0.lowerBound < $1.lowerBound }
    }
}

public enum YAMLComments {
    /// The comments of `file` whose text contains `marker`; `root` is the file's loaded tree,
    /// whose scalars' spans tell text from comments. YAML starts a comment with `#` at the
    /// start of a line or after a blank; one inside a scalar's span is part of the scalar.
    /// A file that did not load (`root` nil) has no comments this can trust: none are returned.
    public static func find(in file: SourceFile, containing marker: String, root: YAMLNode?) -> [YAMLComment] {
        let bytes = file.bytes
        let needle = Array(marker.utf8)
        // Most files mention no marker: one pass over the bytes, no tree walk.
        guard let root, !needle.isEmpty, contains(bytes, needle, from: 0, to: bytes.count) else { return [] }
        let scalars = root.scalarRanges
        var out: [YAMLComment] = []
        var scalarIndex = 0
        var lineStart = 0
        var onlyBlanks = true
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                lineStart = i + 1
                onlyBlanks = true
                i += 1
                continue
            }
            if b == UInt8(ascii: "#"), i == lineStart || bytes[i - 1] == UInt8(ascii: " ") || bytes[i - 1] == UInt8(ascii: "\t") {
                while scalarIndex < scalars.count && scalars[scalarIndex].upperBound <= i { scalarIndex += 1 }
                // Spans are sorted by start; a nested one cannot cover more than its parent.
                let inside = scalars[scalarIndex...].prefix { $0.lowerBound <= i }.contains { $0.contains(i) }
                if !inside {
                    var end = i
                    while end < bytes.count && bytes[end] != UInt8(ascii: "\n") && bytes[end] != UInt8(ascii: "\r") { end += 1 }
                    if contains(bytes, needle, from: i, to: end) {
                        out.append(YAMLComment(start: i, end: end, ownLine: onlyBlanks))
                    }
                    i = end
                    continue
                }
            }
            if b != UInt8(ascii: " ") && b != UInt8(ascii: "\t") { onlyBlanks = false }
            i += 1
        }
        return out
    }

    /// Whether `needle` occurs in `bytes[from..<to]`. Candidates are found with libc's `memchr`
    /// (vectorised; `memmem` is not in Glibc's Swift module): the scan runs over every checked
    /// file, and a byte loop cost 1.5 % of `wfc check`.
    private static func contains(_ bytes: [UInt8], _ needle: [UInt8], from: Int, to: Int) -> Bool {
        guard from >= 0, to <= bytes.count, to - from >= needle.count, let first = needle.first else { return false }
        return bytes.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { n in
                guard let h = hay.baseAddress, let p = n.baseAddress else { return false }
                var i = from
                let last = to - n.count  // the last offset where the needle still fits
                while i <= last {
                    guard let hit = memchr(h + i, Int32(first), last - i + 1) else { return false }
                    let at = h.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(h + at, p, n.count) == 0 { return true }
                    i = at + 1
                }
                return false
            }
        }
    }
}
