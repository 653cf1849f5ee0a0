import ArgumentParser
import WFCDriver

struct CaseShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: CLIText.abstract("case.show"))

    @Argument(help: .text("common.case-id", valueName: "id"))
    var id: String

    @Option(help: .text("case.show.now", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func run() async throws {
        try finish(await options.commands.show(id: id, now: now))
    }
}
