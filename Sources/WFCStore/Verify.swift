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
        let (rows, caseRow, irText) = try read { db throws -> ([Row], Row, String?) in
            guard let c = try Row.fetchOne(db, sql: "SELECT * FROM cases WHERE id = ?", arguments: [caseID]) else { throw StoreError.notFound(caseID: caseID) }
            let events = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE case_id = ? ORDER BY seq", arguments: [caseID])
            let hash = (c["definition_hash"] as DatabaseValue).storage
            var ir: String?
            if case .string(let h) = hash { ir = try String.fetchOne(db, sql: "SELECT ir_json FROM definitions WHERE hash = ?", arguments: [h]) }
            return (events, c, ir)
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

        // 2. The replay, over the events whose chain is intact.
        guard let irText else {
            other(.definitionInvalid, "the pinned definition is missing")
            return report
        }
        let def: Definition
        do { def = try Definition(irJSON: Data(irText.utf8)) } catch {
            other(.definitionInvalid, "the pinned definition does not load: \(error)")
            return report
        }
        if case .string(let h) = (caseRow["definition_hash"] as DatabaseValue).storage, h != def.hash {
            other(.definitionInvalid, "the pinned definition hashes to \(def.hash), not \(h)")
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
        }
        return report
    }
}
