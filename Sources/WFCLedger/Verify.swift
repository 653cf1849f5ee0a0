import Foundation
import WFCIR
import WFCRuntime

extension Ledger {
    /// Re-walks the hash chain (the first row whose number, link or hash is wrong is
    /// `firstBadSeq`), then replays the log against the pinned definition with the recorded
    /// times: accepted events must give the recorded snapshot hash, refused attempts must still
    /// be refused, and the final snapshot must equal the stored one.
    public func verify(_ caseID: String) async throws(StoreError) -> VerifyReport {
        try await verify(caseID, checkpoint: nil)
    }

    /// ``verify(_:)``; with `checkpoint`, also that the intact log holds the signed head: at
    /// least `seq` events, event `seq` with the signed hash, the signed definition. (The
    /// caller checks the checkpoint's signature.)
    public func verify(_ caseID: String, checkpoint: Checkpoint.Head?) async throws(StoreError) -> VerifyReport {
        let all = try await repository.caseRows(caseID)
        let caseRow = all.record, rows = all.events, timerRows = all.timers, taskRows = all.tasks, definitionRow = all.definition
        var irText: String?
        if let h = caseRow.definitionHash, definitionRow != nil, cachedDefinition(h) == nil {
            // A definition this ledger has already loaded (and hash-checked) is not decoded
            // again. Definitions are immutable, so reading the IR apart is consistent.
            irText = try await repository.definition(hash: h, withIR: true)?.irJSON ?? ""
        }
        var report = VerifyReport(caseID: caseID, events: rows.count, firstBadSeq: nil, firstDivergentSeq: nil, problems: [])
        report.definitionHash = caseRow.definitionHash
        func bad(_ seq: Int, _ why: String) {
            if report.firstBadSeq == nil { report.firstBadSeq = seq }
            report.problems.append("event \(seq): \(why)")
            report.findings.append(VerifyFinding(kind: .chainBroken, seq: seq, message: why))
        }
        func other(_ kind: VerifyFinding.Kind, _ why: String) {
            report.problems.append(why)
            report.findings.append(VerifyFinding(kind: kind, message: why))
        }

        // 1. The chain.
        var events: [AuditEvent] = []
        var prev = HashChain.genesis
        walk: for (i, row) in rows.enumerated() {
            let expected = i + 1
            let e: AuditEvent
            switch row {
            case .success(let decoded): e = decoded
            case .failure(let error):
                bad(expected, "the row does not decode (\(error))")
                break walk
            }
            if e.seq != expected { bad(expected, "missing (the next stored event is \(e.seq))"); break }
            if e.prevHash != prev { bad(e.seq, "prev_hash does not link to event \(e.seq - 1)"); break }
            if HashChain.hash(e) != e.hash { bad(e.seq, "the stored hash does not match the event's content (the row was edited)"); break }
            prev = e.hash
            events.append(e)
        }
        let headSeq = caseRow.headSeq ?? -1
        let headHash = caseRow.headHash ?? ""
        if report.firstBadSeq == nil {
            if headSeq != events.count || headHash != prev {
                bad(min(headSeq, events.count + 1), "the case's chain head (event \(headSeq)) does not match the log's last event (\(events.count)): events were removed or added")
            }
        }

        // The signed head: the intact log must reach it with the same hash.
        if let cp = checkpoint {
            func lost(_ why: String) {
                report.problems.append("checkpoint: \(why)")
                report.findings.append(VerifyFinding(kind: .checkpointMismatch, seq: cp.seq, message: why))
            }
            if cp.seq < 1 {
                lost("the checkpoint's head (event \(cp.seq)) is not an event number")
            } else if events.count < cp.seq {
                lost("the checkpoint signed \(cp.seq) events, the intact log has \(events.count): events were removed or changed")
            } else if events[cp.seq - 1].hash != cp.headHash {
                lost("event \(cp.seq) hashes to \(events[cp.seq - 1].hash.prefix(12)), the checkpoint signed \(cp.headHash.prefix(12)): the log was rewritten")
            }
            // The definition in force at the signed event: a later migration re-pins the case.
            let migrations = events.prefix(max(0, min(cp.seq, events.count))).compactMap(Self.migration)
            let signedDefinition = migrations.last?.to ?? events.compactMap(Self.migration).first?.from ?? report.definitionHash
            if signedDefinition != cp.definitionHash {
                lost("the case is pinned to \(report.definitionHash ?? "no definition"), the checkpoint signed \(cp.definitionHash)")
            }
        }

        // 2. The replay, over the events whose chain is intact.
        let pinned = report.definitionHash
        guard let definitionRow else {
            other(.definitionInvalid, "the pinned definition is missing")
            return report
        }
        let def: Definition
        if let h = pinned, irText == nil, let cached = cachedDefinition(h) {
            def = cached
        } else {
            let irText = irText ?? ""
            do { def = try Definition(irJSON: Data(irText.utf8)) } catch {
                other(.definitionInvalid, "the pinned definition does not load: \(error)")
                return report
            }
            if let h = pinned, h != def.hash {
                other(.definitionInvalid, "the pinned definition hashes to \(def.hash), not \(h)")
            } else {
                cacheDefinition(def)
            }
        }
        // A migrated case started on the definition its first migration left.
        var current = def
        if let first = events.compactMap(Self.migration).first, first.from != def.hash {
            do { current = try await self.pinned(first.from) } catch {
                other(.definitionInvalid, "the definition the case started on (\(first.from)) does not load: \(error)")
                return report
            }
        }
        let definitionWorkflow = definitionRow.workflow
        if definitionWorkflow != def.ir.id {
            other(.definitionInvalid, "the definitions row names workflow \(definitionWorkflow.map { "`\(StoredText.escaped($0))`" } ?? "NULL"), its IR `\(def.ir.id)`")
        }
        func diverge(_ seq: Int, _ why: String, refusal: Refusal? = nil) {
            if report.firstDivergentSeq == nil { report.firstDivergentSeq = seq }
            report.problems.append("event \(seq): replay: \(why)")
            report.findings.append(VerifyFinding(kind: .replayDiverged, seq: seq, message: why, refusal: refusal.map(StoredRefusal.init)))
        }
        var snap: CaseSnapshot?
        replay: for e in events {
            guard let outcome = e.decodedOutcome else { diverge(e.seq, "the outcome does not decode"); break }
            guard let time = Timestamp(rfc3339: e.time) else { diverge(e.seq, "time `\(e.time)` is not RFC 3339 UTC"); break }
            let result: StepResult
            var next: Definition?
            switch (e.kind, snap) {
            case (.start, nil):
                guard let p = try? JSONDecoder().decode(StartPayload.self, from: Data(e.payload.utf8)) else { diverge(e.seq, "the start payload does not decode"); break replay }
                result = Engine.start(current, caseID: caseID, data: p.data, people: p.people, now: time.date)
            case (.event, let s?), (.refused, let s?):
                guard let p = try? JSONDecoder().decode([String: ValueIR].self, from: Data(e.payload.utf8)) else { diverge(e.seq, "the payload does not decode"); break replay }
                guard let actor = e.actor else { diverge(e.seq, "an event without an actor"); break replay }
                guard let event = Event.recorded(e.name, actor: actor, payload: p, idempotencyKey: e.idempotencyKey, item: e.item, role: e.role,
                                                 actingFor: e.actingFor) else {
                    diverge(e.seq, "the payload's assignment does not decode"); break replay
                }
                result = Engine.fire(current, s, event, now: time.date)
            case (.tick, let s?):
                result = Engine.tick(current, s, now: time.date)
            case (.migrate, let s?):
                guard let p = Self.migration(e) else { diverge(e.seq, "the migration payload does not decode"); break replay }
                guard p.from == current.hash else { diverge(e.seq, "the migration starts from \(p.from), the case was on \(current.hash)"); break replay }
                guard (try? p.plan.hash()) == p.planHash else { diverge(e.seq, "the migration plan does not hash to the recorded \(p.planHash)"); break replay }
                let target: Definition
                do { target = try await self.pinned(p.to) } catch {
                    diverge(e.seq, "the definition the case migrated to (\(p.to)) does not load: \(error)")
                    break replay
                }
                result = Migration.apply(current, s, p.plan, to: target, now: time.date)
                if case .accepted = result { next = target }
            default:
                diverge(e.seq, "a `\(e.kind.rawValue)` event cannot come \(snap == nil ? "first" : "after the start")")
                break replay
            }
            switch (result, e.kind) {
            case (.refused(let r), .refused):
                if r.kind.rawValue != outcome.refusal?.kind {
                    diverge(e.seq, "refused as \(r.kind.rawValue), recorded as \(outcome.refusal?.kind ?? "-")")
                    break replay
                }
            case (.refused(let r), _):
                diverge(e.seq, "recorded as accepted, replay refuses it: \(r.message)", refusal: r)
                break replay
            case (.accepted, .refused):
                diverge(e.seq, "recorded as refused (\(outcome.refusal?.message ?? "")), replay accepts it")
                break replay
            case (.accepted(let step), _):
                guard let data = try? step.snapshot.json(), let reloaded = try? CaseSnapshot.load(data) else {
                    diverge(e.seq, "the replayed snapshot does not encode")
                    break replay
                }
                if HashChain.sha256(data) != outcome.snapshotHash || step.snapshot.version != outcome.version {
                    diverge(e.seq, "the replayed snapshot (version \(step.snapshot.version)) differs from the recorded one (version \(outcome.version))")
                    break replay
                }
                if outcome.note != step.reassignmentNote {
                    diverge(e.seq, "the recorded reassignment `\(StoredText.escaped(outcome.note ?? "-"))` differs from the replay's `\(step.reassignmentNote ?? "-")`")
                    break replay
                }
                // Continue from the decoded form, as the live store does.
                snap = reloaded
                if let next { current = next }
            }
        }
        if report.firstDivergentSeq == nil, report.firstBadSeq == nil, current.hash != def.hash {
            other(.snapshotMismatch, "the case row pins \(def.hash), the log's migrations end on \(current.hash)")
        }
        if report.firstDivergentSeq == nil, report.firstBadSeq == nil {
            let stored = caseRow.snapshot ?? ""
            let replayed = snap.flatMap { try? $0.json() }.map { String(decoding: $0, as: UTF8.self) }
            if replayed != stored { other(.snapshotMismatch, "the stored snapshot differs from the replay of the log (the case row was edited)") }
            else if let s = snap, caseRow.version != s.version || caseRow.status != s.status.rawValue {
                other(.snapshotMismatch, "the case row's version or status differs from its snapshot")
            }
            // Every other column the replay determines: what `list` shows and `tick` selects by.
            if let s = snap, let state = try? CaseState(def, s) {
                let columns: [(String, String?, String?)] = [
                    ("workflow_id", def.ir.id, caseRow.workflow),
                    ("active", state.activeJSON, caseRow.active),
                    ("created_at", s.createdAt.description, caseRow.createdAt),
                    ("updated_at", state.updatedAt, caseRow.updatedAt),
                    ("next_due", state.nextDue, caseRow.nextDue),
                ]
                for (name, expected, found) in columns where expected != found {
                    other(.snapshotMismatch, "the case row's `\(name)` is \(found.map { "`\(StoredText.escaped($0))`" } ?? "NULL"), the replay gives \(expected.map { "`\($0)`" } ?? "NULL")")
                }
                if Self.counted(timerRows) != Self.counted(state.timerRows) {
                    other(.snapshotMismatch, "the timers table holds \(timerRows.count) row(s) for the case that differ from the \(state.timers.count) the replay gives")
                }
                // The task index decides whose inbox shows the case.
                let tasks = state.taskRows(def, s)
                if let taskRows, Self.counted(taskRows) != Self.counted(tasks) {
                    other(.snapshotMismatch, "the task index holds \(taskRows.count) row(s) for the case that differ from the \(tasks.count) the replay gives")
                }
            }
        }
        return report
    }

    /// The payload of a migration event; nil for other events and a payload that does not decode.
    static func migration(_ e: AuditEvent) -> MigratePayload? {
        guard e.kind == .migrate else { return nil }
        return try? JSONDecoder().decode(MigratePayload.self, from: Data(e.payload.utf8))
    }

    /// Rows as a multiset: their order is not part of what a repository stores.
    static func counted<T: Hashable>(_ rows: [T]) -> [T: Int] {
        rows.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }
}
