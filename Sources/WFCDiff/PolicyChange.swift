import Foundation
import WFCDiagnostics
import WFCIR

/// What a change between two versions of a policy means for cases already running on the old
/// one. Ordered from harmless to dangerous.
public enum ChangeImpact: String, Codable, Sendable, Comparable, CaseIterable {
    /// A case in any configuration runs on under the new version as it is.
    case none
    /// A migration must say something for some cases: a state to map to, a value for a new
    /// field, a person for a new role, what happens to open deadlines or collected signatures.
    case needsMapping = "needs-mapping"
    /// Some cases may not fit the new version at all (data outside a narrower type, people who
    /// now break a separation, a guarantee already passed by); each must be checked and may be
    /// refused.
    case unsafe

    private var rank: Int {
        switch self {
        case .none: 0
        case .needsMapping: 1
        case .unsafe: 2
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }

    /// How the impact reads in `language` (the catalogs' words for it in Chinese).
    public func phrase(in language: DiagnosticLanguage) -> String {
        guard language == .zhCN else { return phrase }
        return switch self {
        case .none: "无"
        case .needsMapping: "需要映射"
        case .unsafe: "不安全"
        }
    }

    /// How the impact reads in text and Markdown.
    public var phrase: String {
        switch self {
        case .none: "none"
        case .needsMapping: "needs a mapping"
        case .unsafe: "unsafe"
        }
    }

    /// The diagnostic severity that renders it: a note, a warning or an error.
    public var severity: Severity {
        switch self {
        case .none: .note
        case .needsMapping: .warning
        case .unsafe: .error
        }
    }
}

/// One semantic difference between an old and a new version of a workflow.
public struct PolicyChange: Sendable, Equatable {
    /// The kind of change; its code and name come from the descriptor.
    public var kind: DiagnosticDescriptor
    public var impact: ChangeImpact
    /// One line: what changed, naming the state, event, role or field.
    public var message: String
    /// Why the impact is what it is.
    public var reason: String
    /// Where the element is written in the old file (nil for an addition).
    public var old: SpanIR?
    /// Where it is written in the new file (nil for a removal).
    public var new: SpanIR?
    /// The element's value before and after, in short text, when that says more than the message.
    public var before: String?
    public var after: String?

    public init(_ kind: DiagnosticDescriptor, _ impact: ChangeImpact, _ message: String, reason: String,
                old: SpanIR?, new: SpanIR?, before: String? = nil, after: String? = nil) {
        self.kind = kind
        self.impact = impact
        self.message = message
        self.reason = reason
        self.old = old
        self.new = new
        self.before = before
        self.after = after
    }

    public var code: DiagnosticCode { kind.code }

    /// Deterministic order: by place in the new file (removals by their place in the old one,
    /// after everything in the new file), then code and message.
    static func ordered(_ a: PolicyChange, _ b: PolicyChange) -> Bool {
        func key(_ c: PolicyChange) -> (Int, String, Int) {
            if let n = c.new { return (0, n.file, n.start) }
            if let o = c.old { return (1, o.file, o.start) }
            return (2, "", 0)
        }
        let ka = key(a), kb = key(b)
        if ka.0 != kb.0 { return ka.0 < kb.0 }
        if ka.1 != kb.1 { return ka.1 < kb.1 }
        if ka.2 != kb.2 { return ka.2 < kb.2 }
        if a.code != b.code { return a.code < b.code }
        return a.message < b.message
    }
}

extension PolicyChange {
    /// The change as a diagnostic, on the new file's line (a removal on the old file's), with
    /// its impact as the severity and as a note. `file` maps an IR file name to the display path
    /// of the version it belongs to (`old` says which).
    /// The note that says what the change does to running cases: `impact on running cases:
    /// IMPACT — REASON`.
    var impactNote: String { "impact on running cases: \(impact.phrase) — \(reason)" }

    /// The message, the reason and the before/after values in `language`, through the
    /// catalogs the diagnostic is shown with (so the text and the reports say the same).
    public func texts(in language: DiagnosticLanguage) -> (message: String, reason: String, before: String?, after: String?) {
        guard language != .en else { return (message, reason, before, after) }
        // The text after the catalog's own prefix (`修改前：`, `… — `), or the English value.
        func tail(_ text: String, _ part: DiagnosticLocalizer.Part, after separator: String, fallback: String) -> String {
            guard let t = DiagnosticLocalizer.translate(text, part: part, code: code, to: language),
                  let r = t.range(of: separator) else { return fallback }
            return String(t[r.upperBound...])
        }
        return (DiagnosticLocalizer.translate(message, part: .message, code: code, to: language) ?? message,
                tail(impactNote, .note, after: " — ", fallback: reason),
                before.map { tail("before: \($0)", .note, after: "：", fallback: $0) },
                after.map { tail("after: \($0)", .note, after: "：", fallback: $0) })
    }

    public func diagnostic(file: (_ irFile: String, _ old: Bool) -> String) -> Diagnostic {
        func span(_ s: SpanIR, old: Bool) -> SourceSpan { SourceSpan(file: file(s.file, old), start: s.start, end: s.end) }
        let primary: SourceSpan
        var secondary: [Label] = []
        if let n = new {
            primary = span(n, old: false)
            if let o = old { secondary.append(Label(span(o, old: true), "in the old version")) }
        } else if let o = old {
            primary = span(o, old: true)
        } else {
            primary = .unlocated
        }
        var notes: [String] = []
        if let before { notes.append("before: \(before)") }
        if let after { notes.append("after: \(after)") }
        notes.append(impactNote)
        return Diagnostic(severity: impact.severity, code: kind.code, message: message,
                          primary: Label(primary, new == nil ? "removed" : ""), secondary: secondary, notes: notes)
    }
}
