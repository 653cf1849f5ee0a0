import ArgumentParser
import WFCDriver

struct CaseMigrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: CLIText.abstract("case.migrate"),
        discussion: CLIText.discussion("case.migrate"))

    @Argument(help: .text("case.migrate.ids", valueName: "id"))
    var ids: [String] = []

    @Option(help: .text("case.migrate.plan", valueName: "file"))
    var plan: String?

    @Option(help: .text("case.migrate.old", valueName: "file"))
    var old: String?

    @Option(help: .text("case.migrate.new", valueName: "file"))
    var new: String?

    @Option(name: .customLong("state"), help: .text("case.migrate.state", valueName: "old=new"))
    var states: [String] = []

    @Option(name: .customLong("value"), help: .text("case.migrate.value", valueName: "field=expr"))
    var values: [String] = []

    @Option(name: .customLong("person"), help: .text("case.migrate.person", valueName: "role=id"))
    var people: [String] = []

    @Option(help: .text("case.migrate.deadlines", valueName: "keep|recompute"))
    var deadlines: String?

    @Option(help: .text("case.migrate.signatures", valueName: "keep|reset"))
    var signatures: String?

    @Option(help: .text("case.migrate.to", valueName: "hash"))
    var to: String?

    @Option(name: .customLong("all-of"), help: .text("case.migrate.all-of", valueName: "hash"))
    var allOf: String?

    @Flag(name: .customLong("dry-run"), help: .text("case.migrate.dry-run"))
    var dryRun = false

    @Option(name: .customLong("as"), help: .text("case.migrate.as", valueName: "person"))
    var actor: String?

    @Option(help: .text("case.migrate.now", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    @OptionGroup var input: InputOptions

    func validate() throws {
        let inline = old != nil || new != nil || !states.isEmpty || !values.isEmpty || !people.isEmpty || deadlines != nil || signatures != nil
        if plan != nil && inline { throw ValidationError(CLIText.t("usage.plan-both")) }
        if plan == nil && (old == nil || new == nil) { throw ValidationError(CLIText.t("usage.plan-missing")) }
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
