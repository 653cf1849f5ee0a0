import WFCService
import Foundation
import GRDB
import Synchronization
import Testing
import WFCDiagnostics
import WFCDriver
import WFCRuntime
import WFCStore

/// Golden tests of the store's diagnostics (WFC7xxx): each `store/X.session` is a script of
/// `wfc case` commands run through ``CaseCommands`` (what the CLI wraps) against a fresh store,
/// with steps that break the store in between; `store/X.expected` is the transcript: each step,
/// its stdout and stderr, and its exit status when not 0.
///
/// Steps, one per line (`#` starts a comment line):
/// - `wfc case SUBCOMMAND ARGS…` — as on the command line; file arguments are relative to
///   `store/fixtures/`, `--store` paths to the session's temporary folder (default `store.sqlite`);
/// - `mkdir NAME`, `write NAME TEXT` — make a folder or a file in the temporary folder;
/// - `sql STATEMENT` — runs SQL on the store, foreign keys off (someone with `sqlite3`);
/// - `sqlat NAME STATEMENT` — runs SQL on another file in the temporary folder (another
///   application's database);
/// - `edit ID SEQ actor VALUE` — rewrites an audit event and recomputes its hash (and the case's
///   chain head when it is the last event), as a careful tamperer would;
/// - `race ID EVENT --as PERSON [--format json]` — reads the case, lets another connection
///   commit the same event, then commits: a real optimistic-concurrency conflict;
/// - `lock` — another connection holds the write lock during the next step (busy timeout 0.2 s).
@Suite struct StoreGoldenTests {
    static let folder = Golden.root.appendingPathComponent("store")
    static let fixtures = folder.appendingPathComponent("fixtures")
    /// 2025-09-26T10:00:00+08:00, for `race`.
    static let raceTime = Date(timeIntervalSince1970: 1_758_852_000)

    static var sessions: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".session") }.sorted().map { folder.appendingPathComponent($0) }
    }

    struct SessionError: Error, CustomStringConvertible { var description: String }

    /// Runs one session and returns its transcript, with the temporary folder shown as `$TMP`.
    static func run(_ session: URL, language: DiagnosticLanguage = .en) async throws -> String {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-store-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let storePath = tmp.appendingPathComponent("store.sqlite").path
        var transcript = ""
        var lockNext = false
        for line in try String(contentsOf: session, encoding: .utf8).split(separator: "\n").map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            transcript += "$ \(trimmed)\n"
            var words = try tokens(trimmed)
            let verb = words.removeFirst()
            switch verb {
            case "wfc":
                let w = words
                let step = { @Sendable (timeout: TimeInterval) async throws -> CaseOutput in
                    try await runCase(w, tmp: tmp, storePath: storePath, busyTimeout: timeout, language: language)
                }
                let out = lockNext ? try await holdingWriteLock(storePath) { try await step(0.2) } : try await step(10)
                lockNext = false
                transcript += show(out)
            case "mkdir":
                try FileManager.default.createDirectory(at: tmp.appendingPathComponent(words[0]), withIntermediateDirectories: true)
            case "write":
                try words.dropFirst().joined(separator: " ").write(to: tmp.appendingPathComponent(words[0]), atomically: true, encoding: .utf8)
            case "sql":
                // The statement as written: SQL has its own quoting.
                try tamper(storePath) { db in try db.execute(sql: String(trimmed.dropFirst("sql ".count))) }
            case "sqlat":
                let rest = trimmed.dropFirst("sqlat ".count)
                let name = rest.prefix { $0 != " " }
                let db = try DatabaseQueue(path: tmp.appendingPathComponent(String(name)).path)
                try db.inDatabase { try $0.execute(sql: String(rest.dropFirst(name.count + 1))) }
            case "edit":
                try await edit(storePath, caseID: words[0], seq: Int(words[1]) ?? 0, field: words[2], value: words[3])
            case "race":
                transcript += show(try await race(words, storePath: storePath, language: language))
            case "lock":
                lockNext = true
            default:
                throw SessionError(description: "unknown step `\(verb)`")
            }
        }
        return transcript.replacingOccurrences(of: tmp.path, with: "$TMP")
            .replacingOccurrences(of: Golden.root.path + "/", with: "")
    }

    static func show(_ out: CaseOutput) -> String {
        out.stdout + out.stderr + (out.status == .clean ? "" : "(exit \(out.status.rawValue))\n")
    }

    /// Words, with `'…'` quoting (`''` is an empty word).
    static func tokens(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var started = false
        for c in line {
            if c == "'" { quoted.toggle(); started = true; continue }
            if c == " " && !quoted {
                if started { words.append(current) }
                current = ""
                started = false
                continue
            }
            current.append(c)
            started = true
        }
        if quoted { throw SessionError(description: "unclosed quote in `\(line)`") }
        if started { words.append(current) }
        return words
    }

    /// `case SUBCOMMAND` positionals and `--option value` pairs (`--overdue` takes no value).
    static func parse(_ words: [String]) -> (positional: [String], options: [String: String]) {
        var positional: [String] = []
        var options: [String: String] = [:]
        var i = 0
        while i < words.count {
            let w = words[i]
            if w == "--overdue" || w == "--all" || w == "--named" {
                options[String(w.dropFirst(2))] = ""
            } else if w.hasPrefix("--"), i + 1 < words.count {
                options[String(w.dropFirst(2))] = words[i + 1]
                i += 1
            } else {
                positional.append(w)
            }
            i += 1
        }
        return (positional, options)
    }

    static func commands(_ options: [String: String], tmp: URL, storePath: String, busyTimeout: TimeInterval, language: DiagnosticLanguage) -> CaseCommands {
        // A URL is passed as written (a store backend this build may not have).
        let store = options["store"].map { $0.contains("://") ? $0 : tmp.appendingPathComponent($0).path } ?? storePath
        return CaseCommands(storePath: store, format: options["format"] == "json" ? .json : .human,
                            diagnostics: DiagnosticOutput(format: .human, useColor: false, language: language), environment: [:], busyTimeout: busyTimeout)
    }

    static func runCase(_ words: [String], tmp: URL, storePath: String, busyTimeout: TimeInterval, language: DiagnosticLanguage) async throws -> CaseOutput {
        if words.first == "people" { return try await runPeople(words, tmp: tmp, storePath: storePath, busyTimeout: busyTimeout, language: language) }
        guard words.first == "case", words.count >= 2 else { throw SessionError(description: "expected `wfc case …`") }
        let (p, o) = parse(Array(words.dropFirst(2)))
        let c = commands(o, tmp: tmp, storePath: storePath, busyTimeout: busyTimeout, language: language)
        func fixture(_ name: String?) -> String? { name.map { fixtures.appendingPathComponent($0).path } }
        func arg(_ i: Int) throws -> String {
            guard i < p.count else { throw SessionError(description: "`\(words.joined(separator: " "))`: argument \(i + 1) is missing") }
            return p[i]
        }
        switch words[1] {
        case "start":
            return await c.start(workflow: fixture(try arg(0)) ?? "", dataFile: fixture(o["data"]) ?? "", id: o["id"], now: o["now"], actor: o["as"])
        case "fire":
            return await c.fire(id: try arg(0), event: try arg(1), actor: o["as"] ?? "", role: o["role"], item: o["item"].flatMap { Int($0) },
                          dataFile: fixture(o["data"]), key: o["key"], now: o["now"], actingFor: o["for"])
        case "show": return await c.show(id: try arg(0), now: o["now"])
        case "list": return await c.list(workflow: o["workflow"], state: o["state"], overdue: o["overdue"] != nil, now: o["now"])
        case "history": return await c.history(id: try arg(0))
        case "verify":
            return await c.verify(id: p.first, all: o["all"] != nil, checkpoint: o["checkpoint"].map { tmp.appendingPathComponent($0).path },
                            publicKey: o["public-key"].map { tmp.appendingPathComponent($0).path })
        case "checkpoint":
            if let key = o["new-key"] { return await c.newCheckpointKey(tmp.appendingPathComponent(key).path) }
            return await c.checkpoint(key: tmp.appendingPathComponent(o["key"] ?? "").path, output: o["output"].map { tmp.appendingPathComponent($0).path }, now: o["now"])
        case "tick": return await c.tick(now: o["now"])
        default: throw SessionError(description: "unknown command `case \(words[1])`")
        }
    }

    /// `wfc people substitute add|list|revoke …`.
    static func runPeople(_ words: [String], tmp: URL, storePath: String, busyTimeout: TimeInterval, language: DiagnosticLanguage) async throws -> CaseOutput {
        guard words.count >= 3, words[1] == "substitute" else { throw SessionError(description: "expected `wfc people substitute …`") }
        let (p, o) = parse(Array(words.dropFirst(3)))
        let c = commands(o, tmp: tmp, storePath: storePath, busyTimeout: busyTimeout, language: language)
        func arg(_ i: Int) throws -> String {
            guard i < p.count else { throw SessionError(description: "`\(words.joined(separator: " "))`: argument \(i + 1) is missing") }
            return p[i]
        }
        switch words[2] {
        case "add":
            return await c.substituteAdd(person: try arg(0), substitute: try arg(1), from: o["from"] ?? "", until: o["until"] ?? "", reason: o["reason"], by: o["as"], now: o["now"])
        case "list": return await c.substituteList(person: try arg(0), asSubstitute: o["named"] != nil, all: o["all"] != nil, now: o["now"])
        case "revoke": return await c.substituteRevoke(person: try arg(0), id: try arg(1), by: o["as"], now: o["now"])
        default: throw SessionError(description: "unknown command `people substitute \(words[2])`")
        }
    }

    /// A connection of someone editing the file by hand: no foreign keys, no wfc.
    static func tamper(_ storePath: String, _ body: (Database) throws -> Void) throws {
        var config = Configuration()
        config.foreignKeysEnabled = false
        let db = try DatabaseQueue(path: storePath, configuration: config)
        try db.writeWithoutTransaction { try body($0) }
    }

    static func edit(_ storePath: String, caseID: String, seq: Int, field: String, value: String) async throws {
        let store = try Ledger(sqlitePath: storePath)
        let history = try await store.history(caseID)
        guard var e = history.first(where: { $0.seq == seq }) else { throw SessionError(description: "no event \(seq)") }
        guard field == "actor" else { throw SessionError(description: "edit: only `actor` is supported") }
        e.actor = value
        e.hash = HashChain.hash(e)
        let last = seq == history.count
        try tamper(storePath) { db in
            try db.execute(sql: "DROP TRIGGER events_append_only_update")
            try db.execute(sql: "UPDATE events SET actor = ?, hash = ? WHERE case_id = ? AND seq = ?", arguments: [e.actor, e.hash, caseID, seq])
            if last { try db.execute(sql: "UPDATE cases SET head_hash = ? WHERE id = ?", arguments: [e.hash, caseID]) }
        }
    }

    /// Two connections race on one case; the loser's failure is rendered as `wfc case fire` would.
    static func race(_ words: [String], storePath: String, language: DiagnosticLanguage) async throws -> CaseOutput {
        let (p, o) = parse(words)
        guard p.count == 2, let actor = o["as"] else { throw SessionError(description: "race ID EVENT --as PERSON") }
        let loser = try Ledger(sqlitePath: storePath)
        let winner = try Ledger(sqlitePath: storePath)
        let event = Event(p[1], actor: actor)
        guard case .ready(let prepared) = try await loser.prepare(p[0], event, now: raceTime) else { throw SessionError(description: "race: nothing to commit") }
        _ = try await winner.fire(p[0], event, now: raceTime)
        do {
            _ = try await loser.commit(prepared)
            throw SessionError(description: "race: the second commit did not conflict")
        } catch let e as StoreError {
            let c = CaseCommands(storePath: storePath, format: o["format"] == "json" ? .json : .human,
                                 diagnostics: DiagnosticOutput(format: .human, useColor: false, language: language), environment: [:])
            return await c.failure(e)
        }
    }

    /// Runs `body` while another connection holds the store's write lock: a thread takes it
    /// with `BEGIN IMMEDIATE` and rolls back once `body` is done (GRDB ends no access with an
    /// open transaction, so the lock is held inside one access on that thread).
    static func holdingWriteLock<T>(_ storePath: String, _ body: () async throws -> T) async throws -> T {
        let db = try DatabaseQueue(path: storePath)
        let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        let failure = Mutex<(any Error)?>(nil)
        Thread {
            do {
                try db.inDatabase { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    locked.signal()
                    release.wait()
                    try db.execute(sql: "ROLLBACK")
                }
            } catch {
                failure.withLock { $0 = error }
                locked.signal()
            }
            done.signal()
        }.start()
        locked.wait()
        if let e = failure.withLock({ $0 }) {
            done.wait()
            throw e
        }
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        release.signal()
        done.wait()
        return try result.get()
    }

    @Test(arguments: sessions)
    func session(_ input: URL) async throws {
        let transcript = try await Self.run(input)
        #expect(transcript.contains("[WFC7") || transcript.contains("[WFC0"), "\(input.lastPathComponent) should report a store or driver diagnostic")
        try Golden.compare(transcript, for: input)
        // The same session in Chinese: the same codes, and every diagnostic's message (the
        // `error[WFCnnnn]: …` line) and its notes and help are Chinese text.
        let zh = try await Self.run(input, language: .zhCN)
        try Golden.compareChinese(zh, for: input)
        #expect(Self.codes(zh) == Self.codes(transcript), "\(input.lastPathComponent): the codes differ between the languages")
        for line in zh.split(separator: "\n") where line.hasPrefix("error[") || line.hasPrefix("warning[") || line.hasPrefix("   = ") {
            #expect(line.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(input.lastPathComponent): not translated: \(line)")
        }
    }

    /// The codes of a transcript, in order.
    static func codes(_ transcript: String) -> [String] {
        transcript.split(separator: "\n").compactMap { line in
            guard let r = line.range(of: "[WFC"), line[r.upperBound...].count >= 5 else { return nil }
            return String(line[line.index(after: r.lowerBound)...].prefix(7))
        }
    }

    /// One registered WFC7xxx code per store failure and per verify finding, and the exit
    /// statuses docs/store.md documents.
    @Test func everyStoreFailureHasItsOwnCodeAndStatus() {
        let codes = StoreError.Kind.allCases.map { StoreDiagnostics.descriptor($0).code }
            + VerifyFinding.Kind.allCases.map { StoreDiagnostics.descriptor($0).code }
        #expect(Set(codes).count == codes.count, "two failures share a code")
        for c in codes {
            #expect(DiagnosticPhase.of(c) == .store, "\(c) is not a store code")
            #expect(WFCRegistry.shared[c] != nil, "\(c) is not registered for `wfc explain`")
        }
        let documented: [StoreError.Kind: WFCDriver.ExitStatus] = [
            .notFound: .usage, .unknownDefinition: .usage, .invalidArgument: .usage, .alreadyExists: .diagnostics, .conflict: .diagnostics,
            .busy: .diagnostics, .corrupt: .failure, .io: .failure, .unsafeText: .usage, .keyReused: .usage,
            .notAStore: .failure, .unsupportedBackend: .usage, .checkpointInvalid: .diagnostics,
            .unavailable: .failure, .timedOut: .diagnostics, .schemaTooNew: .failure, .badLocation: .usage, .permissionDenied: .failure,
            .substitutionOverlaps: .diagnostics, .unknownSubstitution: .usage, .invalidSubstitution: .usage,
        ]
        for k in StoreError.Kind.allCases { #expect(StoreDiagnostics.exitStatus(k) == documented[k], "\(k)") }
    }

    /// Every store code has a session that produces it.
    @Test func everyStoreCodeHasASession() throws {
        var text = ""
        for s in Self.sessions {
            text += (try? String(contentsOf: s.deletingPathExtension().appendingPathExtension("expected"), encoding: .utf8)) ?? ""
        }
        let missing = StoreDiagnostics.all.filter { !text.contains("[\($0.code)]") && GoldenCoverage.exempt[$0.code] == nil }.map(\.code.rawValue)
        #expect(missing.isEmpty, "store codes without a session: \(missing)")
    }
}
