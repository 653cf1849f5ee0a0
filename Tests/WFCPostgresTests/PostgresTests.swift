import Foundation
import PostgresNIO
import RepositoryConformance
import Testing
import WFCIR
import WFCLedger
import WFCPostgres
import WFCRuntime

/// The repository conformance suite against PostgreSQL: each check on a fresh schema created
/// by the owner role, used by two repositories (two pools) of the app role.
@Suite struct PostgresConformanceTests {
    static let factory: ConformanceFactory = {
        let schema = try await TestDatabase.migratedSchema()
        return ConformanceSubject(
            repository: try TestDatabase.repository(schema), second: try TestDatabase.repository(schema), definition: try Fixtures.handover(),
            editEventActor: { caseID, seq, actor in try await rehash(schema, caseID: caseID, seq: seq, actor: actor) })
    }

    /// Rewrites an audit row and recomputes its own hash, as a tamperer with the owner role
    /// would: the trigger must be disabled first.
    static func rehash(_ schema: String, caseID: String, seq: Int, actor: String) async throws {
        try await SQLClient.with(try TestDatabase.ownerURL(), schema: schema) { c in
            guard let row = try await c.rows("SELECT * FROM events WHERE case_id = \(caseID) AND seq = \(seq)").first?.makeRandomAccess() else {
                throw Unexpected(description: "no event \(seq) of \(caseID)")
            }
            func s(_ n: String) throws -> String { try row[n].decode(String.self) }
            func o(_ n: String) throws -> String? { try row[n].decode(String?.self) }
            var e = AuditEvent(caseID: try s("case_id"), seq: try row["seq"].decode(Int.self), kind: AuditKind(rawValue: try s("kind")) ?? .event,
                               name: try s("name"), actor: try o("actor"), role: try o("role"), item: try row["item"].decode(Int?.self),
                               payload: try s("payload"), idempotencyKey: try o("idempotency_key"), time: try s("time"), outcome: try s("outcome"),
                               prevHash: try s("prev_hash"), hash: try s("hash"))
            e.actor = actor
            try await c.exec("ALTER TABLE events DISABLE TRIGGER events_append_only")
            try await c.exec("UPDATE events SET actor = \(actor), hash = \(HashChain.hash(e)) WHERE case_id = \(caseID) AND seq = \(seq)")
            try await c.exec("ALTER TABLE events ENABLE TRIGGER events_append_only")
        }
    }

    @Test(arguments: RepositoryConformance.names)
    func conformance(_ name: String) async throws {
        try await RepositoryConformance.run(name, Self.factory)
    }
}

/// What only PostgreSQL has: roles, triggers, migrations, SKIP LOCKED, lost connections.
@Suite struct PostgresBackendTests {
    /// The triggers refuse UPDATE, DELETE and TRUNCATE of the log even for its owner; the app
    /// role has no UPDATE or DELETE privilege on it at all.
    @Test func theLogRefusesUpdateAndDelete() async throws {
        let schema = try await TestDatabase.migratedSchema()
        let ledger = Ledger(try TestDatabase.repository(schema))
        try await Fixtures.startInReview(ledger, try Fixtures.handover(), id: "C1")
        for (url, expected) in [(try TestDatabase.ownerURL(), "append-only"), (try TestDatabase.appURL(), "permission denied")] {
            try await SQLClient.with(url, schema: schema) { c in
                for statement: PostgresQuery in ["UPDATE events SET actor = 'mallory' WHERE case_id = 'C1'", "DELETE FROM events WHERE case_id = 'C1'", "TRUNCATE events CASCADE"] {
                    do {
                        try await c.exec(statement)
                        Issue.record("`\(statement.sql)` as \(url) was not refused")
                    } catch let e as PSQLError {
                        #expect(e.serverInfo?[.sqlState] == "42501", "\(statement.sql): \(String(reflecting: e))")
                        #expect(e.serverInfo?[.message]?.contains(expected) == true, "\(statement.sql): \(e.serverInfo?[.message] ?? "")")
                    }
                }
            }
        }
        // Inserting is allowed: the app role appends events.
        #expect(try await ledger.history("C1").count == 3)
        #expect(try await ledger.verify("C1").ok)
    }

    /// A database migrated by a newer wfc is refused with its own code, and nothing is written.
    @Test func aNewerSchemaIsRefused() async throws {
        let schema = try await TestDatabase.migratedSchema()
        try await SQLClient.with(try TestDatabase.ownerURL(), schema: schema) { c in
            try await c.exec("INSERT INTO schema_version (version, applied_at) VALUES (99, '2030-01-01T00:00:00Z')")
        }
        for owner in [true, false] {
            let repo = try TestDatabase.repository(schema, owner: owner)
            await #expect(throws: StoreError.schemaTooNew(location: repo.location, found: 99, supported: 4)) { _ = try await repo.caseIDs() }
            await #expect(throws: StoreError.self) { try await Fixtures.startInReview(Ledger(repo), try Fixtures.handover(), id: "C1") }
        }
        let count = try await SQLClient.with(try TestDatabase.ownerURL(), schema: schema) { c in try await c.rows("SELECT COUNT(*) FROM cases").first?.decode(Int.self) }
        #expect(count == 0)
    }

    /// The app role cannot create the tables: a coded error that says to migrate as the owner.
    @Test func theAppRoleDoesNotMigrate() async throws {
        let owner = try TestDatabase.ownerURL(), app = try TestDatabase.appURL()
        try #require(owner != app, "set WFC_TEST_POSTGRES_OWNER_URL to a role other than WFC_TEST_POSTGRES_URL's (Scripts/with-postgres does)")
        let schema = try await TestDatabase.freshSchema()
        let repo = try TestDatabase.repository(schema)
        do {
            _ = try await repo.caseIDs()
            Issue.record("the app role created the schema")
        } catch {
            #expect(error.kind == .permissionDenied, "\(error)")
            #expect("\(error)".contains("owner"), "\(error)")
        }
        // The owner migrates; then the app role works.
        _ = try await TestDatabase.repository(schema, owner: true).schemaVersion()
        #expect(try await repo.caseIDs() == [])
    }

    /// Many servers (each its own pool) claiming the same due cases at once: every case is
    /// claimed by exactly one of them, and none is left unclaimed.
    @Test func racingServersNeverShareADueCase() async throws {
        let schema = try await TestDatabase.migratedSchema()
        let def = try Fixtures.handover()
        let writer = Ledger(try TestDatabase.repository(schema))
        let ids = (1...24).map { String(format: "C%02d", $0) }
        for id in ids { try await Fixtures.startInReview(writer, def, id: id) }
        let late = Fixtures.t0.addingTimeInterval(14 * 86_400)
        let servers = try (0..<6).map { _ in Ledger(try TestDatabase.repository(schema)) }
        let claims = try await withThrowingTaskGroup(of: [String].self) { group in
            for (i, s) in servers.enumerated() {
                group.addTask { try await s.claimDueCases(now: late, owner: "server-\(i)", lease: 600, limit: 5) }
            }
            var all: [[String]] = []
            for try await c in group { all.append(c) }
            return all
        }
        let flat = claims.flatMap { $0 }
        #expect(flat.count == Set(flat).count, "a case was claimed twice: \(claims)")
        #expect(flat.count == ids.count, "6 servers × 5 cover the 24 due cases: \(claims)")
        // Nothing is left for a newcomer while the leases run; everything once they ran out.
        #expect(try await writer.claimDueCases(now: late, owner: "late", lease: 600, limit: 100) == [])
        #expect(Set(try await writer.claimDueCases(now: late.addingTimeInterval(601), owner: "late", lease: 600, limit: 100)) == Set(ids))
    }

    /// A group commit writes each step with one statement and no savepoint; a statement that
    /// fails aborts a PostgreSQL transaction, so the batch is run again step by step. Here the
    /// unique key behind the version check fails one step (an event row at its case's next
    /// number, as a writer bypassing the ledger would leave): that step fails with a conflict
    /// and writes nothing; the other step of the batch commits.
    @Test func aBatchWhoseStepBreaksTheUniqueKeyFailsOnlyThatStep() async throws {
        let schema = try await TestDatabase.migratedSchema()
        let repo = try TestDatabase.repository(schema)
        let ledger = Ledger(repo)
        let def = try Fixtures.handover()
        try await Fixtures.startInReview(ledger, def, id: "C1")
        try await Fixtures.startInReview(ledger, def, id: "C2")
        guard case .ready(let one) = try await ledger.prepare("C1", Event("approve", actor: "carol"), now: Fixtures.t0),
              case .ready(let two) = try await ledger.prepare("C2", Event("approve", actor: "carol"), now: Fixtures.t0) else {
            Issue.record("the approvals were not prepared")
            return
        }
        try await SQLClient.with(try TestDatabase.ownerURL(), schema: schema) { admin in
            _ = try await admin.client.query("""
                INSERT INTO events (case_id, seq, kind, name, payload, time, outcome, prev_hash, hash)
                VALUES ('C1', \(one.audit.seq), 'event', 'forged', '{}', '2025-09-26T02:00:00Z', '{}', 'x', 'y')
                """, logger: admin.logger).collect()
        }
        // A third step committed before, as when a batch's COMMIT went through and its answer was
        // lost: run again after the batch failed, its event is found in the log, so it is not
        // reported as a conflict (its caller would fire it a second time).
        try await Fixtures.startInReview(ledger, def, id: "C3")
        guard case .ready(let three) = try await ledger.prepare("C3", Event("approve", actor: "carol"), now: Fixtures.t0) else {
            Issue.record("C3 was not prepared")
            return
        }
        try await repo.append(three.write)
        let results = await repo.appendAll([one.write, two.write, three.write])
        #expect(results.count == 3)
        if case .failure(let e) = results[0] { #expect(e.kind == .conflict, "\(e)") } else { Issue.record("the step behind a used key committed") }
        if case .failure(let e) = results[1] { Issue.record("the other step failed: \(e)") }
        if case .failure(let e) = results[2] { Issue.record("the step already in the log is reported as \(e)") }
        #expect(try await ledger.history("C3").filter { $0.name == "approve" }.count == 1)
        let c1 = try await repo.loadCase("C1"), c2 = try await repo.loadCase("C2")
        #expect(c1.headSeq == one.expectedHeadSeq && c1.version == one.expectedVersion, "C1 moved: \(c1)")
        #expect(c2.headSeq == two.audit.seq, "C2 did not move: \(c2)")
        #expect(try await ledger.history("C2").map(\.name).last == "approve")
    }

    /// A group commit is one statement per run of distinct cases (`PreparedBatch`): it writes
    /// exactly what the steps one at a time write — case rows, events, timers, the task index,
    /// the outbox — and fails the same steps (a case already moved, a second step of one case
    /// prepared on the same version, a refusal that moves only the chain head succeeds).
    @Test func aBatchWritesWhatStepsOneAtATimeWrite() async throws {
        let def = try Fixtures.handover()
        let batched = try TestDatabase.repository(try await TestDatabase.migratedSchema())
        let single = try TestDatabase.repository(try await TestDatabase.migratedSchema())
        let ledger = Ledger(batched)
        for repo in [batched, single] {
            let l = Ledger(repo)
            for id in ["C1", "C2", "C3", "C4"] { try await Fixtures.startInReview(l, def, id: id) }
        }
        var writes: [Append] = []
        for (id, event) in [("C1", Event("approve", actor: "carol")), ("C2", Event("reject", actor: "carol")),
                            ("C3", Event("sign", actor: "alice")), ("C4", Event("approve", actor: "carol")), ("C4", Event("reject", actor: "carol"))] {
            guard case .ready(let p) = try await ledger.prepare(id, event, now: Fixtures.t0) else { throw Unexpected(description: "\(id) \(event.name) not prepared") }
            writes.append(p.write)
        }
        #expect(writes[2].columns == nil && writes[2].tasks == nil, "alice may not sign in review: a refusal, only the chain head moves")
        // As steps from a ledger's cache: C1's with the snapshot the store holds, C2's with one
        // it does not (so C2 is refused by the write).
        writes[0].expectedSnapshot = try await batched.loadCase("C1").snapshot
        writes[1].expectedSnapshot = "{}"
        let together = await batched.appendAll(writes)
        var oneByOne: [Result<Void, StoreError>] = []
        for w in writes {
            do { try await single.append(w); oneByOne.append(.success(())) } catch { oneByOne.append(.failure(error)) }
        }
        func kinds(_ r: [Result<Void, StoreError>]) -> [String] { r.map { if case .failure(let e) = $0 { "\(e.kind)" } else { "ok" } } }
        #expect(kinds(together) == ["ok", "conflict", "ok", "ok", "conflict"])
        #expect(kinds(together) == kinds(oneByOne))
        for id in ["C1", "C2", "C3", "C4"] {
            let a = try await batched.caseRows(id), b = try await single.caseRows(id)
            #expect(a.record == b.record, "\(id)")
            #expect(a.events.map { try? $0.get() } == b.events.map { try? $0.get() }, "\(id)")
            #expect(a.timers == b.timers && Set(a.tasks ?? []) == Set(b.tasks ?? []), "\(id)")
        }
        let now = "2030-01-01T00:00:00Z"
        let outA = try await batched.claimOutbox(owner: "t", limit: 100, now: now, until: now), outB = try await single.claimOutbox(owner: "t", limit: 100, now: now, until: now)
        #expect(Set(outA.map { "\($0.id) \($0.payload)" }) == Set(outB.map { "\($0.id) \($0.payload)" }) && outA.contains { $0.seq == 4 })
        for id in ["C1", "C2", "C3", "C4"] { #expect(try await Ledger(batched).verify(id).ok, "\(id)") }
    }

    /// A backend killed under a call (a restart, a failover) ends the call with a coded,
    /// retryable error within seconds, not a hang; the pool reconnects for the next call.
    @Test func aKilledConnectionIsACodedError() async throws {
        let schema = try await TestDatabase.migratedSchema()
        let app = "wfc-kill-\(UUID().uuidString.prefix(8))"
        var options = PostgresRepository.Options()
        options.lockTimeout = .seconds(60)
        options.statementTimeout = .seconds(60)
        options.operationTimeout = .seconds(10)
        let repo = try TestDatabase.repository(schema, owner: true, options: options, extra: ["application_name": app])
        let ledger = Ledger(repo)
        let def = try Fixtures.handover()
        try await Fixtures.startInReview(ledger, def, id: "C1")
        let clock = ContinuousClock()
        try await SQLClient.with(try TestDatabase.ownerURL(), schema: schema) { admin in
            try await admin.client.withConnection { locker in
                // Hold the case row, so that the next step waits on it inside the server.
                _ = try await locker.query("BEGIN", logger: admin.logger).collect()
                _ = try await locker.query("SELECT 1 FROM cases WHERE id = 'C1' FOR UPDATE", logger: admin.logger).collect()
                let started = clock.now
                let fired = Task { () -> StoreError? in
                    do { _ = try await ledger.fire("C1", Event("approve", actor: "carol"), now: Fixtures.t0); return nil } catch let e as StoreError { return e } catch { return .io("\(error)") }
                }
                // Wait until the step is blocked, then kill its backend.
                var waiting = 0
                for _ in 0..<600 where waiting == 0 {
                    try await Task.sleep(for: .milliseconds(100))
                    waiting = try await admin.rows("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = \(app) AND wait_event_type = 'Lock'").first?.decode(Int.self) ?? 0
                }
                #expect(waiting == 1, "the step never blocked on the row lock")
                try await admin.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = \(app)")
                let killed = clock.now
                let error = await fired.value
                // `unavailable` when the connection's loss is seen at once; at worst the client
                // deadline ends the call (`timedOut`). Never a hang. (Open: the last runs gave
                // `timedOut`, see the report of this change.)
                #expect(error?.kind == .unavailable || error?.kind == .timedOut, "\(String(describing: error))")
                #expect(error?.isRetryable == true)
                #expect(clock.now - killed < .seconds(30), "the call took \(clock.now - killed) after the kill (\(clock.now - started) in all)")
                _ = try await locker.query("ROLLBACK", logger: admin.logger).collect()
            }
        }
        // Nothing of the killed step was written, and the next call works on a new connection.
        #expect(try await ledger.history("C1").count == 3)
        try Fixtures.accept(await ledger.fire("C1", Event("approve", actor: "carol"), now: Fixtures.t0))
        #expect(try await ledger.verify("C1").ok)
    }

    /// A row lock held longer than the lock timeout: `busy`, retryable, nothing written.
    @Test func aLockHeldTooLongIsBusy() async throws {
        let schema = try await TestDatabase.migratedSchema()
        var options = PostgresRepository.Options()
        options.lockTimeout = .milliseconds(500)
        let ledger = Ledger(try TestDatabase.repository(schema, options: options))
        try await Fixtures.startInReview(ledger, try Fixtures.handover(), id: "C1")
        try await SQLClient.with(try TestDatabase.ownerURL(), schema: schema) { admin in
            try await admin.client.withConnection { locker in
                _ = try await locker.query("BEGIN", logger: admin.logger).collect()
                _ = try await locker.query("SELECT 1 FROM cases WHERE id = 'C1' FOR UPDATE", logger: admin.logger).collect()
                do {
                    _ = try await ledger.fire("C1", Event("approve", actor: "carol"), now: Fixtures.t0)
                    Issue.record("the step did not wait for the lock")
                } catch let error as StoreError {
                    #expect(error.kind == .busy && error.isRetryable, "\(error)")
                }
                _ = try await locker.query("ROLLBACK", logger: admin.logger).collect()
            }
        }
        #expect(try await ledger.history("C1").count == 3)
    }

    /// A statement that runs past `statement_timeout`, and a call past the client's deadline:
    /// `timedOut`, retryable, within the deadline, and nothing written, even after the lock
    /// the call waited for is released.
    @Test(arguments: [true, false])
    func aCallPastItsDeadlineTimesOut(serverSide: Bool) async throws {
        let schema = try await TestDatabase.migratedSchema()
        var options = PostgresRepository.Options()
        options.lockTimeout = .seconds(60)
        options.statementTimeout = serverSide ? .seconds(1) : .seconds(60)
        options.operationTimeout = serverSide ? .seconds(60) : .seconds(2)
        let ledger = Ledger(try TestDatabase.repository(schema, options: options))
        try await Fixtures.startInReview(ledger, try Fixtures.handover(), id: "C1")
        let clock = ContinuousClock()
        try await SQLClient.with(try TestDatabase.ownerURL(), schema: schema) { admin in
            try await admin.client.withConnection { locker in
                _ = try await locker.query("BEGIN", logger: admin.logger).collect()
                _ = try await locker.query("SELECT 1 FROM cases WHERE id = 'C1' FOR UPDATE", logger: admin.logger).collect()
                let started = clock.now
                do {
                    _ = try await ledger.fire("C1", Event("approve", actor: "carol"), now: Fixtures.t0)
                    Issue.record("the step did not wait for the lock")
                } catch let error as StoreError {
                    #expect(error.kind == .timedOut && error.isRetryable, "\(error)")
                }
                #expect(clock.now - started < .seconds(10), "the call took \(clock.now - started)")
                _ = try await locker.query("ROLLBACK", logger: admin.logger).collect()
            }
        }
        try await Task.sleep(for: .seconds(1))
        #expect(try await ledger.history("C1").count == 3, "the abandoned step was written")
    }

    /// No server listening: a coded, retryable error within the deadline, not a hang.
    @Test func anUnreachableServerIsACodedError() async throws {
        _ = try TestDatabase.appURL()
        var options = PostgresRepository.Options()
        options.connectTimeout = .seconds(1)
        options.operationTimeout = .seconds(3)
        let repo = try PostgresRepository(url: "postgres://nobody@127.0.0.1:1/none?sslmode=disable", options: options)
        let clock = ContinuousClock(), started = clock.now
        do {
            _ = try await repo.caseIDs()
            Issue.record("a store with no server answered")
        } catch {
            #expect([.unavailable, .timedOut].contains(error.kind) && error.isRetryable, "\(error)")
        }
        // About 3 s when run alone; the bound is loose because in a full `swift test` the
        // cooperative threads (two on a 2-core machine) are shared with tests that block them.
        #expect(clock.now - started < .seconds(300))
    }

    /// Two repositories (two pools) start cases and fire at once; nothing is lost or doubled.
    @Test func twoPoolsWriteOneStore() async throws {
        let schema = try await TestDatabase.migratedSchema()
        let def = try Fixtures.handover()
        let a = Ledger(try TestDatabase.repository(schema)), b = Ledger(try TestDatabase.repository(schema))
        // The first start pins the definition (under its advisory lock); the racing starts find it.
        try await Fixtures.startInReview(a, def, id: "P-first")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<10 {
                group.addTask { try await Fixtures.startInReview(i % 2 == 0 ? a : b, def, id: "P\(i)") }
            }
            try await group.waitForAll()
        }
        #expect(try await a.list(CaseFilter(), now: Fixtures.t0).cases.count == 11)
        for i in 0..<10 { #expect(try await b.verify("P\(i)").ok) }
    }

    /// LISTEN/NOTIFY: a step committed through one pool wakes a listener on another pool of
    /// the same store (another server), and not a listener on another store (schema).
    @Test func commitsNotifyOtherServers() async throws {
        let schema = try await TestDatabase.migratedSchema(), other = try await TestDatabase.migratedSchema()
        let listener = try TestDatabase.repository(schema), elsewhere = try TestDatabase.repository(other)
        let heard = WorkSignal(), heardElsewhere = WorkSignal()
        let listening = Task { await listener.listenForWork { if $0 == .outbox { heard.signal() } } }
        let listeningElsewhere = Task { await elsewhere.listenForWork { if $0 == .outbox { heardElsewhere.signal() } } }
        defer { listening.cancel(); listeningElsewhere.cancel() }
        // LISTEN is sent on a connection of its own: give it a moment to be in place.
        try await Task.sleep(for: .milliseconds(500))
        let writer = Ledger(try TestDatabase.repository(schema))
        let clock = ContinuousClock(), start = clock.now
        try await Fixtures.startInReview(writer, try Fixtures.handover(), id: "N1")
        // Long before the timeout (wide bounds: a loaded run can starve the thread pool).
        await heard.wait(timeout: .seconds(600))
        #expect(clock.now - start < .seconds(300))
        let quiet = clock.now
        await heardElsewhere.wait(timeout: .milliseconds(500))
        #expect(clock.now - quiet >= .milliseconds(490))
    }
}

/// Locations: parsed without a server.
@Suite struct PostgresLocationTests {
    @Test func goodLocations() throws {
        let l = try PostgresLocation("postgres://hr:s%40cret@db.internal:6543/wfc?sslmode=require&schema=hr_cases&application_name=wfc-1")
        #expect(l.user == "hr" && l.password == "s@cret" && l.host == "db.internal" && l.port == 6543 && l.database == "wfc")
        #expect(l.sslMode == .require && l.schema == "hr_cases" && l.applicationName == "wfc-1")
        #expect(!l.display.contains("cret"))
        let d = try PostgresLocation("postgresql://hr@localhost/wfc", environment: ["PGPASSWORD": "pw"])
        #expect(d.port == 5432 && d.password == "pw" && d.sslMode == .prefer && d.schema == nil)
    }

    @Test(arguments: [
        "postgres://", "postgres://db.internal/wfc", "postgres://hr@/wfc", "postgres://hr@db.internal", "postgres://hr@db.internal/",
        "postgres://hr@db.internal/wfc?sslmode=maybe", "postgres://hr@db.internal/wfc?schema=a;drop", "postgres://hr@db.internal/wfc?pool=3",
        "postgres://hr:secret@db.internal:99999/wfc",
    ])
    func badLocations(_ url: String) throws {
        do {
            _ = try PostgresLocation(url)
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.kind == .badLocation, "\(error)")
            #expect(!"\(error)".contains("secret"), "the password is shown: \(error)")
        }
    }
}
