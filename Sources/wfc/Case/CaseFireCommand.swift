import ArgumentParser
import WFCDriver
import WFCRuntime

struct CaseFire: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fire",
        abstract: CLIText.abstract("case.fire"),
        discussion: CLIText.discussion("case.fire"))

    @Argument(help: .text("common.case-id", valueName: "id"))
    var id: String

    @Argument(help: .text("case.fire.event", valueName: "event"))
    var event: String

    @Option(name: .customLong("as"), help: .text("case.fire.as", valueName: "person"))
    var actor: String

    @Option(help: .text("case.fire.role", valueName: "role"))
    var role: String?

    @Option(name: .customLong("for"), help: .text("case.fire.for", valueName: "person"))
    var actingFor: String?

    @Option(help: .text("common.item", valueName: "n"))
    var item: Int?

    @Option(help: .text("case.fire.data", valueName: "file"))
    var data: String?

    @Option(help: .text("common.key", valueName: "key"))
    var key: String?

    @Option(help: .text("case.fire.now", valueName: "time"))
    var now: String?

    @Option(name: .customLong("assign"), help: .text("case.fire.assign", valueName: "role=person"))
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
        if let item, item < 0 { throw ValidationError(CLIText.t("usage.item")) }
        if actor.isEmpty { throw ValidationError(CLIText.t("usage.as-person")) }
        for a in assign {
            guard let eq = a.firstIndex(of: "="), eq != a.startIndex, a.index(after: eq) != a.endIndex else {
                throw ValidationError(CLIText.t("usage.assign-form", ["value": a]))
            }
        }
        if Set(assign.compactMap { $0.split(separator: "=").first }).count != assign.count { throw ValidationError(CLIText.t("usage.assign-twice")) }
    }

    func run() async throws {
        try finish(await options.commands.fire(id: id, event: event, actor: actor, role: role, item: item, dataFile: data, key: key, now: now, assign: assigned, actingFor: actingFor))
    }
}

struct CaseReassign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reassign",
        abstract: CLIText.abstract("case.reassign"),
        discussion: CLIText.discussion("case.reassign"))

    @Argument(help: .text("common.case-id", valueName: "id"))
    var id: String

    @Argument(help: .text("case.reassign.role", valueName: "role"))
    var role: String

    @Option(name: .customLong("to"), help: .text("case.reassign.to", valueName: "person"))
    var person: String

    @Option(name: .customLong("as"), help: .text("case.reassign.as", valueName: "person"))
    var actor: String

    @Option(help: .text("case.reassign.reason", valueName: "text"))
    var reason: String

    @Option(help: .text("case.reassign.task", valueName: "state"))
    var task: String?

    @Option(help: .text("case.reassign.item", valueName: "n"))
    var item: Int?

    @Option(help: .text("common.key", valueName: "key"))
    var key: String?

    @Option(help: .text("common.now-as-fire", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func validate() throws {
        if let item, item < 0 { throw ValidationError(CLIText.t("usage.item")) }
        if actor.isEmpty { throw ValidationError(CLIText.t("usage.as-person")) }
        if person.isEmpty { throw ValidationError(CLIText.t("usage.to-person")) }
    }

    func run() async throws {
        let r = Reassignment(role: role, person: person, task: task, reason: reason)
        try finish(await options.commands.fire(id: id, event: Event.reassign, actor: actor, role: nil, item: item, dataFile: nil, key: key, now: now, reassignment: r))
    }
}
