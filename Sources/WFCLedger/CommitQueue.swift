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
        // Nobody writing: this caller commits its own step at once, without handing it to a
        // writer task and waiting to be woken (two thread switches a step; a lone caller's
        // latency). Steps that arrive meanwhile queue up and are handed to a writer after.
        let lead = state.withLock { s in
            if s.writing { return false }
            s.writing = true
            return true
        }
        if lead {
            let result = await commit([step], lone: true).first ?? .failure(.io("the repository answered no result"))
            let more = state.withLock { s in
                if s.pending.isEmpty { s.writing = false; return false }
                return true
            }
            if more { Task { await self.drain() } }
            return result
        }
        return await withCheckedContinuation { answer in
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
            let results = await commit(batch.map(\.step))
            for (p, r) in zip(batch, results) { p.answer.resume(returning: r) }
        }
    }

    /// One transaction of `steps`: a result for each, and ``committed`` called with those that
    /// committed. `lone`: a caller committing its own step (see ``CaseRepository/appendAllNow(_:)``).
    private func commit(_ steps: [Append], lone: Bool = false) async -> [Result<Void, StoreError>] {
        var results = lone ? await repository.appendAllNow(steps) : await repository.appendAll(steps)
        // A backend that answers with the wrong number of results broke the protocol:
        // no caller may learn of a commit that was not reported.
        if results.count != steps.count {
            results = Array(repeating: .failure(.io("the repository answered \(results.count) results for \(steps.count) steps")), count: steps.count)
        }
        let done = zip(steps, results).compactMap { s, r -> Append? in if case .success = r { s } else { nil } }
        if !done.isEmpty { committed(done) }
        return results
    }
}
