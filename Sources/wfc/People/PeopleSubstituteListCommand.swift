import ArgumentParser

struct PeopleSubstituteList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List a person's substitutes (or, with --named, those naming them as substitute).")

    @Argument(help: ArgumentHelp("The person.", valueName: "person"))
    var person: String

    @Flag(help: "List the substitutions naming the person as substitute instead.")
    var named = false

    @Flag(help: "Include revoked substitutions.")
    var all = false

    @Option(help: ArgumentHelp("The time the STATUS column is read at (default: the clock).", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func run() async throws {
        try finish(await options.commands.substituteList(person: person, asSubstitute: named, all: all, now: now))
    }
}
