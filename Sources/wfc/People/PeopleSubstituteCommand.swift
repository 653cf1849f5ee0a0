import ArgumentParser

/// `wfc people substitute add|list|revoke`.
struct PeopleSubstitute: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "substitute",
        abstract: "Name, list and revoke substitutes (代理, out-of-office, 离职代理).",
        discussion: """
            While a substitution lasts, the tasks open to the person are open to the substitute as \
            well (`wfc case fire … --as SUBSTITUTE --for PERSON`), except in roles the policy \
            declares `substitutes: false`; the audit log records who acted for whom. A person has \
            one substitute at a time.

            EXIT CODES:
              0  done
              1  the range overlaps a substitution the person has (WFC7025)
              2  usage error: a bad range (WFC9014), person or substitute (WFC7027),
                 an unknown substitution id (WFC7026)
              3  the store could not be opened, read or written
            """,
        subcommands: [PeopleSubstituteAdd.self, PeopleSubstituteList.self, PeopleSubstituteRevoke.self]
    )
}
