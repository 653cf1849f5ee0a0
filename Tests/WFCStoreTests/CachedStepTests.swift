import Foundation
import GRDB
import Synchronization
import Testing
import WFCIR
import WFCRuntime
import WFCStore

/// Counts the case reads and the step writes that reach SQLite.
final class ReadWriteCounter: ForwardingRepository {
    let base: SQLiteRepository
    private let counts = Mutex<(reads: Int, writes: Int)>((0, 0))

    init(_ base: SQLiteRepository) { self.base = base }

    var reads: Int { counts.withLock { $0.reads } }
    var writes: Int { counts.withLock { $0.writes } }

    func loadCase(_ id: String) async throws(StoreError) -> CaseRecord {
        counts.withLock { $0.reads += 1 }
        return try await base.loadCase(id)
    }

    func append(_ step: Append) async throws(StoreError) {
        counts.withLock { $0.writes += 1 }
        try await base.append(step)
    }
}

/// ``Ledger/fire(_:_:now:)`` steps a case it wrote last from its cache, without reading the
/// store; the write's conditions catch every way the cache can be wrong.
@Suite struct CachedStepTests {
    @Test func aCaseWrittenLastIsNotReadAgain() async throws {
        let repo = ReadWriteCounter(try SQLiteRepository(path: Paths.tempStore()))
        let ledger = Ledger(repo)
        try await startInReview(ledger, try handover(), id: "C1")
        let reads = repo.reads
        try accept(await ledger.fire("C1", Event("approve", actor: "carol"), now: t0))
        try accept(await ledger.fire("C1", Event("sign", actor: "alice"), now: t0))
        #expect(repo.reads == reads, "two steps from the cache")
        #expect(try await Ledger(try SQLiteRepository(path: repo.base.path)).verify("C1").ok)
    }

    /// Another ledger moved the case: the cached step's write is refused, the step runs again
    /// from the store, and the case is read first from then on.
    @Test func aStaleCacheCostsOneRefusedWriteThenTheCaseIsRead() async throws {
        let repo = ReadWriteCounter(try SQLiteRepository(path: Paths.tempStore()))
        let mine = Ledger(repo), other = Ledger(try SQLiteRepository(path: repo.base.path))
        try await startInReview(mine, try handover(), id: "C1")
        try accept(await other.fire("C1", Event("approve", actor: "carol"), now: t0))
        let (reads, writes) = (repo.reads, repo.writes)
        try accept(await mine.fire("C1", Event("sign", actor: "alice"), now: t0))
        #expect(repo.writes == writes + 2 && repo.reads == reads + 1, "refused write, read, write: \(repo.writes - writes) writes, \(repo.reads - reads) reads")
        try accept(await mine.fire("C1", Event("sign", actor: "bob"), now: t0))
        #expect(repo.writes == writes + 3 && repo.reads == reads + 2, "read first now")
        #expect(try await other.history("C1").map(\.name) == ["start", "submit", "ready", "approve", "sign", "sign"])
        #expect(try await other.verify("C1").ok)
    }

    /// A key used before is found by the write (its unique index): the same request gets the
    /// stored outcome, another request under the key is refused, and nothing is recorded twice.
    @Test func aReusedKeyIsFoundByTheWrite() async throws {
        let ledger = Ledger(try SQLiteRepository(path: Paths.tempStore()))
        try await startInReview(ledger, try handover(), id: "C1")
        var approve = Event("approve", actor: "carol")
        approve.idempotencyKey = "k-1"
        guard case .accepted(_, let first) = try await ledger.fire("C1", approve, now: t0) else { throw Unexpected(description: "not accepted") }
        guard case .replayed(let again) = try await ledger.fire("C1", approve, now: t0) else { throw Unexpected(description: "not replayed") }
        #expect(again == first)
        var other = Event("sign", actor: "alice")
        other.idempotencyKey = "k-1"
        do {
            _ = try await ledger.fire("C1", other, now: t0)
            Issue.record("another request under a used key was accepted")
        } catch {
            #expect(error.kind == .keyReused, "\(error)")
        }
        #expect(try await ledger.history("C1").count == 4)
        try accept(await ledger.fire("C1", Event("sign", actor: "alice"), now: t0))
        #expect(try await ledger.verify("C1").ok)
    }
}

@Suite struct CachedStepEdgeTests {
    /// The cached step's write also requires the chain head it chains onto: a head changed under
    /// the same version and snapshot is read, not written over.
    @Test func aCachedStepChainsOntoTheStoredHead() async throws {
        let path = Paths.tempStore()
        let ledger = Ledger(try SQLiteRepository(path: path))
        try await startInReview(ledger, try handover(), id: "C1")
        let other = String(repeating: "e", count: 64)
        try DatabaseQueue(path: path).inDatabase { try $0.execute(sql: "UPDATE cases SET head_hash = ? WHERE id = 'C1'", arguments: [other]) }
        _ = try await ledger.fire("C1", Event("approve", actor: "carol"), now: t0)
        #expect(try await ledger.history("C1").last?.prevHash == other)
        #expect(try await !ledger.verify("C1").ok, "the edited head is reported")
    }

    /// In a batch, a step whose event row breaks the key's unique index after its case row was
    /// updated is rolled back alone (its savepoint); the other step commits.
    @Test func aBatchStepFailingAfterItsUpdateIsRolledBackAlone() async throws {
        let repo = try SQLiteRepository(path: Paths.tempStore())
        let ledger = Ledger(repo)
        let def = try handover()
        for id in ["C1", "C2"] { try await startInReview(ledger, def, id: id) }
        var used = Event("submit", actor: "alice")
        used.idempotencyKey = "k"
        _ = try await ledger.fire("C1", used, now: t0) // refused in review, recorded with its key
        guard case .ready(let one) = try await ledger.prepare("C1", Event("approve", actor: "carol"), now: t0),
              case .ready(let two) = try await ledger.prepare("C2", Event("approve", actor: "carol"), now: t0) else { throw Unexpected(description: "not prepared") }
        var reused = one.write
        reused.event.idempotencyKey = "k"
        let results = await repo.appendAll([reused, two.write])
        if case .failure(let e) = results[0] { #expect(e.kind == .conflict) } else { Issue.record("the step under a used key committed") }
        if case .failure(let e) = results[1] { Issue.record("the other step failed: \(e)") }
        let c1 = try await repo.loadCase("C1")
        #expect(c1.version == one.expectedVersion && c1.headSeq == one.expectedHeadSeq, "C1's update was rolled back: \(c1)")
        #expect(try await repo.loadCase("C2").headSeq == two.audit.seq)
        for id in ["C1", "C2"] { #expect(try await ledger.verify(id).ok, "\(id)") }
    }
}
