import Testing
@testable import WFCDiagnostics

@Suite struct SourceFileTests {
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
}
