import Synchronization

/// A line and column as shown to people: both 1-based, the column counted in Unicode scalars.
public struct LineColumn: Hashable, Sendable, Codable, Comparable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public static func < (a: Self, b: Self) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// A file left unread because it is over a size limit.
public struct SizeOverLimit: Sendable, Hashable {
    /// The file's size, when known (a regular file); nil for a stream, which is read only up
    /// to the limit.
    public var size: Int?
    public var limit: Int
    public init(size: Int?, limit: Int) {
        self.size = size
        self.limit = limit
    }
}

/// The bytes of one source file and the index that turns byte offsets into lines and columns.
///
/// Offsets are UTF-8 byte offsets into the whole file, BOM included. A leading BOM is not
/// counted as a column.
public final class SourceFile: Sendable {
    /// The display path, used in `file:line:col`.
    public let path: String
    /// ``path``, interned: what spans into this file carry.
    public let sourcePath: SourcePath
    public let bytes: [UInt8]
    /// True when every byte is ASCII, so byte offsets equal scalar offsets.
    public let isASCII: Bool
    /// Set when the file was not read because it is larger than the reader's limit; its
    /// bytes are then empty, and the YAML loader reports it (WFC1008).
    public let overLimit: SizeOverLimit?
    /// The line index, made on first use: checking a clean file never needs it.
    private let lineIndexCache = Mutex<[Int]?>(nil)

    public init(path: String, bytes: [UInt8], overLimit: SizeOverLimit? = nil) {
        self.path = path
        self.overLimit = overLimit
        self.sourcePath = SourcePath(path)
        self.bytes = bytes
        // Eight bytes at a time (the loads are in bounds).
        var highBits: UInt64 = 0
        bytes.withUnsafeBufferPointer { buf in
            var i = 0
            if let base = buf.baseAddress {
                while i + 8 <= buf.count {
                    highBits |= UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    i += 8
                }
            }
            while i < buf.count {
                highBits |= UInt64(buf[i])
                i += 1
            }
        }
        self.isASCII = highBits & 0x8080_8080_8080_8080 == 0
    }

    /// Byte offset at which each line starts. Lines end at `\n`, `\r\n` or a lone `\r`.
    public var lineStarts: [Int] {
        lineIndexCache.withLock { cache in
            if let starts = cache { return starts }
            let starts = Self.lineStarts(of: bytes)
            cache = starts
            return starts
        }
    }

    private static func lineStarts(of bytes: [UInt8]) -> [Int] {
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        var i = 0
        let n = bytes.count
        bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
            while i < n {
                // Eight bytes at a time: skip to the first line break in them, if any (most
                // bytes are text). The lowest flagged byte is exact: the zero-byte test can
                // only misfire above a true match.
                if i + 8 <= n {
                    let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    let lf = w ^ (ones &* 0x0A), cr = w ^ (ones &* 0x0D)
                    let breaks = ((lf &- ones) & ~lf | (cr &- ones) & ~cr) & high
                    if breaks == 0 {
                        i += 8
                        continue
                    }
                    i += breaks.littleEndian.trailingZeroBitCount >> 3
                }
                let b = buf[i]
                if b == 0x0A {
                    starts.append(i + 1)
                } else if b == 0x0D {
                    if i + 1 < n && buf[i + 1] == 0x0A { i += 1 }
                    starts.append(i + 1)
                }
                i += 1
            }
        }
        return starts
    }

    public convenience init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// Number of lines; a final line break does not open a new line.
    public var lineCount: Int {
        let lineStarts = self.lineStarts
        if let last = lineStarts.last, last == bytes.count, lineStarts.count > 1 {
            return lineStarts.count - 1
        }
        return lineStarts.count
    }

    /// The 0-based index of the line that contains `offset`.
    public func lineIndex(of offset: Int) -> Int {
        let o = min(max(offset, 0), bytes.count)
        let lineStarts = self.lineStarts
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Line and column of a byte offset. An offset inside a multi-byte character maps to
    /// that character.
    public func lineColumn(of offset: Int) -> LineColumn {
        let o = min(max(offset, 0), bytes.count)
        let li = lineIndex(of: o)
        return lineColumn(clamped: o, line: li, start: lineStarts[li])
    }

    /// Line and column of a byte offset, searching from line index `hint` (the line of an
    /// earlier offset; updated here). Offsets met in file order cost a step or two instead of
    /// a binary search, which on a large file is a cache miss per probe.
    public func lineColumn(of offset: Int, hint: inout Int) -> LineColumn {
        let o = min(max(offset, 0), bytes.count)
        // One read of the index (it is behind a lock) for the whole search.
        let lineStarts = self.lineStarts
        var li = min(max(hint, 0), lineStarts.count - 1)
        var steps = 0
        // A few lines either way, then a binary search.
        while lineStarts[li] > o && li > 0 && steps < 8 {
            li -= 1
            steps += 1
        }
        while li + 1 < lineStarts.count && lineStarts[li + 1] <= o && steps < 8 {
            li += 1
            steps += 1
        }
        if lineStarts[li] > o || (li + 1 < lineStarts.count && lineStarts[li + 1] <= o) { li = lineIndex(of: o) }
        hint = li
        return lineColumn(clamped: o, line: li, start: lineStarts[li])
    }

    private func lineColumn(clamped o: Int, line li: Int, start lineStart: Int) -> LineColumn {
        var start = lineStart
        if li == 0 && hasBOM { start = min(3, o) }
        var column = 1
        var i = start
        while i < o {
            // Count scalar starts: every byte that is not a continuation byte.
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        if o < bytes.count && bytes[o] & 0xC0 == 0x80 && column > 1 { column -= 1 }
        return LineColumn(line: li + 1, column: column)
    }

    /// The byte offset of a 1-based line and scalar column, clamped to the line.
    public func offset(of position: LineColumn) -> Int {
        let lineStarts = self.lineStarts
        let li = min(max(position.line - 1, 0), lineStarts.count - 1)
        var i = lineStarts[li]
        if li == 0 && hasBOM { i = 3 }
        let end = lineContentEnd(li)
        var col = 1
        while i < end && col < position.column {
            i += 1
            while i < end && bytes[i] & 0xC0 == 0x80 { i += 1 }
            col += 1
        }
        return i
    }

    /// True when the file starts with the UTF-8 byte order mark.
    public var hasBOM: Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    /// End of line `index`'s content (before its line break).
    public func lineContentEnd(_ index: Int) -> Int {
        let lineStarts = self.lineStarts
        var end = index + 1 < lineStarts.count ? lineStarts[index + 1] : bytes.count
        if end > lineStarts[index] && end <= bytes.count && end > 0 && bytes[end - 1] == 0x0A { end -= 1 }
        if end > lineStarts[index] && end > 0 && bytes[end - 1] == 0x0D { end -= 1 }
        return end
    }

    /// The text of 0-based line `index`, without its line break (and without a BOM).
    public func lineText(_ index: Int) -> String {
        let lineStarts = self.lineStarts
        guard index >= 0 && index < lineStarts.count else { return "" }
        var start = lineStarts[index]
        if index == 0 && hasBOM { start = 3 }
        let end = lineContentEnd(index)
        guard start < end else { return "" }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The text of a byte range, decoded leniently.
    public func text(_ start: Int, _ end: Int) -> String {
        let s = min(max(start, 0), bytes.count)
        let e = min(max(end, s), bytes.count)
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }
}

/// The files a set of diagnostics may point into, looked up by display path.
public struct SourceMap: Sendable {
    private var files: [String: SourceFile] = [:]
    public init(_ files: [SourceFile] = []) {
        for f in files { self.files[f.path] = f }
    }
    public mutating func add(_ file: SourceFile) { files[file.path] = file }
    public subscript(path: String) -> SourceFile? { files[path] }
}
