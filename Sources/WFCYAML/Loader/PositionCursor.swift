import WFCDiagnostics

/// Turns libyaml's marks (which count Unicode scalars) into byte offsets, lines and columns.
///
/// Marks arrive almost in order, so the cursor walks forward incrementally; the rare step
/// backwards recounts only the current line. A pure-ASCII file skips the walk entirely.
struct PositionCursor {
    private let file: SourceFile
    private let base: Int
    private var char = 0
    private var byte: Int
    private var line = 0
    private var column = 1

    init(file: SourceFile) {
        self.file = file
        self.base = file.hasBOM ? 3 : 0
        self.byte = base
    }

    /// The position of libyaml's scalar index `index`.
    mutating func position(_ index: Int) -> SourcePosition {
        let bytes = file.bytes
        if file.isASCII {
            let offset = min(base + max(index, 0), bytes.count)
            let li = lineIndexNear(offset)
            return SourcePosition(offset: offset, line: li + 1, column: offset - file.lineStarts[li] + 1 - (li == 0 ? base : 0))
        }
        if index < char {
            // Step back to the start of the current line, then walk forward again.
            let lineStart = line == 0 ? base : file.lineStarts[line]
            var c = char
            var b = byte
            while b > lineStart {
                b -= 1
                while b > lineStart && bytes[b] & 0xC0 == 0x80 { b -= 1 }
                c -= 1
            }
            char = c
            byte = b
            column = 1
            if index < char {
                // Further back than this line: restart from the beginning.
                char = 0
                byte = base
                line = 0
            }
        }
        let n = bytes.count
        while char < index && byte < n {
            let b = bytes[byte]
            let width: Int
            if b < 0x80 { width = 1 } else if b < 0xE0 { width = 2 } else if b < 0xF0 { width = 3 } else { width = 4 }
            if b == 0x0A || (b == 0x0D && (byte + 1 >= n || bytes[byte + 1] != 0x0A)) {
                line += 1
                column = 1
            } else if b == 0x0D {
                // The CR of a CRLF: the line ends after the LF.
                column += 1
            } else {
                column += 1
            }
            byte = min(byte + width, n)
            char += 1
        }
        return SourcePosition(offset: byte, line: line + 1, column: column)
    }

    private var lastLine = 0

    private mutating func lineIndexNear(_ offset: Int) -> Int {
        let starts = file.lineStarts
        var li = lastLine
        if li < starts.count, starts[li] <= offset {
            // Usually the same or the next few lines.
            var steps = 0
            while li + 1 < starts.count && starts[li + 1] <= offset && steps < 8 { li += 1; steps += 1 }
            if li + 1 >= starts.count || starts[li + 1] > offset {
                lastLine = li
                return li
            }
        }
        li = file.lineIndex(of: offset)
        lastLine = li
        return li
    }
}
