import ArgumentParser
import Foundation
import WFCDriver

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: CLIText.abstract("test"),
        discussion: CLIText.discussion("test"))

    @Argument(help: .text("test.paths", valueName: "path"))
    var paths: [String]

    @Flag(help: .text("test.coverage"))
    var coverage = false

    @OptionGroup var output: OutputOptions

    @OptionGroup var input: InputOptions

    func validate() throws {
        if paths.isEmpty { throw ValidationError(CLIText.t("usage.give-test-paths")) }
    }

    func run() throws {
        BatchMemory.keepFreedMemory()
        let files = try ScenarioSuite.discover(paths, root: input.root)
        if files.isEmpty { throw CommandFailure(.usage, CLIText.t("failure.no-scenarios", ["paths": paths.joined(separator: " ")])) }
        let report = ScenarioSuite.run(files, input: input.settings)
        emit(report.render(output.output, coverage: coverage))
        if report.exitStatus != .clean { throw CommandFailure(report.exitStatus, "") }
    }
}
