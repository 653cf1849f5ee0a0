import ArgumentParser
import Foundation
import WFCCompiler
import WFCDiagnostics
import WFCDiff
import WFCDriver

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two versions of a policy by meaning, with each change's impact on running cases.",
        discussion: """
            Compiles both files and compares their typed state graphs: states, events, guards, \
            requirements, roles, separations, fields, deadlines, sign-offs, guarantees, round limits, \
            clauses and titles. Each change is shown on the new file's line (a removal on the old \
            file's) with its impact on running cases: none, needs a mapping, or unsafe \
            (docs/versions.md). Layout and comments are not changes.
            Exit 0 when nothing changed that affects running cases, 1 otherwise (or when a file \
            has errors). One of the files may be - (standard input): \
            `git show main:workflows/x.yaml | wfc diff - workflows/x.yaml`.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case human, json, markdown, github, sarif
    }

    @Argument(help: ArgumentHelp("The old version; - reads standard input.", valueName: "old"))
    var old: String

    @Argument(help: ArgumentHelp("The new version; - reads standard input.", valueName: "new"))
    var new: String

    @Option(help: "human (changes with carets, in the --lang language), json (one document), markdown (for a pull request), github (annotations) or sarif.")
    var format: Format = .human

    @Option(help: ArgumentHelp("Colour: auto, always or never.", valueName: "when"))
    var color: OutputOptions.ColorMode = .auto

    @OptionGroup var language: LanguageOption

    @OptionGroup var input: InputOptions

    func validate() throws {
        if old == FileDiscovery.stdinPath && new == FileDiscovery.stdinPath {
            throw ValidationError("only one of the two files can be standard input")
        }
    }

    func run() throws {
        let useColor = DiagnosticOutput.shouldColor(color.rawValue, isTerminal: isatty(STDOUT_FILENO) != 0,
                                                    environment: ProcessInfo.processInfo.environment)
        let lang = language.resolve()
        let before = try Compilation.compile(old, input.settings)
        let after = try Compilation.compile(new, input.settings)
        var failed = false
        for r in [before, after] {
            try Compilation.report(r, DiagnosticOutput(format: .human, useColor: useColor, language: lang), toStderr: true)
            if r.isFragment {
                warn("wfc: \(r.sources.first?.path ?? "a file") is a fragment, not a workflow")
                failed = true
            } else if r.ir == nil {
                failed = true
            }
        }
        guard !failed, let oldIR = before.ir, let newIR = after.ir else {
            throw CommandFailure(.diagnostics, "fix the errors above first")
        }
        let report = DiffReport(oldPath: old, newPath: new, old: oldIR, new: newIR)
        let paths = DiffReport.displayPaths(old: before.sources.map(\.path), new: after.sources.map(\.path))
        let sources = SourceMap(before.sources + after.sources)
        switch format {
        case .json:
            emit(report.json(file: paths, language: lang))
        case .markdown:
            emit(report.markdown(file: paths, language: lang))
        case .human, .github, .sarif:
            let diagnostics = report.changes.map { $0.diagnostic(file: paths) }
            let output = DiagnosticOutput(format: format == .human ? .human : format == .github ? .github : .sarif, useColor: useColor, language: lang)
            emit(output.render(diagnostics, sources: sources))
            if format == .human { emit(report.summary(in: lang) + "\n") }
        }
        if report.affectsCases { throw CommandFailure(.diagnostics, "") }
    }
}
