import ArgumentParser
import Foundation
import WFCDiagnostics
import WFCDriver

extension OutputFormat: ExpressibleByArgument {}

/// `--format` and `--color`, shared by commands that print diagnostics.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: human, json (JSON Lines), sarif (SARIF 2.1.0) or github (Actions annotations).")
    var format: OutputFormat = .human

    @Option(help: ArgumentHelp("Colour: auto, always or never. auto colours a terminal unless NO_COLOR is set.", valueName: "when"))
    var color: ColorMode = .auto

    enum ColorMode: String, ExpressibleByArgument, CaseIterable {
        case auto, always, never
    }

    var output: DiagnosticOutput {
        DiagnosticOutput(
            format: format,
            useColor: DiagnosticOutput.shouldColor(
                color.rawValue, isTerminal: isatty(STDOUT_FILENO) != 0, environment: ProcessInfo.processInfo.environment))
    }
}

/// Writes text to standard output without an extra newline.
func emit(_ text: String) {
    guard !text.isEmpty else { return }
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// Writes a line to standard error.
func warn(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
