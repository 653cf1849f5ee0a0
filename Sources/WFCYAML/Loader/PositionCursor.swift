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

    init(file: SourceFile) {
        self.file = file
        self.base = file.hasBOM ? 3 : 0
        self.byte = base
        self.libyamlLinesAgree = file.isASCII || !Self.hasUnicodeLineBreaks(file.bytes)
    }

    /// The position of a libyaml mark.
    mutating func position(_ index: Int, line: Int, column: Int) -> SourcePosition {
        let offset = byteOffset(index)
        if libyamlLinesAgree {
            return SourcePosition(offset: offset, line: line + 1, column: column + 1)
        }
        let lc = file.lineColumn(of: offset)
        return SourcePosition(offset: offset, line: lc.line, column: lc.column)
    }

    /// The byte offset of libyaml's scalar index `index`.
    mutating func byteOffset(_ index: Int) -> Int {
        let bytes = file.bytes
        let n = bytes.count
        if file.isASCII { return min(base + max(index, 0), n) }
        bytes.withUnsafeBufferPointer { b in
            // Rare: step back over whole characters, costing only the distance moved.
            while char > index && byte > base {
                byte -= 1
                while byte > base && b[byte] & 0xC0 == 0x80 { byte -= 1 }
                char -= 1
            }
            var c = char
            var o = byte
            while c < index && o < n {
                let lead = b[o]
                o += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                c += 1
            }
            char = c
            byte = min(o, n)
        }
        return byte
    }

    private static func hasUnicodeLineBreaks(_ b: [UInt8]) -> Bool {
        var i = 0
        while i + 1 < b.count {
            if b[i] == 0xC2 && b[i + 1] == 0x85 { return true }
            if b[i] == 0xE2 && i + 2 < b.count && b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9) { return true }
            i += 1
        }
        return false
    }
}
