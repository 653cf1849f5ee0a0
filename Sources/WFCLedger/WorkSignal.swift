import Synchronization

/// Background work a committed step can make: a timer already due, or outbox entries to deliver.
public enum WorkKind: String, Sendable, CaseIterable {
    case timers
    case outbox
}

/// Wakes a background worker (the timer scheduler, the webhook deliverer) as soon as a committed
/// step made work for it, instead of at its next poll. Signals are coalesced: any number of
/// signals while the worker is busy make its next ``wait(timeout:)`` return at once, once. The
/// worker still polls (the timeout): a signal is a shortcut, never the only way work is found.
public final class WorkSignal: Sendable {
    private struct State: Sendable {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        /// Tells one wait's timeout from the next one's.
        var generation = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Wakes the current or the next waiter.
    public func signal() {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { s in
            if let w = s.waiter {
                s.waiter = nil
                return w
            }
            s.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at a signal (one that came since the last wait included), after `timeout`, or
    /// when the calling task is cancelled. One waiter at a time.
    public func wait(timeout: Duration) async {
        let generation: Int? = state.withLock { s in
            if s.pending {
                s.pending = false
                return nil
            }
            s.generation &+= 1
            return s.generation
        }
        guard let generation else { return }
        let timer = Task { [self] in
            try? await Task.sleep(for: timeout)
            expire(generation)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s in
                    // Expired or signalled between the check above and here.
                    if s.pending || s.generation != generation {
                        s.pending = false
                        return true
                    }
                    s.waiter = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            expire(generation)
        }
        timer.cancel()
    }

    private func expire(_ generation: Int) {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { s in
            guard s.generation == generation else { return nil }
            s.generation &+= 1
            let w = s.waiter
            s.waiter = nil
            return w
        }
        waiter?.resume()
    }
}

/// A repository that hears of work other processes' commits made (PostgreSQL's LISTEN/NOTIFY),
/// so that a worker on one server wakes when a step committed on another made work for it.
public protocol WorkNotifying: Sendable {
    /// Calls `onNotice` for each notice until the calling task is cancelled; reconnects by
    /// itself after a lost connection (notices sent meanwhile are lost: workers still poll).
    func listenForWork(_ onNotice: @escaping @Sendable (WorkKind) -> Void) async
}

extension Append {
    /// The work this step makes for the background workers once it commits: outbox entries to
    /// deliver, or a timer that is due already at the step's time.
    public var work: Set<WorkKind> {
        var w: Set<WorkKind> = []
        if !outbox.isEmpty { w.insert(.outbox) }
        if let timers, timers.contains(where: { $0.isDue(at: event.time) }) { w.insert(.timers) }
        return w
    }
}

extension NewCase {
    /// The work starting this case makes for the background workers (see ``Append/work``).
    public var work: Set<WorkKind> {
        var w: Set<WorkKind> = []
        if !outbox.isEmpty { w.insert(.outbox) }
        if timers.contains(where: { $0.isDue(at: event.time) }) { w.insert(.timers) }
        return w
    }
}

extension TimerRow {
    /// Not fired and due at or before `time` (RFC 3339 UTC texts compare as strings).
    func isDue(at time: String) -> Bool {
        fired != true && (due.map { $0 <= time } ?? false)
    }
}
