// Durable transitions per second through the Ledger over SQLiteRepository, against raw SQLite writing the same
// rows (insert one event row + update one snapshot row per transaction) with the same GRDB,
// WAL and `synchronous` setting, measured in the same run: one case at a time (FULL and
// NORMAL), then CASES tasks firing at once on CASES different cases through one Ledger (group
// commit; FULL) against raw SQLite committing the same rows one event per transaction from a
// single writer. Medians over the rounds. Each figure also against a second baseline, "the same
// rows": the rows the ledger itself wrote for those steps (case row columns, event, task index
// and timers when changed, outbox) written again by raw SQLite into the same schema
// (Benchmarks/SameRows), one transaction per event.
//
//   swift build -c release --scratch-path .build-perf --product store-bench
//   .build-perf/release/store-bench [IR.json] [transitions] [rounds] [cases] [per-case] [--only full|normal|concurrent]
//
// `migrate [CASES] [FIRES]`: migrations per second (dry run and real) against plain fire steps,
// on one store of CASES cases (default 100,000); see MigrationBench.swift.
//
//   store-bench migrate 100000 10000
//
// `verify-all WFC [CASES]`: a store of CASES cases (default 1,000; each started, submitted,
// readied, approved and signed: 5 audit events), then the time of `WFC case verify --all`
// against one `WFC case verify ID` process per case (the binary given, release build).
//
//   store-bench verify-all .build/release/wfc 1000
import Foundation
import GRDB
import SameRows
import WFCIR
import WFCRuntime
import WFCStore

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.isEmpty ? 0 : s[s.count / 2] }
/// The `p`-quantile (nearest rank) of `xs`.
func quantile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return 0 }
    return s[min(s.count - 1, max(0, Int((p * Double(s.count)).rounded(.up)) - 1))]
}

struct Failure: Error { var message: String }

/// One case moved into the handover sign-off, then alice signs and unsigns: each is one
/// durable transition (engine step, snapshot JSON, chain hash, one transaction).
func durableRound(_ store: Ledger, _ def: Definition, caseID: String, n: Int) async throws -> Double {
    let t0 = Fixture.t0
    try await intoSignoff(store, def, caseID)
    let clock = ContinuousClock()
    let start = clock.now
    for i in 0..<n {
        guard case .accepted = try await store.fire(caseID, Event(i % 2 == 0 ? "sign" : "unsign", actor: "alice"), now: t0.addingTimeInterval(Double(i))) else {
            throw Failure(message: "transition \(i) not accepted")
        }
    }
    return Double(n) / seconds(clock.now - start)
}

enum Fixture {
    static let people = ["handover": "alice", "receiver": "bob", "manager": "carol", "hr": "dave"]
    static let t0 = Date(timeIntervalSince1970: 1_758_852_000)
}

/// Starts `id` and moves it into the handover sign-off (4 events).
func intoSignoff(_ store: Ledger, _ def: Definition, _ id: String) async throws {
    let t0 = Fixture.t0, people = Fixture.people
    guard case .started = try await store.start(def, caseID: id, data: [:], people: people, actor: nil, now: t0) else { throw Failure(message: "start refused") }
    _ = try await store.fire(id, Event("submit", actor: "alice", payload: ["reason": .string("resignation"), "last_day": .string("2025-10-31")]), now: t0)
    _ = try await store.fire(id, Event("ready", actor: "alice", payload: ["items": .list([.map(["name": .string("客户资料"), "kind": .string("document"), "done": .bool(true)])])]), now: t0)
    _ = try await store.fire(id, Event("approve", actor: "carol"), now: t0)
}

/// `cases` tasks, each signing and unsigning `perCase` times on its own case, all at once
/// through one ledger (its group commit): transitions per second and each fire's latency (s).
func concurrentRound(_ store: Ledger, _ def: Definition, prefix: String, cases: Int, perCase: Int) async throws -> (rate: Double, latencies: [Double]) {
    let ids = (0..<cases).map { "\(prefix)-\($0)" }
    let t0 = Fixture.t0
    try await withThrowingTaskGroup(of: Void.self) { g in
        for id in ids { g.addTask { try await intoSignoff(store, def, id) } }
        try await g.waitForAll()
    }
    let clock = ContinuousClock()
    let start = clock.now
    let latencies = try await withThrowingTaskGroup(of: [Double].self) { g in
        for id in ids {
            g.addTask {
                var l: [Double] = []
                l.reserveCapacity(perCase)
                for i in 0..<perCase {
                    let t = clock.now
                    guard case .accepted = try await store.fire(id, Event(i % 2 == 0 ? "sign" : "unsign", actor: "alice"), now: t0.addingTimeInterval(Double(i))) else {
                        throw Failure(message: "transition \(i) of \(id) not accepted")
                    }
                    l.append(seconds(clock.now - t))
                }
                return l
            }
        }
        var all: [Double] = []
        for try await l in g { all += l }
        return all
    }
    return (Double(cases * perCase) / seconds(clock.now - start), latencies)
}

/// The rows of a concurrent round written directly by one writer, one transaction per event,
/// the cases' events interleaved: transitions per second and each commit's latency (s).
func rawConcurrentRound(_ pool: DatabasePool, logs: [(id: String, snapshot: String, events: [AuditEvent])]) throws -> (rate: Double, latencies: [Double]) {
    try pool.write { db in
        try db.execute(sql: "DELETE FROM events")
        try db.execute(sql: "DELETE FROM cases")
        for l in logs { try db.execute(sql: "INSERT INTO cases (id, version, snapshot, head_seq, head_hash) VALUES (?, 0, '', 0, '')", arguments: [l.id]) }
    }
    var order: [(case: Int, index: Int)] = []
    for i in 0..<(logs.map(\.events.count).max() ?? 0) {
        for (c, l) in logs.enumerated() where i < l.events.count { order.append((c, i)) }
    }
    var latencies: [Double] = []
    latencies.reserveCapacity(order.count)
    let clock = ContinuousClock()
    let start = clock.now
    for (c, i) in order {
        let t = clock.now
        let l = logs[c], e = l.events[i]
        try pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try db.cachedStatement(sql: """
                    INSERT INTO events (case_id, seq, kind, name, actor, role, item, payload, idempotency_key, time, outcome, prev_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [e.caseID, i + 1, e.kind.rawValue, e.name, e.actor, e.role, e.item, e.payload, e.idempotencyKey, e.time, e.outcome, e.prevHash, e.hash])
                try db.cachedStatement(sql: "UPDATE cases SET version = ?, snapshot = ?, head_seq = ?, head_hash = ? WHERE id = ? AND version = ?")
                    .execute(arguments: [i + 1, l.snapshot, i + 1, e.hash, l.id, i])
                return .commit
            }
        }
        latencies.append(seconds(clock.now - t))
    }
    return (Double(order.count) / seconds(clock.now - start), latencies)
}

/// The same rows written directly: the events and the final snapshot of the durable case.
func rawRound(_ pool: DatabasePool, events: [AuditEvent], snapshot: String, caseID: String) throws -> Double {
    try pool.write { db in
        try db.execute(sql: "DELETE FROM events")
        try db.execute(sql: "DELETE FROM cases")
        try db.execute(sql: "INSERT INTO cases (id, version, snapshot, head_seq, head_hash) VALUES (?, 0, '', 0, '')", arguments: [caseID])
    }
    let clock = ContinuousClock()
    let start = clock.now
    for (i, e) in events.enumerated() {
        try pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try db.cachedStatement(sql: """
                    INSERT INTO events (case_id, seq, kind, name, actor, role, item, payload, idempotency_key, time, outcome, prev_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [e.caseID, i + 1, e.kind.rawValue, e.name, e.actor, e.role, e.item, e.payload, e.idempotencyKey, e.time, e.outcome, e.prevHash, e.hash])
                try db.cachedStatement(sql: "UPDATE cases SET version = ?, snapshot = ?, head_seq = ?, head_hash = ? WHERE id = ? AND version = ?")
                    .execute(arguments: [i + 1, snapshot, i + 1, e.hash, caseID, i])
                return .commit
            }
        }
    }
    return Double(events.count) / seconds(clock.now - start)
}

func rawPool(_ path: String, _ sync: String) throws -> DatabasePool {
    var config = Configuration()
    config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = \(sync)") }
    let pool = try DatabasePool(path: path, configuration: config)
    // As in SQLiteRepository: DatabasePool sets NORMAL on its writer after prepareDatabase.
    try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(sync)") }
    try pool.write { db in
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS cases (id TEXT PRIMARY KEY, version INTEGER NOT NULL, snapshot TEXT NOT NULL, head_seq INTEGER NOT NULL, head_hash TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS events (case_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, actor TEXT, role TEXT,
                item INTEGER, payload TEXT NOT NULL, idempotency_key TEXT, time TEXT NOT NULL, outcome TEXT NOT NULL, prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL, PRIMARY KEY (case_id, seq), UNIQUE (case_id, idempotency_key)) WITHOUT ROWID;
            """)
    }
    return pool
}

/// Raw SQLite writing the rows the ledger writes for `perCase` sign/unsign steps on each of
/// `caseIDs` (interleaved, one transaction per step), into a store of the same schema whose
/// cases are in the sign-off: transitions per second and each commit's latency.
func sameRowsRound(_ def: Definition, dir: URL, tag: String, durability: SQLiteRepository.Durability, caseIDs: [String], perCase: Int) async throws -> (rate: Double, latencies: [Double]) {
    let t0 = Fixture.t0
    @Sendable func setUp(_ l: Ledger) async throws { for id in caseIDs { try await intoSignoff(l, def, id) } }
    var events: [(caseID: String, event: Event, at: Date)] = []
    for i in 0..<perCase {
        for id in caseIDs { events.append((id, Event(i % 2 == 0 ? "sign" : "unsign", actor: "alice"), t0.addingTimeInterval(Double(i)))) }
    }
    let steps = try await SameRows.capture(scratch: dir.appendingPathComponent("scratch-\(tag).sqlite").path, setUp: setUp, events: events)
    let target = dir.appendingPathComponent("same-\(tag).sqlite").path
    do { try await setUp(try Ledger(sqlitePath: target, durability: durability)) }
    return try SameRows.write(steps, path: target, synchronous: durability.rawValue)
}

/// Runs `exe args` to completion, output discarded; its exit status.
func runQuiet(_ exe: String, _ args: [String]) throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    return p.terminationStatus
}

/// `verify --all` in one process against one process per case.
func verifyAll(_ wfc: String, cases: Int, irPath: String) async throws {
    let def = try Definition(irJSON: try Data(contentsOf: URL(fileURLWithPath: irPath)))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-bench-verify-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("store.sqlite").path
    let store = try Ledger(sqlitePath: path, durability: .normal)
    let t0 = Date(timeIntervalSince1970: 1_758_852_000)
    let people = ["handover": "alice", "receiver": "bob", "manager": "carol", "hr": "dave"]
    for i in 0..<cases {
        let id = String(format: "V%05d", i)
        guard case .started = try await store.start(def, caseID: id, data: [:], people: people, actor: nil, now: t0) else { throw Failure(message: "start refused") }
        _ = try await store.fire(id, Event("submit", actor: "alice", payload: ["reason": .string("resignation"), "last_day": .string("2025-10-31")]), now: t0)
        _ = try await store.fire(id, Event("ready", actor: "alice", payload: ["items": .list([.map(["name": .string("客户资料"), "kind": .string("document"), "done": .bool(true)])])]), now: t0)
        _ = try await store.fire(id, Event("approve", actor: "carol"), now: t0)
        _ = try await store.fire(id, Event("sign", actor: "alice"), now: t0)
    }
    let clock = ContinuousClock()
    print("store-bench verify-all: \(cases) cases of 5 events, \(wfc)")
    var start = clock.now
    guard try runQuiet(wfc, ["case", "verify", "--all", "--store", path]) == 0 else { throw Failure(message: "verify --all failed") }
    let all = seconds(clock.now - start)
    start = clock.now
    for i in 0..<cases {
        guard try runQuiet(wfc, ["case", "verify", String(format: "V%05d", i), "--store", path]) == 0 else { throw Failure(message: "verify \(i) failed") }
    }
    let each = seconds(clock.now - start)
    print(String(format: "verify --all: %.2f s (%.0f cases/s); one process per case: %.2f s (%.0f cases/s); speed-up %.1f×",
                 all, Double(cases) / all, each, Double(cases) / each, each / all))
}

func main() async throws {
    var args = CommandLine.arguments
    // `--only full|normal|concurrent`: one figure (for profiling one path).
    var only: String?
    if let i = args.firstIndex(of: "--only"), i + 1 < args.count {
        only = args[i + 1]
        args.removeSubrange(i...(i + 1))
    }
    if args.count > 1, args[1] == "migrate" {
        return try await MigrationBench.run(cases: args.count > 2 ? Int(args[2]) ?? 100_000 : 100_000, fires: args.count > 3 ? Int(args[3]) ?? 10_000 : 10_000)
    }
    if args.count > 2, args[1] == "verify-all" {
        return try await verifyAll(args[2], cases: args.count > 3 ? Int(args[3]) ?? 1000 : 1000, irPath: "Tests/WFCRuntimeTests/Fixtures/company-handover.ir.json")
    }
    let irPath = args.count > 1 ? args[1] : "Tests/WFCRuntimeTests/Fixtures/company-handover.ir.json"
    let n = args.count > 2 ? Int(args[2]) ?? 2000 : 2000
    let rounds = args.count > 3 ? Int(args[3]) ?? 5 : 5
    let cases = args.count > 4 ? Int(args[4]) ?? 64 : 64
    let perCase = args.count > 5 ? Int(args[5]) ?? 32 : 32
    let def = try Definition(irJSON: try Data(contentsOf: URL(fileURLWithPath: irPath)))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    print("store-bench: \(n) transitions × \(rounds) rounds, company-handover sign/unsign, WAL")
    for durability in [SQLiteRepository.Durability.full, .normal] where only == nil || only == durability.rawValue.lowercased() {
        let store = try Ledger(sqlitePath: dir.appendingPathComponent("store-\(durability.rawValue).sqlite").path, durability: durability)
        let pool = try rawPool(dir.appendingPathComponent("raw-\(durability.rawValue).sqlite").path, durability.rawValue)
        var durable: [Double] = [], raw: [Double] = [], ratios: [Double] = [], same: [Double] = [], sameRatios: [Double] = []
        for r in 0..<rounds {
            let id = "B\(r)"
            let d = try await durableRound(store, def, caseID: id, n: n)
            let events = Array(try await store.history(id).suffix(n))
            let snapshot = String(decoding: try await store.load(id).snapshot.json(), as: UTF8.self)
            let w = try rawRound(pool, events: events, snapshot: snapshot, caseID: id)
            let s = try await sameRowsRound(def, dir: dir, tag: "\(durability.rawValue)-\(r)", durability: durability, caseIDs: [id], perCase: n).rate
            durable.append(d)
            raw.append(w)
            ratios.append(d / w)
            same.append(s)
            sameRatios.append(d / s)
        }
        let line = String(format: "synchronous=%@: durable %.0f transitions/s; raw SQLite (event + snapshot row) %.0f/s, ratio %.2f (round ratios %@); raw SQLite (the same rows) %.0f/s, ratio %.2f (round ratios %@); medians of %d rounds",
                          durability.rawValue, median(durable), median(raw), median(ratios), ratios.map { String(format: "%.2f", $0) }.joined(separator: " "),
                          median(same), median(sameRatios), sameRatios.map { String(format: "%.2f", $0) }.joined(separator: " "), rounds)
        print(line)
    }
    if only != nil && only != "concurrent" { return }
    // Many cases at once: the ledger's group commit against one commit per event.
    let store = try Ledger(sqlitePath: dir.appendingPathComponent("store-concurrent.sqlite").path, durability: .full)
    let pool = try rawPool(dir.appendingPathComponent("raw-concurrent.sqlite").path, "FULL")
    var rates: [Double] = [], raws: [Double] = [], ratios: [Double] = [], sames: [Double] = [], sameRatios: [Double] = []
    var p50: [Double] = [], p99: [Double] = [], rawP50: [Double] = [], rawP99: [Double] = []
    for r in 0..<rounds {
        let prefix = "R\(r)"
        let d = try await concurrentRound(store, def, prefix: prefix, cases: cases, perCase: perCase)
        var logs: [(id: String, snapshot: String, events: [AuditEvent])] = []
        for c in 0..<cases {
            let id = "\(prefix)-\(c)"
            logs.append((id, String(decoding: try await store.load(id).snapshot.json(), as: UTF8.self), Array(try await store.history(id).suffix(perCase))))
        }
        let w = try rawConcurrentRound(pool, logs: logs)
        let same = try await sameRowsRound(def, dir: dir, tag: "concurrent-\(r)", durability: .full, caseIDs: (0..<cases).map { "\(prefix)-\($0)" }, perCase: perCase)
        sames.append(same.rate)
        sameRatios.append(d.rate / same.rate)
        rates.append(d.rate)
        raws.append(w.rate)
        ratios.append(d.rate / w.rate)
        p50.append(quantile(d.latencies, 0.5))
        p99.append(quantile(d.latencies, 0.99))
        rawP50.append(quantile(w.latencies, 0.5))
        rawP99.append(quantile(w.latencies, 0.99))
    }
    print(String(format: "concurrent, %d cases × %d transitions, synchronous=FULL: ledger (group commit) %.0f transitions/s, p50 %.1f ms, p99 %.1f ms; raw SQLite (one commit per event, one writer) %.0f/s, p50 %.1f ms, p99 %.1f ms; ratio %.2f (median of %d rounds; round ratios %@)",
                 cases, perCase, median(rates), median(p50) * 1000, median(p99) * 1000, median(raws), median(rawP50) * 1000, median(rawP99) * 1000,
                 median(ratios), rounds, ratios.map { String(format: "%.2f", $0) }.joined(separator: " ")))
    print(String(format: "concurrent, same rows: raw SQLite (the rows the ledger wrote, one commit per event, one writer) %.0f/s; ratio %.2f (round ratios %@)",
                 median(sames), median(sameRatios), sameRatios.map { String(format: "%.2f", $0) }.joined(separator: " ")))
}

do { try await main() } catch {
    FileHandle.standardError.write(Data("store-bench: \(error)\n".utf8))
    exit(3)
}
