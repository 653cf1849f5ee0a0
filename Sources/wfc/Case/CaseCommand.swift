import ArgumentParser
import Foundation
import WFCDiagnostics
import WFCDriver

/// `wfc case …`: durable cases in a store (docs/store.md).
struct Case: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: CLIText.abstract("case"),
        discussion: CLIText.discussion("case"),
        subcommands: [CaseStart.self, CaseFire.self, CaseAddSigner.self, CaseShow.self, CaseList.self, CaseHistory.self, CaseVerify.self, CaseCheckpoint.self, CaseTick.self, CaseMigrate.self, CaseReassign.self]
    )
}

extension CaseFormat: ExpressibleByArgument {}

/// Options every `wfc case` command takes.
struct CaseOptions: ParsableArguments {
    @Option(help: .text("common.store", valueName: "path-or-url"))
    var store: String?

    @Option(help: .text("case.format"))
    var format: CaseFormat = .human

    @Option(help: .text("common.color", valueName: "when"))
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
