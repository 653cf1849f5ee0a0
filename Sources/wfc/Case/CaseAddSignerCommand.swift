import ArgumentParser
import WFCDriver

struct CaseAddSigner: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-signer",
        abstract: CLIText.abstract("case.add-signer"),
        discussion: CLIText.discussion("case.add-signer"))

    @Argument(help: .text("common.case-id", valueName: "id"))
    var id: String

    @Option(name: .customLong("as"), help: .text("case.add-signer.as", valueName: "person"))
    var actor: String

    @Option(help: .text("case.add-signer.person", valueName: "person"))
    var person: String

    @Option(help: .text("case.add-signer.position", valueName: "position"))
    var position: String

    @Option(help: .text("case.add-signer.reason", valueName: "text"))
    var reason: String

    @Option(help: .text("case.add-signer.role", valueName: "role"))
    var role: String?

    @Option(help: .text("common.item", valueName: "n"))
    var item: Int?

    @Option(help: .text("common.key", valueName: "key"))
    var key: String?

    @Option(help: .text("common.now-as-fire", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func validate() throws {
        if let item, item < 0 { throw ValidationError(CLIText.t("usage.item")) }
        if actor.isEmpty { throw ValidationError(CLIText.t("usage.as-person")) }
    }

    func run() async throws {
        try finish(await options.commands.addSigner(id: id, actor: actor, person: person, position: position, reason: reason, role: role, item: item, key: key, now: now))
    }
}
