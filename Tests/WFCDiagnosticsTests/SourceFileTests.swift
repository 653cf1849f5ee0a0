import Foundation
import Testing
@testable import WFCDiagnostics

@Suite struct SourceFileTests {
    @Test func lineColumnWithAHintAgreesWithTheSearch() {
        let f = SourceFile(path: "h.yaml", text: "a: 1\n交接人: 张三\n\n  - x\r\nlast line without newline")
        let offsets = Array(0...f.bytes.count)
        // In file order, backwards, and jumping about: the hint only changes how fast.
        for order in [offsets, offsets.reversed(), offsets.enumerated().map { offsets[($0.offset * 7) % offsets.count] }] {
            var hint = 0
            for o in order {
                #expect(f.lineColumn(of: o, hint: &hint) == f.lineColumn(of: o), "offset \(o)")
            }
        }
        var wild = 1_000
        #expect(f.lineColumn(of: 3, hint: &wild) == f.lineColumn(of: 3))
    }

    @Test func lineColumnCountsScalarsNotBytes() {
        let f = SourceFile(path: "f", text: "经理审批: x\n😀y\r\nz\rw")
        #expect(f.lineColumn(of: 0) == LineColumn(line: 1, column: 1))
        #expect(f.lineColumn(of: 12) == LineColumn(line: 1, column: 5))
        #expect(f.lineColumn(of: 4) == LineColumn(line: 1, column: 2), "inside 理's bytes maps to 理")
        #expect(f.lineColumn(of: 17) == LineColumn(line: 2, column: 1), "inside 😀 maps to 😀")
        #expect(f.lineColumn(of: 20) == LineColumn(line: 2, column: 2))
        #expect(f.lineColumn(of: 23) == LineColumn(line: 3, column: 1))
        #expect(f.lineColumn(of: 25) == LineColumn(line: 4, column: 1), "a lone CR ends a line")
        #expect(f.lineText(1) == "😀y")
        #expect(f.offset(of: LineColumn(line: 1, column: 5)) == 12)
    }

    @Test func bomIsNotAColumn() {
        let f = SourceFile(path: "f", bytes: [0xEF, 0xBB, 0xBF] + Array("ab".utf8))
        #expect(f.lineColumn(of: 3) == LineColumn(line: 1, column: 1))
        #expect(f.lineColumn(of: 4) == LineColumn(line: 1, column: 2))
        #expect(f.lineText(0) == "ab")
    }

    @Test func terminalWidths() {
        #expect(TerminalWidth.cells("a") == 1)
        #expect(TerminalWidth.cells("经") == 2)
        #expect(TerminalWidth.cells("：") == 2, "fullwidth colon")
        #expect(TerminalWidth.cells("😀") == 2)
        #expect(TerminalWidth.cells("\u{301}") == 0, "combining acute accent")
        #expect(TerminalWidth.cells("经理审批") == 8)
        #expect(TerminalWidth.cells("a\tb") == 6)
    }
}

@Suite struct RendererTests {
    let file = SourceFile(path: "w.yaml", text: "title: 经理审批: 交接\n\tx: 1\n")

    func diag(_ start: Int, _ end: Int, secondary: [Label] = []) -> Diagnostic {
        Diagnostic(severity: .error, code: "WFC1001", message: "unexpected `:` here",
                   primary: Label(SourceSpan(file: "w.yaml", start: start, end: end), "here"),
                   secondary: secondary, notes: ["a note"], help: "quote it")
    }

    @Test func caretLandsUnderTheColonAfterChineseText() {
        // "title: 经理审批" is 7 + 12 bytes; the colon is at byte 19, shown at cell 15.
        let out = HumanRenderer().render(diag(19, 20), sources: SourceMap([file]))
        #expect(out == """
            w.yaml:1:12: error[WFC1001]: unexpected `:` here
               |
             1 | title: 经理审批: 交接
               |                ^ here
               = note: a note
               = help: quote it

            """)
    }

    @Test func tabsAreExpandedUnderTheCaret() {
        let out = HumanRenderer().render(diag(29, 30), sources: SourceMap([file]))
        #expect(out.contains(" 2 |     x: 1\n   |     ^ here\n"))
    }

    @Test func colourOnlyWhenAsked() {
        let plain = HumanRenderer(useColor: false).render(diag(0, 5), sources: SourceMap([file]))
        let coloured = HumanRenderer(useColor: true).render(diag(0, 5), sources: SourceMap([file]))
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[1;31m"))
    }

    @Test func githubEscaping() {
        let g = GitHubRenderer()
        #expect(g.escapeData("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e")
        #expect(g.escapeProperty("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce")
        let out = g.render([diag(19, 20)], sources: SourceMap([file]))
        #expect(out.hasPrefix("::error file=w.yaml,line=1,col=12,endLine=1,endColumn=12,title=WFC1001%3A unexpected `%3A` here::unexpected `:` here (here)%0Anote: a note%0Ahelp: quote it\n"))
    }

    /// A failure about no file (a case store): the severity and code start the line, then the
    /// notes and help; the machine formats leave the location out.
    let unlocated = Diagnostic(severity: .error, code: "WFC7001", message: "no case `C-10O` in the store",
                               primary: Label(.unlocated), notes: ["store: s.sqlite"], help: "did you mean `C-100`?")

    @Test func aDiagnosticWithoutAFileHasNoLocation() {
        let human = HumanRenderer().render(unlocated, sources: SourceMap([]))
        #expect(human == """
            error[WFC7001]: no case `C-10O` in the store
               = note: store: s.sqlite
               = help: did you mean `C-100`?

            """)
        let json = JSONLinesRenderer().render([unlocated], sources: SourceMap([]))
        #expect(json == #"{"code":"WFC7001","fixes":[],"help":"did you mean `C-100`?","message":"no case `C-10O` in the store","notes":["store: s.sqlite"],"related":[],"severity":"error"}"# + "\n")
        let github = GitHubRenderer().render([unlocated], sources: SourceMap([]))
        #expect(github == "::error title=WFC7001%3A no case `C-10O` in the store::no case `C-10O` in the store%0Anote: store: s.sqlite%0Ahelp: did you mean `C-100`?\n")
        let sarif = SARIFRenderer(toolVersion: "0", informationURI: "x", workingDirectory: "/w", registry: DiagnosticRegistry()).render([unlocated], sources: SourceMap([]))
        let log = try? JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any]
        let result = ((log?["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])?.first
        #expect((result?["locations"] as? [Any])?.isEmpty == true, "\(sarif)")
    }

    /// A diagnostic about a file whose text is not at hand (WFC0001) still names the file.
    @Test func aFileWithoutItsTextIsStillNamed() {
        let d = Diagnostic(severity: .error, code: "WFC0001", message: "permission denied", primary: Label(.point("w.yaml", 0)))
        #expect(HumanRenderer().render(d, sources: SourceMap([])) == "w.yaml: error[WFC0001]: permission denied\n")
        #expect(JSONLinesRenderer().render([d], sources: SourceMap([])).contains(#""file":"w.yaml","#))
    }
}
