import Foundation
import GRDB
import RepositoryConformance
import Testing
import WFCIR
import WFCRuntime
import WFCStore

/// The repository conformance suite (what every CaseRepository backend must pass), run
/// against SQLite: each check on a fresh store file, with a second connection to it.
@Suite struct SQLiteConformanceTests {
    static let factory: ConformanceFactory = {
        let path = Paths.tempStore()
        return ConformanceSubject(
            repository: try SQLiteRepository(path: path), second: try SQLiteRepository(path: path), definition: try handover(),
            editEventActor: { caseID, seq, actor in
                try rehash(path, caseID: caseID, seq: seq) { $0.actor = actor }
            })
    }

    /// Rewrites an audit row and recomputes its own hash, as a careful tamperer with sqlite3 would.
    static func rehash(_ path: String, caseID: String, seq: Int, _ change: (inout AuditEvent) -> Void) throws {
        let db = try DatabaseQueue(path: path)
        try db.inDatabase { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM events WHERE case_id = ? AND seq = ?", arguments: [caseID, seq]) else {
                throw Unexpected(description: "no event \(seq) of \(caseID)")
            }
            var e = AuditEvent(caseID: row["case_id"], seq: row["seq"], kind: AuditKind(rawValue: row["kind"]) ?? .event, name: row["name"],
                               actor: row["actor"], role: row["role"], item: row["item"], payload: row["payload"], idempotencyKey: row["idempotency_key"],
                               time: row["time"], outcome: row["outcome"], prevHash: row["prev_hash"], hash: row["hash"])
            change(&e)
            try db.execute(sql: "DROP TRIGGER IF EXISTS events_append_only_update")
            try db.execute(sql: "UPDATE events SET actor = ?, hash = ? WHERE case_id = ? AND seq = ?", arguments: [e.actor, HashChain.hash(e), caseID, seq])
        }
    }

    @Test(arguments: RepositoryConformance.names)
    func conformance(_ name: String) async throws {
        try await RepositoryConformance.run(name, Self.factory)
    }

    /// A backend without its own `appendAll` gets the protocol's default (one transaction per
    /// step) and passes the whole suite, the group commit check included.
    @Test(arguments: RepositoryConformance.names)
    func conformanceWithTheDefaultAppendAll(_ name: String) async throws {
        try await RepositoryConformance.run(name) {
            let path = Paths.tempStore()
            return ConformanceSubject(
                repository: UncheckedRepository(try SQLiteRepository(path: path), dropVersionCheck: false),
                second: UncheckedRepository(try SQLiteRepository(path: path), dropVersionCheck: false), definition: try handover(),
                editEventActor: { caseID, seq, actor in try Self.rehash(path, caseID: caseID, seq: seq) { $0.actor = actor } })
        }
    }

    /// The suite can fail: a repository that forgets the version check lets both racing
    /// writers win, and the race check says so.
    @Test func theSuiteCatchesALostUpdate() async throws {
        let path = Paths.tempStore()
        let broken: ConformanceFactory = {
            ConformanceSubject(repository: try SQLiteRepository(path: path), second: UncheckedRepository(try SQLiteRepository(path: path)),
                               definition: try handover(), editEventActor: { _, _, _ in })
        }
        await #expect(throws: (any Error).self) { try await RepositoryConformance.run("racingWritersExactlyOneWins", broken) }
        // A group commit that lets a conflicting step through.
        let path2 = Paths.tempStore()
        let brokenBatch: ConformanceFactory = {
            ConformanceSubject(repository: UncheckedRepository(try SQLiteRepository(path: path2)), second: try SQLiteRepository(path: path2),
                               definition: try handover(), editEventActor: { _, _, _ in })
        }
        await #expect(throws: (any Error).self) { try await RepositoryConformance.run("appendAllConflictFailsAlone", brokenBatch) }
    }
}

/// A repository that drops the condition of `append` (it re-reads the head and appends after
/// it): a lost update the conformance suite must catch.
struct UncheckedRepository: ForwardingRepository {
    let base: SQLiteRepository
    /// False: a plain forwarding repository (without its own `appendAll`).
    let dropVersionCheck: Bool
    init(_ base: SQLiteRepository, dropVersionCheck: Bool = true) {
        self.base = base
        self.dropVersionCheck = dropVersionCheck
    }

    func append(_ step: Append) async throws(StoreError) {
        guard dropVersionCheck else { return try await base.append(step) }
        var s = step
        let now = try await base.loadCase(step.caseID)
        s.expectedVersion = now.version ?? 0
        s.expectedHeadSeq = now.headSeq ?? 0
        s.event.seq = s.expectedHeadSeq + 1
        s.event.prevHash = now.headHash ?? ""
        s.expectedSnapshot = nil
        try await base.append(s)
    }
}

/// SQLite-specific: a store written before the service tables migrates, keeping its cases.
@Suite struct MigrationTests {
    @Test func aVersion1StoreGainsVersionsAndTheTaskIndex() async throws {
        let path = Paths.tempStore()
        let def = try handover()
        do {
            let ledger = try Ledger(sqlitePath: path)
            try await startInReview(ledger, def, id: "C1")
            guard case .started = try await ledger.start(def, caseID: "C2", data: [:], people: people, actor: nil, now: t0) else { throw Unexpected(description: "C2") }
        }
        try Self.downgrade(path)
        let ledger = try Ledger(sqlitePath: path)
        let versions = try await ledger.definitions(workflow: def.ir.id)
        #expect(versions.map(\.version) == [1] && versions.first?.hash == def.hash)
        #expect(try await ledger.tasks(for: "carol", now: t0).map(\.caseID) == ["C1"])
        #expect(try await ledger.tasks(for: "alice", now: t0).map(\.caseID) == ["C2"])
        #expect(try await ledger.verify("C1").ok)
        #expect(try await ledger.verify("C2").ok)
        // And it works on: the next step writes the outbox.
        try accept(await ledger.fire("C1", Event("approve", actor: "carol"), now: t0))
        #expect(try await ledger.claimOutbox(owner: "s", limit: 10, now: t0, lease: 30).allSatisfy { $0.seq == 4 })
    }

    /// Back to the v1 schema, as an older wfc left the store.
    static func downgrade(_ path: String) throws {
        try DatabaseQueue(path: path).inDatabase { db in
            try db.execute(sql: """
                DROP TABLE tasks; DROP TABLE outbox; DROP TABLE timer_leases;
                DROP INDEX definitions_workflow_version; DROP INDEX cases_created;
                ALTER TABLE definitions DROP COLUMN version;
                DROP TABLE substitutes; ALTER TABLE events DROP COLUMN acting_for; DROP TABLE web_sessions;
                DELETE FROM grdb_migrations WHERE identifier IN ('v2', 'v3', 'v4', 'v5', 'v6');
                """)
        }
    }

    /// A read command on an older store reads it as it is: nothing is migrated or written.
    @Test func aVersion1StoreOpenedReadOnlyIsReadWithoutMigrating() async throws {
        let path = Paths.tempStore()
        let def = try handover()
        try await startInReview(try Ledger(sqlitePath: path), def, id: "C1")
        try Self.downgrade(path)
        let reader = try Ledger(sqlitePath: path, readOnly: true)
        #expect(try await reader.list(CaseFilter(), now: t0).cases.map(\.id) == ["C1"])
        #expect(try await reader.history("C1").count == 3)
        #expect(try await reader.verify("C1").ok)
        #expect(try await reader.definitions(workflow: nil).map(\.version) == [1])
        await #expect(throws: StoreError.self) { try await reader.tasks(for: "carol", now: t0) }
        let applied = try DatabaseQueue(path: path).inDatabase { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied == ["v1"])
    }

    /// The task index is a derived table: an edit of it is found by verify.
    @Test func anEditedTaskIndexIsFound() async throws {
        let path = Paths.tempStore()
        let ledger = try Ledger(sqlitePath: path)
        try await startInReview(ledger, try handover(), id: "C1")
        try DatabaseQueue(path: path).inDatabase { try $0.execute(sql: "UPDATE tasks SET person = 'mallory'") }
        let report = try await ledger.verify("C1")
        #expect(report.findings.map(\.kind) == [.snapshotMismatch] && report.problems.contains { $0.contains("task index") }, "\(report.problems)")
        #expect(try await ledger.tasks(for: "mallory", now: t0).count == 1)
    }
}
