import Testing
@testable import WFCDiagnostics

/// The line index is built eight bytes at a time; it must agree with a byte-by-byte reading.
@Suite struct SourceFileTests {
    static func reference(_ bytes: [UInt8]) -> (starts: [Int], ascii: Bool) {
        var starts = [0]
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                starts.append(i + 1)
            } else if bytes[i] == 0x0D {
                if i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                starts.append(i + 1)
            }
            i += 1
        }
        return (starts, bytes.allSatisfy { $0 < 0x80 })
    }

    @Test func lineStartsMatchAByteByByteReading() {
        var rng = SystemRandomNumberGenerator()
        // Mostly text, with line breaks (including `\r\n` split across eight-byte words),
        // bytes just above and below the break values, and multi-byte UTF-8.
        let alphabet: [UInt8] = [0x61, 0x20, 0x0A, 0x0D, 0x0B, 0x0C, 0x09, 0x8A, 0x8D, 0xE4, 0xBA, 0xA4, 0x00, 0xFF]
        for _ in 0..<2000 {
            let count = Int.random(in: 0..<70, using: &rng)
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &rng) ?? 0 }
            let file = SourceFile(path: "t.yaml", bytes: bytes)
            let expected = Self.reference(bytes)
            #expect(file.lineStarts == expected.starts, "\(bytes)")
            #expect(file.isASCII == expected.ascii, "\(bytes)")
        }
    }

    @Test func chineseTextAndCRLF() {
        let file = SourceFile(path: "t.yaml", text: "title: 工作交接管理制度\r\nstart: s0\rnext\n")
        #expect(file.lineStarts == [0, 33, 43, 48])
        #expect(!file.isASCII)
        #expect(file.lineColumn(of: 33) == LineColumn(line: 2, column: 1))
        #expect(file.lineColumn(of: 10) == LineColumn(line: 1, column: 9))
    }

    @Test func pathsAreInternedAndCompareAsText() {
        let a = SourcePath("workflows/b.yaml"), b = SourcePath("workflows/a.yaml")
        #expect(a == SourcePath("workflows/b.yaml"))
        #expect(a != b)
        #expect(b < a)
        #expect(a.string == "workflows/b.yaml")
        #expect(SourceSpan(file: "x.yaml", start: 1, end: 2) == SourceSpan(path: SourcePath("x.yaml"), start: 1, end: 2))
        #expect(SourceSpan.unlocated.isUnlocated)
    }
}
