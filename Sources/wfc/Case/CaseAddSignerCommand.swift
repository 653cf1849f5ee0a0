import ArgumentParser

struct CaseAddSigner: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-signer",
        abstract: "Add a signer to an active sign-off (加签).",
        discussion: "Where the sign-off's `add:` lets the sender's role do so, the person signs before, after or alongside the parties whose turn it is. Who added whom, where and why is recorded in the audit log; a refusal is recorded and exits 1.")

    @Argument(help: ArgumentHelp("The case id.", valueName: "id"))
    var id: String

    @Option(name: .customLong("as"), help: ArgumentHelp("The person adding the signer.", valueName: "person"))
    var actor: String

    @Option(help: ArgumentHelp("The person to add.", valueName: "person"))
    var person: String

    @Option(help: ArgumentHelp("before, after or parallel: relative to the parties whose turn it is.", valueName: "position"))
    var position: String

    @Option(help: ArgumentHelp("Why the signer is added (kept in the audit log).", valueName: "text"))
    var reason: String

    @Option(help: ArgumentHelp("The role to act as, when the sender holds several that may add signers.", valueName: "role"))
    var role: String?

    @Option(help: ArgumentHelp("The foreach item index.", valueName: "n"))
    var item: Int?

    @Option(help: ArgumentHelp("An idempotency key: the same key returns the stored outcome.", valueName: "key"))
    var key: String?

    @Option(help: ArgumentHelp("The time (default: the clock), as for `wfc case fire`.", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func validate() throws {
        if let item, item < 0 { throw ValidationError("--item must be 0 or more") }
        if actor.isEmpty { throw ValidationError("--as must name a person") }
    }

    func run() async throws {
        try finish(await options.commands.addSigner(id: id, actor: actor, person: person, position: position, reason: reason, role: role, item: item, key: key, now: now))
    }
}
