import Foundation
import GRDB
import Synchronization
import Testing
import WFCIR
import WFCRuntime
import WFCStore

/// The ledger's group commit and its case cache, through the public interface (Ledger over
/// SQLiteRepository).
@Suite struct GroupCommitTests {
    /// Many tasks firing at once on different cases: every step is committed, batched (the
    /// first commit is held so that the others queue behind it), and every chain verifies.
    @Test func concurrentFiresOnDifferentCasesAreAllCommitted() async throws {
        let def = try handover()
        let repo = BatchRecorder(try SQLiteRepository(path: Paths.tempStore()))
        let ledger = Ledger(repo)
        let ids = (0..<24).map { "G\($0)" }
        for id in ids {
            guard case .started = try await ledger.start(def, caseID: id, data: [:], people: people, actor: nil, now: t0) else { throw Unexpected(description: "start refused") }
        }
        repo.holdFirstBatch()
        try await withThrowingTaskGroup(of: Void.self) { g in
            for id in ids {
                g.addTask {
                    try accept(await ledger.fire(id, Event("submit", actor: "alice", payload: ["reason": "resignation", "last_day": "2025-10-31"]), now: t0))
                    try accept(await ledger.fire(id, Event("ready", actor: "alice", payload: ["items": .list([item("客户资料")])]), now: t0))
                }
            }
            try await g.waitForAll()
        }
        let sizes = repo.batchSizes
        #expect(sizes.reduce(0, +) == 2 * ids.count, "every step went through appendAll once: \(sizes)")
        #expect(sizes.contains { $0 > 1 }, "steps of different cases shared a transaction: \(sizes)")
        let other = Ledger(try SQLiteRepository(path: repo.base.path))
        for id in ids {
            #expect(try await other.history(id).map(\.name) == ["start", "submit", "ready"])
            #expect(try await other.verify(id).ok)
            #expect(try await other.load(id).snapshot.version == 3)
        }
    }

    /// Two fires of one case prepared on the same version and committed in one batch: the first
    /// wins, the other is the conflict it is today (retryable, nothing recorded), and the other
    /// cases in the batch commit.
    @Test func aConflictInABatchFailsAlone() async throws {
        let def = try handover()
        let repo = BatchRecorder(try SQLiteRepository(path: Paths.tempStore()))
        let ledger = Ledger(repo)
        for id in ["A", "B"] { try await startInReview(ledger, def, id: id) }
        guard case .ready(let approveA) = try await ledger.prepare("A", Event("approve", actor: "carol"), now: t0),
              case .ready(let rejectA) = try await ledger.prepare("A", Event("reject", actor: "carol"), now: t0),
              case .ready(let approveB) = try await ledger.prepare("B", Event("approve", actor: "carol"), now: t0) else {
            throw Unexpected(description: "nothing to commit")
        }
        repo.holdFirstBatch()
        async let first = ledger.commit(approveA)
        try await Task.sleep(for: .milliseconds(50)) // the writer holds this one; the others queue behind it
        async let second = ledger.commit(rejectA)
        async let third = ledger.commit(approveB)
        try accept(await first)
        do {
            _ = try await second
            Issue.record("the reject prepared on the old version committed")
        } catch let e as StoreError {
            #expect(e.kind == .conflict && e.isRetryable, "\(e)")
        }
        try accept(await third)
        #expect(repo.batchSizes == [1, 2], "the reject and B's approve were one batch: \(repo.batchSizes)")
        #expect(try await ledger.history("A").map(\.name) == ["start", "submit", "ready", "approve"])
        #expect(try await ledger.history("B").map(\.name) == ["start", "submit", "ready", "approve"])
        #expect(try await ledger.verify("A").ok)
        #expect(try await ledger.verify("B").ok)
    }

    /// The ledger keeps the snapshot it wrote, but another writer in between (another ledger,
    /// as another process would be) is always seen: the next fire steps from the new version,
    /// with no conflict.
    @Test func theCacheNeverServesAStaleSnapshot() async throws {
        let def = try handover()
        let path = Paths.tempStore()
        let a = Ledger(try SQLiteRepository(path: path)), b = Ledger(try SQLiteRepository(path: path))
        guard case .started = try await a.start(def, caseID: "C1", data: [:], people: people, actor: nil, now: t0) else { throw Unexpected(description: "start refused") }
        try accept(await a.fire("C1", Event("submit", actor: "alice", payload: ["reason": "resignation", "last_day": "2025-10-31"]), now: t0))
        // b moves the case to review behind a's back.
        try accept(await b.fire("C1", Event("ready", actor: "alice", payload: ["items": .list([item("客户资料")])]), now: t0))
        // a's cached snapshot is in `prepare`, where approve does not exist: only the new one accepts it.
        try accept(await a.fire("C1", Event("approve", actor: "carol"), now: t0))
        #expect(try await a.load("C1").snapshot.version == 4)
        // And again the other way round, after a refusal (which moves only the chain head).
        guard case .refused = try await b.fire("C1", Event("approve", actor: "carol"), now: t0) else { throw Unexpected(description: "approve twice accepted") }
        try accept(await a.fire("C1", Event("sign", actor: "alice"), now: t0))
        let log = try await a.history("C1")
        #expect(log.map(\.name) == ["start", "submit", "ready", "approve", "approve", "sign"])
        #expect(log.map(\.kind) == [.start, .event, .event, .event, .refused, .event])
        #expect(try await a.verify("C1").ok)
    }

    /// What the cache gives is exactly what decoding the stored snapshot gives (a fresh ledger
    /// has nothing cached), after every kind of step.
    @Test func theCachedSnapshotEqualsTheDecodedOne() async throws {
        let def = try handover()
        let path = Paths.tempStore()
        let a = Ledger(try SQLiteRepository(path: path))
        try await startInReview(a, def, id: "C1")
        let steps: [Event] = [Event("approve", actor: "alice"), Event("approve", actor: "carol"), Event("sign", actor: "alice"), Event("unsign", actor: "alice")]
        for e in steps {
            _ = try await a.fire("C1", e, now: t0)
            let cached = try await a.load("C1")
            let decoded = try await Ledger(try SQLiteRepository(path: path)).load("C1")
            #expect(cached.snapshot == decoded.snapshot)
            #expect(try cached.snapshot.json() == decoded.snapshot.json())
            #expect(cached.headSeq == decoded.headSeq && cached.headHash == decoded.headHash)
        }
        _ = try await a.tick(now: t0.addingTimeInterval(30 * 86_400))
        #expect(try await a.load("C1").snapshot == Ledger(try SQLiteRepository(path: path)).load("C1").snapshot)
    }

    /// A snapshot edited by hand under the same version and chain head is read from the row,
    /// as without the cache: the edit is reported, not hidden by the cached copy.
    @Test func anEditedSnapshotIsNotHiddenByTheCache() async throws {
        let def = try handover()
        let path = Paths.tempStore()
        let a = Ledger(try SQLiteRepository(path: path))
        try await startInReview(a, def, id: "C1")
        _ = try await a.load("C1")
        let row = try await a.repository.loadCase("C1")
        let edited = (row.snapshot ?? "").replacingOccurrences(of: "\"version\":3", with: "\"version\":2")
        #expect(edited != row.snapshot)
        try DatabaseQueue(path: path).inDatabase { try $0.execute(sql: "UPDATE cases SET snapshot = ? WHERE id = 'C1'", arguments: [edited]) }
        await #expect(throws: StoreError.self) { _ = try await a.load("C1") }
        do {
            _ = try await a.fire("C1", Event("approve", actor: "carol"), now: t0)
            Issue.record("a fire stepped from the cached snapshot instead of the edited row")
        } catch {
            #expect(error.kind == .corrupt, "\(error)")
        }
    }
}

/// Records the size of every `appendAll` batch; can hold the first batch for a moment so that
/// concurrent callers queue behind it.
final class BatchRecorder: ForwardingRepository {
    let base: SQLiteRepository
    private let state = Mutex<(sizes: [Int], hold: Bool)>(([], false))

    init(_ base: SQLiteRepository) { self.base = base }

    var batchSizes: [Int] { state.withLock { $0.sizes } }
    /// Forgets the batches so far and holds the next one.
    func holdFirstBatch() { state.withLock { $0 = ([], true) } }

    func appendAll(_ steps: [Append]) async -> [Result<Void, StoreError>] {
        let hold = state.withLock { s in
            s.sizes.append(steps.count)
            defer { s.hold = false }
            return s.hold
        }
        if hold { try? await Task.sleep(for: .milliseconds(300)) }
        return await base.appendAll(steps)
    }
}
