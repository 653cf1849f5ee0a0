import Testing
import WFCDiagnostics
@testable import WFCCompiler
import WFCYAML

/// Loads `yaml`, takes the value of key `g`, and maps value offset `i` back to the file.
private func mapped(_ yaml: String, _ needle: String) throws -> (text: String, offset: Int, exact: Bool) {
    let file = SourceFile(path: "t.yaml", text: yaml)
    let r = YAMLLoader().load(file)
    let node = try #require(r.root?["g"])
    let s = try #require(node.scalar)
    let m = ScalarOffsetMap(value: s.text, style: s.style, span: node.span.in("t.yaml"), file: file)
    let i = try #require(s.text.utf8.firstRange(of: needle.utf8)?.lowerBound)
    let vi = s.text.utf8.distance(from: s.text.utf8.startIndex, to: i)
    let o = m.fileOffset(vi)
    return (file.text(o, o + needle.utf8.count), o, m.isExact)
}

@Suite struct ScalarOffsetMapTests {
    @Test func plain() throws {
        let r = try mapped("g: case.经理 > bad\n", "bad")
        #expect(r.text == "bad")
        #expect(r.exact)
    }

    @Test func plainMultiLineFolds() throws {
        let r = try mapped("g: case.a > 1 &&\n  case.bad\n", "case.bad")
        #expect(r.text == "case.bad")
    }

    @Test func singleQuotedWithDoubledQuote() throws {
        let r = try mapped("g: 'case.reason == ''离职'' && bad'\n", "bad")
        #expect(r.text == "bad")
        #expect(r.exact)
    }

    @Test func doubleQuotedWithEscapes() throws {
        let r = try mapped("g: \"case.name == \\\"张\\u4E09\\\" && \\tbad\"\n", "bad")
        #expect(r.text == "bad")
        #expect(r.exact)
        let u = try mapped("g: \"x == \\u4E09y\"\n", "y")
        #expect(u.text == "y")
    }

    @Test func literalBlock() throws {
        let r = try mapped("g: |\n  case.a > 1 &&\n    case.bad\nnext: 1\n", "case.bad")
        #expect(r.text == "case.bad")
        #expect(r.exact)
    }

    @Test func foldedBlockStrip() throws {
        let r = try mapped("g: >-\n  case.a > 1 &&\n  case.bad\n\nnext: 1\n", "case.bad")
        #expect(r.text == "case.bad")
        #expect(r.exact)
    }

    @Test func crlfAndBOM() throws {
        let file = SourceFile(path: "t.yaml", bytes: [0xEF, 0xBB, 0xBF] + Array("a: 1\r\ng: '经理 bad'\r\n".utf8))
        let node = try #require(YAMLLoader().load(file).root?["g"])
        let s = try #require(node.scalar)
        let m = ScalarOffsetMap(value: s.text, style: s.style, span: node.span.in("t.yaml"), file: file)
        #expect(m.isExact)
        let vi = s.text.utf8.count - 3
        #expect(file.text(m.fileOffset(vi), m.fileOffset(vi) + 3) == "bad")
    }
}

/// A caret that ends on an escape covers the whole escape, so that a fix-it replaces it whole.
@Suite struct EscapeSpanTests {
    @Test func aSpanEndingOnAnEscapedQuoteCoversTheEscape() throws {
        let yaml = "g: \"case.kind == \\\"anual\\\" && x\"\n"
        let file = SourceFile(path: "t.yaml", text: yaml)
        let node = try #require(YAMLLoader().load(file).root?["g"])
        let s = try #require(node.scalar)
        let m = ScalarOffsetMap(value: s.text, style: s.style, span: node.span.in("t.yaml"), file: file)
        // Value bytes of `"anual"` (with its quotes) are 13..<20.
        let span = m.fileSpan(13, 20, file: "t.yaml")
        #expect(file.text(span.start, span.end) == "\\\"anual\\\"")
    }
}
