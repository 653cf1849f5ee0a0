import Foundation
import Testing
import WFCDiagnostics
@testable import WFCYAML

private func load(_ text: String, limits: YAMLLimits = YAMLLimits()) -> YAMLLoadResult {
    YAMLLoader(limits: limits).load(SourceFile(path: "t.yaml", text: text))
}

private func loadBytes(_ bytes: [UInt8]) -> YAMLLoadResult {
    YAMLLoader().load(SourceFile(path: "t.yaml", bytes: bytes))
}

@Suite struct LoaderPositionTests {
    @Test func spansCountBytesAndScalarsAfterChinese() throws {
        let r = load("标题: 经理审批\nkey: v\n")
        let root = try #require(r.root)
        let pairs = try #require(root.mapping)
        // "标题: " is 2×3 + 2 bytes; the value starts at byte 8, column 5.
        #expect(pairs[0].key.span.start == SourcePosition(offset: 0, line: 1, column: 1))
        #expect(pairs[0].key.span.end == SourcePosition(offset: 6, line: 1, column: 3))
        #expect(pairs[0].value.span.start == SourcePosition(offset: 8, line: 1, column: 5))
        #expect(pairs[0].value.span.end == SourcePosition(offset: 20, line: 1, column: 9))
        #expect(pairs[1].key.span.start == SourcePosition(offset: 21, line: 2, column: 1))
    }

    @Test func emojiBeyondTheBMPIsOneScalarOfFourBytes() throws {
        let r = load("a: 🧾x\nb: 😀😀 y\n")
        let pairs = try #require(r.root?.mapping)
        #expect(pairs[0].value.span.start == SourcePosition(offset: 3, line: 1, column: 4))
        #expect(pairs[0].value.span.end == SourcePosition(offset: 8, line: 1, column: 6))
        #expect(pairs[1].value.scalar?.text == "😀😀 y")
        #expect(pairs[1].value.span.end == SourcePosition(offset: 22, line: 2, column: 8))
    }

    @Test func crlfLineEndings() throws {
        let r = load("a: 1\r\nb: 经\r\nc: 3\r\n")
        let pairs = try #require(r.root?.mapping)
        #expect(pairs[1].key.span.start == SourcePosition(offset: 6, line: 2, column: 1))
        #expect(pairs[1].value.span.start == SourcePosition(offset: 9, line: 2, column: 4))
        #expect(pairs[2].key.span.start == SourcePosition(offset: 14, line: 3, column: 1))
        #expect(pairs[2].value.scalar?.value == .int(3))
    }

    @Test func byteOrderMarkIsSkippedButCountedInOffsets() throws {
        let r = loadBytes([0xEF, 0xBB, 0xBF] + Array("甲: 1\n乙: 2\n".utf8))
        let pairs = try #require(r.root?.mapping)
        #expect(pairs[0].key.span.start == SourcePosition(offset: 3, line: 1, column: 1))
        #expect(pairs[0].value.span.start == SourcePosition(offset: 8, line: 1, column: 4))
        #expect(pairs[1].key.span.start == SourcePosition(offset: 10, line: 2, column: 1))
    }

    @Test func blockMappingEndsAtItsLastValue() throws {
        let r = load("outer:\n  a: 1\n  b: 22\n\n# trailing comment\nnext: 3\n")
        let outer = try #require(r.root?["outer"])
        #expect(outer.span.start.line == 2)
        #expect(outer.span.end == SourcePosition(offset: 21, line: 3, column: 8))
    }

    @Test func quotedScalarSpanIncludesQuotes() throws {
        let r = load("t: \"交接\\n审核\"\n")
        let v = try #require(r.root?["t"])
        #expect(v.scalar?.text == "交接\n审核")
        #expect(v.scalar?.style == .doubleQuoted)
        #expect(v.span.start.offset == 3)
        #expect(v.span.end.offset == 3 + 1 + 6 + 2 + 6 + 1)
    }
}

@Suite struct ScalarResolutionTests {
    func value(_ text: String) -> ScalarValue? {
        load("v: \(text)\n").root?["v"]?.scalar?.value
    }

    @Test func yaml11BooleansStayStrings() {
        for s in ["yes", "no", "on", "off", "Yes", "NO", "y", "n"] {
            #expect(value(s) == .string(s), "\(s)")
        }
        #expect(value("true") == .bool(true))
        #expect(value("False") == .bool(false))
        #expect(value("TRUE") == .bool(true))
    }

    @Test func numbers() {
        #expect(value("42") == .int(42))
        #expect(value("-17") == .int(-17))
        #expect(value("+5") == .int(5))
        #expect(value("0x1F") == .int(31))
        #expect(value("0o17") == .int(15))
        #expect(value("007") == .int(7))
        #expect(value("1.5") == .float(1.5))
        #expect(value("-.5") == .float(-0.5))
        #expect(value("1e3") == .float(1000))
        #expect(value("3.") == .float(3))
        #expect(value(".inf") == .float(.infinity))
        #expect(value("-.Inf") == .float(-.infinity))
        if case .float(let d) = value(".nan") { #expect(d.isNaN) } else { Issue.record("nan") }
        #expect(value("1_000") == .string("1_000"))
        #expect(value("0x") == .string("0x"))
        #expect(value("1.2.3") == .string("1.2.3"))
        #expect(value("e5") == .string("e5"))
        #expect(value("2026-03-01") == .string("2026-03-01"))
        #expect(value("3 working days") == .string("3 working days"))
    }

    @Test func nullForms() {
        #expect(value("~") == .null)
        #expect(value("null") == .null)
        #expect(value("NULL") == .null)
        #expect(value("") == .null)
        #expect(value("nil") == .string("nil"))
    }

    @Test func quotedScalarsAreAlwaysStrings() {
        #expect(value("'true'") == .string("true"))
        #expect(value("\"42\"") == .string("42"))
        #expect(value("'~'") == .string("~"))
    }

    @Test func blockScalarsKeepStyleAndText() throws {
        let r = load("a: |\n  第一行\n  第二行\nb: >\n  folded\n  text\n")
        #expect(r.root?["a"]?.scalar == YAMLScalar(text: "第一行\n第二行\n", style: .literal, value: .string("第一行\n第二行\n")))
        #expect(r.root?["b"]?.scalar?.style == .folded)
        #expect(r.root?["b"]?.scalar?.text == "folded text\n")
    }

    @Test func explicitCoreTags() {
        #expect(value("!!str 42") == .string("42"))
        #expect(value("!!float 3") == .float(3))
        #expect(value("! 12") == .string("12"))
        let bad = load("v: !!int ten\n")
        #expect(bad.diagnostics.map(\.code) == ["WFC1011"])
    }
}

@Suite struct LoaderErrorTests {
    @Test func duplicateKeysPointAtBoth() throws {
        let r = load("a: 1\nb: 2\na: 3\n")
        let d = try #require(r.diagnostics.first)
        #expect(d.code == "WFC1003")
        #expect(d.primary.span.start == 10)
        #expect(d.secondary.map(\.span.start) == [0])
        #expect(r.root != nil, "a recoverable error still yields the tree")
    }

    @Test func duplicateKeysInLargeMappingsAreFoundByValue() {
        var text = ""
        for i in 0..<200 { text += "k\(i): \(i)\n" }
        text += "k150: again\n0x10: a\n16: b\n"
        let r = load(text)
        #expect(r.diagnostics.map(\.code) == ["WFC1003", "WFC1003"])
    }

    @Test func billionLaughsIsRejectedQuicklyWithBoundedWork() throws {
        var lines = ["l0: &l0 [a, a, a, a, a, a, a, a, a, a]"]
        for i in 1...12 {
            lines.append("l\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 10).joined(separator: ", ") + "]")
        }
        let clock = ContinuousClock()
        let started = clock.now
        let r = load(lines.joined(separator: "\n"))
        let elapsed = clock.now - started
        #expect(r.diagnostics.map(\.code) == ["WFC1005"])
        #expect(r.root == nil)
        #expect(elapsed < .milliseconds(500), "took \(elapsed)")
    }

    @Test func aliasesWithinBudgetExpand() throws {
        let r = load("p: &p [handover, receiver]\nq: *p\n")
        #expect(r.diagnostics.isEmpty)
        #expect(r.root?["q"]?.sequence?.count == 2)
        #expect(r.root?["q"]?.span.start.line == 2, "an alias node is placed where the alias is written")
    }

    @Test func deepNestingIsRejectedWithoutRecursion() {
        let text = "a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let r = load(text)
        #expect(r.diagnostics.map(\.code) == ["WFC1007"])
        let shallow = load("a: [[[1]]]\n", limits: YAMLLimits(maxDepth: 3))
        #expect(shallow.diagnostics.map(\.code) == ["WFC1007"])
        #expect(load("a: [[1]]\n", limits: YAMLLimits(maxDepth: 3)).diagnostics.isEmpty)
    }

    @Test func fileSizeLimit() {
        let r = load("a: 1234567890\n", limits: YAMLLimits(maxFileBytes: 8))
        #expect(r.diagnostics.map(\.code) == ["WFC1008"])
    }

    @Test func invalidUTF8IsReportedAtTheByteWhereItStarts() throws {
        let r = loadBytes(Array("a: 甲".utf8) + [0xE7, 0x41] + Array("\n".utf8))
        let d = try #require(r.diagnostics.first)
        #expect(d.code == "WFC1002")
        #expect(d.primary.span.start == 6)
        #expect(d.primary.span.end == 7)
        // Overlong encodings and surrogates are invalid too.
        #expect(EncodingCheck.firstInvalidUTF8([0x61, 0xC0, 0x80])?.offset == 1)
        #expect(EncodingCheck.firstInvalidUTF8([0xED, 0xA0, 0x80])?.offset == 0)
        #expect(EncodingCheck.firstInvalidUTF8(Array("😀经".utf8)) == nil)
        #expect(EncodingCheck.firstInvalidUTF8([0xF0, 0x9F]) != nil)
    }

    @Test func documentsMustBeExactlyOne() {
        #expect(load("").diagnostics.map(\.code) == ["WFC1010"])
        #expect(load("# only a comment\n").diagnostics.map(\.code) == ["WFC1010"])
        #expect(load("---\n").diagnostics.map(\.code) == ["WFC1010"])
        #expect(load("a: 1\n---\nb: 2\n").diagnostics.map(\.code) == ["WFC1009"])
        #expect(load("--- a\n...\n").diagnostics.isEmpty)
    }

    @Test func keysCompareAsStrings() {
        #expect(load("a: {}\nb: []\nc: {x: 1}\nd: {ab: 1, abc: 2, b: 3}\n").diagnostics.isEmpty)
        // "é" precomposed and decomposed are equal strings: a duplicate, and found by subscript.
        #expect(load("\"caf\\u00E9\": 1\n\"cafe\\u0301\": 2\n").diagnostics.map(\.code) == ["WFC1003"])
        #expect(load("{\"e\\u0301\": 1, \"\\u00E9\": 2}").diagnostics.map(\.code) == ["WFC1003"])
        #expect(load("\"cafe\\u0301\": 1\n").root?["café"]?.scalar?.value == .int(1))
        // Resolved values collide: 0x10 and 16 are the same key; a string "16" is not.
        #expect(load("{0x10: a, 16: b}").diagnostics.map(\.code) == ["WFC1003"])
        #expect(load("{\"16\": a, 16: b}").diagnostics.isEmpty)
    }

    @Test func mergeKeysAreRejectedButAQuotedKeyIsFine() {
        #expect(load("a: &a {x: 1}\nb:\n  <<: *a\n").diagnostics.map(\.code) == ["WFC1006"])
        #expect(load("b:\n  '<<': 1\n").diagnostics.isEmpty)
    }

    @Test func syntaxErrorsCarryContextAndCause() throws {
        let r = load("a:\n  b: 1\n c: 2\n")
        let d = try #require(r.diagnostics.first)
        #expect(d.code == "WFC1001")
        #expect(!d.notes.isEmpty)
        #expect(d.help != nil)
        let tab = try #require(load("a:\n\tb: 1\n").diagnostics.first)
        #expect(tab.message.contains("tab"))
        #expect(tab.primary.span.start == 3)
    }

    @Test func hostileInputsNeverTrap() {
        let inputs: [[UInt8]] = [
            [0], [0xFF, 0xFE, 0x41, 0], Array("&a *a".utf8), Array("? [a, b]\n: c\n".utf8),
            Array("{a: [}".utf8), Array("!<tag:x> a".utf8), Array("%YAML 1.1\n--- a".utf8),
            Array("- - - - -".utf8), Array(repeating: 0x7B, count: 5000), Array("a: *".utf8),
            Array("\"\\x".utf8), Array("a: |\n\t".utf8),
        ]
        for bytes in inputs {
            let r = loadBytes(bytes)
            #expect(r.root != nil || !r.diagnostics.isEmpty)
        }
    }
}
