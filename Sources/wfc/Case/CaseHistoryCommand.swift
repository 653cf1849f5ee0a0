import ArgumentParser
import WFCDriver

struct CaseHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: CLIText.abstract("case.history"))

    @Argument(help: .text("common.case-id", valueName: "id"))
    var id: String

    @OptionGroup var options: CaseOptions

    func run() async throws {
        try finish(await options.commands.history(id: id))
    }
}
