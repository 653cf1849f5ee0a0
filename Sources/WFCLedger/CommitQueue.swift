import Synchronization

/// Group commit: one writer per ledger commits the steps that callers submit, many cases'
/// steps in ONE repository transaction (``CaseRepository/appendAll(_:)``), and answers each
/// caller only after that transaction committed. Batches form on their own: while one batch
/// commits, the next accumulates; a lone caller's step is committed at once (no timer).
final class CommitQueue: Sendable {
    struct Pending: Sendable {
        let step: Append
        let answer: CheckedContinuation<Result<Void, StoreError>, Never>
    }

    struct State: Sendable {
        var pending: [Pending] = []
        /// A writer task is draining `pending`.
        var writing = false
    }

    let repository: any CaseRepository
    /// The most steps in one transaction: bounds a transaction's time and its rollback journal.
    let batchLimit: Int
    /// Called with the steps of a batch that committed, before their callers are answered.
    let committed: @Sendable ([Append]) -> Void
    private let state = Mutex(State())

    init(_ repository: any CaseRepository, batchLimit: Int = 256, committed: @escaping @Sendable ([Append]) -> Void = { _ in }) {
        self.repository = repository
        self.batchLimit = max(1, batchLimit)
        self.committed = committed
    }

    /// Commits `step` (in a batch with whatever else is waiting); its own result.
    func submit(_ step: Append) async -> Result<Void, StoreError> {
        await withCheckedContinuation { answer in
            let startWriter = state.withLock { s in
                s.pending.append(Pending(step: step, answer: answer))
                if s.writing { return false }
                s.writing = true
                return true
            }
            if startWriter { Task { await self.drain() } }
        }
    }

    /// Commits batches until nothing waits.
    private func drain() async {
        while true {
            let batch: [Pending] = state.withLock { s in
                if s.pending.isEmpty {
                    s.writing = false
                    return []
                }
                let n = min(s.pending.count, batchLimit)
                let b = Array(s.pending.prefix(n))
                s.pending.removeFirst(n)
                return b
            }
            if batch.isEmpty { return }
            var results = await repository.appendAll(batch.map(\.step))
            // A backend that answers with the wrong number of results broke the protocol:
            // no caller may learn of a commit that was not reported.
            if results.count != batch.count {
                results = Array(repeating: .failure(.io("the repository answered \(results.count) results for \(batch.count) steps")), count: batch.count)
            }
            let done = zip(batch, results).compactMap { p, r -> Append? in if case .success = r { p.step } else { nil } }
            if !done.isEmpty { committed(done) }
            for (p, r) in zip(batch, results) { p.answer.resume(returning: r) }
        }
    }
}
