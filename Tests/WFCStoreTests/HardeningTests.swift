import Crypto
import Foundation
import GRDB
import Testing
import WFCIR
import WFCRuntime
import WFCStore

/// The holes of issue #12 in the store: unsafe text, reused keys, consistent rewrites, derived
/// columns, foreign databases, store URLs, tick progress and the role of a signature.
@Suite struct HardeningTests {
    let def: Definition
    let path = Paths.tempStore()
    init() throws { def = try handover() }

    /// Someone with `sqlite3` and no scruples: triggers dropped, foreign keys off.
    func tamper(_ sql: String, _ arguments: StatementArguments = []) throws {
        var config = Configuration()
        config.foreignKeysEnabled = false
        let db = try DatabaseQueue(path: path, configuration: config)
        try db.inDatabase { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS events_append_only_update; DROP TRIGGER IF EXISTS events_append_only_delete")
            try db.execute(sql: sql, arguments: arguments)
        }
    }

    func expectUnsafe(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            try await body()
            Issue.record("expected unsafeText", sourceLocation: sourceLocation)
        } catch let e as StoreError {
            #expect(e.kind == .unsafeText, "\(e)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(error)", sourceLocation: sourceLocation)
        }
    }

    // MARK: 2. Text

    @Test func textThatIsNotPrintableIsRefusedAtEveryEntry() async throws {
        let store = try Ledger(sqlitePath: path)
        let forged = "mallory\n3  2025-09-26T04:00:00Z  wang.wu  approve"
        await expectUnsafe { _ = try await store.start(def, caseID: "C0", data: [:], people: people.merging(["hr": "eve\u{1B}[2J"]) { $1 }, actor: nil, now: t0) }
        await expectUnsafe { _ = try await store.start(def, caseID: "C0", data: [:], people: people, actor: "bot\u{202E}", now: t0) }
        #expect(try await store.caseIDs().isEmpty)
        try await startInReview(store, def)
        let before = try await store.load("C1").headSeq
        await expectUnsafe { _ = try await store.fire("C1", Event("approve", actor: forged), now: t0) }
        await expectUnsafe { _ = try await store.fire("C1", Event("approve\u{200B}", actor: "carol"), now: t0) }
        await expectUnsafe { _ = try await store.fire("C1", Event("approve", actor: "carol", idempotencyKey: "k\u{7}"), now: t0) }
        await expectUnsafe { _ = try await store.fire("C1", Event("approve", actor: "carol", role: "manager\u{2066}"), now: t0) }
        await expectUnsafe { _ = try await store.fire("C1", Event("approve", actor: String(repeating: "x", count: 201)), now: t0) }
        await expectUnsafe { _ = try await store.fire("C1", Event("approve", actor: " carol"), now: t0) }
        // Nothing was recorded, not even a refused attempt.
        #expect(try await store.load("C1").headSeq == before)
        // Chinese names and dots are fine.
        #expect(StoredText.problem("张三.zhang-san_1", what: "a person id") == nil)
        #expect(StoredText.escaped("a\nb\u{1B}c\u{202E}") == "a\\u{A}b\\u{1B}c\\u{202E}")
    }

    // MARK: 3. Reused keys

    @Test func aKeyReusedForAnotherRequestIsRefusedAndDoesNothing() async throws {
        let store = try Ledger(sqlitePath: path)
        try await startInReview(store, def)
        try accept(await store.fire("C1", Event("approve", actor: "carol", idempotencyKey: "k1"), now: t0))
        let head = try await store.load("C1").headSeq
        // The same request: its stored outcome.
        guard case .replayed(let a) = try await store.fire("C1", Event("approve", actor: "carol", idempotencyKey: "k1"), now: t0) else {
            Issue.record("expected a replay"); return
        }
        #expect(a.seq == head)
        for other in [Event("reject", actor: "carol", idempotencyKey: "k1"), Event("approve", actor: "dave", idempotencyKey: "k1"),
                      Event("approve", actor: "carol", idempotencyKey: "k1", item: 0), Event("approve", actor: "carol", idempotencyKey: "k1", role: "manager"),
                      Event("approve", actor: "carol", payload: ["reason": "resignation"], idempotencyKey: "k1")] {
            await #expect(throws: StoreError.keyReused(caseID: "C1", key: "k1", seq: head, differences: differences(other))) {
                _ = try await store.fire("C1", other, now: t0)
            }
        }
        #expect(try await store.load("C1").headSeq == head)
    }

    func differences(_ e: Event) -> [String] {
        if e.name != "approve" { return ["event `approve`, now `\(e.name)`"] }
        if e.actor != "carol" { return ["actor `carol`, now `\(e.actor)`"] }
        if let r = e.role { return ["role none, now `\(r)`"] }
        if let i = e.item { return ["item none, now \(i)"] }
        return ["the event data differs"]
    }

    /// A writer that lost the race to the same key learns it, when its request was another one.
    @Test func aKeyUsedMeanwhileForAnotherRequestIsRefusedOnCommit() async throws {
        let store = try Ledger(sqlitePath: path)
        try await startInReview(store, def)
        guard case .ready(let p) = try await store.prepare("C1", Event("reject", actor: "carol", idempotencyKey: "k"), now: t0) else { return }
        try accept(await store.fire("C1", Event("approve", actor: "carol", idempotencyKey: "k"), now: t0))
        await #expect(throws: StoreError.self) { _ = try await store.commit(p) }
    }

    // MARK: 4. Checkpoints

    @Test func aCheckpointFindsRemovedTrailingEventsThatVerifyAloneCannot() async throws {
        let store = try Ledger(sqlitePath: path)
        try await startInReview(store, def)
        try await startInReview(store, def, id: "C2")
        // Two refused attempts at the end of C1: they change nothing but the chain head.
        _ = try await store.fire("C1", Event("approve", actor: "mallory"), now: t0)
        _ = try await store.fire("C1", Event("approve", actor: "mallory"), now: t0)
        let key = Curve25519.Signing.PrivateKey()
        let cp = try Checkpoint.sign(try await store.heads(), key: key, at: t0)
        #expect(cp.cases.map(\.caseID) == ["C1", "C2"])
        #expect(cp.cases.first?.seq == 5)
        try cp.checkSignature(key.publicKey, file: "cp.json")
        let reread = try Checkpoint.decode(Data(cp.encoded().utf8), file: "cp.json")
        try reread.checkSignature(key.publicKey, file: "cp.json")
        for head in cp.cases { #expect(try await store.verify(head.caseID, checkpoint: head).ok) }

        // Remove both refused attempts and fix the head: the chain is consistent again.
        let event3 = try #require(try await store.history("C1").first { $0.seq == 3 })
        try tamper("DELETE FROM events WHERE case_id = 'C1' AND seq > 3")
        try tamper("UPDATE cases SET head_seq = 3, head_hash = ? WHERE id = 'C1'", [event3.hash])
        let fresh = try Ledger(sqlitePath: path)
        #expect(try await fresh.verify("C1").ok, "a consistent rewrite passes verify without a checkpoint")
        let report = try await fresh.verify("C1", checkpoint: cp.cases[0])
        #expect(!report.ok)
        #expect(report.findings.map(\.kind) == [.checkpointMismatch])
        #expect(try await fresh.verify("C2", checkpoint: cp.cases[1]).ok)
    }

    @Test func aRehashedChainDoesNotMatchItsCheckpoint() async throws {
        let store = try Ledger(sqlitePath: path)
        try await startInReview(store, def)
        _ = try await store.fire("C1", Event("approve", actor: "mallory"), now: t0)
        let key = Curve25519.Signing.PrivateKey()
        let cp = try Checkpoint.sign(try await store.heads(), key: key, at: t0)
        // Rewrite the refused attempt as someone else's and recompute the chain from there.
        var history = try await store.history("C1")
        history[3].actor = "nobody"
        history[3].hash = HashChain.hash(history[3])
        try tamper("UPDATE events SET actor = 'nobody', hash = ? WHERE case_id = 'C1' AND seq = 4", [history[3].hash])
        try tamper("UPDATE cases SET head_hash = ? WHERE id = 'C1'", [history[3].hash])
        let fresh = try Ledger(sqlitePath: path)
        #expect(try await fresh.verify("C1").ok, "a consistent rewrite passes verify without a checkpoint")
        #expect(try await fresh.verify("C1", checkpoint: cp.cases[0]).findings.map(\.kind) == [.checkpointMismatch])
    }

    @Test func aChangedOrForeignCheckpointDoesNotVerify() async throws {
        let store = try Ledger(sqlitePath: path)
        try await startInReview(store, def)
        let key = Curve25519.Signing.PrivateKey()
        var cp = try Checkpoint.sign(try await store.heads(), key: key, at: t0)
        #expect(throws: StoreError.self) { try cp.checkSignature(Curve25519.Signing.PrivateKey().publicKey, file: "cp.json") }
        cp.cases[0].seq = 2
        #expect(throws: StoreError.self) { try cp.checkSignature(key.publicKey, file: "cp.json") }
        #expect(throws: StoreError.self) { _ = try Checkpoint.decode(Data("{}".utf8), file: "cp.json") }
    }

    @Test func keyFilesArePrivateAndNeverOverwritten() async throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = dir + "/signing.key"
        let pub = try CheckpointKeys.create(file)
        #expect(pub == file + ".pub")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
        #expect(mode & 0o777 == 0o600)
        let key = try CheckpointKeys.loadPrivate(file)
        #expect(try CheckpointKeys.loadPublic(pub).rawRepresentation == key.publicKey.rawRepresentation)
        #expect(throws: StoreError.self) { _ = try CheckpointKeys.create(file) }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(throws: StoreError.self) { _ = try CheckpointKeys.loadPrivate(file) }
    }

    // MARK: 5. Derived columns

    @Test func verifyChecksEveryColumnTheReplayDetermines() async throws {
        let edits = [
            "UPDATE cases SET next_due = NULL",
            "UPDATE cases SET active = '[\"execute\"]'",
            "UPDATE cases SET workflow_id = 'other'",
            "UPDATE cases SET updated_at = '2030-01-01T00:00:00Z'",
            "UPDATE cases SET created_at = '2020-01-01T00:00:00Z'",
            "DELETE FROM timers",
            "UPDATE timers SET due = '2030-01-01T00:00:00Z'",
            "UPDATE timers SET fired = 1",
            "INSERT INTO timers (case_id, state, kind, due, fired) VALUES ('C1', 'review', 'deadline', '2025-01-01T00:00:00Z', 0)",
        ]
        for (i, sql) in edits.enumerated() {
            let p = Paths.tempStore()
            let store = try Ledger(sqlitePath: p)
            try await startInReview(store, def)
            #expect(try await store.verify("C1").ok)
            var config = Configuration()
            config.foreignKeysEnabled = false
            try DatabaseQueue(path: p, configuration: config).inDatabase { try $0.execute(sql: sql) }
            let report = try await Ledger(sqlitePath: p).verify("C1")
            #expect(report.findings.map(\.kind) == [.snapshotMismatch], "edit \(i): \(sql): \(report.problems)")
        }
    }

    @Test func anEditedDefinitionsWorkflowIsFound() async throws {
        let store = try Ledger(sqlitePath: path)
        try await startInReview(store, def)
        try tamper("UPDATE definitions SET workflow_id = 'other'")
        #expect(try await Ledger(sqlitePath: path).verify("C1").findings.map(\.kind) == [.definitionInvalid])
    }

    // MARK: 9, 10. Foreign files and URLs

    @Test func anotherApplicationsDatabaseIsRefusedUntouched() async throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let other = dir.appendingPathComponent("app.sqlite").path
        try DatabaseQueue(path: other).inDatabase { db in
            try db.execute(sql: "CREATE TABLE cases (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO cases (title) VALUES ('x')")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: other))
        for readOnly in [false, true] {
            do throws(StoreError) {
                _ = try Ledger(sqlitePath: other, readOnly: readOnly)
                Issue.record("a foreign database was opened")
            } catch {
                #expect(error.kind == .notAStore, "\(error)")
                #expect(error.description.contains(other) && error.description.contains("`cases`"))
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: other)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["app.sqlite"])
        // An empty file becomes a store.
        let empty = dir.appendingPathComponent("empty.sqlite").path
        FileManager.default.createFile(atPath: empty, contents: Data())
        let store = try Ledger(sqlitePath: empty)
        try await startInReview(store, def)
    }

    @Test func aStoreFromBeforeTheApplicationIDStillOpens() async throws {
        let store = try Ledger(sqlitePath: path)
        try await startInReview(store, def)
        try tamper("PRAGMA application_id = 0")
        #expect(try await Ledger(sqlitePath: path, readOnly: true).caseIDs() == ["C1"])
        #expect(try await Ledger(sqlitePath: path).verify("C1").ok)
    }

    @Test func aStoreURLWithoutABackendIsAnError() async throws {
        let cwd = FileManager.default.currentDirectoryPath
        for url in ["postgres://user@host/db", "postgresql://h/db", "mysql://h/db"] {
            #expect(throws: StoreError.unsupportedBackend(location: url, scheme: String(url.prefix { $0 != ":" }))) {
                _ = try Ledger(sqlitePath: url)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: cwd + "/postgres:"))
        let store = try SQLiteRepository(path: "file://" + path)
        #expect(store.path == path)
    }

    // MARK: 11. Tick progress

    @Test func tickReportsEachCaseAfterItsCommit() async throws {
        let store = try Ledger(sqlitePath: path)
        for i in 1...3 { try await startInReview(store, def, id: "C\(i)") }
        // Another connection, read synchronously inside the callback.
        let reader = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        var seen: [String] = []
        let late = t0.addingTimeInterval(14 * 86_400)
        _ = try await store.tick(now: late) { o in
            // Committed before it is reported: another connection sees the tick.
            let last = try? reader.read { db in
                try String.fetchOne(db, sql: "SELECT kind FROM events WHERE case_id = ? ORDER BY seq DESC LIMIT 1", arguments: [o.caseID])
            }
            #expect(last == "tick")
            seen.append(o.caseID)
        }
        #expect(seen == ["C1", "C2", "C3"])
    }

    // MARK: 12. The role of a signature

    @Test func signingUnderARoleNotHeldIsRefusedAsSuch() async throws {
        let store = try Ledger(sqlitePath: path)
        try await startInReview(store, def)
        try accept(await store.fire("C1", Event("approve", actor: "carol"), now: t0))
        guard case .refused(let r, _) = try await store.fire("C1", Event("sign", actor: "alice", role: "receiver"), now: t0) else {
            Issue.record("expected a refusal"); return
        }
        #expect(r.kind == .roleNotHeld)
        #expect(r.message.contains("alice does not hold role `receiver` (it is bound to bob)"))
        try accept(await store.fire("C1", Event("sign", actor: "alice", role: "handover"), now: t0))
        #expect(try await store.verify("C1").ok)
    }
}
