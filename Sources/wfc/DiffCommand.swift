import ArgumentParser
import Foundation
import WFCCompiler
import WFCDiagnostics
import WFCDiff
import WFCDriver

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: CLIText.abstract("diff"),
        discussion: CLIText.discussion("diff"))

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case human, json, markdown, github, sarif
    }

    @Argument(help: .text("diff.old", valueName: "old"))
    var old: String

    @Argument(help: .text("diff.new", valueName: "new"))
    var new: String

    @Option(help: .text("diff.format"))
    var format: Format = .human

    @Option(help: .text("common.color", valueName: "when"))
    var color: OutputOptions.ColorMode = .auto

    @OptionGroup var language: LanguageOption

    @OptionGroup var input: InputOptions

    func validate() throws {
        if old == FileDiscovery.stdinPath && new == FileDiscovery.stdinPath {
            throw ValidationError(CLIText.t("usage.one-stdin"))
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
                warn("wfc: " + CLIText.t("note.fragment", ["file": r.sources.first?.path ?? CLIText.t("diff.a-file")]))
                failed = true
            } else if r.ir == nil {
                failed = true
            }
        }
        guard !failed, let oldIR = before.ir, let newIR = after.ir else {
            throw CommandFailure(.diagnostics, CLIText.t("failure.fix-errors-first"))
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
