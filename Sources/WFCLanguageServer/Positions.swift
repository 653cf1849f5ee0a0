import WFCDiagnostics

/// An LSP position: a 0-based line and a 0-based character offset counted in UTF-16 code
/// units (LSP's default encoding), which is what editors send even for Chinese text.
public struct LSPPosition: Hashable, Sendable {
    public var line: Int
    public var character: Int
    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }

    var json: [String: Any] { ["line": line, "character": character] }

    init?(json: Any?) {
        guard let o = json as? [String: Any], let l = intValue(o["line"]), let c = intValue(o["character"]) else { return nil }
        self.init(line: l, character: c)
    }
}

/// Converts between wfc's UTF-8 byte offsets and LSP positions on one file, using the
/// file's line table. Out-of-range positions are clamped, never trapped on.
struct PositionMap {
    let file: SourceFile

    /// The LSP position of a byte offset (an offset inside a character goes to its start).
    func position(of offset: Int) -> LSPPosition {
        let bytes = file.bytes
        let o = min(max(offset, 0), bytes.count)
        let line = file.lineIndex(of: o)
        let start = file.lineStarts[line]
        var units = 0
        var i = start
        while i < o {
            let b = bytes[i]
            let width = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            if i + width > o { break }
            // Four-byte sequences are outside the BMP: a surrogate pair in UTF-16.
            units += width == 4 ? 2 : 1
            i += width
        }
        return LSPPosition(line: line, character: units)
    }

    /// The byte offset of an LSP position: a line past the end goes to the end of the file,
    /// a character past the end of its line to the end of the line, and a character in the
    /// middle of a surrogate pair to the start of that character.
    func offset(of position: LSPPosition) -> Int {
        let starts = file.lineStarts
        if position.line < 0 { return 0 }
        if position.line >= starts.count { return file.bytes.count }
        let end = file.lineContentEnd(position.line)
        let bytes = file.bytes
        var i = starts[position.line]
        var units = 0
        while i < end {
            let b = bytes[i]
            let width = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            let u = width == 4 ? 2 : 1
            if units + u > position.character { break }
            units += u
            i = min(i + width, end)
        }
        return i
    }

    /// An LSP range of a byte span.
    func range(_ start: Int, _ end: Int) -> [String: Any] {
        ["start": position(of: start).json, "end": position(of: end).json]
    }

    func range(_ span: SourceSpan) -> [String: Any] { range(span.start, span.end) }
}

/// An integer from a JSON number (JSONSerialization gives NSNumber).
func intValue(_ v: Any?) -> Int? {
    if let i = v as? Int { return i }
    if let d = v as? Double, d.rounded() == d, abs(d) < 1e15 { return Int(d) }
    return nil
}
