import ArgumentParser
import WFCDriver

struct CaseMigrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move running cases to a new version of their policy by a migration plan.",
        discussion: """
            The plan (NAME.migrate.yaml, docs/versions.md) names the old and new policy files and maps \
            states, values, people, deadlines and signatures; it is proved first, as `wfc check` does. \
            Each migrated case gets ONE `migrate` step in its audit log (both definition hashes and the \
            plan's hash), and `wfc case verify` replays across it. Without a plan file, give the \
            plan as options: `--old OLD.yaml --new NEW.yaml --state review=manager_review \
            --value 'witness_needed=case.key_post' --person witness=hr.zhao --deadlines keep`; it is \
            proved and applied as the same plan in a file would be. A case the plan cannot move is \
            listed as refused and stays on its version. Exit 0 when every case was (or would be) \
            migrated, 1 when one was refused or the plan has errors, 2 for usage errors.
            """)

    @Argument(help: ArgumentHelp("The cases to migrate (or --all-of).", valueName: "id"))
    var ids: [String] = []

    @Option(help: ArgumentHelp("The migration plan file (or give the plan with --old, --new and the options below).", valueName: "file"))
    var plan: String?

    @Option(help: ArgumentHelp("Without --plan: the old version's policy file.", valueName: "file"))
    var old: String?

    @Option(help: ArgumentHelp("Without --plan: the new version's policy file.", valueName: "file"))
    var new: String?

    @Option(name: .customLong("state"), help: ArgumentHelp("Without --plan: map an old state to a new one (repeatable).", valueName: "old=new"))
    var states: [String] = []

    @Option(name: .customLong("value"), help: ArgumentHelp("Without --plan: a new field's value, CEL over the old data (repeatable).", valueName: "field=expr"))
    var values: [String] = []

    @Option(name: .customLong("person"), help: ArgumentHelp("Without --plan: who holds a new role (repeatable).", valueName: "role=id"))
    var people: [String] = []

    @Option(help: ArgumentHelp("Without --plan: keep or recompute open deadlines and waits.", valueName: "keep|recompute"))
    var deadlines: String?

    @Option(help: ArgumentHelp("Without --plan: keep or reset collected signatures.", valueName: "keep|reset"))
    var signatures: String?

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

    func validate() throws {
        let inline = old != nil || new != nil || !states.isEmpty || !values.isEmpty || !people.isEmpty || deadlines != nil || signatures != nil
        if plan != nil && inline { throw ValidationError("give the plan either as a file (--plan) or with --old, --new and the plan options, not both") }
        if plan == nil && (old == nil || new == nil) { throw ValidationError("give the plan: --plan FILE, or --old FILE --new FILE with --state, --value, --person, --deadlines, --signatures") }
    }

    func run() async throws {
        let source: MigrationPlanSource
        if let plan {
            source = .file(plan)
        } else {
            source = .inline(InlineMigrationPlan(old: old ?? "", new: new ?? "", states: states, values: values, people: people, deadlines: deadlines, signatures: signatures))
        }
        try finish(await options.commands.migrate(ids: ids, allOf: allOf, plan: source, to: to, dryRun: dryRun, now: now, actor: actor, input: input.settings))
    }
}
