import ArgumentParser
import WFCDriver

struct CaseStart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: CLIText.abstract("case.start"),
        discussion: CLIText.discussion("case.start"))

    @Argument(help: .text("common.workflow-file", valueName: "workflow"))
    var workflow: String

    @Option(help: .text("case.start.data", valueName: "file"))
    var data: String

    @Option(help: .text("case.start.id", valueName: "id"))
    var id: String?

    @Option(name: .customLong("as"), help: .text("case.start.as", valueName: "person"))
    var actor: String?

    @Option(help: .text("case.start.now", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    @OptionGroup var input: InputOptions

    func run() async throws {
        try finish(await options.commands.start(workflow: workflow, dataFile: data, id: id, now: now, actor: actor, input: input.settings))
    }
}
