import ArgumentParser
import WFCDriver

struct CaseTick: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tick",
        abstract: CLIText.abstract("case.tick"))

    @Option(help: .text("case.tick.now", valueName: "time"))
    var now: String?

    @OptionGroup var options: CaseOptions

    func run() async throws {
        try finish(await options.commands.tick(now: now))
    }
}
