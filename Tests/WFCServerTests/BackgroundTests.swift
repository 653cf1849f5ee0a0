import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import AsyncHTTPClient
import Synchronization
import Testing
import WFCLedger
import WFCServer
import WFCService

/// A workflow whose one task is overdue after two days: the overdue timer escalates to the
/// manager (an outbox effect) and records a violation.
let timerWorkflow = """
    workflow: timers
    version: 1
    title: 计时
    calendar: {id: cn-mainland, provisional: law}
    roles:
      handover: {title: 交接人}
      manager: {title: 直接上级}
    separate: [[handover, manager]]
    start: work
    states:
      work:
        title: 交接
        due: {within: 2 days, overdue: {escalate: manager, violation: 未按时交接}}
        on:
          done: {by: handover, to: finished}
      finished: {final: completed}
    """

/// A store with `cases` started at ``Harness/now`` of ``timerWorkflow``, and the service over it.
struct TimerStore {
    let path: String
    let service: WorkflowService
    static let admin = Principal(person: "hr.admin", scopes: [Principal.adminScope])

    init(cases: Int) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-timers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        path = dir.appendingPathComponent("store.sqlite").path
        service = WorkflowService(store: try StoreAccess(path: path), clock: { Harness.now })
        let d = try await service.deploy(yaml: timerWorkflow, fileName: "timers.yaml", by: Self.admin)
        for i in 0..<cases {
            _ = try await service.startCase(StartCaseRequest(definition: d.hash, id: "T\(i)", people: ["handover": "zhang.san", "manager": "wang.wu"]), by: Self.admin)
        }
    }

    /// A second ledger on the same file: what another server process has.
    func secondLedger() throws -> Ledger { try Ledger(sqlitePath: path) }

    static var quietLogger: Logger {
        var l = Logger(label: "wfc.test")
        l.logLevel = .critical
        return l
    }
}

@Suite struct TimerSchedulerTests {
    /// Nothing fires before the due time; after it, one pass fires every case once and the
    /// next pass fires nothing.
    @Test func dueTimersFireOnceWithoutAnyoneAsking() async throws {
        let s = try await TimerStore(cases: 3)
        let ledger = s.service.store.ledger
        let early = TimerScheduler(ledger: ledger, owner: "a", metrics: ServerMetrics(), logger: TimerStore.quietLogger,
                                   clock: { Harness.now.addingTimeInterval(3600) })
        #expect(await early.pass().fired == 0)
        let metrics = ServerMetrics()
        let late = TimerScheduler(ledger: ledger, owner: "a", metrics: metrics, logger: TimerStore.quietLogger,
                                  clock: { Harness.now.addingTimeInterval(3 * 86_400) })
        #expect(await late.pass().fired == 3)
        #expect(await late.pass().fired == 0)
        for i in 0..<3 {
            let h = try await ledger.history("T\(i)")
            #expect(h.map(\.kind) == [.start, .tick], "T\(i): \(h.map(\.kind))")
        }
        #expect(metrics.render().contains("wfc_timers_fired_total 3"))
    }

    /// Two servers (two ledgers on one store, two owners) passing at once over 40 due cases:
    /// every case is ticked exactly once, and each chain verifies.
    @Test func twoServersNeverFireOneTimerTwice() async throws {
        let s = try await TimerStore(cases: 40)
        let other = try s.secondLedger()
        let later: @Sendable () -> Date = { Harness.now.addingTimeInterval(3 * 86_400) }
        let a = TimerScheduler(ledger: s.service.store.ledger, owner: "a", batch: 8, metrics: ServerMetrics(), logger: TimerStore.quietLogger, clock: later)
        let b = TimerScheduler(ledger: other, owner: "b", batch: 8, metrics: ServerMetrics(), logger: TimerStore.quietLogger, clock: later)
        async let firedA = Self.drain(a)
        async let firedB = Self.drain(b)
        let total = try await firedA + firedB
        #expect(total == 40)
        for i in 0..<40 {
            let h = try await other.history("T\(i)")
            #expect(h.filter { $0.kind == .tick }.count == 1, "T\(i)")
            #expect(try await other.verify("T\(i)").ok)
        }
    }

    /// Passes until one claims nothing; the cases this scheduler fired.
    static func drain(_ s: TimerScheduler) async throws -> Int {
        var fired = 0
        while true {
            let (f, claimed) = await s.pass()
            fired += f
            if claimed == 0 { return fired }
        }
    }
}

/// Requests a webhook receiver got: headers and body.
final class Received: Sendable {
    struct Delivery: Sendable { var id, timestamp, signature, body: String }
    let deliveries = Mutex<[Delivery]>([])
    /// Answer 500 to the first `failFirst` requests.
    let failFirst: Int
    init(failFirst: Int = 0) { self.failFirst = failFirst }
}

@Suite struct WebhookTests {
    /// A receiver on a free port; `body` runs with its URL while it serves.
    static func withReceiver(_ received: Received, _ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let d = Received.Delivery(id: request.headers[HTTPFields.Element.Name("webhook-id")!] ?? "", timestamp: request.headers[HTTPFields.Element.Name("webhook-timestamp")!] ?? "",
                                      signature: request.headers[HTTPFields.Element.Name("webhook-signature")!] ?? "", body: String(buffer: bytes))
            let n = received.deliveries.withLock { $0.append(d); return $0.count }
            return n <= received.failFirst ? .internalServerError : .noContent
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: TimerStore.quietLogger)
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port ?? 0)/hook")
        }
    }

    /// A running deliverer whose poll is ten minutes away still delivers at once: the commit
    /// that wrote the entries wakes it (wide bounds: a loaded run can starve the thread pool).
    @Test func aCommitWakesTheDeliverer() async throws {
        let s = try await TimerStore(cases: 1)
        let ledger = s.service.store.ledger
        let later: @Sendable () -> Date = { Harness.now.addingTimeInterval(3 * 86_400) }
        let received = Received()
        try await Self.withReceiver(received) { url in
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
            let deliverer = WebhookDeliverer(ledger: ledger, url: url, secret: Data(repeating: 7, count: 32), client: client, owner: "a",
                                             metrics: ServerMetrics(), logger: TimerStore.quietLogger, interval: .seconds(600), clock: later)
            let running = Task { try await deliverer.run() }
            // Its first pass delivers what the start wrote; then it waits for the minute or a wake-up.
            try await Task.sleep(for: .milliseconds(300))
            let escalated: @Sendable () -> Bool = { received.deliveries.withLock { $0.contains { $0.body.contains("escalation") } } }
            #expect(!escalated())
            let clock = ContinuousClock(), start = clock.now
            #expect(await TimerScheduler(ledger: ledger, owner: "a", metrics: ServerMetrics(), logger: TimerStore.quietLogger, clock: later).pass().fired == 1)
            while !escalated() && clock.now - start < .seconds(300) {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(escalated())
            #expect(clock.now - start < .seconds(300))
            running.cancel()
            _ = try? await running.value
            try await client.shutdown()
        }
    }

    /// Escalations reach the webhook signed; a failing receiver gets the entry again with the
    /// same id after the backoff, and a delivered entry is not sent again.
    @Test func effectsAreDeliveredSignedAtLeastOnce() async throws {
        let s = try await TimerStore(cases: 1)
        let ledger = s.service.store.ledger
        let later: @Sendable () -> Date = { Harness.now.addingTimeInterval(3 * 86_400) }
        _ = await TimerScheduler(ledger: ledger, owner: "a", metrics: ServerMetrics(), logger: TimerStore.quietLogger, clock: later).pass()
        let received = Received(failFirst: 1)
        let secret = Array("0123456789abcdef0123456789abcdef".utf8)
        try await Self.withReceiver(received) { url in
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
            let clock = Mutex(later())
            let deliverer = WebhookDeliverer(ledger: ledger, url: url, secret: Data(secret), client: client, owner: "a", metrics: ServerMetrics(),
                                             logger: TimerStore.quietLogger, clock: { clock.withLock { $0 } })
            var claimed = await deliverer.pass()
            #expect(claimed > 0)
            let firstRound = received.deliveries.withLock { $0 }
            #expect(firstRound.count == claimed)
            // The failed one waits for its backoff: nothing is claimable now.
            #expect(await deliverer.pass() == 0)
            clock.withLock { $0 = $0.addingTimeInterval(3600) }
            claimed = await deliverer.pass()
            #expect(claimed == 1)
            #expect(await deliverer.pass() == 0)
            let all = received.deliveries.withLock { $0 }
            // At least once: the failed entry came again with the same id.
            #expect(all.count == firstRound.count + 1)
            #expect(all.last?.id == all.first?.id)
            for d in all {
                let expected = WebhookDeliverer.signature(id: d.id, timestamp: Int(d.timestamp) ?? -1, body: d.body, secret: SymmetricKey(data: secret))
                #expect(d.signature == expected)
                #expect(d.body.contains("\"case\":\"T0\"") && d.body.contains("\"id\":\"\(d.id)\""))
            }
            #expect(all.contains { $0.body.contains("escalation") })
            try await client.shutdown()
        }
    }
}
