import Foundation
import GRDB
import Testing
import WFCIR
import WFCRuntime
import WFCStore

@Suite struct StoreTests {
    let def: Definition
    let path = Paths.tempStore()
    init() throws { def = try handover() }

    @Test func roundTripThroughAFreshConnection() async throws {
        let store = try Ledger(sqlitePath: path)
        let s = try await startInReview(store, def)
        try accept(await store.fire("C1", Event("approve", actor: "carol"), now: t0))
        #expect(s.version == 3)

        // A second store object (another connection, as another process would) sees it all.
        let other = try Ledger(sqlitePath: path)
        let loaded = try await other.load("C1")
        #expect(loaded.snapshot.version == 4)
        #expect(Show.activeStates(loaded.definition, loaded.snapshot) == ["execute"])
        #expect(loaded.definition.hash == def.hash)
        #expect(loaded.headSeq == 4)
        let h = try await other.history("C1")
        #expect(h.map(\.seq) == [1, 2, 3, 4])
        #expect(h.map(\.kind) == [.start, .event, .event, .event])
        #expect(h.map(\.name) == ["start", "submit", "ready", "approve"])
        #expect(h[0].prevHash == HashChain.genesis)
        #expect(zip(h, h.dropFirst()).allSatisfy { $0.hash == $1.prevHash })
        #expect(h.allSatisfy { HashChain.hash($0) == $0.hash })
        #expect(h[3].decodedOutcome?.version == 4)
        #expect(loaded.headHash == h[3].hash)
        let report = try await other.verify("C1")
        #expect(report.ok, "\(report.problems)")
        #expect(report.events == 4)
    }

    @Test func theCaseKeepsItsPinnedDefinition() async throws {
        let store = try Ledger(sqlitePath: path)
        try await startInReview(store, def)
        // A later edit of the policy: another definition, another hash.
        var edited = def.ir
        edited.title = "工作交接管理制度（修订）"
        edited.contentHash = nil
        let def2 = try Definition(edited)
        #expect(def2.hash != def.hash)
        guard case .started = try await store.start(def2, caseID: "C2", data: [:], people: people, actor: nil, now: t0) else { throw Unexpected(description: "C2") }
        #expect(try await store.load("C1").definition.hash == def.hash)
        #expect(try await store.load("C2").definition.hash == def2.hash)
        #expect(try await store.load("C1").definition.ir.title == "工作交接管理制度")
    }

    @Test func refusedEventsAreRecordedAndChangeNothing() async throws {
        let store = try Ledger(sqlitePath: path)
        let before = try await startInReview(store, def)
        let o = try await store.fire("C1", Event("approve", actor: "alice"), now: t0)
        guard case .refused(let r, let audit) = o else { Issue.record("\(o)"); return }
        #expect(r.kind == .notAuthorized)
        #expect(audit.kind == .refused)
        #expect(audit.seq == 4)
        #expect(audit.decodedOutcome?.refusal?.kind == "notAuthorized")
        #expect(audit.decodedOutcome?.version == 3)
        let after = try await store.load("C1")
        #expect(after.snapshot == before)
        #expect(after.headSeq == 4)
        // The next accepted event chains after the refused one.
        let step = try accept(await store.fire("C1", Event("approve", actor: "carol"), now: t0))
        #expect(step.snapshot.version == 4)
        let h = try await store.history("C1")
        #expect(h.map(\.kind) == [.start, .event, .event, .refused, .event])
        #expect(h[4].prevHash == h[3].hash)
        let report = try await store.verify("C1")
        #expect(report.ok, "\(report.problems)")
    }

    @Test func anIdempotencyKeyReturnsItsStoredOutcome() async throws {
        let store = try Ledger(sqlitePath: path)
        try await startInReview(store, def)
        let first = try await store.fire("C1", Event("approve", actor: "carol", idempotencyKey: "k-1"), now: t0)
        guard case .accepted(_, let original) = first else { Issue.record("\(first)"); return }
        // The same request again is not a new step; the same key for another request is
        // refused (HardeningTests), not replayed.
        let again = try await store.fire("C1", Event("approve", actor: "carol", idempotencyKey: "k-1"), now: t0.addingTimeInterval(60))
        guard case .replayed(let stored) = again else { Issue.record("\(again)"); return }
        #expect(stored == original)
        await #expect(throws: StoreError.self) { _ = try await store.fire("C1", Event("sign", actor: "alice", idempotencyKey: "k-1"), now: t0.addingTimeInterval(60)) }
        #expect(try await store.load("C1").snapshot.version == 4)
        #expect(try await store.history("C1").count == 4)

        // A refused attempt's key replays the refusal.
        let refused = try await store.fire("C1", Event("approve", actor: "carol", idempotencyKey: "k-2"), now: t0)
        guard case .refused(_, let r) = refused else { Issue.record("\(refused)"); return }
        let replay = try await store.fire("C1", Event("approve", actor: "carol", idempotencyKey: "k-2"), now: t0)
        guard case .replayed(let stored) = replay else { Issue.record("\(replay)"); return }
        #expect(stored.seq == r.seq)
        #expect(stored.decodedOutcome?.accepted == false)
        #expect(try await store.history("C1").count == 5)
        #expect(try await store.verify("C1").ok)
    }

    @Test func aStaleWriterGetsARetryableConflictAndNothingIsLost() async throws {
        let a = try Ledger(sqlitePath: path)
        let b = try Ledger(sqlitePath: path)
        try await startInReview(a, def)
        try accept(await a.fire("C1", Event("approve", actor: "carol"), now: t0))
        // Both read version 4, then both try to commit.
        guard case .ready(let pa) = try await a.prepare("C1", Event("sign", actor: "alice"), now: t0),
              case .ready(let pb) = try await b.prepare("C1", Event("sign", actor: "bob"), now: t0) else { Issue.record("replayed?"); return }
        #expect(pa.expectedVersion == 4 && pb.expectedVersion == 4)
        _ = try await a.commit(pa)
        do {
            _ = try await b.commit(pb)
            Issue.record("the stale commit was accepted")
        } catch {
            guard case .conflict(let id, let v, _) = error else { Issue.record("\(error)"); return }
            #expect(id == "C1" && v == 4)
            #expect(error.isRetryable)
            #expect(error.description.contains("retry"))
        }
        #expect(try await a.history("C1").count == 5)
        // The retry evaluates bob's signature on the new state: the sign-off completes.
        let step = try accept(await b.fire("C1", Event("sign", actor: "bob"), now: t0))
        #expect(Show.activeStates(def, step.snapshot) == ["supervise"])
        #expect(try await a.history("C1").map(\.seq) == [1, 2, 3, 4, 5, 6])
        #expect(try await a.verify("C1").ok)
    }

    @Test func aRefusedAttemptAlsoConflictsWhenTheChainMoved() async throws {
        let store = try Ledger(sqlitePath: path)
        try await startInReview(store, def)
        guard case .ready(let stale) = try await store.prepare("C1", Event("approve", actor: "alice"), now: t0) else { return }
        _ = try await store.fire("C1", Event("approve", actor: "mallory"), now: t0) // refused, but moves the chain head
        await #expect(throws: StoreError.self) { try await store.commit(stale) }
        #expect(try await store.history("C1").count == 4)
        #expect(try await store.verify("C1").ok)
    }

    @Test func startRefusalStoresNothingAndErrorsAreTyped() async throws {
        let store = try Ledger(sqlitePath: path)
        let r = try await store.start(def, caseID: "C9", data: ["reason": "vacation"], people: ["handover": "alice"], actor: nil, now: t0)
        guard case .refused(let why) = r else { Issue.record("\(r)"); return }
        #expect(why.kind == .unboundRole)
        #expect(try await store.list(CaseFilter(), now: t0).cases.isEmpty)
        await #expect(throws: StoreError.notFound(caseID: "C9")) { try await store.load("C9") }
        await #expect(throws: StoreError.notFound(caseID: "C9")) { try await store.fire("C9", Event("submit", actor: "alice"), now: t0) }
        await #expect(throws: StoreError.notFound(caseID: "C9")) { try await store.history("C9") }
        await #expect(throws: StoreError.notFound(caseID: "C9")) { try await store.verify("C9") }
        try await startInReview(store, def)
        await #expect(throws: StoreError.alreadyExists(caseID: "C1")) { try await store.start(def, caseID: "C1", data: [:], people: people, actor: nil, now: t0) }
        for bad in ["", "a b", "x\ny", String(repeating: "x", count: 201)] {
            await #expect(throws: StoreError.self) { try await store.start(def, caseID: bad, data: [:], people: people, actor: nil, now: t0) }
        }
        // A payload JSON cannot carry (NaN) is an argument error, not a trap.
        await #expect(throws: StoreError.self) { try await store.fire("C1", Event("approve", actor: "carol", payload: ["x": .double(.nan)]), now: t0) }
        #expect(throws: StoreError.self) { try Ledger(sqlitePath: "/proc/no-such-dir/store.sqlite") }
    }

    @Test func tickFiresOverdueDeadlinesOnceAndListFinds() async throws {
        let store = try Ledger(sqlitePath: path)
        try await startInReview(store, def, id: "C1")
        guard case .started = try await store.start(def, caseID: "C2", data: [:], people: people, actor: nil, now: t0) else { return }
        // review is due 3 working days after 2025-09-26 (National Day holiday in between).
        let deadline = try #require(Show.deadlines(def, try await store.load("C1").snapshot, now: t0).first)
        #expect(try await store.list(CaseFilter(overdue: true), now: t0).cases.isEmpty)
        #expect(try await store.list(CaseFilter(), now: t0).cases.first { $0.id == "C1" }?.nextDue == deadline.due.description)
        #expect(try await store.tick(now: t0).isEmpty)

        let late = deadline.due.date.addingTimeInterval(3600)
        #expect(try await store.list(CaseFilter(overdue: true), now: late).cases.map(\.id) == ["C1"])
        let ticked = try await store.tick(now: late)
        #expect(ticked.map(\.caseID) == ["C1"])
        let step = try #require(ticked.first?.step)
        #expect(step.snapshot.escalations.map(\.roles) == [["hr"]])
        #expect(ticked.first?.audit?.kind == .tick)
        // Handled once: the deadline is marked fired, a second tick does nothing.
        #expect(try await store.tick(now: late.addingTimeInterval(60)).isEmpty)
        // Still overdue (the manager has not acted), so list --overdue keeps it.
        let overdue = try await store.list(CaseFilter(overdue: true), now: late).cases
        #expect(overdue.map(\.id) == ["C1"])
        #expect(overdue.first?.overdueSince == deadline.due.description)
        #expect(try await store.list(CaseFilter(state: "apply"), now: late).cases.map(\.id) == ["C2"])
        #expect(try await store.list(CaseFilter(workflow: "company-handover"), now: late).cases.count == 2)
        #expect(try await store.list(CaseFilter(workflow: "other"), now: late).cases.isEmpty)
        #expect(try await store.verify("C1").ok)
    }

    /// 四.5 of the handover policy: three supervision rounds with problems, then HR
    /// supervises. The redirect is stored and replays to the same snapshot.
    @Test func aUsedUpRoundLimitIsStoredAndReplays() async throws {
        let store = try Ledger(sqlitePath: path)
        try await startInReview(store, def)
        try accept(await store.fire("C1", Event("approve", actor: "carol"), now: t0))
        for round in 1...3 {
            try accept(await store.fire("C1", Event("sign", actor: "alice"), now: t0))
            try accept(await store.fire("C1", Event("sign", actor: "bob"), now: t0))
            #expect(try await store.load("C1").snapshot.root.rounds["supervise"] == round)
            try accept(await store.fire("C1", Event("report_issue", actor: "carol"), now: t0))
        }
        try accept(await store.fire("C1", Event("sign", actor: "alice"), now: t0))
        let step = try accept(await store.fire("C1", Event("sign", actor: "bob"), now: t0))
        #expect(Show.activeStates(def, step.snapshot) == ["hr_supervise"])
        #expect(step.trace.contains { $0.kind == .roundLimit && $0.detail == "round limit of `supervise` reached (3): to `hr_supervise` instead" })
        #expect(step.snapshot.escalations.map(\.people) == [["dave"]])
        #expect(step.snapshot.violations.last?.message == "交接经三轮监督仍发现问题")
        let report = try await store.verify("C1")
        #expect(report.ok, "\(report.problems)")
        #expect(report.events == 15)
        try accept(await store.fire("C1", Event("confirm", actor: "dave"), now: t0))
        #expect(try await store.load("C1").snapshot.status == .completed)
        #expect(try await store.verify("C1").ok)
    }

    /// Paging arguments from outside (the HTTP service's query string) are checked, never trapped on.
    @Test func pageLimitsAndCursorsAreChecked() async throws {
        let store = try Ledger(sqlitePath: path)
        try await startInReview(store, def)
        await #expect(throws: StoreError.self) { try await store.list(CaseFilter(limit: 0), now: t0) }
        await #expect(throws: StoreError.self) { try await store.list(CaseFilter(limit: -5), now: t0) }
        let all = try await store.list(CaseFilter(limit: Int.max), now: t0)
        #expect(all.cases.map(\.id) == ["C1"] && all.nextCursor == nil)
        await #expect(throws: StoreError.self) { try await store.list(CaseFilter(cursor: ""), now: t0) }
        await #expect(throws: StoreError.self) { try await store.claimOutbox(owner: "s", limit: 0, now: t0, lease: 30) }
        await #expect(throws: StoreError.self) { try await store.claimDueCases(now: t0, owner: "s\n", lease: 30, limit: 1) }
        await #expect(throws: StoreError.self) { try await store.claimDueCases(now: t0, owner: "s", lease: .infinity, limit: 1) }
    }

    @Test func defaultPathPrefersTheOptionThenTheEnvironment() {
        #expect(SQLiteRepository.defaultPath(option: "x.sqlite", environment: ["WFC_STORE": "y"]) == "x.sqlite")
        #expect(SQLiteRepository.defaultPath(option: nil, environment: ["WFC_STORE": "y"]) == "y")
        #expect(SQLiteRepository.defaultPath(option: nil, environment: [:]) == ".wfc/store.sqlite")
    }
}

/// Someone edits the database behind the store's back.
@Suite struct TamperTests {
    let def: Definition
    let path = Paths.tempStore()
    init() throws { def = try handover() }

    func prepared() async throws -> Ledger {
        let store = try Ledger(sqlitePath: path)
        try await startInReview(store, def)
        try accept(await store.fire("C1", Event("approve", actor: "carol"), now: t0))
        try accept(await store.fire("C1", Event("sign", actor: "alice"), now: t0))
        #expect(try await store.verify("C1").ok)
        return store
    }

    @Test func theAuditLogRefusesPlainUpdatesAndDeletes() async throws {
        _ = try await prepared()
        let db = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) { try db.inDatabase { try $0.execute(sql: "UPDATE events SET actor = 'mallory' WHERE seq = 4") } }
        #expect(throws: DatabaseError.self) { try db.inDatabase { try $0.execute(sql: "DELETE FROM events WHERE seq = 5") } }
    }

    @Test func anEditedEventIsFoundAtItsSequenceNumber() async throws {
        let store = try await prepared()
        // Someone with sqlite3 drops the guard and makes alice the approver of event 4.
        let db = try DatabaseQueue(path: path)
        try db.inDatabase { db in
            try db.execute(sql: "DROP TRIGGER events_append_only_update")
            try db.execute(sql: "UPDATE events SET actor = 'alice' WHERE case_id = 'C1' AND seq = 4")
        }
        let report = try await store.verify("C1")
        #expect(!report.ok)
        #expect(report.firstBadSeq == 4)
        #expect(report.problems.first?.contains("event 4") == true)
    }

    @Test func aRehashedEditBreaksTheNextLink() async throws {
        let store = try await prepared()
        let db = try DatabaseQueue(path: path)
        // The editor also recomputes the row's own hash: the next row no longer links.
        var e = try #require(try await store.history("C1").first { $0.seq == 3 })
        e.time = "2025-09-27T02:00:00Z"
        let newHash = HashChain.hash(e)
        try db.inDatabase { db in
            try db.execute(sql: "DROP TRIGGER events_append_only_update")
            try db.execute(sql: "UPDATE events SET time = ?, hash = ? WHERE case_id = 'C1' AND seq = 3", arguments: [e.time, newHash])
        }
        let report = try await store.verify("C1")
        #expect(report.firstBadSeq == 4)
    }

    @Test func aRemovedLastEventIsFound() async throws {
        let store = try await prepared()
        let db = try DatabaseQueue(path: path)
        try db.inDatabase { db in
            try db.execute(sql: "DROP TRIGGER events_append_only_delete")
            try db.execute(sql: "DELETE FROM events WHERE case_id = 'C1' AND seq = 5")
        }
        let report = try await store.verify("C1")
        #expect(!report.ok)
        #expect(report.firstBadSeq == 5)
    }

    @Test func anEditedSnapshotDiffersFromTheReplay() async throws {
        let store = try await prepared()
        let db = try DatabaseQueue(path: path)
        try db.inDatabase { db in
            try db.execute(sql: "UPDATE cases SET snapshot = replace(snapshot, '\"alice\"', '\"eve\"') WHERE id = 'C1'")
        }
        let report = try await store.verify("C1")
        #expect(!report.ok)
        #expect(report.firstBadSeq == nil)
        #expect(report.problems.contains { $0.contains("stored snapshot differs") })
    }

    @Test func anEditedDefinitionIsCorrupt() async throws {
        let store = try await prepared()
        let db = try DatabaseQueue(path: path)
        try db.inDatabase { db in
            try db.execute(sql: "UPDATE definitions SET ir_json = replace(ir_json, '\"maxRounds\":3', '\"maxRounds\":9')")
            #expect(db.changesCount == 1)
        }
        let fresh = try Ledger(sqlitePath: path)
        await #expect(throws: StoreError.self) { try await fresh.load("C1") }
        #expect(try await !fresh.verify("C1").ok)
        _ = store
    }

    @Test func garbageInARowIsAnErrorNotATrap() async throws {
        let store = try await prepared()
        let db = try DatabaseQueue(path: path)
        try db.inDatabase { db in
            try db.execute(sql: "UPDATE cases SET snapshot = 'not json', version = 'four' WHERE id = 'C1'")
        }
        let fresh = try Ledger(sqlitePath: path)
        await #expect(throws: StoreError.self) { try await fresh.load("C1") }
        await #expect(throws: StoreError.self) { try await fresh.fire("C1", Event("sign", actor: "bob"), now: t0) }
        await #expect(throws: StoreError.self) { try await fresh.list(CaseFilter(), now: t0).cases }
        #expect(try await !fresh.verify("C1").ok)
        _ = store
    }
}
