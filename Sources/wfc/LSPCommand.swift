import ArgumentParser
import Foundation
import WFCDriver
import WFCLanguageServer

struct LSP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Run the language server (LSP 3.17) on standard input and output.",
        discussion: """
            Editors start it themselves; see docs/editors.md for VS Code and Neovim.
            Diagnostics, hover, go to definition, completion, document symbols, rename and
            code actions come from the same compiler as `wfc check`. Imports are read only
            inside the editor's workspace folder.
            """)

    func run() throws {
        // Writing to an editor that has quit must not kill the process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let transport = FileHandleTransport(input: .standardInput, output: .standardOutput)
        let server = LanguageServer(transport: transport, options: .init(version: wfcVersion))
        // LSP: exit status 0 after `shutdown`, 1 when `exit` (or the end of input) comes first.
        if !server.run() { throw CommandFailure(.diagnostics, "") }
    }
}
