import Foundation
import WFCDiagnostics
import WFCLedger
import WFCRuntime

/// A diagnostic in its JSON form: the fields of `--format json` (``JSONLinesRenderer``), so
/// that the API and the CLI describe a problem the same way.
public struct DiagnosticJSON: Codable, Equatable, Sendable {
    public struct Position: Codable, Equatable, Sendable {
        public var offset: Int
        public var line: Int
        public var column: Int
    }
    public struct Location: Codable, Equatable, Sendable {
        public var file: String
        public var start: Position
        public var end: Position
        public var label: String?
    }
    public struct Fix: Codable, Equatable, Sendable {
        public var message: String
        public var location: Location
        public var replacement: String
    }

    public var severity: String
    public var code: String
    public var message: String
    /// Absent for a diagnostic about no file.
    public var file: String?
    public var start: Position?
    public var end: Position?
    public var label: String?
    public var related: [Location]
    public var notes: [String]
    public var help: String?
    public var fixes: [Fix]

    /// `diagnostics` as the JSON renderer writes them, positions resolved against `sources`.
    public static func from(_ diagnostics: [Diagnostic], sources: SourceMap = SourceMap()) -> [DiagnosticJSON] {
        let decoder = JSONDecoder()
        // One line per diagnostic: the renderer is the single definition of the JSON form.
        return JSONLinesRenderer().render(diagnostics, sources: sources).split(separator: "\n").compactMap { line in
            try? decoder.decode(DiagnosticJSON.self, from: Data(line.utf8))
        }
    }
}

/// Why a service call failed: the WFC code, what kind of failure it is (which the CLI maps to
/// an exit status and the server to an HTTP status), a message and the diagnostics.
public struct ServiceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure: the front ends map each kind to their own status.
    public enum Kind: Equatable, Sendable {
        /// The request is malformed: bad JSON, a missing or unknown field, unsafe text, a
        /// reused idempotency key, a bad cursor.
        case badRequest
        /// No identity, or one that cannot be verified.
        case unauthenticated
        /// The person may not do this: a missing scope, not a participant of the case, or
        /// the policy's `not-authorized` (WFC6009) and `role-not-held` (WFC6019).
        case forbidden
        /// No such case or definition.
        case notFound
        /// The case changed meanwhile (retryable: nothing was recorded) or the id is taken.
        case conflict(retryable: Bool)
        /// The request body is larger than the limit.
        case tooLarge
        /// The policy refused the start or the event (recorded, for an event).
        case refused
        /// The posted workflow does not compile.
        case invalidWorkflow
        /// The store cannot be opened, read or written, or is corrupt.
        case unavailable
    }

    /// The WFC code (`WFC7001`, `WFC6009`, …).
    public var code: String
    public var kind: Kind
    public var message: String
    /// Every diagnostic, in JSON form; the first is the one `code` names.
    public var diagnostics: [DiagnosticJSON]
    /// For a refused event: the audit event that recorded the refusal.
    public var recordedSeq: Int?
    /// What failed underneath, for a front end that reports it in its own terms (the CLI
    /// names its store file and suggests case ids); nil for the service's own refusals.
    public var cause: Cause?

    /// The failure underneath a ``ServiceError``.
    public enum Cause: Equatable, Sendable {
        /// The case ledger failed.
        case store(StoreError)
        /// The policy refused a start or an event. `policy` is the stored policy text the
        /// refusal points into; `recorded` the audit event that chained the refused attempt
        /// (nil for a start, which records nothing), or — with `replayed` — the first attempt
        /// of a repeated idempotency key.
        case refused(Refusal, policy: [PolicySource], recorded: AuditEvent?, replayed: Bool)
    }

    public init(code: String, kind: Kind, message: String, diagnostics: [DiagnosticJSON] = [], recordedSeq: Int? = nil, cause: Cause? = nil) {
        self.code = code
        self.kind = kind
        self.message = message
        self.diagnostics = diagnostics
        self.recordedSeq = recordedSeq
        self.cause = cause
    }

    /// The error of `diagnostics` (the first names the code), rendered against `sources`.
    public init(_ kind: Kind, _ diagnostics: [Diagnostic], sources: SourceMap = SourceMap(), recordedSeq: Int? = nil, cause: Cause? = nil) {
        let first = diagnostics.first
        self.init(code: first?.code.rawValue ?? "", kind: kind, message: first?.message ?? "",
                  diagnostics: DiagnosticJSON.from(diagnostics, sources: sources), recordedSeq: recordedSeq, cause: cause)
    }

    /// One unlocated diagnostic of `message`'s type.
    public init(_ kind: Kind, _ message: some DiagnosticMessage, notes: [String] = [], help: String? = nil) {
        self.init(kind, [Diagnostic(message, at: .unlocated, notes: notes, help: help)])
    }

    /// True when the same request may succeed if sent again.
    public var isRetryable: Bool {
        kind == .conflict(retryable: true)
            || kind == .unavailable && [StoreError.Kind.busy, .unavailable].map { StoreDiagnostics.descriptor($0).code.rawValue }.contains(code)
    }

    public var description: String { "\(code): \(message)" }
}
