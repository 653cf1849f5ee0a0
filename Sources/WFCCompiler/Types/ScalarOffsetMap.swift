import WFCDiagnostics
import WFCYAML

/// Maps byte offsets inside a scalar's value back to byte offsets in the file, through
/// quotes, escapes, block indentation and line folding, so that an error inside an
/// expression gets its caret under the exact character of the YAML file.
///
/// The map is rebuilt from the source bytes and verified against the value libyaml produced;
/// if they disagree (an exotic form this does not model), every offset maps to the scalar's
/// start, which is never wrong, only less precise.
public struct ScalarOffsetMap: Sendable {
    /// File offset of each value byte, plus one entry for the end of the value.
    private var offsets: [Int]
    /// True when the map is exact.
    public let isExact: Bool
    /// The file's bytes, to see whether a value byte came from an escape.
    private let bytes: [UInt8]

    public init(value: String, style: ScalarStyle, span: SourceSpan, file: SourceFile) {
        let bytes = file.bytes
        self.bytes = bytes
        let start = min(max(span.start, 0), bytes.count)
        let end = min(max(span.end, start), bytes.count)
        var builder = Builder(bytes: bytes, start: start, end: end)
        switch style {
        case .plain: builder.flow(from: start, quote: nil)
        case .singleQuoted: builder.flow(from: start + 1, quote: UInt8(ascii: "'"))
        case .doubleQuoted: builder.flow(from: start + 1, quote: UInt8(ascii: "\""))
        case .literal, .folded: builder.block(folded: style == .folded)
        }
        let expected = Array(value.utf8)
        // Block scalars: chomping decides the trailing line breaks; libyaml's value is authoritative.
        while builder.out.count > expected.count, builder.out.last == 0x0A {
            builder.out.removeLast()
            builder.map.removeLast()
        }
        while builder.out.count < expected.count, expected[builder.out.count] == 0x0A, builder.out == Array(expected.prefix(builder.out.count)) {
            builder.emit(0x0A, at: builder.map.last ?? start)
        }
        if builder.out == expected {
            offsets = builder.map + [builder.endOffset]
            isExact = true
        } else {
            offsets = Array(repeating: start, count: expected.count + 1)
            isExact = false
        }
    }

    /// The file offset of value byte `i` (clamped; `i == count` is the end).
    public func fileOffset(_ i: Int) -> Int {
        offsets[min(max(i, 0), offsets.count - 1)]
    }

    /// A span of value bytes `[a, b)` as a file span.
    public func fileSpan(_ a: Int, _ b: Int, file: String) -> SourceSpan {
        let s = fileOffset(a)
        let last = fileOffset(b - 1)
        var e = b > a ? last + 1 : s
        // An escape (`\"`, `\u4E2D`, `''`) is several file bytes for the last value byte(s):
        // end after the whole escape, which is where the next value byte comes from.
        if b > a, b < offsets.count, bytes.indices.contains(last), bytes[last] == UInt8(ascii: "\\") || bytes[last] == UInt8(ascii: "'") {
            let next = fileOffset(b)
            if next > e && next - last <= 10 { e = next }
        }
        return SourceSpan(file: file, start: s, end: max(e, s))
    }

    private struct Builder {
        let bytes: [UInt8]
        let start: Int
        let end: Int
        var out: [UInt8] = []
        var map: [Int] = []
        var endOffset: Int

        init(bytes: [UInt8], start: Int, end: Int) {
            self.bytes = bytes
            self.start = start
            self.end = end
            self.endOffset = end
        }

        mutating func emit(_ b: UInt8, at offset: Int) {
            out.append(b)
            map.append(offset)
        }

        mutating func emit(_ scalar: Unicode.Scalar, at offset: Int) {
            for b in String(scalar).utf8 { emit(b, at: offset) }
        }

        func isBreak(_ i: Int) -> Bool { i < end && (bytes[i] == 0x0A || bytes[i] == 0x0D) }
        func isBlank(_ i: Int) -> Bool { i < end && (bytes[i] == 0x20 || bytes[i] == 0x09) }

        /// Plain and quoted (flow) scalars: line folding, `''` and backslash escapes.
        mutating func flow(from first: Int, quote: UInt8?) {
            let stop = quote == nil ? end : end - 1
            var i = first
            var pendingSpaces: [Int] = []
            while i < stop {
                let c = bytes[i]
                if c == 0x20 || c == 0x09 {
                    pendingSpaces.append(i)
                    i += 1
                    continue
                }
                if c == 0x0A || c == 0x0D {
                    // Fold: trailing spaces dropped, one break becomes a space, n breaks n-1 newlines.
                    let at = pendingSpaces.first ?? i
                    pendingSpaces = []
                    var breaks = 0
                    while i < stop && (isBreak(i) || isBlank(i)) {
                        if bytes[i] == 0x0D && i + 1 < stop && bytes[i + 1] == 0x0A { i += 1 }
                        if isBreak(i) { breaks += 1 }
                        i += 1
                    }
                    if breaks == 1 { emit(0x20, at: at) } else { for _ in 1..<breaks { emit(0x0A, at: at) } }
                    continue
                }
                for s in pendingSpaces { emit(bytes[s], at: s) }
                pendingSpaces = []
                if quote == UInt8(ascii: "'"), c == 0x27, i + 1 < stop, bytes[i + 1] == 0x27 {
                    emit(0x27, at: i)
                    i += 2
                    continue
                }
                if quote == UInt8(ascii: "\""), c == 0x5C, i + 1 < stop {
                    i = escape(at: i, stop: stop)
                    continue
                }
                emit(c, at: i)
                i += 1
            }
            endOffset = stop
        }

        /// A backslash escape at `i`; returns the index after it.
        mutating func escape(at i: Int, stop: Int) -> Int {
            let e = bytes[i + 1]
            let simple: [UInt8: UInt8] = [
                UInt8(ascii: "0"): 0, UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8, UInt8(ascii: "t"): 9, 0x09: 9,
                UInt8(ascii: "n"): 10, UInt8(ascii: "v"): 11, UInt8(ascii: "f"): 12, UInt8(ascii: "r"): 13,
                UInt8(ascii: "e"): 27, 0x20: 0x20, UInt8(ascii: "\""): 0x22, UInt8(ascii: "/"): 0x2F, 0x5C: 0x5C,
            ]
            if let v = simple[e] {
                emit(v, at: i)
                return i + 2
            }
            switch e {
            case UInt8(ascii: "N"): emit("\u{85}", at: i); return i + 2
            case UInt8(ascii: "_"): emit("\u{A0}", at: i); return i + 2
            case UInt8(ascii: "L"): emit("\u{2028}", at: i); return i + 2
            case UInt8(ascii: "P"): emit("\u{2029}", at: i); return i + 2
            case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                let n = e == UInt8(ascii: "x") ? 2 : e == UInt8(ascii: "u") ? 4 : 8
                guard i + 2 + n <= stop, let v = UInt32(String(decoding: bytes[(i + 2)..<(i + 2 + n)], as: UTF8.self), radix: 16),
                      let scalar = Unicode.Scalar(v) else { return i + 2 }
                emit(scalar, at: i)
                return i + 2 + n
            case 0x0A, 0x0D:
                // An escaped line break joins the lines without a space.
                var j = i + 1
                if bytes[j] == 0x0D && j + 1 < stop && bytes[j + 1] == 0x0A { j += 1 }
                j += 1
                while j < stop && isBlank(j) { j += 1 }
                return j
            default:
                emit(e, at: i)
                return i + 2
            }
        }

        /// Literal and folded block scalars.
        mutating func block(folded: Bool) {
            // Skip the header line (`|`, `>-`, `|2` and a comment).
            var i = start
            while i < end && !isBreak(i) { i += 1 }
            if i < end && bytes[i] == 0x0D { i += 1 }
            if i < end && bytes[i] == 0x0A { i += 1 }
            // Indentation: that of the first non-empty line.
            var indent = 0
            var probe = i
            while probe < end {
                var k = probe
                while k < end && bytes[k] == 0x20 { k += 1 }
                if k < end && !isBreak(k) { indent = k - probe; break }
                while k < end && !isBreak(k) { k += 1 }
                if k < end && bytes[k] == 0x0D { k += 1 }
                probe = k + 1
            }
            var lines: [(start: Int, end: Int)] = []
            while i < end {
                var lineStart = i
                var k = 0
                while k < indent && lineStart < end && bytes[lineStart] == 0x20 { lineStart += 1; k += 1 }
                var lineEnd = lineStart
                while lineEnd < end && !isBreak(lineEnd) { lineEnd += 1 }
                lines.append((lineStart, lineEnd))
                i = lineEnd
                if i < end && bytes[i] == 0x0D { i += 1 }
                if i < end && bytes[i] == 0x0A { i += 1 }
            }
            for (n, line) in lines.enumerated() {
                for j in line.start..<line.end { emit(bytes[j], at: j) }
                if n + 1 < lines.count || out.last != 0x0A {
                    let nextEmpty = n + 1 < lines.count && lines[n + 1].start == lines[n + 1].end
                    let thisEmpty = line.start == line.end
                    if folded && !thisEmpty && !nextEmpty && n + 1 < lines.count && bytes.indices.contains(lines[n + 1].start) && bytes[lines[n + 1].start] != 0x20 {
                        emit(0x20, at: line.end)
                    } else {
                        emit(0x0A, at: line.end)
                    }
                }
            }
            // Chomping: libyaml's value is authoritative; strip or keep trailing breaks to match.
            endOffset = end
        }
    }
}

extension ScalarStyle {
    /// The style of a scalar whose text in the file starts with `byte`: a quote or a block
    /// indicator, else plain (a plain scalar cannot start with one of those).
    init(startingWith byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): self = .doubleQuoted
        case UInt8(ascii: "'"): self = .singleQuoted
        case UInt8(ascii: "|"): self = .literal
        case UInt8(ascii: ">"): self = .folded
        default: self = .plain
        }
    }
}
