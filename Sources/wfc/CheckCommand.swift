import ArgumentParser
import Foundation
import WFCDiagnostics
import WFCDriver
import WFCYAML

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check workflow files and report every problem.",
        discussion: """
            Directories are searched recursively for *.yaml and *.yml files. Use - to read \
            standard input. Files are checked in parallel; output is sorted by file and position.
            """)

    @Argument(help: ArgumentHelp("Files or directories to check; - reads standard input.", valueName: "path"))
    var paths: [String]

    @OptionGroup var output: OutputOptions

    @Flag(help: "Treat warnings as errors (exit 1 when there are any).")
    var strict = false

    @OptionGroup var input: InputOptions

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file or directory, e.g. `wfc check workflows`") }
    }

    func run() throws {
        BatchMemory.keepFreedMemory()
        let files = try FileDiscovery.expand(paths, root: input.root)
        let runner = CheckRunner.standard(input.settings)
        let report = runner.check(paths: files)
        let out = output.output
        let diagnostics = report.diagnostics
        // The source map (every file by path) is only needed to show a diagnostic.
        emit(out.render(diagnostics, sources: diagnostics.isEmpty ? SourceMap() : report.sources))
        if out.format == .human {
            if !diagnostics.isEmpty { emit("\n") }
            warn(report.summary)
        }
        let status = report.exitStatus(strict: strict)
        // Exit here: freeing every file's report one by one would only delay the exit.
        Foundation.exit(status.rawValue)
    }
}
