import Testing
import WFCDiagnostics
import WFCYAML

/// `YAMLKeyCode` packs short keys into two words; equal codes must mean equal texts.
@Suite struct KeyCodeTests {
    @Test func equalTextsHaveEqualCodes() {
        #expect(YAMLKeyCode("title") == YAMLKeyCode("title"))
        #expect(YAMLKeyCode("") == YAMLKeyCode(""))
    }

    @Test(arguments: [
        ("title", "titles"), ("a", "a\0"), ("", "\0"), ("abcdefgh", "abcdefgi"), ("abcdefgh", "abcdefgh\0"),
        ("max_rounds_abcd", "max_rounds_abce"), ("经理", "经历"), ("ab", "ba"),
    ])
    func differentTextsHaveDifferentCodes(_ a: String, _ b: String) {
        #expect(YAMLKeyCode(a) != YAMLKeyCode(b))
    }

    @Test func fifteenBytesFitSixteenDoNot() {
        #expect(YAMLKeyCode("123456789012345") != nil)
        #expect(YAMLKeyCode("1234567890123456") == nil)
        // Five Chinese characters are fifteen bytes.
        #expect(YAMLKeyCode("交接人直接") != nil)
        #expect(YAMLKeyCode("交接人直接上") == nil)
    }

    @Test func nodesGiveTheCodeOfTheirText() throws {
        let r = YAMLLoader().load(SourceFile(path: "k.yaml", text: "\"a\\0b\": 1\nlong_key_of_twenty: 2\n"))
        let m = try #require(r.root?.mapping)
        #expect(m.key(at: 0).keyCode == YAMLKeyCode("a\0b"))
        #expect(m.key(at: 1).keyCode == nil)
        #expect(m.value(at: 0).keyCode == YAMLKeyCode("1"))
        #expect(r.root?.keyCode == nil)
    }
}
