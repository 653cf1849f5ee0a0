import ArgumentParser
import Foundation
import WFCDriver

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workflow in memory on a case file and a list of events, and print the trace.",
        discussion: """
            For trying a policy out: nothing is stored. The case file has `people:` (role: person), \
            `data:` and an optional `start:` time; the events file is a list of steps written as in \
            scenario files (`- fire: submit` with `as: zhang.san`, `after: 3 working days`, `tick:`). \
            A refused event is reported with the policy line and the run goes on. Exit status 1 when \
            any step was refused.
            """)

    @Argument(help: ArgumentHelp("The workflow file.", valueName: "workflow"))
    var workflow: String

    @Option(help: ArgumentHelp("The case file: people, data and start time (YAML or JSON).", valueName: "file"))
    var data: String

    @Option(help: ArgumentHelp("The events file: a list of steps (YAML or JSON).", valueName: "file"))
    var events: String

    @OptionGroup var output: OutputOptions

    @OptionGroup var input: InputOptions

    func run() throws {
        let outcome = try ScriptedRun.run(workflow: workflow, caseFile: data, eventsFile: events, input: input.settings)
        emit(outcome.render(output.output))
        if !outcome.diagnostics.isEmpty || outcome.refused > 0 { throw CommandFailure(.diagnostics, "") }
    }
}
