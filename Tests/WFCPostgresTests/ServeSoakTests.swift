import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import TestSupport
import Testing
import WFCPostgres

/// The short (CI) form of the PostgreSQL soak: two `wfc serve` processes on one database,
/// concurrent clients on both for `WFC_SOAK_SECONDS` (30 by default), cases whose wait timer
/// falls due while they run. After it: no acknowledged event lost or doubled, every chain
/// verifies, every due timer fired exactly once (by either server), every outbox entry
/// delivered.
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
    static let clients = 8
    static let timerCases = 20

    static var executable: URL { PackagePaths.wfcExecutable }

    struct Server: @unchecked Sendable {
        let process: Process
        let base: URL
    }

    static func serve(_ store: String, secrets: URL, webhook: String) throws -> Server {
        let p = Process()
        p.executableURL = executable
        p.arguments = ["serve", "--store", store, "--listen", "127.0.0.1:0", "--jwt-secret-file", secrets.appendingPathComponent("jwt").path,
                       "--webhook", webhook, "--webhook-secret-file", secrets.appendingPathComponent("hook").path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        var printed = ""
        let deadline = Date().addingTimeInterval(60)
        while !printed.contains("\n"), Date() < deadline, p.isRunning {
            printed += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        }
        guard let port = printed.split(separator: " ").first(where: { $0.hasPrefix("http://") })?.split(separator: ":").last.flatMap({ Int($0) }),
              let base = URL(string: "http://127.0.0.1:\(port)") else {
            p.terminate()
            throw Unexpected(description: "wfc serve did not start: \(printed)")
        }
        return Server(process: p, base: base)
    }

    static func run(_ args: [String]) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func post(_ url: URL, token: String, body: String, type: String = "application/json", key: String? = nil) async -> Int {
        var r = URLRequest(url: url, timeoutInterval: 30)
        r.httpMethod = "POST"
        r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        r.setValue(type, forHTTPHeaderField: "Content-Type")
        if let key { r.setValue(key, forHTTPHeaderField: "Idempotency-Key") }
        r.httpBody = Data(body.utf8)
        guard let (_, response) = try? await URLSession.shared.data(for: r) else { return 0 }
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    final class Shared: Sendable {
        /// (case, key) of every event answered 2xx.
        let acknowledged = Mutex<[(String, String)]>([])
        /// Deliveries by `webhook-id`.
        let delivered = Mutex<[String: Int]>([:])
        let failures = Mutex<[Int: Int]>([:])
    }

    @Test func twoServersOneDatabase() async throws {
        let seconds = Int(ProcessInfo.processInfo.environment["WFC_SOAK_SECONDS"] ?? "") ?? 30
        let schema = try await TestDatabase.migratedSchema()
        let store = TestDatabase.with(try TestDatabase.appURL(), ["schema": schema])
        let secrets = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-soak-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: secrets, withIntermediateDirectories: true)
        // The servers share their secrets: files, as there is no store folder.
        for name in ["jwt", "hook"] {
            try Data((0..<32).map { _ in UInt8.random(in: 0...255) }.map { String(format: "%02x", $0) }.joined().utf8)
                .write(to: secrets.appendingPathComponent(name))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secrets.appendingPathComponent(name).path)
        }
        @Sendable func token(_ sub: String, admin: Bool = false) throws -> String {
            let r = try Self.run(["token", "issue", "--sub", sub, "--store", store, "--jwt-secret-file", secrets.appendingPathComponent("jwt").path] + (admin ? ["--scope", "admin"] : []))
            guard r.status == 0 else { throw Unexpected(description: "token: \(r.out)") }
            return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let shared = Shared()
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let id = request.headers[HTTPFields.Element.Name("webhook-id")!] ?? ""
            shared.delivered.withLock { $0[id, default: 0] += 1 }
            return .noContent
        }
        var logger = Logger(label: "receiver")
        logger.logLevel = .critical
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await receiver.test(.live) { client in
            let hook = "http://127.0.0.1:\(client.port ?? 0)/hook"
            let servers = [try Self.serve(store, secrets: secrets, webhook: hook), try Self.serve(store, secrets: secrets, webhook: hook)]
            defer { for s in servers { s.process.terminate(); s.process.waitUntilExit() } }
            let admin = try token("hr", admin: true), a = try token("a"), b = try token("b")
            #expect(await Self.post(servers[0].base.appendingPathComponent("v1/definitions"), token: admin, body: Self.workflow, type: "application/yaml") == 201)
            // Ping-pong cases, one per client, on alternating servers.
            for c in 0..<Self.clients {
                #expect(await Self.post(servers[c % 2].base.appendingPathComponent("v1/cases"), token: admin,
                                        body: #"{"definition": "soak", "id": "S\#(c)", "people": {"a": "a", "b": "b"}, "data": {"until": "2030-01-01T00:00:00Z"}}"#) == 201)
            }
            let stopAt = Date().addingTimeInterval(TimeInterval(seconds))
            await withTaskGroup(of: Void.self) { group in
                for c in 0..<Self.clients {
                    group.addTask {
                        var n = 0
                        while Date() < stopAt {
                            let key = "S\(c)-\(n)"
                            let status = await Self.post(servers[(c + n) % 2].base.appendingPathComponent("v1/cases/S\(c)/events"), token: n % 2 == 0 ? a : b,
                                                         body: n % 2 == 0 ? #"{"event": "ping"}"# : #"{"event": "pong"}"#, key: key)
                            if (200..<300).contains(status) {
                                shared.acknowledged.withLock { $0.append(("S\(c)", key)) }
                                n += 1
                            } else {
                                // Retried with the same key: safe whatever happened.
                                shared.failures.withLock { $0[status, default: 0] += 1 }
                            }
                        }
                    }
                }
                // Cases that go straight to their (already due) wait: both schedulers race on them.
                group.addTask {
                    for t in 0..<Self.timerCases {
                        // Due three seconds after the case enters its wait: a scheduler fires it.
                        let until = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3))
                        _ = await Self.post(servers[t % 2].base.appendingPathComponent("v1/cases"), token: admin,
                                            body: #"{"definition": "soak", "id": "T\#(t)", "people": {"a": "a", "b": "b"}, "data": {"until": "\#(until)"}}"#)
                        _ = await Self.post(servers[(t + 1) % 2].base.appendingPathComponent("v1/cases/T\(t)/events"), token: a, body: #"{"event": "stop"}"#, key: "T\(t)-stop")
                        try? await Task.sleep(for: .milliseconds(Int(seconds) * 1000 / (2 * Self.timerCases)))
                    }
                }
            }
            // Give the schedulers and deliverers time to finish.
            let repo = try TestDatabase.repository(schema)
            var undelivered = -1
            let deadline = Date().addingTimeInterval(60)
            repeat {
                try await Task.sleep(for: .seconds(1))
                let running = try await repo.listCases(CaseQuery(workflow: nil, state: "waiting", status: nil, overdue: false, now: "9999-01-01T00:00:00Z", after: nil, limit: nil))
                let pending = try await SQLClient.with(try TestDatabase.ownerURL(), schema: schema) { c in
                    try await c.rows("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL").first?.decode(Int.self) ?? -1
                }
                undelivered = running.isEmpty ? pending : max(pending, 1)
            } while undelivered != 0 && Date() < deadline
            #expect(undelivered == 0, "timers not fired or outbox not delivered within a minute")

            // No acknowledged event lost or doubled.
            let acknowledged = shared.acknowledged.withLock { $0 }
            #expect(acknowledged.count > Self.clients * 4, "too little load to mean anything: \(acknowledged.count)")
            for c in 0..<Self.clients {
                let keys = try await repo.events("S\(c)").compactMap { try $0.get().idempotencyKey }
                #expect(keys.count == Set(keys).count, "S\(c): a key recorded twice")
                let mine = acknowledged.filter { $0.0 == "S\(c)" }.map(\.1)
                #expect(Set(mine).isSubset(of: Set(keys)), "S\(c): acknowledged events missing")
            }
            // Every due timer fired exactly once.
            for t in 0..<Self.timerCases {
                let events = try await repo.events("T\(t)").map { try $0.get() }
                #expect(events.filter { $0.kind == .tick }.count == 1, "T\(t): \(events.map(\.kind))")
                #expect(try await repo.loadCase("T\(t)").status == "completed")
            }
            // Every outbox entry delivered at least once, with its id.
            let ids = try await SQLClient.with(try TestDatabase.ownerURL(), schema: schema) { c in
                try await c.rows("SELECT id FROM outbox").map { try $0.decode(String.self) }
            }
            let got = shared.delivered.withLock { $0 }
            #expect(!ids.isEmpty && ids.allSatisfy { got[$0, default: 0] >= 1 }, "not delivered: \(ids.filter { got[$0] == nil }.prefix(5))")
            let verify = try Self.run(["case", "verify", "--all", "--store", store])
            #expect(verify.status == 0, "\(verify.out)")
        }
    }
}
