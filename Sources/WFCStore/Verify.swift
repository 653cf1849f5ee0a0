import Foundation
import GRDB
import WFCIR
import WFCRuntime

extension SQLiteCaseStore {
    /// Re-walks the hash chain (the first row whose number, link or hash is wrong is
    /// `firstBadSeq`), then replays the log against the pinned definition with the recorded
    /// times: accepted events must give the recorded snapshot hash, refused attempts must still
    /// be refused, and the final snapshot must equal the stored one.
    public func verify(_ caseID: String) throws(StoreError) -> VerifyReport {
        try verify(caseID, checkpoint: nil)
    }

    /// ``verify(_:)``; with `checkpoint`, also that the intact log holds the signed head: at
    /// least `seq` events, event `seq` with the signed hash, the signed definition. (The
    /// caller checks the checkpoint's signature.)
    public func verify(_ caseID: String, checkpoint: Checkpoint.Head?) throws(StoreError) -> VerifyReport {
        let (rows, caseRow, irText, timerRows, definitionRow) = try read { db throws -> ([Row], Row, String?, [String], Row?) in
            guard let c = try Row.fetchOne(db, sql: "SELECT * FROM cases WHERE id = ?", arguments: [caseID]) else { throw StoreError.notFound(caseID: caseID) }
            let events = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE case_id = ? ORDER BY seq", arguments: [caseID])
            let hash = (c["definition_hash"] as DatabaseValue).storage
            var ir: String?
            var row: Row?
            if case .string(let h) = hash {
                row = try Row.fetchOne(db, sql: "SELECT workflow_id FROM definitions WHERE hash = ?", arguments: [h])
                // A definition this store has already loaded (and hash-checked) is not decoded again.
                if row != nil, self.cachedDefinition(h) == nil {
                    ir = try Row.fetchOne(db, sql: "SELECT ir_json FROM definitions WHERE hash = ?", arguments: [h]).flatMap { try? Self.text($0, "ir_json") } ?? ""
                }
            }
            // In the form of CaseState.timerRows; a value of the wrong type never matches.
            let timers = try Row.fetchAll(db, sql: "SELECT state, kind, due, fired FROM timers WHERE case_id = ?", arguments: [caseID]).map { r -> String in
                let fired = Self.int((r["fired"] as DatabaseValue).storage).map { $0 != 0 ? "true" : "false" } ?? "?"
                return "\((try? Self.text(r, "state")) ?? "?")|\((try? Self.text(r, "kind")) ?? "?")|\((try? Self.text(r, "due")) ?? "?")|\(fired)"
            }
            return (events, c, ir, timers, row)
        }
        var report = VerifyReport(caseID: caseID, events: rows.count, firstBadSeq: nil, firstDivergentSeq: nil, problems: [])
        if case .string(let h) = (caseRow["definition_hash"] as DatabaseValue).storage { report.definitionHash = h }
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
        for (i, row) in rows.enumerated() {
            let expected = i + 1
            let e: AuditEvent
            do { e = try Self.audit(row) } catch {
                bad(expected, "the row does not decode (\(Self.map(error, "reading")))")
                break
            }
            if e.seq != expected { bad(expected, "missing (the next stored event is \(e.seq))"); break }
            if e.prevHash != prev { bad(e.seq, "prev_hash does not link to event \(e.seq - 1)"); break }
            if HashChain.hash(e) != e.hash { bad(e.seq, "the stored hash does not match the event's content (the row was edited)"); break }
            prev = e.hash
            events.append(e)
        }
        let headSeq = (try? Self.integer(caseRow, "head_seq")) ?? -1
        let headHash = (try? Self.text(caseRow, "head_hash")) ?? ""
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
            if report.definitionHash != cp.definitionHash {
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
        let definitionWorkflow = try? Self.optionalText(definitionRow, "workflow_id")
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
            switch (e.kind, snap) {
            case (.start, nil):
                guard let p = try? JSONDecoder().decode(StartPayload.self, from: Data(e.payload.utf8)) else { diverge(e.seq, "the start payload does not decode"); break replay }
                result = Engine.start(def, caseID: caseID, data: p.data, people: p.people, now: time.date)
            case (.event, let s?), (.refused, let s?):
                guard let p = try? JSONDecoder().decode([String: ValueIR].self, from: Data(e.payload.utf8)) else { diverge(e.seq, "the payload does not decode"); break replay }
                guard let actor = e.actor else { diverge(e.seq, "an event without an actor"); break replay }
                result = Engine.fire(def, s, Event(e.name, actor: actor, payload: p, idempotencyKey: e.idempotencyKey, item: e.item, role: e.role), now: time.date)
            case (.tick, let s?):
                result = Engine.tick(def, s, now: time.date)
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
                // Continue from the decoded form, as the live store does.
                snap = reloaded
            }
        }
        if report.firstDivergentSeq == nil, report.firstBadSeq == nil {
            let stored = (try? Self.text(caseRow, "snapshot")) ?? ""
            let replayed = snap.flatMap { try? $0.json() }.map { String(decoding: $0, as: UTF8.self) }
            if replayed != stored { other(.snapshotMismatch, "the stored snapshot differs from the replay of the log (the case row was edited)") }
            else if let s = snap, (try? Self.integer(caseRow, "version")) != s.version || (try? Self.text(caseRow, "status")) != s.status.rawValue {
                other(.snapshotMismatch, "the case row's version or status differs from its snapshot")
            }
            // Every other column the replay determines: what `list` shows and `tick` selects by.
            if let s = snap, let state = try? CaseState(def, s) {
                let columns: [(String, String?, String?)] = [
                    ("workflow_id", def.ir.id, try? Self.optionalText(caseRow, "workflow_id")),
                    ("active", state.activeJSON, try? Self.optionalText(caseRow, "active")),
                    ("created_at", s.createdAt.description, try? Self.optionalText(caseRow, "created_at")),
                    ("updated_at", state.updatedAt, try? Self.optionalText(caseRow, "updated_at")),
                    ("next_due", state.nextDue, try? Self.optionalText(caseRow, "next_due")),
                ]
                for (name, expected, found) in columns where expected != found {
                    other(.snapshotMismatch, "the case row's `\(name)` is \(found.map { "`\(StoredText.escaped($0))`" } ?? "NULL"), the replay gives \(expected.map { "`\($0)`" } ?? "NULL")")
                }
                if timerRows.sorted() != state.timerRows.sorted() {
                    other(.snapshotMismatch, "the timers table holds \(timerRows.count) row(s) for the case that differ from the \(state.timers.count) the replay gives")
                }
            }
        }
        return report
    }

    public func heads() throws(StoreError) -> [Checkpoint.Head] {
        try read { db throws -> [Checkpoint.Head] in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.id, c.head_seq, c.head_hash, c.definition_hash, e.hash AS last_hash,
                       (SELECT MAX(seq) FROM events WHERE case_id = c.id) AS max_seq
                FROM cases c LEFT JOIN events e ON e.case_id = c.id AND e.seq = c.head_seq
                ORDER BY c.id
                """)
            return try rows.map { r throws(StoreError) in
                let h = Checkpoint.Head(caseID: try Self.text(r, "id"), seq: try Self.integer(r, "head_seq"),
                                        headHash: try Self.text(r, "head_hash"), definitionHash: try Self.text(r, "definition_hash"))
                guard try Self.optionalText(r, "last_hash") == h.headHash, try Self.optionalInteger(r, "max_seq") == h.seq else {
                    throw StoreError.corrupt("the chain head of case `\(h.caseID)` (event \(h.seq)) does not match its log; run `wfc case verify \(h.caseID)`")
                }
                return h
            }
        }
    }
}
