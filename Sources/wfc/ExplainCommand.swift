import ArgumentParser
import WFCDiagnostics
import WFCDriver

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a diagnostic code, with an example and its fix.")

    @Argument(help: ArgumentHelp("A code such as WFC1003 (the WFC prefix is optional).", valueName: "code"))
    var code: String?

    @Flag(help: "List every code with its summary.")
    var list = false

    @Flag(help: "Print the reference of every code as Markdown (docs/diagnostics.md).")
    var markdown = false

    @OptionGroup var language: LanguageOption

    func run() throws {
        // The summaries and explanations in the chosen language; names and examples stay.
        let registry = DiagnosticLocalizer.localize(WFCRegistry.shared, to: language.resolve())
        if markdown {
            emit(DiagnosticsDoc.markdown(registry))
            return
        }
        if list || code == nil {
            for d in registry.all {
                emit("\(d.code)  \(d.severity.rawValue.padding(7))  \(d.name.padding(28))  \(d.summary)\n")
            }
            return
        }
        guard let code, let d = registry.lookup(code) else {
            throw CommandFailure(.usage, "unknown diagnostic code '\(code ?? "")'; `wfc explain --list` shows them all")
        }
        emit(registry.explain(d))
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
