import ArgumentParser

struct CaseHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Print a case's audit trail: every event, refused attempts included, with its hash.")

    @Argument(help: ArgumentHelp("The case id.", valueName: "id"))
    var id: String

    @OptionGroup var options: CaseOptions

    func run() async throws {
        try finish(await options.commands.history(id: id))
    }
}
