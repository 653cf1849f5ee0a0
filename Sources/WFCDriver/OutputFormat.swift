import Foundation
import WFCDiagnostics

/// The output formats of `wfc check`.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// For people: `file:line:col: error[CODE]: message` with source snippets.
    case human
    /// JSON Lines, one diagnostic per line.
    case json
    /// SARIF 2.1.0, for GitHub code scanning.
    case sarif
    /// GitHub Actions workflow commands (annotations).
    case github
}

/// Renders a set of diagnostics in the chosen format.
public struct DiagnosticOutput: Sendable {
    public var format: OutputFormat
    public var useColor: Bool
    /// The language of the messages; the codes are the same in every language.
    public var language: DiagnosticLanguage

    public init(format: OutputFormat, useColor: Bool, language: DiagnosticLanguage = .en) {
        self.format = format
        self.useColor = useColor
        self.language = language
    }

    public func render(_ diagnostics: [Diagnostic], sources: SourceMap) -> String {
        let diagnostics = DiagnosticLocalizer.localize(diagnostics, to: language)
        switch format {
        case .human:
            let text = HumanRenderer(useColor: useColor, language: language).render(diagnostics, sources: sources)
            return text
        case .json:
            return JSONLinesRenderer().render(diagnostics, sources: sources)
        case .github:
            return GitHubRenderer().render(diagnostics, sources: sources)
        case .sarif:
            return SARIFRenderer(
                toolVersion: wfcVersion, informationURI: "https://github.com/wfc-dev/wfc",
                workingDirectory: FileManager.default.currentDirectoryPath,
                registry: DiagnosticLocalizer.localize(WFCRegistry.shared, to: language)
            ).render(diagnostics, sources: sources)
        }
    }

    /// Whether to colour output: `always`/`never` win; `auto` colours a terminal unless
    /// `NO_COLOR` is set (https://no-color.org).
    public static func shouldColor(_ mode: String, isTerminal: Bool, environment: [String: String]) -> Bool {
        switch mode {
        case "always": return true
        case "never": return false
        default:
            if let v = environment["NO_COLOR"], !v.isEmpty { return false }
            return isTerminal
        }
    }
}
