import WFCDiagnostics

/// Turns libyaml's marks into positions. libyaml counts Unicode scalars (`index`) and gives
/// 0-based line and column in scalars; only the byte offset has to be computed.
///
/// Marks arrive almost in order, so the cursor walks forward from the previous mark; a step
/// backwards restarts from the start of the mark's line. Pure-ASCII files skip the walk.
struct PositionCursor {
    private let file: SourceFile
    private let base: Int
    /// libyaml also breaks lines at NEL, LS and PS; then its line numbers are not ours.
    private let libyamlLinesAgree: Bool
    private var char = 0
    private var byte: Int
    /// Every byte from ``byte`` up to this offset is ASCII (it is the next non-ASCII byte,
    /// or the end of the file).
    private var asciiEnd: Int

    /// `unicodeLineBreaks`: whether the file contains NEL, LS or PS (nil: find out).
    init(file: SourceFile, unicodeLineBreaks: Bool? = nil) {
        self.file = file
        self.base = file.hasBOM ? 3 : 0
        self.byte = base
        self.asciiEnd = file.isASCII ? file.bytes.count : base
        self.libyamlLinesAgree = file.isASCII || !(unicodeLineBreaks ?? EncodingCheck.scan(file.bytes).unicodeLineBreaks)
    }

    /// The position of a libyaml mark.
    @inline(__always)
    mutating func position(_ index: Int, line: Int, column: Int) -> SourcePosition {
        let offset = byteOffset(index)
        if libyamlLinesAgree {
            return SourcePosition(offset: offset, line: line + 1, column: column + 1)
        }
        let lc = file.lineColumn(of: offset)
        return SourcePosition(offset: offset, line: lc.line, column: lc.column)
    }

    /// The byte offset of libyaml's scalar index `index`.
    @inline(__always)
    mutating func byteOffset(_ index: Int) -> Int {
        // The common case: a little further on, within a run of ASCII bytes (for an ASCII
        // file, the whole file).
        let d = index &- char
        if d >= 0 && d <= asciiEnd &- byte {
            char = index
            byte &+= d
            return byte
        }
        return walk(to: index)
    }

    /// ``byteOffset(_:)`` for the other cases: walks forward (or back) character by character.
    private mutating func walk(to index: Int) -> Int {
        let bytes = file.bytes
        let n = bytes.count
        if file.isASCII { return min(base + max(index, 0), n) }
        bytes.withUnsafeBufferPointer { b in
            if char > index {
                // Rare: step back over whole characters, costing only the distance moved.
                while char > index && byte > base {
                    byte -= 1
                    while byte > base && b[byte] & 0xC0 == 0x80 { byte -= 1 }
                    char -= 1
                }
                asciiEnd = Self.nextNonASCII(b, from: byte)
            }
            var c = char
            var o = byte
            while c < index && o < n {
                if o < asciiEnd {
                    // Bytes up to asciiEnd are ASCII: one scalar each.
                    let step = min(index - c, asciiEnd - o)
                    c += step
                    o += step
                    continue
                }
                let lead = b[o]
                o += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                c += 1
                asciiEnd = Self.nextNonASCII(b, from: o)
            }
            char = c
            byte = min(o, n)
        }
        return byte
    }

    /// The offset of the first non-ASCII byte at or after `from` (the count when none),
    /// reading eight bytes at a time; every load is in bounds.
    private static func nextNonASCII(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        let n = b.count
        var i = from
        if let p = b.baseAddress {
            while i + 8 <= n {
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080
                // Little-endian: the lowest set bit belongs to the first non-ASCII byte.
                if w != 0 { return i + (w.littleEndian.trailingZeroBitCount >> 3) }
                i += 8
            }
        }
        while i < n && b[i] < 0x80 { i += 1 }
        return i
    }
}
