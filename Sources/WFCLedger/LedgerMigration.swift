import Foundation
import WFCIR
import WFCRuntime

extension Ledger {
    /// Moves a running case to `new` by `plan` (``Migration/apply(_:_:_:to:now:)``), as ONE step
    /// of its hash chain: a ``AuditKind/migrate`` event whose payload holds both definition
    /// hashes, the plan's hash and the plan, appended with the new snapshot, timers and tasks
    /// while the case row is re-pinned to `new` — all in one transaction, conditional on the
    /// version that was read. `new` is pinned first (content-addressed, idempotent).
    /// A refusal writes nothing: the case stays on its version. `dryRun` writes nothing either
    /// and returns the case the migration would give.
    public func migrate(_ caseID: String, plan: MigrationPlanIR, to new: Definition, actor: String?, now: Date, dryRun: Bool = false) async throws(StoreError) -> MigrateOutcome {
        if let actor { try StoredText.check(actor, what: "the actor") }
        let (current, _) = try await loadKnown(caseID)
        let step: Step
        switch Migration.apply(current.definition, current.snapshot, plan, to: new, now: now) {
        case .refused(let r): return .refused(r)
        case .accepted(let s): step = s
        }
        if dryRun { return .wouldMigrate(step) }
        let planHash: String
        let payload: String
        do {
            planHash = try plan.hash()
        } catch {
            throw .invalidArgument("the migration plan does not encode: \(error)")
        }
        payload = try CanonicalJSON.encode(MigratePayload(from: current.definition.hash, to: new.hash, planHash: planHash, plan: plan))
        // Pinned before the step that points at it. A cached definition came from this store
        // or was put there, so only the first case of a run writes it (a write per case halved
        // the migration rate).
        if cachedDefinition(new.hash) == nil {
            _ = try await repository.putDefinition(try Self.record(new, now: now))
            cacheDefinition(new)
        }
        let s = try CaseState(new, step.snapshot)
        var audit = AuditEvent(caseID: caseID, seq: current.headSeq + 1, kind: .migrate, name: "migrate", actor: actor, role: nil, item: nil,
                               payload: payload, idempotencyKey: nil, time: Timestamp(now).description,
                               outcome: try CanonicalJSON.encode(s.outcome(accepted: true)), prevHash: current.headHash, hash: "")
        audit.hash = HashChain.hash(audit)
        var write = Append(caseID: caseID, expectedVersion: current.snapshot.version, expectedHeadSeq: current.headSeq, event: audit,
                           columns: s.columns, timers: s.timerRows, tasks: s.taskRows(new, step.snapshot), outbox: try outboxEntries(step, audit))
        write.definitionHash = new.hash
        switch await queue.submit(write) {
        case .success:
            cases.remember(caseID, CachedCase(snapshot: step.snapshot, state: s, headSeq: audit.seq, headHash: audit.hash, taskRows: write.tasks ?? []))
            return .migrated(step, audit)
        case .failure(let e):
            throw e
        }
    }

    /// The ids of the running cases pinned to the definition `hash`, sorted.
    public func runningCases(of hash: String) async throws(StoreError) -> [String] {
        guard let d = try await repository.definition(hash: hash, withIR: false) else { throw .unknownDefinition(hash: hash) }
        var ids: [String] = []
        var cursor: String?
        repeat {
            let page = try await list(CaseFilter(workflow: d.workflow, status: CaseStatus.running.rawValue, limit: 500, cursor: cursor), now: Date())
            ids += page.cases.filter { $0.definitionHash == hash }.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil
        return ids.sorted()
    }
}
