import ArgumentParser
import WFCDriver

struct CaseVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: CLIText.abstract("case.verify"),
        discussion: CLIText.discussion("case.verify"))

    @Argument(help: .text("case.verify.id", valueName: "id"))
    var id: String?

    @Flag(help: .text("case.verify.all"))
    var all = false

    @Option(help: .text("case.verify.checkpoint", valueName: "file"))
    var checkpoint: String?

    @Option(name: .customLong("public-key"), help: .text("case.verify.public-key", valueName: "file"))
    var publicKey: String?

    @OptionGroup var options: CaseOptions

    func validate() throws {
        if id != nil && all { throw ValidationError(CLIText.t("usage.id-and-all")) }
        if id == nil && !all && checkpoint == nil { throw ValidationError(CLIText.t("usage.id-or-all")) }
        if checkpoint != nil && publicKey == nil { throw ValidationError(CLIText.t("usage.checkpoint-needs-key")) }
        if publicKey != nil && checkpoint == nil { throw ValidationError(CLIText.t("usage.public-key-needs-checkpoint")) }
    }

    func run() async throws {
        try finish(await options.commands.verify(id: id, all: all, checkpoint: checkpoint, publicKey: publicKey))
    }
}
