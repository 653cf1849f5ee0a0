import ArgumentParser
import Foundation
import WFCDriver

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: CLIText.abstract("run"),
        discussion: CLIText.discussion("run"))

    @Argument(help: .text("common.workflow-file", valueName: "workflow"))
    var workflow: String

    @Option(help: .text("run.data", valueName: "file"))
    var data: String

    @Option(help: .text("run.events", valueName: "file"))
    var events: String

    @OptionGroup var output: OutputOptions

    @OptionGroup var input: InputOptions

    func run() throws {
        let outcome = try ScriptedRun.run(workflow: workflow, caseFile: data, eventsFile: events, input: input.settings)
        emit(outcome.render(output.output))
        if !outcome.diagnostics.isEmpty || outcome.refused > 0 { throw CommandFailure(.diagnostics, "") }
    }
}
