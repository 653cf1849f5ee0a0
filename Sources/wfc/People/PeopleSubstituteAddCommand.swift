import ArgumentParser

struct PeopleSubstituteAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Name a substitute for a person, for a range of dates or times.",
        discussion: "A date (2025-10-01) is a whole day in China Standard Time, the --until day included; an RFC 3339 time (2025-10-01T09:00:00+08:00) is exact, --until excluded. Prints the substitution's id.")

    @Argument(help: ArgumentHelp("The person who is away.", valueName: "person"))
    var person: String

    @Argument(help: ArgumentHelp("The person who stands in for them.", valueName: "substitute"))
    var substitute: String

    @Option(help: ArgumentHelp("The first day (or time) it applies.", valueName: "date-or-time"))
    var from: String

    @Option(help: ArgumentHelp("The last day it applies (or the time it ends).", valueName: "date-or-time"))
    var until: String

    @Option(help: ArgumentHelp("Why (shown in lists), e.g. 年假 or 离职交接.", valueName: "text"))
    var reason: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("Who names the substitute (default: the person).", valueName: "person"))
    var actor: String?

    @Option(help: ArgumentHelp("The time (default: the clock): RFC 3339, or a date (09:00 China Standard Time).", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func run() async throws {
        try finish(await options.commands.substituteAdd(person: person, substitute: substitute, from: from, until: until, reason: reason, by: actor, now: now))
    }
}
