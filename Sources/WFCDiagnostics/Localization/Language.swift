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

    /// The language an HTTP `Accept-Language` header (RFC 9110 §12.5.4) asks for: the listed
    /// ranges by weight (`q`, 1 when absent; the header's order breaks ties), the first one
    /// wfc has a catalog for wins (`zh-CN`, `zh`, `zh-Hans` Chinese; `en-US` English). A range
    /// with `q=0` is refused, so `zh;q=0` never selects Chinese. Anything else — no header,
    /// `*`, `fr`, `zh-TW`, a malformed weight — leaves English.
    public static func negotiate(acceptLanguage header: String?) -> DiagnosticLanguage {
        guard let header else { return .en }
        var ranges: [(language: DiagnosticLanguage, q: Double, order: Int)] = []
        for (order, item) in header.split(separator: ",").enumerated() {
            let parts = item.split(separator: ";").map(trimmed)
            guard let tag = parts.first, !tag.isEmpty, let language = DiagnosticLanguage(tag: tag) else { continue }
            var q = 1.0
            for p in parts.dropFirst() {
                let kv = p.split(separator: "=", maxSplits: 1).map(trimmed)
                guard kv.count == 2, kv[0].lowercased() == "q" else { continue }
                // RFC 9110: qvalue = 0[.ddd] / 1[.000]; anything else makes the range unusable.
                guard let v = Double(kv[1]), v >= 0, v <= 1, kv[1].count <= 5 else { q = 0; break }
                q = v
            }
            if q > 0 { ranges.append((language, q, order)) }
        }
        return ranges.min { ($0.q, -$0.order) > ($1.q, -$1.order) }?.language ?? .en
    }

    private static func trimmed(_ s: Substring) -> String {
        String(s.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
