import Logging
import ServiceLifecycle
import WFCLedger

/// Wakes this server's scheduler and webhook deliverer when a step committed on ANOTHER server
/// made work for them (a store that supports it: PostgreSQL's LISTEN/NOTIFY). Steps committed
/// here wake them directly through the ledger. Notices are a shortcut: the workers still poll.
struct WorkListener: Service {
    let ledger: Ledger
    let source: any WorkNotifying

    func run() async throws {
        // Ends with the service group: a graceful shutdown cancels the listening call.
        await cancelWhenGracefulShutdown {
            await source.listenForWork { [ledger] kind in ledger.notice(kind) }
        }
    }
}
