import ArgumentParser

struct CaseTick: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tick",
        abstract: "Fire what is overdue in every running case (escalations, overdue transitions, waits).")

    @Option(help: ArgumentHelp("The time (default: the clock): RFC 3339, or without a UTC offset (a date means 09:00) read in this machine's time zone; the time used is then shown.", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func run() async throws {
        try finish(await options.commands.tick(now: now))
    }
}
