/// The languages diagnostics can be shown in. English is the source text; every other
/// language comes from a catalog (see ``DiagnosticLocalizer``).
public enum DiagnosticLanguage: String, Sendable, Hashable, CaseIterable {
    case en
    case zhCN = "zh-CN"

    /// Parses a `--lang` value or a `lang:` setting: `zh-CN`, `zh_CN`, `zh-Hans` and `zh` are
    /// Simplified Chinese; `en`, `en-US`, `en_GB` are English. Nil for anything else.
    public init?(tag: String) {
        let t = tag.lowercased().replacingAll("_", with: "-")
        if t == "en" || t.hasPrefix("en-") {
            self = .en
        } else if t == "zh" || t == "zh-cn" || t == "zh-hans" || t == "zh-hans-cn" || t == "zh-sg" {
            self = .zhCN
        } else {
            return nil
        }
    }

    /// The language a POSIX locale asks for: the first of `LC_ALL`, `LC_MESSAGES` and `LANG`
    /// that is set and not empty decides (as setlocale does); `zh_CN.UTF-8` is Chinese,
    /// anything wfc has no catalog for (`C`, `fr_FR`, `zh_TW`) is English.
    public static func fromEnvironment(_ environment: [String: String]) -> DiagnosticLanguage {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            // `zh_CN.UTF-8@modifier` → `zh_CN`.
            let base = value.split(whereSeparator: { $0 == "." || $0 == "@" }).first.map(String.init) ?? value
            return DiagnosticLanguage(tag: base) ?? .en
        }
        return .en
    }
}
