// Transitions per second and latency through HTTP: a release `wfc serve` on loopback, CLIENTS
// concurrent clients each firing events on a case of its own, against raw SQLite inserting the
// same rows (the events and case rows the server wrote) with one commit per event,
// synchronous=FULL, single writer — measured in the same run.
//
//   swift build -c release --static-swift-stdlib --scratch-path .build-static --product wfc
//   swift build -c release --static-swift-stdlib --scratch-path .build-static --product serve-bench
//   .build-static/release/serve-bench .build-static/release/wfc [clients] [events per client] [rounds]
//   .build-static/release/serve-bench .build-static/release/wfc --web [cases] [clients] [requests] [rounds]   (WebPages.swift)
//   Scripts/with-postgres sh -c '.build-static/release/serve-bench .build-static/release/wfc --postgres "$WFC_TEST_POSTGRES_OWNER_URL" [servers] [clients] [events] [rounds]'   (Postgres.swift)
import AsyncHTTPClient
import Foundation
import GRDB
import NIOCore
import SameRows
import WFCLedger
import WFCRuntime
import WFCStore

struct Failure: Error, CustomStringConvertible { var description: String }

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.isEmpty ? 0 : s[s.count / 2] }
func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : s[min(s.count - 1, Int((Double(s.count) * p).rounded(.up)) - 1)]
}

/// Two people passing a case back and forth: every event is one durable transition.
let benchWorkflow = """
    workflow: bench
    version: 1
    title: 基准
    roles:
      a: {title: 甲}
      b: {title: 乙}
    separate: [[a, b]]
    start: one
    states:
      one:
        title: 一
        max_rounds: {limit: unbounded, assumption: 基准测试的往返没有上限}
        on:
          ping: {by: a, to: two}
          stop: {by: a, to: done}
      two:
        title: 二
        max_rounds: {limit: unbounded, assumption: 基准测试的往返没有上限}
        on:
          pong: {by: b, to: one}
      done: {final: completed}
    """

/// Runs `exe args`; its standard output.
func output(_ exe: String, _ args: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw Failure(description: "\(exe) \(args.joined(separator: " ")) exited \(p.terminationStatus)") }
    return String(decoding: data, as: UTF8.self)
}

/// A `wfc serve` process on a free port over a new store.
final class Server: @unchecked Sendable {
    let process = Process()
    let url: String
    let store: String

    convenience init(wfc: String, dir: URL) throws {
        try self.init(wfc: wfc, store: dir.appendingPathComponent("store.sqlite").path, extra: [])
    }

    /// A server on `store` (a file or a database URL), with `extra` arguments.
    init(wfc: String, store: String, extra: [String]) throws {
        self.store = store
        process.executableURL = URL(fileURLWithPath: wfc)
        process.arguments = ["serve", "--store", store, "--listen", "127.0.0.1:0", "--no-scheduler"] + extra
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = ""
        while !line.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw Failure(description: "wfc serve did not start") }
            line += String(decoding: chunk, as: UTF8.self)
        }
        guard let r = line.range(of: "http://"), let end = line[r.lowerBound...].firstIndex(of: " ") else {
            throw Failure(description: "unexpected first line: \(line)")
        }
        url = String(line[r.lowerBound..<end])
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

func post(_ client: HTTPClient, _ url: String, token: String, json: String? = nil, yaml: String? = nil, key: String? = nil) async throws -> Int {
    var req = HTTPClientRequest(url: url)
    req.method = .POST
    req.headers.add(name: "authorization", value: "Bearer \(token)")
    if let json { req.headers.add(name: "content-type", value: "application/json"); req.body = .bytes(ByteBuffer(string: json)) }
    if let yaml { req.headers.add(name: "content-type", value: "application/yaml"); req.body = .bytes(ByteBuffer(string: yaml)) }
    if let key { req.headers.add(name: "idempotency-key", value: key) }
    let res = try await client.execute(req, timeout: .seconds(30))
    _ = try await res.body.collect(upTo: 1 << 20)
    return Int(res.status.code)
}

/// One round: `clients` cases, each driven by its own client for `events` transitions.
/// Returns (transitions/s, latencies in ms, the store path).
func httpRound(wfc: String, dir: URL, clients: Int, events: Int) async throws -> (rate: Double, latencies: [Double], server: Server) {
    let server = try Server(wfc: wfc, dir: dir)
    let admin = try output(wfc, ["token", "issue", "--store", server.store, "--sub", "hr", "--scope", "admin"]).trimmingCharacters(in: .whitespacesAndNewlines)
    let a = try output(wfc, ["token", "issue", "--store", server.store, "--sub", "a"]).trimmingCharacters(in: .whitespacesAndNewlines)
    let b = try output(wfc, ["token", "issue", "--store", server.store, "--sub", "b"]).trimmingCharacters(in: .whitespacesAndNewlines)
    var config = HTTPClient.Configuration()
    config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients)
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    do {
        guard try await post(client, server.url + "/v1/definitions?file=bench.yaml", token: admin, yaml: benchWorkflow) == 201 else {
            throw Failure(description: "deploy failed")
        }
        for c in 0..<clients {
            let status = try await post(client, server.url + "/v1/cases", token: admin,
                                        json: #"{"definition": "bench", "id": "B\#(c)", "people": {"a": "a", "b": "b"}}"#)
            guard status == 201 else { throw Failure(description: "start B\(c): HTTP \(status)") }
        }
        let (rate, latencies) = try await pingPong(client, urls: [server.url], clients: clients, events: events, a: a, b: b)
        try await client.shutdown()
        return (rate, latencies, server)
    } catch {
        try? await client.shutdown()
        server.stop()
        throw error
    }
}

/// `clients` tasks, each firing `events` ping/pong events on case `B<n>` (through `urls[n % count]`),
/// all at once: transitions per second and each request's latency (ms).
func pingPong(_ client: HTTPClient, urls: [String], clients: Int, events: Int, a: String, b: String) async throws -> (rate: Double, latencies: [Double]) {
    let clock = ContinuousClock()
    let start = clock.now
    let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
        for c in 0..<clients {
            group.addTask {
                var mine: [Double] = []
                for i in 0..<events {
                    let t0 = clock.now
                    let status = try await post(client, urls[c % urls.count] + "/v1/cases/B\(c)/events", token: i % 2 == 0 ? a : b,
                                                json: i % 2 == 0 ? #"{"event": "ping"}"# : #"{"event": "pong"}"#, key: "B\(c)-\(i)")
                    guard status == 200 else { throw Failure(description: "B\(c) event \(i): HTTP \(status)") }
                    mine.append(seconds(clock.now - t0) * 1000)
                }
                return mine
            }
        }
        var all: [Double] = []
        for try await l in group { all += l }
        return all
    }
    return (Double(clients * events) / seconds(clock.now - start), latencies)
}

/// The rows the server wrote for the fired events, written again by raw SQLite: one
/// IMMEDIATE transaction per event (event row + case row update), synchronous=FULL.
func rawRound(store: String, dir: URL) async throws -> Double {
    let ledger = try Ledger(sqlitePath: store, readOnly: true)
    var work: [(events: [AuditEvent], snapshot: String)] = []
    for id in try await ledger.caseIDs() {
        let h = try await ledger.history(id).filter { $0.kind == .event }
        let snap = String(decoding: try await ledger.load(id).snapshot.json(), as: UTF8.self)
        work.append((h, snap))
    }
    return try rawWrite(work, path: dir.appendingPathComponent("raw.sqlite").path)
}

/// The rows the server wrote, again: its cases started and its events fired (by seq, across
/// the cases, as they arrived) through a ledger on a scratch store capture the rows of every
/// step; raw SQLite writes them into a store of the same schema, one transaction per event,
/// synchronous=FULL (Benchmarks/SameRows).
func sameRowsRound(store: String, dir: URL) async throws -> Double {
    let served = try Ledger(sqlitePath: store, readOnly: true)
    var starts: [(id: String, definition: Definition, at: Date)] = []
    var logs: [[AuditEvent]] = []
    for id in try await served.caseIDs() {
        let history = try await served.history(id)
        guard let first = history.first, let at = Timestamp(rfc3339: first.time)?.date else { throw Failure(description: "\(id): no start") }
        starts.append((id, try await served.load(id).definition, at))
        logs.append(history.filter { $0.kind == .event })
    }
    var events: [(caseID: String, event: Event, at: Date)] = []
    for i in 0..<(logs.map(\.count).max() ?? 0) {
        for log in logs where i < log.count {
            let e = log[i]
            guard let at = Timestamp(rfc3339: e.time)?.date else { throw Failure(description: "\(e.caseID): time \(e.time)") }
            events.append((e.caseID, Event(e.name, actor: e.actor ?? "", idempotencyKey: e.idempotencyKey), at))
        }
    }
    let cases = starts
    @Sendable func setUp(_ l: Ledger) async throws {
        for s in cases {
            guard case .started = try await l.start(s.definition, caseID: s.id, data: [:], people: ["a": "a", "b": "b"], actor: "hr", now: s.at) else {
                throw Failure(description: "start \(s.id) refused")
            }
        }
    }
    let steps = try await SameRows.capture(scratch: dir.appendingPathComponent("scratch.sqlite").path, setUp: setUp, events: events)
    let target = dir.appendingPathComponent("same.sqlite").path
    do { try await setUp(try Ledger(sqlitePath: target, durability: .full)) }
    return try SameRows.write(steps, path: target, synchronous: "FULL").rate
}

/// The synchronous write loop of ``rawRound(store:dir:)``, as an application would write.
func rawWrite(_ work: [(events: [AuditEvent], snapshot: String)], path: String) throws -> Double {
    var config = Configuration()
    config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    let pool = try DatabasePool(path: path, configuration: config)
    try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    try pool.write { db in
        try db.execute(sql: """
            CREATE TABLE cases (id TEXT PRIMARY KEY, version INTEGER NOT NULL, snapshot TEXT NOT NULL, head_seq INTEGER NOT NULL, head_hash TEXT NOT NULL);
            CREATE TABLE events (case_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, actor TEXT, role TEXT,
                item INTEGER, payload TEXT NOT NULL, idempotency_key TEXT, time TEXT NOT NULL, outcome TEXT NOT NULL, prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL, PRIMARY KEY (case_id, seq), UNIQUE (case_id, idempotency_key)) WITHOUT ROWID;
            """)
        for w in work where !w.events.isEmpty {
            try db.execute(sql: "INSERT INTO cases (id, version, snapshot, head_seq, head_hash) VALUES (?, 0, '', 0, '')", arguments: [w.events[0].caseID])
        }
    }
    let clock = ContinuousClock()
    let start = clock.now
    var n = 0
    // Interleaved across cases, as the clients' events arrived.
    let longest = work.map(\.events.count).max() ?? 0
    for i in 0..<longest {
        for w in work where i < w.events.count {
            let e = w.events[i]
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try db.cachedStatement(sql: """
                        INSERT INTO events (case_id, seq, kind, name, actor, role, item, payload, idempotency_key, time, outcome, prev_hash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """).execute(arguments: [e.caseID, e.seq, e.kind.rawValue, e.name, e.actor, e.role, e.item, e.payload, e.idempotencyKey, e.time,
                                                 e.outcome, e.prevHash, e.hash])
                    try db.cachedStatement(sql: "UPDATE cases SET version = ?, snapshot = ?, head_seq = ?, head_hash = ? WHERE id = ? AND version = ?")
                        .execute(arguments: [i + 1, w.snapshot, e.seq, e.hash, e.caseID, i])
                    return .commit
                }
            }
            n += 1
        }
    }
    return Double(n) / seconds(clock.now - start)
}

func main() async throws {
    var args = CommandLine.arguments
    guard args.count > 1 else { throw Failure(description: "usage: serve-bench WFC [clients] [events per client] [rounds] | serve-bench WFC --web [cases] [clients] [requests] [rounds]") }
    if args.count > 3 && args[2] == "--postgres" {
        func int(_ i: Int, _ d: Int) -> Int { args.count > i ? Int(args[i]) ?? d : d }
        try await postgresBench(wfc: args[1], url: args[3], servers: int(4, 3), clients: int(5, 64), events: int(6, 40), rounds: int(7, 3))
        return
    }
    if args.count > 2 && args[2] == "--web" {
        args.remove(at: 2)
        func int(_ i: Int, _ d: Int) -> Int { args.count > i ? Int(args[i]) ?? d : d }
        try await webBench(wfc: args[1], workflow: "workflows/company-handover.yaml", cases: int(2, 200), clients: int(3, 8), requests: int(4, 50), rounds: int(5, 3))
        return
    }
    let wfc = args[1]
    let clients = args.count > 2 ? Int(args[2]) ?? 64 : 64
    let events = args.count > 3 ? Int(args[3]) ?? 40 : 40
    let rounds = args.count > 4 ? Int(args[4]) ?? 3 : 3
    print("serve-bench: \(clients) clients × \(events) events × \(rounds) rounds over HTTP (loopback), synchronous=FULL")
    var rates: [Double] = [], raws: [Double] = [], ratios: [Double] = [], p50s: [Double] = [], p99s: [Double] = []
    var sames: [Double] = [], sameRatios: [Double] = []
    for r in 0..<rounds {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("serve-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (rate, latencies, server) = try await httpRound(wfc: wfc, dir: dir, clients: clients, events: events)
        server.stop()
        let raw = try await rawRound(store: server.store, dir: dir)
        let same = try await sameRowsRound(store: server.store, dir: dir)
        let (p50, p99) = (percentile(latencies, 0.5), percentile(latencies, 0.99))
        print(String(format: "round %d: HTTP %.0f transitions/s (p50 %.1f ms, p99 %.1f ms); raw SQLite (event + snapshot row) %.0f/s, ratio %.2f; raw SQLite (the same rows) %.0f/s, ratio %.2f",
                     r + 1, rate, p50, p99, raw, rate / raw, same, rate / same))
        rates.append(rate); raws.append(raw); ratios.append(rate / raw); p50s.append(p50); p99s.append(p99)
        sames.append(same); sameRatios.append(rate / same)
    }
    print(String(format: "median: HTTP %.0f transitions/s, p50 %.1f ms, p99 %.1f ms; raw SQLite (event + snapshot row) %.0f/s, ratio %.2f; raw SQLite (the same rows) %.0f/s, ratio %.2f (goal ≥ 1.0; p99 goal < 50 ms)",
                 median(rates), median(p50s), median(p99s), median(raws), median(ratios), median(sames), median(sameRatios)))
}

do { try await main() } catch {
    FileHandle.standardError.write(Data("serve-bench: \(error)\n".utf8))
    exit(3)
}
