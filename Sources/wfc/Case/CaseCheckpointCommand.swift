import ArgumentParser
import WFCDriver

struct CaseCheckpoint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: CLIText.abstract("case.checkpoint"),
        discussion: CLIText.discussion("case.checkpoint"))

    @Option(name: .customLong("new-key"), help: .text("case.checkpoint.new-key", valueName: "file"))
    var newKey: String?

    @Option(help: .text("case.checkpoint.key", valueName: "file"))
    var key: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: .text("case.checkpoint.output", valueName: "file"))
    var output: String?

    @Option(help: .text("case.checkpoint.now", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func validate() throws {
        if (newKey == nil) == (key == nil) { throw ValidationError(CLIText.t("usage.key-or-new-key")) }
        if newKey != nil && output != nil { throw ValidationError(CLIText.t("usage.output-with-new-key")) }
    }

    func run() async throws {
        if let newKey { return try finish(await options.commands.newCheckpointKey(newKey)) }
        try finish(await options.commands.checkpoint(key: key ?? "", output: output, now: now))
    }
}
