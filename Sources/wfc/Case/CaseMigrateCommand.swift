import ArgumentParser

struct CaseMigrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move running cases to a new version of their policy by a migration plan.",
        discussion: """
            The plan (NAME.migrate.yaml, docs/versions.md) names the old and new policy files and maps \
            states, values, people, deadlines and signatures; it is proved first, as `wfc check` does. \
            Each migrated case gets ONE `migrate` step in its audit log (both definition hashes and the \
            plan's hash), and `wfc case verify` replays across it. A case the plan cannot move is \
            listed as refused and stays on its version. Exit 0 when every case was (or would be) \
            migrated, 1 when one was refused or the plan has errors, 2 for usage errors.
            """)

    @Argument(help: ArgumentHelp("The cases to migrate (or --all-of).", valueName: "id"))
    var ids: [String] = []

    @Option(help: ArgumentHelp("The migration plan file.", valueName: "file"))
    var plan: String

    @Option(help: ArgumentHelp("The content hash the plan's `to:` must compile to (a check).", valueName: "hash"))
    var to: String?

    @Option(name: .customLong("all-of"), help: ArgumentHelp("Every running case of the definition with this content hash (the plan's `from:`).", valueName: "hash"))
    var allOf: String?

    @Flag(name: .customLong("dry-run"), help: "Report per case whether it would be migrated or refused, and why; write nothing.")
    var dryRun = false

    @Option(name: .customLong("as"), help: ArgumentHelp("Who migrates (recorded in the audit log).", valueName: "person"))
    var actor: String?

    @Option(help: ArgumentHelp("The time (default: the clock): RFC 3339, or without a UTC offset (a date means 09:00) read in the new workflow calendar's time zone.", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    @OptionGroup var input: InputOptions

    func run() async throws {
        try finish(await options.commands.migrate(ids: ids, allOf: allOf, plan: plan, to: to, dryRun: dryRun, now: now, actor: actor, input: input.settings))
    }
}
