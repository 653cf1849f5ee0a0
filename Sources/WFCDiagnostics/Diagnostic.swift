/// How serious a diagnostic is. Errors fail `wfc check`; warnings fail it only with `--strict`.
public enum Severity: String, Sendable, Hashable, Codable, CaseIterable {
    case error
    case warning
    case note

    /// Sort rank: errors first.
    var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }
}

/// A stable diagnostic identifier such as `WFC1003`. Codes never change meaning once released.
public struct DiagnosticCode: RawRepresentable, Hashable, Sendable, Comparable, Codable,
    CustomStringConvertible, ExpressibleByStringLiteral
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A range of UTF-8 bytes in one source file. `end` is exclusive.
public struct SourceSpan: Hashable, Sendable, Codable {
    /// The file, interned (see ``SourcePath``).
    public var path: SourcePath
    public var start: Int
    public var end: Int

    public init(path: SourcePath, start: Int, end: Int) {
        self.path = path
        self.start = start
        self.end = max(start, end)
    }

    public init(file: String, start: Int, end: Int) {
        self.init(path: SourcePath(file), start: start, end: end)
    }

    /// The file's display path (as given on the command line, or `<stdin>`).
    public var file: String {
        get { path.string }
        set { path = SourcePath(newValue) }
    }

    /// An empty span at `offset`.
    public static func point(_ file: String, _ offset: Int) -> SourceSpan {
        SourceSpan(file: file, start: offset, end: offset)
    }

    /// An empty span at `offset`.
    public static func point(_ path: SourcePath, _ offset: Int) -> SourceSpan {
        SourceSpan(path: path, start: offset, end: offset)
    }

    /// No place in any file, for failures that concern no source text (a case store, a case
    /// id). Renderers print such a diagnostic without a location.
    public static let unlocated = SourceSpan(path: .none, start: 0, end: 0)

    /// True when the span names no file (``unlocated``).
    public var isUnlocated: Bool { path == .none }

    private enum CodingKeys: String, CodingKey { case file, start, end }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(file: try c.decode(String.self, forKey: .file), start: try c.decode(Int.self, forKey: .start),
                  end: try c.decode(Int.self, forKey: .end))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
    }
}

/// A span with a short text printed next to its underline.
public struct Label: Hashable, Sendable {
    public var span: SourceSpan
    public var message: String

    public init(_ span: SourceSpan, _ message: String = "") {
        self.span = span
        self.message = message
    }
}

/// A machine-applicable edit: replace the bytes of `span` with `replacement`.
public struct FixIt: Hashable, Sendable {
    public var message: String
    public var span: SourceSpan
    public var replacement: String

    public init(_ message: String, replacing span: SourceSpan, with replacement: String) {
        self.message = message
        self.span = span
        self.replacement = replacement
    }
}

/// One problem found in a source file.
///
/// Build diagnostics from a ``DiagnosticMessage`` type so that every code has exactly one
/// message type, one descriptor and one place where its wording lives.
public struct Diagnostic: Hashable, Sendable {
    public var severity: Severity
    public var code: DiagnosticCode
    public var message: String
    /// Where the fault is; the caret goes here.
    public var primary: Label
    /// Related places, e.g. the first definition of a duplicate key.
    public var secondary: [Label]
    /// Background facts, printed as `= note:` lines.
    public var notes: [String]
    /// What to do about it, printed as `= help:`.
    public var help: String?
    public var fixIts: [FixIt]
    /// Set when an ignore or the configuration suppressed the diagnostic: it is then shown
    /// only by `wfc check --show-suppressed` and never fails a command.
    public var suppression: Suppression?

    public init(
        severity: Severity, code: DiagnosticCode, message: String, primary: Label,
        secondary: [Label] = [], notes: [String] = [], help: String? = nil, fixIts: [FixIt] = []
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.primary = primary
        self.secondary = secondary
        self.notes = notes
        self.help = help
        self.fixIts = fixIts
    }

    /// Builds a diagnostic from a message type, taking its code and default severity from the
    /// type's descriptor.
    public init<M: DiagnosticMessage>(
        _ message: M, at span: SourceSpan, label: String = "", secondary: [Label] = [],
        notes: [String] = [], help: String? = nil, fixIts: [FixIt] = [], severity: Severity? = nil
    ) {
        self.init(
            severity: severity ?? M.descriptor.severity, code: M.descriptor.code,
            message: message.message, primary: Label(span, label), secondary: secondary,
            notes: notes, help: help ?? message.help, fixIts: fixIts)
    }

    public var file: String { primary.span.file }
}

/// Why a diagnostic was suppressed, in SARIF's terms (`suppressions[].kind`).
public struct Suppression: Hashable, Sendable {
    public enum Kind: String, Sendable, Hashable {
        /// A `# wfc-ignore:` comment in the file itself.
        case inSource
        /// The configuration file (`.wfc.yaml`): a path ignore or `off` severity.
        case external
    }

    public var kind: Kind
    /// The reason written with the ignore.
    public var justification: String
    /// Where the ignore was written (the comment, or the config entry).
    public var location: SourceSpan?

    public init(kind: Kind, justification: String, location: SourceSpan? = nil) {
        self.kind = kind
        self.justification = justification
        self.location = location
    }
}

/// One kind of diagnostic. Each conforming type owns one code, like swift-syntax's
/// `DiagnosticMessage`; its static ``descriptor`` feeds `wfc explain`, SARIF rules and the docs.
public protocol DiagnosticMessage: Sendable {
    static var descriptor: DiagnosticDescriptor { get }
    /// The one-line message, specific to this occurrence.
    var message: String { get }
    /// A default help text; a call site may give a more specific one.
    var help: String? { get }
}

extension DiagnosticMessage {
    public var help: String? { nil }
}

/// Everything that is known about a code independently of any occurrence.
public struct DiagnosticDescriptor: Sendable, Hashable {
    public var code: DiagnosticCode
    public var severity: Severity
    /// A short name, e.g. "duplicate-key". Used as the SARIF rule name.
    public var name: String
    /// One sentence: what the problem is.
    public var summary: String
    /// The long form printed by `wfc explain`.
    public var explanation: String
    /// A minimal bad input that produces this code.
    public var example: String
    /// The same input, fixed.
    public var fix: String

    public init(
        code: DiagnosticCode, severity: Severity = .error, name: String, summary: String,
        explanation: String, example: String, fix: String
    ) {
        self.code = code
        self.severity = severity
        self.name = name
        self.summary = summary
        self.explanation = explanation
        self.example = example
        self.fix = fix
    }
}

extension Diagnostic {
    /// Deterministic order: file, position, severity, code, message.
    public static func ordered(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.primary.span.file != b.primary.span.file { return a.primary.span.file < b.primary.span.file }
        if a.primary.span.start != b.primary.span.start { return a.primary.span.start < b.primary.span.start }
        if a.severity.rank != b.severity.rank { return a.severity.rank < b.severity.rank }
        if a.code != b.code { return a.code < b.code }
        if a.primary.span.end != b.primary.span.end { return a.primary.span.end < b.primary.span.end }
        return a.message < b.message
    }
}

extension Array where Element == Diagnostic {
    /// Sorted in the deterministic output order, with exact duplicates removed.
    public func sortedForOutput() -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return self.sorted(by: Diagnostic.ordered).filter { seen.insert($0).inserted }
    }

    /// Errors that count: suppressed ones do not.
    public var errorCount: Int { self.lazy.filter { $0.severity == .error && $0.suppression == nil }.count }
    public var warningCount: Int { self.lazy.filter { $0.severity == .warning && $0.suppression == nil }.count }
}
