import ArgumentParser

struct CaseList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List cases.")

    @Option(help: ArgumentHelp("Only cases of this workflow id.", valueName: "workflow"))
    var workflow: String?

    @Option(help: ArgumentHelp("Only cases with this state active.", valueName: "state"))
    var state: String?

    @Flag(help: "Only running cases with a deadline that has passed.")
    var overdue = false

    @Option(help: ArgumentHelp("The time for --overdue (default: the clock): RFC 3339, or without a UTC offset (a date means 09:00) read in this machine's time zone; the time used is then shown.", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func run() async throws {
        try finish(await options.commands.list(workflow: workflow, state: state, overdue: overdue, now: now))
    }
}
