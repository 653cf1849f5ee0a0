import ArgumentParser
import WFCDriver

struct CaseList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: CLIText.abstract("case.list"))

    @Option(help: .text("case.list.workflow", valueName: "workflow"))
    var workflow: String?

    @Option(help: .text("case.list.state", valueName: "state"))
    var state: String?

    @Flag(help: .text("case.list.overdue"))
    var overdue = false

    @Option(help: .text("case.list.now", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func run() async throws {
        try finish(await options.commands.list(workflow: workflow, state: state, overdue: overdue, now: now))
    }
}
