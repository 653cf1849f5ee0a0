import ArgumentParser

struct CaseTick: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tick",
        abstract: "Fire what is overdue in every running case (escalations, overdue transitions, waits).")

    @Option(help: ArgumentHelp("The time (default: now; a date means 09:00 local time).", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func run() throws {
        try finish(options.commands.tick(now: now))
    }
}
