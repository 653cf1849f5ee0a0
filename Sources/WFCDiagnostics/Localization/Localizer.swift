/// Shows diagnostics in another language.
///
/// A diagnostic is built in English, as always; its English texts are the keys. The English
/// catalog (``DiagnosticCatalogs/en``) holds, per code, a template for every text the code can
/// show (`WFC1003.message`: `duplicate key "{key}" in this mapping`). Matching a text against
/// its code's templates yields the message id and its named arguments; the other language's
/// catalog renders the same id with the same arguments. Texts shared by many codes (`did you
/// mean …?`) live under `common.`. A text no template matches stays English.
public enum DiagnosticLocalizer {
    /// The parts of a diagnostic a catalog id names: `WFC1003.label.first`.
    public enum Part: String, Sendable, CaseIterable {
        case message, label, note, help, fix
    }

    /// A text recognised in the English catalog: its id and arguments.
    public struct Identified: Sendable, Hashable {
        public var id: String
        public var arguments: [String: String]
    }

    /// The catalog of a language.
    public static func catalog(_ language: DiagnosticLanguage) -> [String: String] {
        switch language {
        case .en: DiagnosticCatalogs.en
        case .zhCN: DiagnosticCatalogs.zhCN
        }
    }

    private struct Entry: Sendable { var id: String; var template: MessageTemplate }

    /// English templates by `CODE.part` (and `common.part`), most specific first.
    private static let index: [String: [Entry]] = {
        var index: [String: [Entry]] = [:]
        for (id, text) in DiagnosticCatalogs.en {
            let parts = id.split(separator: ".", maxSplits: 2)
            guard parts.count >= 2 else { continue }
            index[String(parts[0]) + "." + String(parts[1]), default: []].append(Entry(id: id, template: MessageTemplate(text)))
        }
        for key in index.keys {
            index[key]?.sort { ($0.template.literalLength, $1.id) > ($1.template.literalLength, $0.id) }
        }
        return index
    }()

    /// The catalog id and arguments of one English text of a diagnostic with `code`.
    public static func identify(_ text: String, part: Part, code: DiagnosticCode) -> Identified? {
        for prefix in [code.rawValue, "common"] {
            for entry in index[prefix + "." + part.rawValue] ?? [] {
                if let arguments = entry.template.match(text) { return Identified(id: entry.id, arguments: arguments) }
            }
        }
        return nil
    }

    /// `text` in `language`, or nil when a catalog lacks it.
    public static func translate(_ text: String, part: Part, code: DiagnosticCode, to language: DiagnosticLanguage) -> String? {
        if language == .en { return text }
        guard let found = identify(text, part: part, code: code), let target = catalog(language)[found.id] else { return nil }
        var arguments = found.arguments
        for (name, value) in arguments where phraseSlots.contains(name) {
            arguments[name] = phrase(value, to: language, depth: 0)
        }
        // Another diagnostic's message quoted in this one, translated by its own catalog entries.
        for (slot, family) in quotedSlots {
            if let quoted = arguments[slot] { arguments[slot] = translateQuoted(quoted, codes: family, to: language) ?? quoted }
        }
        if let quoted = arguments["diagnostic"], let code = arguments["code"] {
            arguments["diagnostic"] = translate(quoted, part: .message, code: DiagnosticCode(code), to: language) ?? quoted
        }
        return MessageTemplate(target).render(arguments)
    }

    /// Placeholders that quote another diagnostic's message, and the code family it comes
    /// from: a runtime refusal (`… was refused: {refusal}`), a `wfc diff` change a migration
    /// plan must answer (`({change})`), a CEL type error (`{cel}`).
    static let quotedSlots: [(slot: String, family: String)] = [("refusal", "WFC6"), ("change", "WFC81"), ("cel", "WFC4")]

    /// A message of the code family `codes` (a code prefix) quoted in another message: the
    /// most specific message template of that family that matches it.
    static func translateQuoted(_ text: String, codes family: String, to language: DiagnosticLanguage) -> String? {
        let candidates = index.filter { $0.key.hasPrefix(family) && $0.key.hasSuffix(".message") }
            .sorted { $0.key < $1.key }.map { (code: String($0.key.prefix(7)), entries: $0.value) }
        var best: (code: String, literal: Int)?
        for c in candidates {
            for entry in c.entries where entry.template.match(text) != nil {
                if entry.template.literalLength > (best?.literal ?? -1) { best = (c.code, entry.template.literalLength) }
                break
            }
        }
        guard let best else { return nil }
        return translate(text, part: .message, code: DiagnosticCode(best.code), to: language)
    }

    /// Placeholders whose text is itself English prose (`state `review``, `a list`, `whole
    /// number (int)`) rather than a name from the policy; only these are translated in turn.
    static let phraseSlots: Set<String> = [
        "what", "context", "expected", "found", "kind", "type", "a", "b", "want", "got", "rule", "allowed", "owner",
        "held", "holder", "step", "why",
    ]

    /// A phrase from `common.phrase.*` in `language`, its own prose placeholders translated
    /// too; other text unchanged.
    static func phrase(_ text: String, to language: DiagnosticLanguage, depth: Int) -> String {
        guard depth < 4 else { return text }
        for entry in index["common.phrase"] ?? [] {
            guard let arguments = entry.template.match(text), let target = catalog(language)[entry.id] else { continue }
            var inner = arguments
            for (name, value) in arguments where phraseSlots.contains(name) {
                inner[name] = phrase(value, to: language, depth: depth + 1)
            }
            return MessageTemplate(target).render(inner)
        }
        return text
    }

    /// The diagnostic with every text that the catalogs cover in `language`; the code, the
    /// severity and every position stay the same, and uncovered texts stay English.
    public static func localize(_ d: Diagnostic, to language: DiagnosticLanguage) -> Diagnostic {
        guard language != .en else { return d }
        var out = d
        func t(_ text: String, _ part: Part) -> String {
            text.isEmpty ? text : translate(text, part: part, code: d.code, to: language) ?? text
        }
        out.message = t(d.message, .message)
        out.primary.message = t(d.primary.message, .label)
        for i in out.secondary.indices { out.secondary[i].message = t(d.secondary[i].message, .label) }
        out.notes = d.notes.map { t($0, .note) }
        out.help = d.help.map { t($0, .help) }
        for i in out.fixIts.indices { out.fixIts[i].message = t(d.fixIts[i].message, .fix) }
        return out
    }

    /// Every diagnostic in `language`.
    public static func localize(_ diagnostics: [Diagnostic], to language: DiagnosticLanguage) -> [Diagnostic] {
        language == .en ? diagnostics : diagnostics.map { localize($0, to: language) }
    }

    /// The texts of `d` that `language`'s catalog does not cover, as `part: text`; empty when
    /// the whole diagnostic can be shown in that language.
    public static func uncovered(_ d: Diagnostic, in language: DiagnosticLanguage) -> [String] {
        var texts: [(Part, String)] = [(.message, d.message), (.label, d.primary.message)]
        texts += d.secondary.map { (.label, $0.message) }
        texts += d.notes.map { (.note, $0) }
        if let h = d.help { texts.append((.help, h)) }
        texts += d.fixIts.map { (.fix, $0.message) }
        return texts.filter { !$0.1.isEmpty && translate($0.1, part: $0.0, code: d.code, to: language) == nil }
            .map { "\($0.0.rawValue): \($0.1)" }
    }

    /// The descriptor's summary and explanation in `language` (`CODE.summary`,
    /// `CODE.explanation`); the name, the examples and the code stay as they are.
    public static func localize(_ d: DiagnosticDescriptor, to language: DiagnosticLanguage) -> DiagnosticDescriptor {
        guard language != .en else { return d }
        let c = catalog(language)
        var out = d
        if let s = c[d.code.rawValue + ".summary"] { out.summary = s }
        if let e = c[d.code.rawValue + ".explanation"] { out.explanation = e }
        return out
    }

    /// The registry with every descriptor in `language`.
    public static func localize(_ registry: DiagnosticRegistry, to language: DiagnosticLanguage) -> DiagnosticRegistry {
        guard language != .en else { return registry }
        return DiagnosticRegistry([registry.all.map { localize($0, to: language) }])
    }
}
