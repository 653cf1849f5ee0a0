import ArgumentParser
import Foundation
import WFCDriver
import WFCLanguageServer

struct LSP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: CLIText.abstract("lsp"),
        discussion: CLIText.discussion("lsp"))

    func run() throws {
        // Writing to an editor that has quit must not kill the process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let transport = FileHandleTransport(input: .standardInput, output: .standardOutput)
        let server = LanguageServer(transport: transport, options: .init(version: wfcVersion))
        // LSP: exit status 0 after `shutdown`, 1 when `exit` (or the end of input) comes first.
        if !server.run() { throw CommandFailure(.diagnostics, "") }
    }
}
