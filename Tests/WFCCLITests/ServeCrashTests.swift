import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import TestSupport
import Testing

/// `wfc serve` SIGKILLed under load, again and again (`WFC_CRASH_KILLS`, 5 by default; the long
/// form is 20): every event a client saw accepted (2xx) is in its case's log, every chain
/// verifies, and every outbox entry reaches the webhook at least once.
@Suite struct ServeCrashTests {
    static let workflow = """
        workflow: crash
        version: 1
        title: 崩溃测试
        roles:
          a: {title: 甲}
          b: {title: 乙}
        separate: [[a, b]]
        start: one
        states:
          one:
            title: 一
            max_rounds: {limit: unbounded, assumption: 测试用的往返没有上限}
            on:
              ping: {by: a, to: two}
              stop: {by: a, to: done}
          two:
            title: 二
            max_rounds: {limit: unbounded, assumption: 测试用的往返没有上限}
            on:
              pong: {by: b, to: one}
          done: {final: completed}
        """
    static let cases = 8

    /// The next event each case's client sends (its key is `CASE-N`); a request whose answer
    /// was lost is sent again with the same key, which the idempotency key makes safe.
    final class Progress: Sendable {
        let next = Mutex<[Int]>(Array(repeating: 0, count: ServeCrashTests.cases))
        /// (case, key) of every event answered 2xx.
        let acknowledged = Mutex<[(String, String)]>([])
    }

    /// Shared between the clients and the killer.
    final class Flag: Sendable {
        let raised = Mutex(false)
    }

    /// Deliveries by `webhook-id`.
    final class Deliveries: Sendable {
        let count = Mutex<[String: Int]>([:])
    }

    @Test func killedServersLoseNothingTheyAcknowledged() async throws {
        let kills = Int(ProcessInfo.processInfo.environment["WFC_CRASH_KILLS"] ?? "") ?? 5
        let dir = try CLI.tempDir([:])
        let store = dir.appendingPathComponent("store.sqlite").path
        let received = Deliveries()
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let id = request.headers[HTTPFields.Element.Name("webhook-id")!] ?? ""
            received.count.withLock { $0[id, default: 0] += 1 }
            return .noContent
        }
        var logger = Logger(label: "receiver")
        logger.logLevel = .critical
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await receiver.test(.live) { client in
            let hook = "http://127.0.0.1:\(client.port ?? 0)/hook"
            let progress = Progress()
            var first = try ServeProcess.start(["--store", store, "--webhook", hook])
            let admin = try CLI.run(["token", "issue", "--sub", "hr", "--scope", "admin", "--store", store]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let a = try CLI.run(["token", "issue", "--sub", "a", "--store", store]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let b = try CLI.run(["token", "issue", "--sub", "b", "--store", store]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(await ServeProcess.post(first.base.appendingPathComponent("v1/definitions"), token: admin, body: Self.workflow, type: "application/yaml") == 201)
            for c in 0..<Self.cases {
                #expect(await ServeProcess.post(first.base.appendingPathComponent("v1/cases"), token: admin,
                                        body: #"{"definition": "crash", "id": "K\#(c)", "people": {"a": "a", "b": "b"}}"#) == 201)
            }
            for round in 0..<kills {
                let server = round == 0 ? first : try ServeProcess.start(["--store", store, "--webhook", hook])
                first = server
                let stop = Flag()
                await withTaskGroup(of: Void.self) { group in
                    for c in 0..<Self.cases {
                        group.addTask {
                            while !stop.raised.withLock({ $0 }) {
                                let n = progress.next.withLock { $0[c] }
                                let key = "K\(c)-\(n)"
                                let status = await ServeProcess.post(server.base.appendingPathComponent("v1/cases/K\(c)/events"), token: n % 2 == 0 ? a : b,
                                                             body: n % 2 == 0 ? #"{"event": "ping"}"# : #"{"event": "pong"}"#, key: key, timeout: 10)
                                guard (200..<300).contains(status) else { return }
                                progress.acknowledged.withLock { $0.append(("K\(c)", key)) }
                                progress.next.withLock { $0[c] += 1 }
                            }
                        }
                    }
                    group.addTask {
                        try? await Task.sleep(for: .milliseconds(Int.random(in: 150...400)))
                        kill(server.process.processIdentifier, SIGKILL)
                        stop.raised.withLock { $0 = true }
                    }
                }
                server.process.waitUntilExit()
            }
            // One more server delivers what the killed ones left in the outbox.
            let last = try ServeProcess.start(["--store", store, "--webhook", hook])
            let db = try DatabaseQueue(path: store, configuration: { var c = Configuration(); c.readonly = true; return c }())
            var undelivered = Int.max
            let deadline = Date().addingTimeInterval(60)
            while undelivered > 0, Date() < deadline {
                try await Task.sleep(for: .milliseconds(200))
                undelivered = try await db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL") ?? -1 }
            }
            last.process.terminate()
            last.process.waitUntilExit()
            #expect(undelivered == 0)
            let outbox = try await db.read { try String.fetchAll($0, sql: "SELECT id FROM outbox") }
            let got = received.count.withLock { $0 }
            #expect(!outbox.isEmpty)
            #expect(outbox.allSatisfy { got[$0, default: 0] >= 1 }, "not delivered: \(outbox.filter { got[$0] == nil }.prefix(5))")

            // Every acknowledged event is in its case's log, once.
            let acknowledged = progress.acknowledged.withLock { $0 }
            #expect(acknowledged.count > Self.cases, "too little load to mean anything: \(acknowledged.count)")
            let keys = try await db.read { try Row.fetchAll($0, sql: "SELECT case_id, idempotency_key FROM events WHERE idempotency_key IS NOT NULL") }
                .map { "\($0["case_id"] as String)/\($0["idempotency_key"] as String)" }
            #expect(Set(keys).count == keys.count)
            let logged = Set(keys)
            #expect(acknowledged.allSatisfy { logged.contains("\($0.0)/\($0.1)") })
            let verify = try CLI.run(["case", "verify", "--all", "--store", store])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        }
    }
}
