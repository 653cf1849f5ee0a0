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

    @Flag(help: "Also report states and rules traced to no clause (WFC5040), and treat warnings as errors (exit 1 when there are any).")
    var strict = false

    @Option(help: "Largest file accepted, in bytes.")
    var maxFileBytes = YAMLLimits.defaultMaxFileBytes

    @Option(help: "Deepest nesting of lists and mappings.")
    var maxDepth = YAMLLimits.defaultMaxDepth

    @Option(help: "Nodes that YAML aliases may add in total.")
    var maxAliasNodes = YAMLLimits.defaultMaxAliasNodes

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file or directory, e.g. `wfc check workflows`") }
        if maxFileBytes < 1 || maxDepth < 1 || maxAliasNodes < 0 {
            throw ValidationError("limits must be positive")
        }
    }

    func run() throws {
        BatchMemory.keepFreedMemory()
        let files = try FileDiscovery.expand(paths)
        let runner = CheckRunner.standard(limits: YAMLLimits(
            maxFileBytes: maxFileBytes, maxDepth: maxDepth, maxAliasNodes: maxAliasNodes), strict: strict)
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
