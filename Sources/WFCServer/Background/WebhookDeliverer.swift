import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import WFCLedger

/// Delivers the outbox (task opened, escalation, violation, case finished) to one webhook URL,
/// at least once. Entries are written in the step's own transaction, so nothing is lost when
/// the server dies between commit and delivery: an entry is marked delivered only after a 2xx
/// answer, and a claim the dead server held expires after its lease.
///
/// Requests follow the Standard Webhooks signature scheme: `webhook-id` (the entry id, for
/// deduplication), `webhook-timestamp` (Unix seconds) and `webhook-signature`
/// (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body` with the shared secret).
public struct WebhookDeliverer: Service {
    public let ledger: Ledger
    public let url: String
    let secret: SymmetricKey
    let client: HTTPClient
    let owner: String
    let metrics: ServerMetrics
    let logger: Logger
    let interval: Duration
    let lease: TimeInterval
    let clock: @Sendable () -> Date

    public init(ledger: Ledger, url: String, secret: Data, client: HTTPClient, owner: String, metrics: ServerMetrics, logger: Logger,
                interval: Duration = .seconds(1), lease: TimeInterval = 30, clock: @escaping @Sendable () -> Date = Date.init) {
        self.ledger = ledger
        self.url = url
        self.secret = SymmetricKey(data: secret)
        self.client = client
        self.owner = owner
        self.metrics = metrics
        self.logger = logger
        self.interval = interval
        self.lease = lease
        self.clock = clock
    }

    public func run() async throws {
        let wake = ledger.outboxWork
        try await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let n = await pass()
                if n == 0 {
                    // Until the next poll (retries fall due by time), or sooner when a step
                    // committed here or on another server wrote entries.
                    await wake.wait(timeout: interval)
                }
            }
        } onGracefulShutdown: {
            wake.signal()
        }
    }

    /// Claims a batch and tries each entry once; returns how many were claimed.
    @discardableResult
    public func pass() async -> Int {
        let batch: [OutboxEntry]
        do {
            batch = try await ledger.claimOutbox(owner: owner, limit: 32, now: clock(), lease: lease)
        } catch {
            logger.error("webhook: cannot read the outbox", metadata: ["error": "\(error)"])
            return 0
        }
        var delivered: [String] = []
        for e in batch {
            let result = await deliver(e)
            metrics.webhookDelivery(ok: result == nil)
            if let why = result {
                let wait = Self.backoff(attempts: e.attempts + 1)
                logger.warning("webhook delivery failed", metadata: ["id": "\(e.id)", "attempt": "\(e.attempts + 1)", "retry_in_s": "\(Int(wait))", "error": "\(why)"])
                try? await ledger.retryOutbox(e.id, notBefore: clock().addingTimeInterval(wait), error: why)
            } else {
                delivered.append(e.id)
            }
        }
        if !delivered.isEmpty {
            do { try await ledger.markDelivered(delivered) } catch {
                // Delivered but not marked: they will be sent again, which at-least-once allows.
                logger.error("webhook: cannot mark entries delivered", metadata: ["error": "\(error)"])
            }
        }
        return batch.count
    }

    /// Exponential backoff with jitter: 2, 4, 8 … seconds, at most an hour.
    static func backoff(attempts: Int) -> TimeInterval {
        let base = min(3600, pow(2, Double(min(attempts, 12))))
        return base * Double.random(in: 0.8...1.2)
    }

    /// The body sent for an entry: its id, case, event number, kind and the effect.
    static func body(_ e: OutboxEntry) -> String {
        "{\"case\":\(json(e.caseID)),\"created_at\":\(json(e.createdAt)),\"effect\":\(e.payload),\"id\":\(json(e.id)),\"kind\":\(json(e.kind)),\"seq\":\(e.seq)}"
    }

    static func json(_ s: String) -> String {
        (try? String(decoding: JSONEncoder().encode(s), as: UTF8.self)) ?? "\"\""
    }

    /// The `webhook-signature` value for a body sent at `timestamp`.
    public static func signature(id: String, timestamp: Int, body: String, secret: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(id).\(timestamp).\(body)".utf8), using: secret)
        return "v1," + Data(mac).base64EncodedString()
    }

    /// Nil when the receiver answered 2xx; otherwise why not.
    func deliver(_ e: OutboxEntry) async -> String? {
        let body = Self.body(e)
        let ts = Int(clock().timeIntervalSince1970)
        var req = HTTPClientRequest(url: url)
        req.method = .POST
        req.headers.add(name: "content-type", value: "application/json")
        req.headers.add(name: "webhook-id", value: e.id)
        req.headers.add(name: "webhook-timestamp", value: String(ts))
        req.headers.add(name: "webhook-signature", value: Self.signature(id: e.id, timestamp: ts, body: body, secret: secret))
        req.body = .bytes(ByteBuffer(string: body))
        do {
            let res = try await client.execute(req, timeout: .seconds(10))
            _ = try? await res.body.collect(upTo: 64 * 1024)
            return (200..<300).contains(Int(res.status.code)) ? nil : "HTTP \(res.status.code)"
        } catch {
            return "\(error)"
        }
    }
}
