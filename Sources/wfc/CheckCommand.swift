import ArgumentParser
import Foundation
import WFCDiagnostics
import WFCDriver
import WFCIR
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

    @Option(help: ArgumentHelp("The date from which calendar data ending within 60 days is warned about (WFC3021); default: today.", valueName: "YYYY-MM-DD"))
    var today: String?

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("Use this configuration for every file instead of the .wfc.yaml found from each file upwards.", valueName: "file"))
    var config: String?

    @Flag(help: "Read no .wfc.yaml (inline # wfc-ignore: comments still apply).")
    var noConfig = false

    @Flag(help: "Also list what ignores and the configuration suppressed, and why (SARIF: as suppressed results).")
    var showSuppressed = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file or directory, e.g. `wfc check workflows`") }
        if let today, CalendarDate(parsing: today) == nil {
            throw ValidationError("--today must be a date written YYYY-MM-DD, not '\(today)'")
        }
        if config != nil && noConfig { throw ValidationError("--config and --no-config cannot be used together") }
        if let config, !FileManager.default.fileExists(atPath: config) {
            throw ValidationError("--config \(config): no such file")
        }
    }

    func run() throws {
        BatchMemory.keepFreedMemory()
        let files = try FileDiscovery.expand(paths, root: input.root)
        // Noon UTC of --today: the same local date in every zone a calendar uses (UTC−11…+11).
        let asOf = today.flatMap(CalendarDate.init(parsing:)).map { Date(timeIntervalSince1970: Double($0.daysSinceEpoch) * 86_400 + 43_200) } ?? Date()
        let choice: ConfigurationChoice = noConfig ? .none : config.map { .file($0) } ?? .discover
        let runner = CheckRunner.standard(input.settings, strict: strict, calendarWarningsAsOf: asOf, configuration: choice)
        let report = runner.check(paths: files)
        let out = output.output(configuredLanguage: report.configuredLanguage)
        let diagnostics = report.diagnostics(showSuppressed: showSuppressed)
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
