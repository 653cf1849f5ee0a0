import WFCService
import Foundation
import WFCDiagnostics
import WFCIR
import WFCRuntime
import WFCScenarios
import WFCStore

/// `--format` of the `wfc case` commands.
public enum CaseFormat: String, CaseIterable, Sendable {
    case human, json
}

/// What a `wfc case` command prints and its exit status.
public struct CaseOutput: Sendable {
    public var stdout = ""
    public var stderr = ""
    public var status: ExitStatus = .clean
}

/// The logic of `wfc case …`: the commands in `Sources/wfc/Case/` only parse arguments and
/// print a ``CaseOutput``. Every store operation goes through ``WorkflowService`` as the store's
/// operator (``Principal/storeOperator(actingAs:)``); this type reads the files the commands
/// name, renders the results and errors, and chooses the exit status. Exit status: 0 done; 1 refused, verify failed, an unusable
/// checkpoint, diagnostics in the workflow or data, or a conflict (retryable: run the command
/// again); 2 usage (bad argument or time, unknown case id, unsafe text, a reused key, a store
/// URL without a backend); 3 the store could not be opened, read or written, is corrupt, or is
/// not a wfc store.
/// Store failures are WFC7xxx diagnostics (``StoreDiagnostics``).
public struct CaseCommands: Sendable {
    public var storePath: String?
    public var format: CaseFormat
    /// How diagnostics (refusals, compiler errors, store errors) are rendered in human format,
    /// and their language (also with `--format json`).
    public var diagnostics: DiagnosticOutput
    public var environment: [String: String]
    /// How long a writer waits for another process's write lock before failing with WFC7004.
    public var busyTimeout: TimeInterval
    /// Output to print at once, before the command ends (`tick` and `verify --all` report each
    /// case as it is done, so that a killed command has shown what it committed). Without it,
    /// that output is part of the returned ``CaseOutput``.
    public var progress: (@Sendable (CaseOutput) -> Void)?

    public init(storePath: String?, format: CaseFormat, diagnostics: DiagnosticOutput, environment: [String: String] = ProcessInfo.processInfo.environment,
                busyTimeout: TimeInterval = 10) {
        self.storePath = storePath
        self.format = format
        self.diagnostics = diagnostics
        self.environment = environment
        self.busyTimeout = busyTimeout
    }

    /// The store file this command uses.
    public var resolvedStorePath: String { StoreLocation.resolve(option: storePath, environment: environment) }

    /// The store as messages show it (a URL without its password).
    var shownStorePath: String { StoreLocation.display(resolvedStorePath) }

    /// The service over this command's store: `.readWrite` for a command that writes,
    /// `.read` for one that only reads (an archived, read-only copy can be read and verified).
    func service(_ mode: StoreAccess.Mode) throws(CaseFailure) -> WorkflowService {
        do { return WorkflowService(store: try StoreAccess(location: resolvedStorePath, mode: mode, busyTimeout: busyTimeout)) } catch { throw CaseFailure(error) }
    }

    /// The operator, acting as nobody in particular.
    static let operatorPrincipal = Principal.storeOperator()

    /// Sends `piece` to ``progress`` at once, or adds it to `out`.
    func report(_ piece: CaseOutput, to out: inout CaseOutput) {
        if let progress {
            progress(piece)
        } else {
            out.stdout += piece.stdout
            out.stderr += piece.stderr
        }
    }

    /// Runs `body`, turning failures into output with the documented exit status.
    func guarded(_ body: () async throws(CaseFailure) -> CaseOutput) async -> CaseOutput {
        do { return try await body() } catch {
            if let e = error.store { return await failure(e) }
            var out = CaseOutput()
            out.status = error.status
            out.stderr = "wfc: " + error.message + "\n"
            return out
        }
    }

    /// A store failure as this command reports it: a WFC7xxx diagnostic on stderr (JSON Lines
    /// with `--format json`) and its exit status (``StoreDiagnostics/exitStatus(_:)``). A
    /// retryable failure also prints `{"outcome": "conflict", "retryable": true, …}` on stdout
    /// with `--format json`.
    public func failure(_ error: StoreError) async -> CaseOutput {
        var ids: [String] = []
        if case .notFound = error, let service = try? service(.read) {
            // Only for the suggestion: a store that fails now just gives none.
            ids = (try? await service.caseIDs(by: Self.operatorPrincipal)) ?? []
        }
        let d = StoreDiagnostics.diagnostic(error, storePath: shownStorePath, caseIDs: ids)
        var out = CaseOutput()
        out.status = StoreDiagnostics.exitStatus(error.kind)
        if format == .json && error.isRetryable {
            let message = DiagnosticLocalizer.localize(d, to: diagnostics.language).message
            out.stdout = json(ConflictView(outcome: "conflict", retryable: true, message: message, code: d.code.rawValue))
        }
        out.stderr = diagnosticOutput.render([d], sources: SourceMap([]))
        return out
    }

    /// True when the result lines are Chinese: `--lang zh-CN` (or the locale) chose it for the
    /// diagnostics. The JSON output is the same in every language.
    var zh: Bool { diagnostics.language == .zhCN }

    /// The English or the Chinese words, as ``zh`` says.
    func words(_ en: String, _ zh: String) -> String { self.zh ? zh : en }

    /// Case statuses in Chinese, as the web inbox names them.
    static let statusZH = ["running": "进行中", "completed": "已完成", "rejected": "已驳回", "cancelled": "已取消", "withdrawn": "已撤回"]

    /// The diagnostics renderer for this command's `--format`.
    var diagnosticOutput: DiagnosticOutput {
        DiagnosticOutput(format: format == .json ? .json : diagnostics.format, useColor: diagnostics.useColor, language: diagnostics.language)
    }

    /// `--now`: RFC 3339, or a date meaning 09:00 that day in `timeZone`; the clock when absent.
    func time(_ text: String?, _ timeZone: TimeZone) throws(CaseFailure) -> Date {
        guard let text else { return Date() }
        guard let d = ClockText.parse(text, timeZone: timeZone) else {
            throw CaseFailure(.usage, "--now `\(text)` is not a time: give RFC 3339 (2025-09-26T10:00:00+08:00) or a date (2025-09-26)")
        }
        return d
    }

    /// For a `--now` without a UTC offset: a line saying which time it was read as, and in
    /// which time zone (`zone` says why that one); empty when the text has an offset, and
    /// with `--format json`, whose stderr carries only JSON Lines.
    func timeNote(_ text: String, _ at: Date, _ timeZone: TimeZone, zone: String) -> String {
        guard !ClockText.hasOffset(text), format == .human else { return "" }
        return "wfc: note: --now `\(text)` has no UTC offset: read as \(ClockText.format(at, timeZone: timeZone)) (\(timeZone.identifier), \(zone))\n"
    }

    /// Why a workflow's times are read in the zone they are, for ``timeNote(_:_:_:zone:)``.
    static func zoneReason(_ def: Definition) -> String {
        def.calendar != nil ? "the workflow calendar's time zone" : "UTC: the workflow has no calendar"
    }

    func json<T: Encodable>(_ value: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? e.encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Renders a refusal as a diagnostic at the policy line, with the policy text.
    func render(_ refusal: Refusal, policy files: [PolicySource], fallback: SourceSpan) -> String {
        let map = SourceMap(files.map { SourceFile(path: $0.path, text: $0.text) })
        let display: (String) -> String = { ir in files.first { $0.irFile == ir }?.path ?? ir }
        return diagnosticOutput.render([RuntimeDiagnostics.diagnostic(refusal, file: display, fallback: fallback)], sources: map)
    }
}

/// A failed `wfc case` command: its exit status and message, or the store failure that is
/// reported as a diagnostic.
struct CaseFailure: Error {
    var status: ExitStatus
    var message: String
    var store: StoreError?

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    init(_ e: StoreError) {
        self.init(StoreDiagnostics.exitStatus(e.kind), e.description)
        store = e
    }

    /// A service failure: a store failure as above; anything else (the operator holds every
    /// scope, so this is not expected) as its message.
    init(_ e: ServiceError) {
        if case .store(let s) = e.cause { self.init(s) } else { self.init(.failure, e.description) }
    }
}

struct ConflictView: Encodable {
    var outcome: String
    var retryable: Bool
    var message: String
    var code: String
}

/// A refusal for JSON output.
struct RefusalView: Encodable {
    var code: String
    var kind: String
    var message: String
    var details: [String]
    var file: String?
    var line: Int?
    var column: Int?

    init(_ r: Refusal) {
        code = RuntimeDiagnostics.descriptor(r.kind).code.rawValue
        kind = r.kind.rawValue
        message = r.message
        details = r.details
        file = r.span?.file
        line = r.span?.line
        column = r.span?.column
    }
}

/// Pads columns for the human tables. Every cell is shown escaped (``StoredText/escaped(_:)``):
/// stored text may predate the rules, and a line break or escape code must not forge a row.
func table(_ cells: [[String]]) -> String {
    let rows = cells.map { $0.map(StoredText.escaped) }
    guard let width = rows.map(\.count).max() else { return "" }
    var widths = Array(repeating: 0, count: width)
    for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], displayWidth(c)) } }
    return rows.map { r in
        r.enumerated().map { i, c in i == r.count - 1 ? c : c + String(repeating: " ", count: widths[i] - displayWidth(c)) }.joined(separator: "  ")
    }.joined(separator: "\n") + "\n"
}

/// Terminal columns: CJK characters take two.
func displayWidth(_ s: String) -> Int {
    s.unicodeScalars.reduce(0) { n, u in
        let v = u.value
        let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
        return n + (wide ? 2 : 1)
    }
}
