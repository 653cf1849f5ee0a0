// Several release `wfc serve` processes on one PostgreSQL database, the clients spread over
// them round-robin (as a load balancer would), each client firing events on a case of its own:
// transitions per second and each request's latency (p50, p99). Every round uses a schema of
// its own (`?schema=`, made with `psql`), migrated by the first server with the owner's URL given.
import AsyncHTTPClient
import Foundation

func postgresBench(wfc: String, url: String, servers count: Int, clients: Int, events: Int, rounds: Int) async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("serve-bench-pg-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    // The token secret every server checks with (`--jwt-secret-file`, mode 0600).
    let secret = dir.appendingPathComponent("jwt-secret").path
    let hex = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    guard FileManager.default.createFile(atPath: secret, contents: Data(hex.utf8), attributes: [.posixPermissions: 0o600]) else {
        throw Failure(description: "cannot write \(secret)")
    }
    print("serve-bench: \(count) servers on PostgreSQL, \(clients) clients × \(events) events × \(rounds) rounds over HTTP (loopback)")
    var rates: [Double] = [], p50: [Double] = [], p99: [Double] = []
    for r in 0..<rounds {
        let schema = "serve_bench_\(UInt32.random(in: 0...UInt32.max))_\(r)"
        let store = url + (url.contains("?") ? "&" : "?") + "schema=" + schema
        // wfc creates its tables in a schema that exists (the owner makes it: docs/store.md).
        _ = try output("/usr/bin/env", ["psql", url, "-q", "-c", "CREATE SCHEMA \(schema)"])
        // One server first: it creates the schema; the others then find it ready.
        var servers = [try Server(wfc: wfc, store: store, extra: ["--jwt-secret-file", secret])]
        defer { for s in servers { s.stop() } }
        for _ in 1..<max(1, count) { servers.append(try Server(wfc: wfc, store: store, extra: ["--jwt-secret-file", secret])) }
        func token(_ sub: String, admin: Bool = false) throws -> String {
            try output(wfc, ["token", "issue", "--store", store, "--jwt-secret-file", secret, "--sub", sub] + (admin ? ["--scope", "admin"] : []))
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let admin = try token("hr", admin: true), a = try token("a"), b = try token("b")
        var config = HTTPClient.Configuration()
        config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        do {
            let deployed = try await post(client, servers[0].url + "/v1/definitions?file=bench.yaml", token: admin, yaml: benchWorkflow)
            guard deployed == 201 else { throw Failure(description: "deploy failed: HTTP \(deployed)") }
            for c in 0..<clients {
                let status = try await post(client, servers[c % servers.count].url + "/v1/cases", token: admin,
                                            json: #"{"definition": "bench", "id": "B\#(c)", "people": {"a": "a", "b": "b"}}"#)
                guard status == 201 else { throw Failure(description: "start B\(c): HTTP \(status)") }
            }
            let (rate, latencies) = try await pingPong(client, urls: servers.map(\.url), clients: clients, events: events, a: a, b: b)
            try await client.shutdown()
            rates.append(rate)
            p50.append(percentile(latencies, 0.5))
            p99.append(percentile(latencies, 0.99))
            print(String(format: "round %d: %.0f transitions/s (p50 %.1f ms, p99 %.1f ms)", r + 1, rate, p50.last ?? 0, p99.last ?? 0))
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
    print(String(format: "median: %.0f transitions/s, p50 %.1f ms, p99 %.1f ms (%d servers, %d clients)", median(rates), median(p50), median(p99), count, clients))
}
