import ArgumentParser
import Foundation
import WFCDriver

@main
struct WFC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wfc",
        abstract: CLIText.abstract("wfc"),
        discussion: CLIText.discussion("wfc"),
        version: wfcVersion,
        subcommands: [Check.self, Compile.self, Graph.self, Schema.self, Expr.self, Doc.self, Diff.self, Explain.self, Test.self, Run.self, Case.self, People.self, CalendarCommand.self, LSP.self, Serve.self, Token.self]
    )

    /// Runs the command and maps every outcome to wfc's documented exit codes (ArgumentParser's
    /// own default for usage errors is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            // The `wfc case` commands are async (the ledger is); the others are not.
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            let message = failure.message(in: CLIText.language)
            if !message.isEmpty {
                FileHandle.standardError.write(Data(("wfc: " + message + "\n").utf8))
            }
            Foundation.exit(failure.status.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                // Help (and --version): the texts are the catalog's already; the library's own
                // headings and phrases are translated here.
                if !message.isEmpty { print(UsageText.localizedHelp(message, to: CLIText.language)) }
                Foundation.exit(0)
            }
            if !message.isEmpty {
                FileHandle.standardError.write(Data((UsageText.localized(message, to: CLIText.language) + "\n").utf8))
            }
            if code == .validationFailure { Foundation.exit(ExitStatus.usage.rawValue) }
            Foundation.exit(code.rawValue)
        }
        Foundation.exit(ExitStatus.clean.rawValue)
    }
}
