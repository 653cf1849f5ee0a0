import Foundation
import Logging
import ServiceLifecycle
import WFCLedger

/// Fires due timers by itself (escalations, violations, waits). Each pass reads the cases whose
/// indexed `next_due` has passed and takes a lease on them in the store, so two servers on one
/// store never tick one case at the same time; the tick's conditional write already keeps a
/// timer from being recorded twice. The cases of a pass are ticked concurrently, so their
/// ticks share the ledger's group commit.
public struct TimerScheduler: Service {
    public let ledger: Ledger
    /// This server's name in leases (host and process id by default).
    public let owner: String
    /// Pause between passes that found nothing due. Passes follow each other at once while
    /// cases are due, so a backlog drains at full speed.
    public let interval: Duration
    /// How long a claim keeps other servers off a case; a server that dies frees it this late.
    public let lease: TimeInterval
    public let batch: Int
    let metrics: ServerMetrics
    let logger: Logger
    let clock: @Sendable () -> Date

    public init(ledger: Ledger, owner: String, interval: Duration = .milliseconds(500), lease: TimeInterval = 30, batch: Int = 64,
                metrics: ServerMetrics, logger: Logger, clock: @escaping @Sendable () -> Date = Date.init) {
        self.ledger = ledger
        self.owner = owner
        self.interval = interval
        self.lease = lease
        self.batch = batch
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        // A graceful shutdown ends the loop between passes: a pass in progress finishes its
        // case (each case is one transaction) before the service returns.
        let wake = ledger.timerWork
        try await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let (fired, claimed) = await pass()
                if claimed < batch || fired == 0 {
                    // Until the next poll, or sooner when a step made a timer that is due already.
                    await wake.wait(timeout: interval)
                }
            }
        } onGracefulShutdown: {
            wake.signal()
        }
    }

    /// One pass at the clock's time: claims due cases and ticks each. Returns how many cases
    /// recorded a tick and how many were claimed.
    @discardableResult
    public func pass() async -> (fired: Int, claimed: Int) {
        let now = clock()
        let ids: [String]
        do {
            ids = try await ledger.claimDueCases(now: now, owner: owner, lease: lease, limit: batch)
        } catch {
            logger.error("scheduler: cannot read due timers", metadata: ["error": "\(error)"])
            metrics.schedulerError()
            return (0, 0)
        }
        // The claimed cases are ticked at once, so that the ledger's group commit writes their
        // ticks in shared transactions (one fsync for the batch, not one per case).
        let fired = await withTaskGroup(of: Bool.self) { group in
            for id in ids {
                group.addTask { await tick(id, now: now) }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        return (fired, ids.count)
    }

    /// Ticks one claimed case; true when a tick was recorded.
    func tick(_ id: String, now: Date) async -> Bool {
        do {
            let o = try await ledger.tick(id, now: now)
            if let a = o.audit {
                metrics.timerFired()
                logger.info("timer fired", metadata: ["case": "\(id)", "seq": "\(a.seq)"])
                return true
            } else if let e = o.error {
                logger.warning("timer not fired", metadata: ["case": "\(id)", "reason": "\(e)"])
            }
        } catch {
            metrics.schedulerError()
            logger.error("scheduler: tick failed", metadata: ["case": "\(id)", "error": "\(error)"])
        }
        return false
    }
}
