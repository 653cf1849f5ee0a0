// The "same rows" baseline of store-bench and serve-bench: the rows a ledger wrote for a run of
// steps (its event, the case row's columns, the task index and timers when they changed, the
// outbox), written again by raw SQLite with plain GRDB statements into the same schema, one
// IMMEDIATE transaction per event. Against it, a ratio is what the ledger (engine, snapshot
// JSON, hash chain, checks) costs on top of the database work the same data needs.
import Foundation
import GRDB
import WFCLedger
import WFCRuntime
import WFCStore

public enum SameRows {
    public struct Failure: Error, CustomStringConvertible { public var description: String }

    /// Fires `events` (case, event, time) in order through a ledger on `scratch`, whose cases
    /// `setUp` made, and returns the rows of every step as the ledger handed them to its store.
    /// Untimed; a step's rows are the same whichever ledger computes them.
    public static func capture(scratch: String, setUp: (Ledger) async throws -> Void, events: [(caseID: String, event: Event, at: Date)]) async throws -> [Append] {
        let ledger = try Ledger(sqlitePath: scratch, durability: .normal)
        try await setUp(ledger)
        var steps: [Append] = []
        steps.reserveCapacity(events.count)
        for (id, e, t) in events {
            guard case .ready(let p) = try await ledger.prepare(id, e, now: t) else { throw Failure(description: "\(id) \(e.name): replayed") }
            guard case .accepted = try await ledger.commit(p) else { throw Failure(description: "\(id) \(e.name): not accepted") }
            steps.append(p.write)
        }
        return steps
    }

    /// Writes `steps` into the wfc store at `path` (its cases at the steps' versions) with plain
    /// statements, one IMMEDIATE transaction per step, `PRAGMA synchronous = sync`: the rate
    /// and each commit's latency (s).
    public static func write(_ steps: [Append], path: String, synchronous sync: String) throws -> (rate: Double, latencies: [Double]) {
        var config = Configuration()
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = \(sync)") }
        let pool = try DatabasePool(path: path, configuration: config)
        // DatabasePool sets NORMAL on its writer after prepareDatabase.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(sync)") }
        var latencies: [Double] = []
        latencies.reserveCapacity(steps.count)
        let clock = ContinuousClock()
        let start = clock.now
        for s in steps {
            let t = clock.now
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try write(s, db)
                    return .commit
                }
            }
            latencies.append(seconds(clock.now - t))
        }
        return (Double(steps.count) / seconds(clock.now - start), latencies)
    }

    static func write(_ s: Append, _ db: Database) throws {
        let a = s.event
        if let c = s.columns {
            if s.nextDueUnchanged {
                try db.cachedStatement(sql: "UPDATE cases SET version = ?, status = ?, active = ?, snapshot = ?, updated_at = ?, head_seq = ?, head_hash = ? WHERE id = ? AND version = ?")
                    .execute(arguments: [c.version, c.status, c.active, c.snapshot, c.updatedAt, a.seq, a.hash, s.caseID, s.expectedVersion])
            } else {
                try db.cachedStatement(sql: "UPDATE cases SET version = ?, status = ?, active = ?, snapshot = ?, updated_at = ?, next_due = ?, head_seq = ?, head_hash = ? WHERE id = ? AND version = ?")
                    .execute(arguments: [c.version, c.status, c.active, c.snapshot, c.updatedAt, c.nextDue, a.seq, a.hash, s.caseID, s.expectedVersion])
            }
        } else {
            try db.cachedStatement(sql: "UPDATE cases SET head_seq = ?, head_hash = ? WHERE id = ? AND version = ?")
                .execute(arguments: [a.seq, a.hash, s.caseID, s.expectedVersion])
        }
        guard db.changesCount == 1 else { throw Failure(description: "case \(s.caseID) is not at version \(s.expectedVersion)") }
        try db.cachedStatement(sql: """
            INSERT INTO events (case_id, seq, kind, name, actor, role, item, payload, idempotency_key, time, outcome, prev_hash, hash, acting_for)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [a.caseID, a.seq, a.kind.rawValue, a.name, a.actor, a.role, a.item, a.payload, a.idempotencyKey,
                                     a.time, a.outcome, a.prevHash, a.hash, a.actingFor])
        if let timers = s.timers {
            try db.cachedStatement(sql: "DELETE FROM timers WHERE case_id = ?").execute(arguments: [s.caseID])
            for t in timers {
                try db.cachedStatement(sql: "INSERT INTO timers (case_id, state, kind, due, fired) VALUES (?, ?, ?, ?, ?)")
                    .execute(arguments: [s.caseID, t.state, t.kind, t.due, t.fired.map { $0 ? 1 : 0 }])
            }
        }
        if let tasks = s.tasks {
            try db.cachedStatement(sql: "DELETE FROM tasks WHERE case_id = ?").execute(arguments: [s.caseID])
            for (n, t) in tasks.enumerated() {
                let events = try CanonicalJSON.encode(t.events)
                try db.cachedStatement(sql: "INSERT INTO tasks (case_id, n, person, role, state, title, item, events, due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .execute(arguments: [s.caseID, n, t.person, t.role, t.state, t.title, t.item, events, t.due])
            }
        }
        for o in s.outbox {
            try db.cachedStatement(sql: "INSERT INTO outbox (id, case_id, seq, kind, payload, attempts, created_at, available_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)")
                .execute(arguments: [o.id, o.caseID, o.seq, o.kind, o.payload, o.createdAt, o.createdAt])
        }
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
}
