import Foundation
import WFCDiagnostics
import WFCIR
import WFCRuntime
import WFCStore

extension Principal {
    /// The CLI's local operator: whoever can open the store file can read and write every
    /// case, so it holds every scope. `person` is the one it acts as (`--as`); without one a
    /// start records no actor.
    public static func storeOperator(actingAs person: String? = nil) -> Principal {
        Principal(person: person ?? "", scopes: [adminScope, startScope])
    }
}

/// One case's verify result with what a front end needs to render it: the full report and
/// its diagnostics (WFC7008–WFC7011, WFC7017) with the policy text they point into.
public struct VerifyOutcome: Sendable {
    public var report: VerifyReport
    public var diagnostics: [Diagnostic]
    public var sources: [SourceFile]

    /// The JSON form (``WorkflowService/verify(caseID:by:)``).
    public var result: VerifyResult {
        VerifyResult(id: report.caseID, ok: report.ok, events: report.events, firstBadSeq: report.firstBadSeq, firstDivergentSeq: report.firstDivergentSeq,
                     problems: report.problems, diagnostics: report.ok ? [] : DiagnosticJSON.from(diagnostics, sources: SourceMap(sources)))
    }
}

/// Operations for callers that compile workflows themselves and read the store whole: the
/// CLI, whose operator holds the store file (``Principal/storeOperator(actingAs:)``).
extension WorkflowService {
    /// Starts a case on a definition the caller compiled (the CLI compiles the workflow file
    /// with its imports and calendars), pinning it, and attaches `policy` (the source files,
    /// named as the IR names them) once the case is stored. A refusal is thrown with
    /// ``ServiceError/Cause/refused(_:policy:recorded:replayed:)``.
    public func startCase(on definition: Definition, policy: [PolicySource], id: String?, data: [String: ValueIR], people: [String: String],
                          by who: Principal) async throws(ServiceError) -> CaseView {
        guard who.isAdmin || who.scopes.contains(Principal.startScope) else {
            throw ServiceError(.forbidden, MissingScope(message: "starting a case needs the `\(Principal.startScope)` or `\(Principal.adminScope)` scope"),
                               help: "ask for a token with --scope \(Principal.startScope)")
        }
        return try await start(definition, id: id, data: data, people: people, by: who, policy: policy)
    }

    /// The stored case — its pinned definition, snapshot and chain head — for a participant
    /// or an administrator.
    public func storedCase(_ caseID: String, by who: Principal) async throws(ServiceError) -> StoredCase {
        try await readable(caseID, who)
    }

    /// Every case id in the store, sorted (administrators only).
    public func caseIDs(by who: Principal) async throws(ServiceError) -> [String] {
        try require(Principal.adminScope, who, "listing every case id")
        return try await call { () async throws(StoreError) in try await store.caseIDs() }
    }

    /// The chain head of every case, to sign as a checkpoint (administrators only).
    public func heads(by who: Principal) async throws(ServiceError) -> [Checkpoint.Head] {
        try require(Principal.adminScope, who, "reading every case's chain head")
        return try await call { () async throws(StoreError) in try await store.heads() }
    }

    /// Verifies one case; with `head` (from a checkpoint whose signature the caller checked),
    /// also that the log still holds the signed head — a case the checkpoint signed that is
    /// gone from the store is a failed report, not an error. For a participant or an administrator.
    public func verifyCase(_ caseID: String, against head: Checkpoint.Head?, by who: Principal) async throws(ServiceError) -> VerifyOutcome {
        if !who.isAdmin { _ = try await readable(caseID, who) }
        let r: VerifyReport
        do throws(StoreError) {
            r = try await store.verify(caseID, checkpoint: head)
        } catch .notFound(let missing) where head != nil && missing == caseID {
            r = VerifyReport.missing(head ?? Checkpoint.Head(caseID: missing, seq: 0, headHash: "", definitionHash: ""))
        } catch {
            throw Self.map(error)
        }
        guard !r.ok else { return VerifyOutcome(report: r, diagnostics: [], sources: []) }
        // A replay refusal points at its policy line; policy text that cannot be read only
        // costs the diagnostics their source lines.
        var files: [PolicySource] = []
        if let h = r.definitionHash { files = (try? await store.sources(h)) ?? [] }
        let diagnostics = StoreDiagnostics.diagnostics(r, file: { ir in files.first { $0.irFile == ir }?.path ?? ir })
        return VerifyOutcome(report: r, diagnostics: diagnostics, sources: files.map { SourceFile(path: $0.path, text: $0.text) })
    }
}
