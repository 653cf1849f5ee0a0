import ArgumentParser
import WFCDiagnostics
import WFCDriver

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: CLIText.abstract("explain"))

    @Argument(help: .text("explain.code", valueName: "code"))
    var code: String?

    @Flag(help: .text("explain.list"))
    var list = false

    @Flag(help: .text("explain.markdown"))
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
            throw CommandFailure(.usage, CLIText.t("failure.unknown-code", ["code": code ?? ""]))
        }
        emit(registry.explain(d))
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
