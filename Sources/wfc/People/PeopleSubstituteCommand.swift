import ArgumentParser
import WFCDriver

/// `wfc people substitute add|list|revoke`.
struct PeopleSubstitute: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "substitute",
        abstract: CLIText.abstract("people.substitute"),
        discussion: CLIText.discussion("people.substitute"),
        subcommands: [PeopleSubstituteAdd.self, PeopleSubstituteList.self, PeopleSubstituteRevoke.self]
    )
}
