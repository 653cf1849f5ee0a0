import ArgumentParser
import WFCDriver

/// `wfc people …`: facts about people kept in the store, outside any case.
struct People: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people",
        abstract: CLIText.abstract("people"),
        discussion: CLIText.discussion("people"),
        subcommands: [PeopleSubstitute.self]
    )
}
