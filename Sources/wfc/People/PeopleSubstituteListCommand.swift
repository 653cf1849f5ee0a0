import ArgumentParser
import WFCDriver

struct PeopleSubstituteList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: CLIText.abstract("people.substitute.list"))

    @Argument(help: .text("people.substitute.list.person", valueName: "person"))
    var person: String

    @Flag(help: .text("people.substitute.list.named"))
    var named = false

    @Flag(help: .text("people.substitute.list.all"))
    var all = false

    @Option(help: .text("people.substitute.list.now", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func run() async throws {
        try finish(await options.commands.substituteList(person: person, asSubstitute: named, all: all, now: now))
    }
}
