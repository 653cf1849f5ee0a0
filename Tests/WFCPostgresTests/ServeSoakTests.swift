import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import TestSupport
import Testing
import WFCLedger
import WFCIR
import WFCPostgres
import WFCService

/// The PostgreSQL soaks, short forms for CI (the long forms are the same tests with larger
/// numbers in the environment; BENCHMARKS.md records them):
/// - several `wfc serve` processes on one database under concurrent clients, servers SIGKILLed
///   and PostgreSQL restarted during the run: no acknowledged event lost or doubled, every
///   chain verifies, every due timer fired once, every outbox entry delivered, no hang;
/// - two servers ticking the same pile of due timers: each fires once.
@Suite struct ServeSoakTests {
    static let workflow = """
        workflow: soak
        version: 1
        title: 浸泡测试
        roles:
          a: {title: 甲}
          b: {title: 乙}
        separate: [[a, b]]
        case:
          until: {type: datetime, title: 等到}
        start: one
        states:
          one:
            title: 一
            max_rounds: {limit: unbounded, assumption: 测试用的往返没有上限}
            on:
              ping: {by: a, to: two}
              stop: {by: a, to: waiting}
          two:
            title: 二
            max_rounds: {limit: unbounded, assumption: 测试用的往返没有上限}
            on:
              pong: {by: b, to: one}
          waiting:
            title: 等
            wait: {until: "case.until"}
            then: done
          done: {final: completed}
        """

    /// A number from the environment, else the CI default.
    static func setting(_ name: String, _ ci: Int) -> Int {
        Int(ProcessInfo.processInfo.environment[name] ?? "") ?? ci
    }

    /// Shared secrets files (there is no store folder with PostgreSQL).
    static func secrets() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-soak-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in ["jwt", "hook"] {
            try Data((0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined().utf8).write(to: dir.appendingPathComponent(name))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: dir.appendingPathComponent(name).path)
        }
        return dir
    }

    static func token(_ sub: String, admin: Bool = false, store: String, secrets: URL) throws -> String {
        let r = try ServeProcess.wfc(["token", "issue", "--sub", sub, "--store", store, "--jwt-secret-file", secrets.appendingPathComponent("jwt").path]
            + (admin ? ["--scope", "admin"] : []))
        guard r.status == 0 else { throw Unexpected(description: "token: \(r.out)") }
        return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    final class Shared: Sendable {
        /// (case, key) of every event answered 2xx.
        let acknowledged = Mutex<[(String, String)]>([])
        /// Deliveries by `webhook-id`.
        let delivered = Mutex<[String: Int]>([:])
        /// Answers other than 2xx, by status (0: no answer).
        let failures = Mutex<[Int: Int]>([:])
        /// The longest any request took, in seconds.
        let slowest = Mutex<Double>(0)
        /// The `until` each wait case was started with.
        let untils = Mutex<[Int: Date]>([:])
        /// The running servers; a killed one is replaced in its slot.
        let servers = Mutex<[ServeProcess]>([])

        func server(_ i: Int) -> ServeProcess { servers.withLock { $0[i % $0.count] } }
    }

    /// An RFC 3339 time as the store writes it (fractional seconds or not).
    static func date(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter(), fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return plain.date(from: text) ?? fractional.date(from: text)
    }

    /// A webhook receiver counting deliveries by id; `body` runs with its URL.
    static func withReceiver(_ shared: Shared, _ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let id = request.headers[HTTPFields.Element.Name("webhook-id")!] ?? ""
            shared.delivered.withLock { $0[id, default: 0] += 1 }
            return .noContent
        }
        var logger = Logger(label: "receiver")
        logger.logLevel = .critical
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await receiver.test(.live) { client in try await body("http://127.0.0.1:\(client.port ?? 0)/hook") }
    }

    @Test func serversKilledAndPostgresRestarted() async throws {
        let seconds = Self.setting("WFC_SOAK_SECONDS", 40), serverCount = Self.setting("WFC_SOAK_SERVERS", 3)
        let clients = Self.setting("WFC_SOAK_CLIENTS", 12), kills = Self.setting("WFC_SOAK_KILLS", 2)
        let restarts = Self.setting("WFC_SOAK_RESTARTS", 1), timerCases = Self.setting("WFC_SOAK_WAITS", 20)
        let cluster = try TestDatabase.disruptible()
        // The cluster is this test's alone: wfc's tables in its `public` schema, made by the owner.
        let owner = try PostgresRepository(url: cluster.owner)
        _ = try await owner.schemaVersion()
        await owner.shutdown()
        let store = cluster.app
        let secrets = try Self.secrets()
        let shared = Shared()
        try await Self.withReceiver(shared) { hook in
            let args = ["--store", store, "--jwt-secret-file", secrets.appendingPathComponent("jwt").path,
                        "--webhook", hook, "--webhook-secret-file", secrets.appendingPathComponent("hook").path]
            let started = try (0..<serverCount).map { _ in try ServeProcess.start(args) }
            shared.servers.withLock { $0 = started }
            defer { for s in shared.servers.withLock({ $0 }) { s.stop() } }
            let admin = try Self.token("hr", admin: true, store: store, secrets: secrets)
            let a = try Self.token("a", store: store, secrets: secrets), b = try Self.token("b", store: store, secrets: secrets)
            #expect(await ServeProcess.post(shared.server(0).base.appendingPathComponent("v1/definitions"), token: admin, body: Self.workflow, type: "application/yaml") == 201)
            for c in 0..<clients {
                #expect(await ServeProcess.post(shared.server(c).base.appendingPathComponent("v1/cases"), token: admin,
                                                body: #"{"definition": "soak", "id": "S\#(c)", "people": {"a": "a", "b": "b"}, "data": {"until": "2030-01-01T00:00:00Z"}}"#) == 201)
            }
            let clock = ContinuousClock(), began = clock.now
            let stopAt = Date().addingTimeInterval(TimeInterval(seconds))
            /// POSTs until a 2xx, the same key each time; records what it saw.
            @Sendable func send(_ i: Int, _ path: String, token: String, body: String, key: String) async -> Bool {
                while Date() < stopAt.addingTimeInterval(120) {
                    let t0 = clock.now
                    let status = await ServeProcess.post(shared.server(i).base.appendingPathComponent(path), token: token, body: body, key: key, timeout: 60)
                    let took = clock.now - t0
                    shared.slowest.withLock { $0 = max($0, Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18) }
                    if (200..<300).contains(status) { return true }
                    shared.failures.withLock { $0[status, default: 0] += 1 }
                    try? await Task.sleep(for: .milliseconds(50))
                }
                return false
            }
            await withTaskGroup(of: Void.self) { group in
                for c in 0..<clients {
                    group.addTask {
                        var n = 0
                        while Date() < stopAt {
                            let key = "S\(c)-\(n)"
                            guard await send(c + n, "v1/cases/S\(c)/events", token: n % 2 == 0 ? a : b,
                                             body: n % 2 == 0 ? #"{"event": "ping"}"# : #"{"event": "pong"}"#, key: key) else { return }
                            shared.acknowledged.withLock { $0.append(("S\(c)", key)) }
                            n += 1
                        }
                    }
                }
                // Cases whose wait falls due a few seconds after they enter it: the schedulers race.
                group.addTask {
                    for t in 0..<timerCases {
                        let due = Date().addingTimeInterval(3)
                        shared.untils.withLock { $0[t] = due }
                        let until = ISO8601DateFormatter().string(from: due)
                        _ = await send(t, "v1/cases", token: admin,
                                       body: #"{"definition": "soak", "id": "T\#(t)", "people": {"a": "a", "b": "b"}, "data": {"until": "\#(until)"}}"#, key: "T\(t)-start")
                        _ = await send(t + 1, "v1/cases/T\(t)/events", token: a, body: #"{"event": "stop"}"#, key: "T\(t)-stop")
                        try? await Task.sleep(for: .milliseconds(seconds * 1000 / (2 * max(1, timerCases))))
                    }
                }
                // Disruptions spread over the run: SIGKILL a random server (and start another in
                // its slot), and restart PostgreSQL itself.
                group.addTask {
                    var plan = Array(repeating: "kill", count: kills) + Array(repeating: "restart", count: restarts)
                    plan.shuffle()
                    for (i, what) in plan.enumerated() {
                        let at = Double(seconds) * Double(i + 1) / Double(plan.count + 1)
                        let wait = at - Date().timeIntervalSince(stopAt.addingTimeInterval(-Double(seconds)))
                        if wait > 0 { try? await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
                        if what == "kill" {
                            let slot = Int.random(in: 0..<serverCount)
                            shared.server(slot).kill()
                            if let fresh = try? ServeProcess.start(args) { shared.servers.withLock { $0[slot] = fresh } }
                        } else {
                            _ = runToEnd(cluster.restart)
                        }
                    }
                }
            }
            let loadSeconds = Double((clock.now - began).components.seconds)

            // Give the schedulers and deliverers time to finish.
            let repo = try PostgresRepository(url: store)
            defer { Task { await repo.shutdown() } }
            var undelivered = -1
            let deadline = Date().addingTimeInterval(90)
            repeat {
                try await Task.sleep(for: .seconds(1))
                let waiting = (try? await repo.listCases(CaseQuery(workflow: nil, state: "waiting", status: nil, overdue: false, now: "9999-01-01T00:00:00Z", after: nil, limit: nil))) ?? []
                let pending = (try? await SQLClient.with(cluster.owner) { c in
                    try await c.rows("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL").first?.decode(Int.self) ?? -1
                }) ?? -1
                undelivered = waiting.isEmpty ? pending : max(pending, 1)
            } while undelivered != 0 && Date() < deadline
            #expect(undelivered == 0, "timers not fired or outbox not delivered within 90 s")

            // No acknowledged event lost or doubled.
            let acknowledged = shared.acknowledged.withLock { $0 }
            #expect(acknowledged.count > clients * 4, "too little load to mean anything: \(acknowledged.count)")
            for c in 0..<clients {
                let keys = try await repo.events("S\(c)").compactMap { try $0.get().idempotencyKey }
                #expect(keys.count == Set(keys).count, "S\(c): a key recorded twice")
                let mine = acknowledged.filter { $0.0 == "S\(c)" }.map(\.1)
                #expect(Set(mine).isSubset(of: Set(keys)), "S\(c): acknowledged events missing")
            }
            // Every due timer fired exactly once. Under load a case may reach its wait only after
            // the wait's time: then the step that entered it also passed it, and no timer was due.
            let untils = shared.untils.withLock { $0 }
            var fired = 0
            for t in 0..<timerCases {
                let events = try await repo.events("T\(t)").map { try $0.get() }
                let stop = events.first { $0.kind == .event && $0.name == "stop" }.flatMap { Self.date($0.time) }
                let entered = try #require(stop, "T\(t): no stop event: \(events.map(\.kind))")
                let ticks = events.filter { $0.kind == .tick }.count
                #expect(ticks == (entered < (untils[t] ?? .distantPast) ? 1 : 0), "T\(t): entered its wait at \(entered), until \(untils[t] ?? .distantPast): \(events.map(\.kind))")
                #expect(try await repo.loadCase("T\(t)").status == "completed")
                fired += ticks
            }
            // Every outbox entry delivered at least once, with its id.
            let ids = try await SQLClient.with(cluster.owner) { c in try await c.rows("SELECT id FROM outbox").map { try $0.decode(String.self) } }
            let got = shared.delivered.withLock { $0 }
            #expect(!ids.isEmpty && ids.allSatisfy { got[$0, default: 0] >= 1 }, "not delivered: \(ids.filter { got[$0] == nil }.prefix(5))")
            // Clients saw only retryable answers: no answer (a killed server), 503 (the database
            // away) or 409 (a timeout, a conflict); never a 5xx defect, a 4xx refusal, or a hang.
            let failures = shared.failures.withLock { $0 }
            #expect(failures.keys.allSatisfy { [0, 409, 503].contains($0) }, "\(failures)")
            let slowest = shared.slowest.withLock { $0 }
            #expect(slowest < 45, "a request took \(slowest) s")
            let verify = try ServeProcess.wfc(["case", "verify", "--all", "--store", store])
            #expect(verify.status == 0, "\(verify.out.suffix(2000))")
            let perSecond = Double(acknowledged.count) / max(loadSeconds, 1)
            print("""
                soak: \(serverCount) servers, \(clients) clients, \(Int(loadSeconds)) s, \(kills) SIGKILLs, \(restarts) PostgreSQL restarts: \
                \(acknowledged.count) events acknowledged (\(Int(perSecond))/s), retried answers \(failures.sorted { $0.key < $1.key }), \
                slowest request \(String(format: "%.1f", slowest)) s, \(fired) of \(timerCases) waits fired by a timer, once each (the others were passed on entry), \(ids.count) outbox entries delivered, \
                verify --all ok: \(verify.status == 0)
                """)
        }
    }

    /// Two servers start at once over a pile of due timers (`WFC_SOAK_TIMERS`, 1,000 in CI; the
    /// long form is 10,000): every one fires exactly once, between them.
    @Test func twoServersFireEveryDueTimerOnce() async throws {
        let count = Self.setting("WFC_SOAK_TIMERS", 1000)
        let schema = try await TestDatabase.migratedSchema()
        let store = TestDatabase.with(try TestDatabase.appURL(), ["schema": schema])
        let secrets = try Self.secrets()
        let jwt = ["--store", store, "--jwt-secret-file", secrets.appendingPathComponent("jwt").path]
        // The cases are made in this process, through the service, on a clock two hours back:
        // each enters its wait then, and the wait fell due an hour ago, so every one is due
        // when the two schedulers start (and none ticked before).
        let past = Date().addingTimeInterval(-7200)
        let service = WorkflowService(store: try StoreAccess(location: store, mode: .readWrite), clock: { past })
        let hr = Principal(person: "hr", scopes: [Principal.adminScope]), a = Principal(person: "a")
        let d = try await service.deploy(yaml: Self.workflow, fileName: "soak.yaml", by: hr)
        let until = ValueIR.string(ISO8601DateFormatter().string(from: past.addingTimeInterval(3600)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<16 {
                group.addTask {
                    for t in stride(from: w, to: count, by: 16) {
                        _ = try await service.startCase(StartCaseRequest(definition: d.hash, id: "D\(t)", data: ["until": until], people: ["a": "a", "b": "b"]), by: hr)
                        _ = try await service.fire(caseID: "D\(t)", FireRequest(event: "stop"), actor: a)
                    }
                }
            }
            try await group.waitForAll()
        }
        let waiting = try await SQLClient.with(try TestDatabase.ownerURL(), schema: schema) { c in
            try await c.rows("SELECT COUNT(*) FROM cases WHERE status = 'running'").first?.decode(Int.self) ?? -1
        }
        #expect(waiting == count)
        let clock = ContinuousClock(), began = clock.now
        let servers = [try ServeProcess.start(jwt), try ServeProcess.start(jwt)]
        defer { for s in servers { s.stop() } }
        var left = -1
        let deadline = Date().addingTimeInterval(300)
        repeat {
            try await Task.sleep(for: .milliseconds(500))
            left = try await SQLClient.with(try TestDatabase.ownerURL(), schema: schema) { c in
                try await c.rows("SELECT COUNT(*) FROM cases WHERE status = 'running'").first?.decode(Int.self) ?? -1
            }
        } while left != 0 && Date() < deadline
        let took = clock.now - began
        #expect(left == 0, "\(left) cases still waiting after 5 minutes")
        let (ticks, wrong) = try await SQLClient.with(try TestDatabase.ownerURL(), schema: schema) { c in
            let ticks = try await c.rows("SELECT COUNT(*) FROM events WHERE kind = 'tick'").first?.decode(Int.self) ?? -1
            let wrong = try await c.rows("""
                SELECT COUNT(*) FROM cases c WHERE (SELECT COUNT(*) FROM events e WHERE e.case_id = c.id AND e.kind = 'tick') <> 1
                """).first?.decode(Int.self) ?? -1
            return (ticks, wrong)
        }
        #expect(ticks == count)
        #expect(wrong == 0, "\(wrong) cases were not ticked exactly once")
        let secondsTaken = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
        print("soak: 2 servers fired \(ticks) due timers in \(String(format: "%.1f", secondsTaken)) s (\(Int(Double(ticks) / max(secondsTaken, 0.001)))/s), each once: \(wrong == 0)")
    }
}
