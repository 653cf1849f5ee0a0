// The PostgreSQL store's figures (BENCHMARKS.md), against a database the caller provides
// (e.g. inside `Scripts/with-postgres`, which exports the URLs used below):
//
//   swift build -c release --product pg-bench
//   Scripts/with-postgres sh -c '.build/release/pg-bench transitions "$WFC_TEST_POSTGRES_OWNER_URL" IR.json [events] [rounds] [cases]'
//   Scripts/with-postgres sh -c '.build/release/pg-bench scale "$WFC_TEST_POSTGRES_OWNER_URL" IR.json [sizes...]'
//
// `transitions`: durable transitions per second through the Ledger over PostgresRepository,
// one case at a time and CASES cases at once (group commit), against raw PostgreSQL doing the
// same writes (insert the event row, update the case row, one transaction per event) with the
// same client library, single and CASES at once, in the same run. Medians over the rounds.
//
// `scale`: a store of N cases for each size (default 10,000, 100,000, 1,000,000), generated
// straight into the database by SQL from one real case (copies with their own ids, people,
// creation times; 1 % overdue and due); then the median time of the reads that must stay flat
// (a person's tasks, a page of overdue cases, one case, the due timers) and their plans.
// The copies' snapshots are not consistent with their ids: only reads are measured.
import Foundation
import Logging
import PostgresNIO
import WFCIR
import WFCLedger
import WFCPostgres
import WFCRuntime

struct Failure: Error, CustomStringConvertible { var description: String }

/// A line on stdout at once (print buffers when stdout is a file, and a scale run is long).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.isEmpty ? 0 : s[s.count / 2] }

let people = ["handover": "alice", "receiver": "bob", "manager": "carol", "hr": "dave"]
/// 2025-09-26T10:00:00+08:00.
let t0 = Date(timeIntervalSince1970: 1_758_852_000)

/// Starts `id` and moves it into the handover sign-off, where alice can sign and unsign.
func intoSignoff(_ ledger: Ledger, _ def: Definition, _ id: String) async throws {
    guard case .started = try await ledger.start(def, caseID: id, data: [:], people: people, actor: nil, now: t0) else { throw Failure(description: "start refused") }
    _ = try await ledger.fire(id, Event("submit", actor: "alice", payload: ["reason": .string("resignation"), "last_day": .string("2025-10-31")]), now: t0)
    _ = try await ledger.fire(id, Event("ready", actor: "alice", payload: ["items": .list([.map(["name": .string("客户资料"), "kind": .string("document"), "done": .bool(true)])])]), now: t0)
    _ = try await ledger.fire(id, Event("approve", actor: "carol"), now: t0)
}

/// A plain client on `url`'s database, for the raw baseline and the generator.
func rawClient(_ url: String, schema: String?) throws -> PostgresClient {
    let l = try PostgresLocation(url)
    var config = PostgresClient.Configuration(host: l.host, port: l.port, username: l.user, password: l.password, database: l.database, tls: .disable)
    if let schema { config.options.additionalStartupParameters = [("search_path", schema)] }
    config.options.maximumConnections = 16
    return PostgresClient(configuration: config)
}

let logger = Logger(label: "pg-bench")

/// A fresh schema with wfc's tables (migrated by the repository).
func freshStore(_ url: String) async throws -> (schema: String, repository: PostgresRepository) {
    let schema = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
    let admin = try rawClient(url, schema: nil)
    let runner = Task { await admin.run() }
    try await admin.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"), logger: logger).collect()
    runner.cancel()
    guard var c = URLComponents(string: url) else { throw Failure(description: "not a URL: \(url)") }
    let items = c.queryItems ?? []
    c.queryItems = items + [URLQueryItem(name: "schema", value: String(schema))]
    let repo = try PostgresRepository(url: c.string ?? url)
    _ = try await repo.schemaVersion()
    return (schema, repo)
}

// MARK: - transitions

func transitions(url: String, def: Definition, events: Int, rounds: Int, cases: Int) async throws {
    var single: [Double] = [], singleRaw: [Double] = [], many: [Double] = [], manyRaw: [Double] = []
    for round in 0..<rounds {
        let (schema, repo) = try await freshStore(url)
        let ledger = Ledger(repo)
        // One case at a time.
        try await intoSignoff(ledger, def, "one")
        let clock = ContinuousClock()
        var start = clock.now
        for i in 0..<events {
            guard case .accepted = try await ledger.fire("one", Event(i % 2 == 0 ? "sign" : "unsign", actor: "alice"), now: t0.addingTimeInterval(Double(i))) else {
                throw Failure(description: "transition \(i) refused")
            }
        }
        single.append(Double(events) / seconds(clock.now - start))
        // CASES cases at once.
        for c in 0..<cases { try await intoSignoff(ledger, def, "m\(c)") }
        start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for c in 0..<cases {
                group.addTask {
                    for i in 0..<events / cases {
                        guard case .accepted = try await ledger.fire("m\(c)", Event(i % 2 == 0 ? "sign" : "unsign", actor: "alice"), now: t0.addingTimeInterval(Double(i))) else {
                            throw Failure(description: "m\(c) transition \(i) refused")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        many.append(Double(events / cases * cases) / seconds(clock.now - start))
        // Raw: the same two writes per event, one transaction each; rows of the size wfc writes.
        let sample = try await repo.events("one").compactMap { try? $0.get() }.last
        let snapshot = try await repo.loadCase("one").snapshot ?? ""
        guard let e = sample else { throw Failure(description: "no event to copy") }
        let raw = try rawClient(url, schema: schema)
        let runner = Task { await raw.run() }
        try await raw.query(PostgresQuery(unsafeSQL: """
            CREATE TABLE raw_cases (id TEXT PRIMARY KEY, version BIGINT NOT NULL, snapshot TEXT NOT NULL, head_seq BIGINT NOT NULL, head_hash TEXT NOT NULL);
            """), logger: logger).collect()
        try await raw.query(PostgresQuery(unsafeSQL: """
            CREATE TABLE raw_events (case_id TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, actor TEXT, payload TEXT NOT NULL,
                                     time TEXT NOT NULL, outcome TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (case_id, seq))
            """), logger: logger).collect()
        @Sendable func rawEvents(_ id: String, _ n: Int) async throws {
            try await raw.query("INSERT INTO raw_cases VALUES (\(id), 0, \(snapshot), 0, '')", logger: logger).collect()
            for i in 1...n {
                try await raw.withTransaction(logger: logger) { conn in
                    try await conn.query("""
                        INSERT INTO raw_events VALUES (\(id), \(i), 'event', \(e.name), \(e.actor), \(e.payload), \(e.time), \(e.outcome), \(e.prevHash), \(e.hash))
                        """, logger: logger).collect()
                    try await conn.query("UPDATE raw_cases SET version = \(i), snapshot = \(snapshot), head_seq = \(i), head_hash = \(e.hash) WHERE id = \(id) AND version = \(i - 1)",
                                         logger: logger).collect()
                }
            }
        }
        start = clock.now
        try await rawEvents("one", events)
        singleRaw.append(Double(events) / seconds(clock.now - start))
        start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for c in 0..<cases { group.addTask { try await rawEvents("m\(c)", events / cases) } }
            try await group.waitForAll()
        }
        manyRaw.append(Double(events / cases * cases) / seconds(clock.now - start))
        runner.cancel()
        await repo.shutdown()
        say("round \(round + 1): one case \(Int(single.last ?? 0))/s (raw \(Int(singleRaw.last ?? 0))/s); \(cases) cases \(Int(many.last ?? 0))/s (raw \(Int(manyRaw.last ?? 0))/s)")
    }
    let s = median(single), sr = median(singleRaw), m = median(many), mr = median(manyRaw)
    say(String(format: "transitions/s, medians of %d rounds of %d events:", rounds, events))
    say(String(format: "  one case:     wfc %.0f/s  raw PostgreSQL %.0f/s  ratio %.2fx", s, sr, s / sr))
    say(String(format: "  %d cases:     wfc %.0f/s  raw PostgreSQL %.0f/s  ratio %.2fx", cases, m, mr, m / mr))
}

// MARK: - scale

func scale(url: String, def: Definition, sizes: [Int], runs: Int) async throws {
    var results: [(Int, [String: Double])] = []
    for n in sizes {
        let (schema, repo) = try await freshStore(url)
        let ledger = Ledger(repo)
        try await intoSignoff(ledger, def, "TEMPLATE")
        let raw = try rawClient(url, schema: schema)
        let runner = Task { await raw.run() }
        let clock = ContinuousClock(), made = clock.now
        // Copies in batches (one statement per table per batch), each with its own id, person
        // and creation time; every 100th is overdue and due.
        let batch = 50_000
        for from in stride(from: 0, to: n, by: batch) {
            let to = min(n, from + batch) - 1
            let past = "'2025-01-01T00:00:00Z'", future = "'2099-01-01T00:00:00Z'"
            for statement in [
                """
                INSERT INTO cases (id, workflow_id, definition_hash, version, status, active, snapshot, created_at, updated_at, next_due, head_seq, head_hash)
                SELECT 'G' || g, workflow_id, definition_hash, version, status, active, snapshot,
                       to_char(timestamp '2025-01-01' + g * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), updated_at,
                       CASE WHEN g % 100 = 0 THEN \(past) ELSE \(future) END, head_seq, head_hash
                FROM cases, generate_series(\(from), \(to)) g WHERE id = 'TEMPLATE'
                """,
                """
                INSERT INTO events SELECT 'G' || g, seq, kind, name, actor, role, item, payload, idempotency_key, time, outcome, prev_hash, hash
                FROM events, generate_series(\(from), \(to)) g WHERE case_id = 'TEMPLATE'
                """,
                """
                INSERT INTO timers SELECT 'G' || g, state, kind, CASE WHEN g % 100 = 0 THEN \(past) ELSE \(future) END, fired
                FROM timers, generate_series(\(from), \(to)) g WHERE case_id = 'TEMPLATE'
                """,
                """
                INSERT INTO tasks SELECT 'G' || g, 'p' || g, role, state, title, item, events, due
                FROM tasks, generate_series(\(from), \(to)) g WHERE case_id = 'TEMPLATE'
                """,
            ] {
                try await raw.query(PostgresQuery(unsafeSQL: statement), logger: logger).collect()
            }
        }
        // As autovacuum leaves a table in steady state: statistics and the visibility map (index-only scans).
        try await raw.query("VACUUM ANALYZE", logger: logger).collect()
        say(String(format: "%d cases generated in %.1f s", n, seconds(clock.now - made)))
        let now = "2026-01-01T00:00:00Z"
        let overdue = CaseQuery(workflow: nil, state: nil, status: nil, overdue: true, now: now, after: nil, limit: 50)
        let page = CaseQuery(workflow: nil, state: nil, status: nil, overdue: false, now: now, after: nil, limit: 50)
        let middle = "G\(n / 2)"
        let reads: [(String, PostgresRepository.ScaledRead, () async throws -> Int)] = [
            ("GET /v1/tasks", .tasks(person: "p\(n / 2)"), { try await repo.tasks(person: "p\(n / 2)").count }),
            ("GET /v1/cases?overdue=true", .listCases(overdue), { try await repo.listCases(overdue).count }),
            ("GET /v1/cases (a page)", .listCases(page), { try await repo.listCases(page).count }),
            ("GET /v1/cases/{id}", .loadCase(id: middle), { try await repo.caseRows(middle).events.count }),
            ("due timers", .dueCases(now: now, limit: 64), { try await repo.dueCases(now: now, limit: 64).count }),
        ]
        var times: [String: Double] = [:]
        for (name, read, run) in reads {
            _ = try await run()
            var xs: [Double] = []
            var rows = 0
            for _ in 0..<runs {
                let s = clock.now
                rows = try await run()
                xs.append(seconds(clock.now - s) * 1000)
            }
            times[name] = median(xs)
            say("  " + name.padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: " %8.2f ms  (%d rows)", median(xs), rows))
            if n == sizes.last {
                say(try await repo.explain(read).split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
            }
        }
        results.append((n, times))
        runner.cancel()
        await repo.shutdown()
        let drop = try rawClient(url, schema: nil)
        let r2 = Task { await drop.run() }
        try await drop.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"), logger: logger).collect()
        r2.cancel()
    }
    guard let first = results.first, let last = results.last, first.0 != last.0 else { return }
    say("ratio \(last.0) cases / \(first.0) cases (goal at most 2x):")
    for (name, t) in last.1.sorted(by: { $0.key < $1.key }) {
        say("  " + name.padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: " %.2fx", t / max(first.1[name] ?? 1, 0.001)))
    }
}

// MARK: - main

let args = CommandLine.arguments
guard args.count >= 4, let mode = args.dropFirst().first, ["transitions", "scale"].contains(mode) else {
    FileHandle.standardError.write(Data("usage: pg-bench transitions|scale POSTGRES_URL IR.json [numbers...]\n".utf8))
    exit(2)
}
do {
    let def = try Definition(irJSON: try Data(contentsOf: URL(fileURLWithPath: args[3])))
    let numbers = args.dropFirst(4).compactMap { Int($0) }
    if mode == "transitions" {
        try await transitions(url: args[2], def: def, events: numbers.first ?? 1000, rounds: numbers.dropFirst().first ?? 3,
                              cases: numbers.dropFirst(2).first ?? 16)
    } else {
        try await scale(url: args[2], def: def, sizes: numbers.isEmpty ? [10_000, 100_000, 1_000_000] : numbers, runs: 21)
    }
} catch {
    FileHandle.standardError.write(Data("pg-bench: \(error)\n".utf8))
    exit(1)
}
