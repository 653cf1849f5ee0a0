import ArgumentParser

struct CaseHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Print a case's audit trail: every event, refused attempts included, with its hash.")

    @Argument(help: ArgumentHelp("The case id.", valueName: "id"))
    var id: String

    @OptionGroup var options: CaseOptions

    func run() throws {
        try finish(options.commands.history(id: id))
    }
}
