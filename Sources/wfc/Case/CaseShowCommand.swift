import ArgumentParser

struct CaseShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a case: active states, open tasks and who may act, signatures, deadlines, checklists.")

    @Argument(help: ArgumentHelp("The case id.", valueName: "id"))
    var id: String

    @Option(help: ArgumentHelp("The time deadlines are counted from (default: now).", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func run() throws {
        try finish(options.commands.show(id: id, now: now))
    }
}
