import ArgumentParser

/// `wfc people …`: facts about people kept in the store, outside any case.
struct People: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people",
        abstract: "Manage people's substitutes (代理) in a store.",
        discussion: """
            The store is --store PATH, else $WFC_STORE, else ./.wfc/store.sqlite, as for `wfc case`. \
            See docs/cli.md ("wfc people substitute") and docs/language.md ("Substitutes").
            """,
        subcommands: [PeopleSubstitute.self]
    )
}
