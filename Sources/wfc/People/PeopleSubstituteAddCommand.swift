import ArgumentParser
import WFCDriver

struct PeopleSubstituteAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: CLIText.abstract("people.substitute.add"),
        discussion: CLIText.discussion("people.substitute.add"))

    @Argument(help: .text("people.substitute.add.person", valueName: "person"))
    var person: String

    @Argument(help: .text("people.substitute.add.substitute", valueName: "substitute"))
    var substitute: String

    @Option(help: .text("people.substitute.add.from", valueName: "date-or-time"))
    var from: String

    @Option(help: .text("people.substitute.add.until", valueName: "date-or-time"))
    var until: String

    @Option(help: .text("people.substitute.add.reason", valueName: "text"))
    var reason: String?

    @Option(name: .customLong("as"), help: .text("people.substitute.add.as", valueName: "person"))
    var actor: String?

    @Option(help: .text("people.substitute.add.now", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func run() async throws {
        try finish(await options.commands.substituteAdd(person: person, substitute: substitute, from: from, until: until, reason: reason, by: actor, now: now))
    }
}
