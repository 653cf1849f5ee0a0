import ArgumentParser
import Foundation
import WFCDiagnostics
import WFCDriver
import WFCYAML

extension OutputFormat: ExpressibleByArgument {}

/// `--format` and `--color`, shared by commands that print diagnostics.
struct OutputOptions: ParsableArguments {
    @Option(help: .text("output.format"))
    var format: OutputFormat = .human

    @Option(help: .text("output.color", valueName: "when"))
    var color: ColorMode = .auto

    @OptionGroup var language: LanguageOption

    enum ColorMode: String, ExpressibleByArgument, CaseIterable {
        case auto, always, never
    }

    var output: DiagnosticOutput { output(configuredLanguage: nil) }

    /// The output, in the language `--lang`, else `configuredLanguage` (`lang:` of
    /// `.wfc.yaml`), else the locale chooses.
    func output(configuredLanguage: String?) -> DiagnosticOutput {
        DiagnosticOutput(
            format: format,
            useColor: DiagnosticOutput.shouldColor(
                color.rawValue, isTerminal: isatty(STDOUT_FILENO) != 0, environment: ProcessInfo.processInfo.environment),
            language: language.resolve(configured: configuredLanguage))
    }
}

/// `--lang`: the language of diagnostics and explanations.
struct LanguageOption: ParsableArguments {
    @Option(name: .customLong("lang"), help: .text("output.lang", valueName: "lang"))
    var value: String?

    /// The chosen language. An unknown `--lang` is a usage error (WFC0030): it is printed
    /// and wfc exits with status 2.
    func resolve(configured: String? = nil) -> DiagnosticLanguage {
        let environment = ProcessInfo.processInfo.environment
        switch LanguageSelection.resolve(flag: value, configured: configured, environment: environment) {
        case .success(let language):
            return language
        case .failure(let unknown):
            // Said in the locale's language, since --lang itself is unusable.
            let out = DiagnosticOutput(format: .human, useColor: false, language: .fromEnvironment(environment))
            FileHandle.standardError.write(Data(out.render([unknown.diagnostic], sources: SourceMap()).utf8))
            Foundation.exit(ExitStatus.usage.rawValue)
        }
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

/// The limits every input is read under, and the root imports stay inside: shared by every
/// command that reads workflows or data.
struct InputOptions: ParsableArguments {
    @Option(help: .text("input.max-file-bytes"))
    var maxFileBytes = YAMLLimits.defaultMaxFileBytes

    @Option(help: .text("input.max-depth"))
    var maxDepth = YAMLLimits.defaultMaxDepth

    @Option(help: .text("input.max-alias-nodes"))
    var maxAliasNodes = YAMLLimits.defaultMaxAliasNodes

    @Option(help: .text("input.root", valueName: "dir"))
    var root: String?

    func validate() throws {
        if maxFileBytes < 1 || maxDepth < 1 || maxAliasNodes < 0 {
            throw ValidationError(CLIText.t("usage.limits"))
        }
        if let root, !FileDiscovery.isDirectory(root) {
            throw ValidationError(CLIText.t("usage.root-not-directory", ["root": root]))
        }
    }

    var settings: InputSettings {
        InputSettings(limits: YAMLLimits(maxFileBytes: maxFileBytes, maxDepth: maxDepth, maxAliasNodes: maxAliasNodes), root: root)
    }
}
