import ArgumentParser
import WFCRuntime

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

    @Option(name: .customLong("assign"), help: ArgumentHelp("ROLE=PERSON: a role the event's transition assigns (`assign:`) and the person it binds; repeatable.", valueName: "role=person"))
    var assign: [String] = []

    @OptionGroup var options: CaseOptions

    /// `--assign` as role → person.
    var assigned: [String: String] {
        var out: [String: String] = [:]
        for a in assign {
            guard let eq = a.firstIndex(of: "=") else { continue }
            out[String(a[..<eq])] = String(a[a.index(after: eq)...])
        }
        return out
    }

    func validate() throws {
        if let item, item < 0 { throw ValidationError("--item must be 0 or more") }
        if actor.isEmpty { throw ValidationError("--as must name a person") }
        for a in assign {
            guard let eq = a.firstIndex(of: "="), eq != a.startIndex, a.index(after: eq) != a.endIndex else {
                throw ValidationError("--assign takes ROLE=PERSON, not `\(a)`")
            }
        }
        if Set(assign.compactMap { $0.split(separator: "=").first }).count != assign.count { throw ValidationError("--assign names a role twice") }
    }

    func run() async throws {
        try finish(await options.commands.fire(id: id, event: event, actor: actor, role: role, item: item, dataFile: data, key: key, now: now, assign: assigned, actingFor: actingFor))
    }
}

struct CaseReassign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reassign",
        abstract: "Hand an open task, or a role for the rest of the case, to another person (转交).",
        discussion: "Allowed to the holders of the roles in the policy's `reassign: {by: …}`. With --task, only that open task moves to the new person; without, the role does for the rest of the case. The reason is recorded in the audit log (\"X acting for Y, by Z, because …\"). A refusal is recorded and exits 1.")

    @Argument(help: ArgumentHelp("The case id.", valueName: "id"))
    var id: String

    @Argument(help: ArgumentHelp("The role handed on.", valueName: "role"))
    var role: String

    @Option(name: .customLong("to"), help: ArgumentHelp("The person who takes over.", valueName: "person"))
    var person: String

    @Option(name: .customLong("as"), help: ArgumentHelp("The person reassigning.", valueName: "person"))
    var actor: String

    @Option(help: ArgumentHelp("Why (required, one line): recorded in the audit log.", valueName: "text"))
    var reason: String

    @Option(help: ArgumentHelp("The open task (state) handed on; without it, the role for the rest of the case.", valueName: "state"))
    var task: String?

    @Option(help: ArgumentHelp("The foreach item of the task.", valueName: "n"))
    var item: Int?

    @Option(help: ArgumentHelp("An idempotency key: the same key returns the stored outcome.", valueName: "key"))
    var key: String?

    @Option(help: ArgumentHelp("The time (default: the clock), as for `wfc case fire`.", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func validate() throws {
        if let item, item < 0 { throw ValidationError("--item must be 0 or more") }
        if actor.isEmpty { throw ValidationError("--as must name a person") }
        if person.isEmpty { throw ValidationError("--to must name a person") }
    }

    func run() async throws {
        let r = Reassignment(role: role, person: person, task: task, reason: reason)
        try finish(await options.commands.fire(id: id, event: Event.reassign, actor: actor, role: nil, item: item, dataFile: nil, key: key, now: now, reassignment: r))
    }
}
