import ArgumentParser
import Foundation
import WFCDiagnostics
import WFCDriver
import WFCIR
import WFCYAML

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: CLIText.abstract("check"),
        discussion: CLIText.discussion("check"))

    @Argument(help: .text("check.paths", valueName: "path"))
    var paths: [String]

    @OptionGroup var output: OutputOptions

    @Flag(help: .text("check.strict"))
    var strict = false

    @Option(help: .text("check.today", valueName: "YYYY-MM-DD"))
    var today: String?

    @OptionGroup var input: InputOptions

    @Option(help: .text("check.config", valueName: "file"))
    var config: String?

    @Flag(help: .text("check.no-config"))
    var noConfig = false

    @Flag(help: .text("check.show-suppressed"))
    var showSuppressed = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError(CLIText.t("usage.give-paths")) }
        if let today, CalendarDate(parsing: today) == nil {
            throw ValidationError(CLIText.t("usage.today", ["today": today]))
        }
        if config != nil && noConfig { throw ValidationError(CLIText.t("usage.config-and-no-config")) }
        if let config, !FileManager.default.fileExists(atPath: config) {
            throw ValidationError(CLIText.t("usage.no-config-file", ["file": config]))
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
