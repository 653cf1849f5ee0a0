import ArgumentParser

struct CaseShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a case: active states, open tasks and who may act, signatures, deadlines, checklists.")

    @Argument(help: ArgumentHelp("The case id.", valueName: "id"))
    var id: String

    @Option(help: ArgumentHelp("The time deadlines are counted from (default: the clock): RFC 3339, or without a UTC offset (a date means 09:00) read in the workflow calendar's time zone, UTC when the workflow has none; the time used is then shown.", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func run() async throws {
        try finish(await options.commands.show(id: id, now: now))
    }
}
