import ArgumentParser
import Foundation
import WFCDriver

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the scenario tests of workflows (NAME.test.yaml next to NAME.yaml).",
        discussion: """
            Each scenario starts a case in memory, runs its steps through the same runtime as \
            `wfc case`, and checks its expectations. Prints one line per scenario, then \
            `N passed, N failed`. Exit status 0 when every scenario passed, 1 otherwise. \
            See docs/testing.md.
            """)

    @Argument(help: ArgumentHelp("Scenario files, workflow files (their NAME.test.yaml) or directories.", valueName: "path"))
    var paths: [String]

    @Flag(help: "List, per workflow, the states and transitions that no scenario exercised.")
    var coverage = false

    @OptionGroup var output: OutputOptions

    @OptionGroup var input: InputOptions

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file or directory, e.g. `wfc test workflows`") }
    }

    func run() throws {
        BatchMemory.keepFreedMemory()
        let files = try ScenarioSuite.discover(paths, root: input.root)
        if files.isEmpty { throw CommandFailure(.usage, "no scenario files (*.test.yaml) under \(paths.joined(separator: " "))") }
        let report = ScenarioSuite.run(files, input: input.settings)
        emit(report.render(output.output, coverage: coverage))
        if report.exitStatus != .clean { throw CommandFailure(report.exitStatus, "") }
    }
}
