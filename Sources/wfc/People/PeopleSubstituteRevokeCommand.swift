import ArgumentParser
import WFCDriver

struct PeopleSubstituteRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: CLIText.abstract("people.substitute.revoke"))

    @Argument(help: .text("people.substitute.revoke.person", valueName: "person"))
    var person: String

    @Argument(help: .text("people.substitute.revoke.id", valueName: "id"))
    var id: String

    @Option(name: .customLong("as"), help: .text("people.substitute.revoke.as", valueName: "person"))
    var actor: String?

    @Option(help: .text("people.substitute.revoke.now", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func run() async throws {
        try finish(await options.commands.substituteRevoke(person: person, id: id, by: actor, now: now))
    }
}
