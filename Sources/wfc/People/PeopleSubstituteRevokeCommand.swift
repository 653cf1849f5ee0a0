import ArgumentParser

struct PeopleSubstituteRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "End a person's substitution now (it applies no more from then on).")

    @Argument(help: ArgumentHelp("The person the substitution belongs to.", valueName: "person"))
    var person: String

    @Argument(help: ArgumentHelp("The substitution id (`sub-…`, from add or list).", valueName: "id"))
    var id: String

    @Option(name: .customLong("as"), help: ArgumentHelp("Who revokes it (default: the person).", valueName: "person"))
    var actor: String?

    @Option(help: ArgumentHelp("The time (default: the clock).", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func run() async throws {
        try finish(await options.commands.substituteRevoke(person: person, id: id, by: actor, now: now))
    }
}
