import ArgumentParser
import Foundation
import WFCDiagnostics
import WFCDriver

/// `wfc case …`: durable cases in a store (docs/store.md).
struct Case: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Start, fire, inspect and verify durable cases in a store.",
        discussion: """
            The store is --store PATH, else $WFC_STORE, else ./.wfc/store.sqlite (created when missing). \
            Cases are pinned to the compiled definition they started with. See docs/store.md.

            Store failures are diagnostics with WFC7xxx codes (`wfc explain WFC7001`).

            EXIT CODES:
              0  done
              1  refused (recorded in the audit log), verify failed (WFC7008-7011,
                 WFC7017), an unusable checkpoint or key (WFC7016), diagnostics in
                 the workflow or case file, a case id that exists (WFC7002), or a
                 conflict with another writer or a busy store (WFC7003, WFC7004:
                 nothing recorded; run the command again)
              2  usage error: bad option, argument or time, a missing file (the
                 workflow or --data), an unknown case id (WFC7001), a case id,
                 person id, event name or key the store rejects (WFC7007, WFC7012),
                 a key reused for another request (WFC7013), a store URL with no
                 backend (WFC7015), or an unknown --state (WFC0003)
              3  the store could not be opened, read or written (WFC7006), is
                 corrupt (WFC7005), or is another application's database (WFC7014)
            """,
        subcommands: [CaseStart.self, CaseFire.self, CaseAddSigner.self, CaseShow.self, CaseList.self, CaseHistory.self, CaseVerify.self, CaseCheckpoint.self, CaseTick.self, CaseMigrate.self, CaseReassign.self]
    )
}

extension CaseFormat: ExpressibleByArgument {}

/// Options every `wfc case` command takes.
struct CaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The store: a SQLite file, or a postgres://USER@HOST/DB URL (default: $WFC_STORE, else .wfc/store.sqlite).", valueName: "path-or-url"))
    var store: String?

    @Option(help: "Output format: human or json.")
    var format: CaseFormat = .human

    @Option(help: ArgumentHelp("Colour: auto, always or never.", valueName: "when"))
    var color: OutputOptions.ColorMode = .auto

    @OptionGroup var language: LanguageOption

    var commands: CaseCommands {
        let useColor = DiagnosticOutput.shouldColor(color.rawValue, isTerminal: isatty(STDERR_FILENO) != 0, environment: ProcessInfo.processInfo.environment)
        var c = CaseCommands(storePath: store, format: format,
                             diagnostics: DiagnosticOutput(format: .human, useColor: useColor, language: language.resolve()))
        // Printed as each case is done (tick, verify --all), so that a killed command has shown what it committed.
        c.progress = { piece in
            emit(piece.stdout)
            if !piece.stderr.isEmpty { FileHandle.standardError.write(Data(piece.stderr.utf8)) }
        }
        return c
    }
}

/// Prints a command's output and ends with its exit status.
func finish(_ out: CaseOutput) throws {
    emit(out.stdout)
    if !out.stderr.isEmpty { FileHandle.standardError.write(Data(out.stderr.utf8)) }
    if out.status != .clean { throw CommandFailure(out.status, "") }
}
