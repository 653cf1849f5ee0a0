import Foundation
import GRDB
import Testing
import WFCIR
import WFCRuntime
import WFCStore

/// A step leaves the task index and `next_due` unwritten when they do not change (each written
/// row or index entry is one more page in the commit), and the index stays right whichever
/// ledger, with or without the case in its cache, takes the next step.
@Suite struct UnchangedRowsTests {
    static func prepared(_ ledger: Ledger, _ id: String, _ event: Event) async throws -> Ledger.PreparedTransition {
        guard case .ready(let p) = try await ledger.prepare(id, event, now: t0) else { throw Unexpected(description: "\(event.name) replayed") }
        return p
    }

    static func intoExecute(_ ledger: Ledger, _ def: Definition, _ id: String) async throws {
        try await startInReview(ledger, def, id: id)
        try accept(await ledger.fire(id, Event("approve", actor: "carol"), now: t0))
    }

    @Test func aStepThatKeepsTheTasksWritesNoTaskRows() async throws {
        let ledger = Ledger(try SQLiteRepository(path: Paths.tempStore()))
        try await Self.intoExecute(ledger, try handover(), "C1")
        // Handing over an item before anyone signed: the same people may act on the same events.
        let handOver = try await Self.prepared(ledger, "C1", Event("hand_over", actor: "bob", payload: ["items": .list([item("客户资料")])]))
        #expect(handOver.write.tasks == nil, "unchanged task rows are not written: \(handOver.write.tasks ?? [])")
        #expect(handOver.write.nextDueUnchanged, "the deadline stays case.last_day")
        _ = try await ledger.commit(handOver)
        // Alice signs: her task closes, bob's stays.
        let sign = try await Self.prepared(ledger, "C1", Event("sign", actor: "alice"))
        #expect(sign.write.tasks?.map(\.person) == ["bob"])
        _ = try await ledger.commit(sign)
        #expect(try await ledger.tasks(for: "alice", now: t0).isEmpty)
        #expect(try await ledger.tasks(for: "bob", now: t0).map(\.caseID) == ["C1"])
        #expect(try await ledger.verify("C1").ok)
    }

    @Test func aLedgerWithoutTheCaseCachedWritesTheRows() async throws {
        let path = Paths.tempStore()
        let first = Ledger(try SQLiteRepository(path: path))
        try await Self.intoExecute(first, try handover(), "C1")
        let cold = Ledger(try SQLiteRepository(path: path))
        let p = try await Self.prepared(cold, "C1", Event("hand_over", actor: "bob", payload: ["items": .list([item("客户资料")])]))
        #expect(p.write.tasks?.map(\.person) == ["alice", "bob"], "it cannot know what the store holds, so it rewrites them")
        #expect(!p.write.nextDueUnchanged)
    }

    /// Two ledgers on one store take turns: each finds the case moved on by the other (its cache
    /// no longer matches) or not (its own last step). After every step each person's tasks are
    /// what the case says, and the chain and the index verify.
    @Test func ledgersTakingTurnsKeepTheIndexRight() async throws {
        let path = Paths.tempStore()
        let a = Ledger(try SQLiteRepository(path: path)), b = Ledger(try SQLiteRepository(path: path))
        try await Self.intoExecute(a, try handover(), "C1")
        let steps: [(Ledger, Event, alice: Bool, bob: Bool)] = [
            (a, Event("sign", actor: "alice"), false, true),
            (a, Event("unsign", actor: "alice"), true, true),
            (b, Event("sign", actor: "bob"), true, false),
            (b, Event("hand_over", actor: "alice", payload: ["items": .list([item("客户资料")])]), true, true),
            (a, Event("sign", actor: "alice"), false, true),
            (b, Event("sign", actor: "alice"), false, true), // refused: already signed
            (a, Event("unsign", actor: "alice"), true, true),
        ]
        for (i, s) in steps.enumerated() {
            _ = try await s.0.fire("C1", s.1, now: t0)
            for reader in [a, b] {
                #expect(try await !reader.tasks(for: "alice", now: t0).isEmpty == s.alice, "step \(i) \(s.1.name): alice")
                #expect(try await !reader.tasks(for: "bob", now: t0).isEmpty == s.bob, "step \(i) \(s.1.name): bob")
            }
        }
        #expect(try await a.verify("C1").ok)
        #expect(try await b.history("C1").map(\.kind).contains(.refused))
    }
}

/// Migration `v6`: the task index re-keyed by case, rows kept, on a store written before it.
@Suite struct TaskIndexMigrationTests {
    @Test func aStoreBeforeV6IsReadAsItIsAndMigratedWithItsRows() async throws {
        let path = Paths.tempStore()
        let def = try handover()
        do {
            let ledger = try Ledger(sqlitePath: path)
            try await startInReview(ledger, def, id: "C1")
            try await UnchangedRowsTests.intoExecute(ledger, def, "C2")
        }
        try taskIndexBeforeV6(path)
        let reader = try Ledger(sqlitePath: path, readOnly: true)
        #expect(try await reader.tasks(for: "bob", now: t0).map(\.caseID) == ["C2"])
        #expect(try await reader.verify("C2").ok)
        let ledger = try Ledger(sqlitePath: path)
        let keys = try DatabaseQueue(path: path).inDatabase { db in
            try Row.fetchAll(db, sql: "SELECT case_id, n, person FROM tasks ORDER BY case_id, n").map { "\($0["case_id"] as String):\($0["n"] as Int):\($0["person"] as String)" }
        }
        #expect(keys == ["C1:0:carol", "C2:0:alice", "C2:1:bob"])
        #expect(try await ledger.tasks(for: "carol", now: t0).map(\.caseID) == ["C1"])
        for id in ["C1", "C2"] { #expect(try await ledger.verify(id).ok) }
        try accept(await ledger.fire("C2", Event("sign", actor: "alice"), now: t0))
        #expect(try await ledger.tasks(for: "alice", now: t0).isEmpty)
        #expect(try await ledger.verify("C2").ok)
    }
}
