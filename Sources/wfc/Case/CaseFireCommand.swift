import ArgumentParser

struct CaseFire: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fire",
        abstract: "Send an event to a case.",
        discussion: "The event runs against the definition the case is pinned to. A refusal is recorded in the audit log and exits 1. With --key, repeating the command returns the first outcome instead of a new step.")

    @Argument(help: ArgumentHelp("The case id.", valueName: "id"))
    var id: String

    @Argument(help: ArgumentHelp("The event name (sign and unsign for sign-offs).", valueName: "event"))
    var event: String

    @Option(name: .customLong("as"), help: ArgumentHelp("The person sending the event.", valueName: "person"))
    var actor: String

    @Option(help: ArgumentHelp("The role, when the person signs a sign-off holding several of its roles.", valueName: "role"))
    var role: String?

    @Option(name: .customLong("for"), help: ArgumentHelp("Send it as the substitute (代理) of this person: their substitution must name --as at the event's time (`wfc people substitute`).", valueName: "person"))
    var actingFor: String?

    @Option(help: ArgumentHelp("The foreach item index.", valueName: "n"))
    var item: Int?

    @Option(help: ArgumentHelp("A YAML or JSON mapping of the fields the event fills.", valueName: "file"))
    var data: String?

    @Option(help: ArgumentHelp("An idempotency key: the same key returns the stored outcome.", valueName: "key"))
    var key: String?

    @Option(help: ArgumentHelp("The time (default: the clock): RFC 3339, or without a UTC offset (a date means 09:00) read in the workflow calendar's time zone, UTC when the workflow has none; the time used is then shown.", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func validate() throws {
        if let item, item < 0 { throw ValidationError("--item must be 0 or more") }
        if actor.isEmpty { throw ValidationError("--as must name a person") }
    }

    func run() async throws {
        try finish(await options.commands.fire(id: id, event: event, actor: actor, role: role, item: item, dataFile: data, key: key, now: now, actingFor: actingFor))
    }
}
