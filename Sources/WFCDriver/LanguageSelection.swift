import WFCDiagnostics

/// Which language diagnostics are shown in: `--lang`, else the `lang:` of `.wfc.yaml`, else
/// the POSIX locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), else English.
public enum LanguageSelection {
    /// A `--lang` value that names no language wfc has (WFC0030).
    public struct Unknown: Error, Sendable {
        public var diagnostic: Diagnostic
    }

    public static func resolve(flag: String?, configured: String? = nil, environment: [String: String])
        -> Result<DiagnosticLanguage, Unknown>
    {
        if let flag {
            guard let language = DiagnosticLanguage(tag: flag) else {
                let names = DiagnosticLanguage.allCases.map(\.rawValue)
                let near = Suggestions.closest(to: flag, among: names)
                return .failure(Unknown(diagnostic: Diagnostic(
                    UnknownLanguageOption(text: flag), at: .unlocated,
                    help: near.map { "did you mean `\($0)`?" } ?? "write --lang zh-CN or --lang en")))
            }
            return .success(language)
        }
        if let configured, let language = DiagnosticLanguage(tag: configured) { return .success(language) }
        return .success(DiagnosticLanguage.fromEnvironment(environment))
    }
}

struct UnknownLanguageOption: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC0030", name: "unknown-language-option", summary: "`--lang` names a language wfc has no messages in.",
        explanation: """
            `--lang` chooses the language of diagnostics and of `wfc explain`: `zh-CN` \
            (Simplified Chinese; `zh`, `zh_CN` and `zh-Hans` mean the same) or `en`. Any other \
            value is a usage error (exit status 2), so that a typo does not silently give \
            English. A locale in LC_ALL, LC_MESSAGES or LANG that wfc has no catalog for gives \
            English without an error.
            """,
        example: "$ wfc check --lang cn workflows\n",
        fix: "$ wfc check --lang zh-CN workflows\n")
    var text: String
    var message: String { "`\(text)` is not a language of wfc's messages: write zh-CN or en" }
}
