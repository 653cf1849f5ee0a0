import Foundation
import Logging
import PostgresNIO
import TestSupport
import Testing
import WFCIR
import WFCPostgres
import WFCRuntime

/// The test database: `$WFC_TEST_POSTGRES_URL` (the app role) and
/// `$WFC_TEST_POSTGRES_OWNER_URL` (the owner role, which runs migrations; the app URL when
/// unset). Without them every PostgreSQL test FAILS with this message: they never skip.
enum TestDatabase {
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            """
            WFC_TEST_POSTGRES_URL is not set, so the PostgreSQL tests cannot run (they fail rather than skip). \
            Run them with a throwaway server: `Scripts/with-postgres swift test` (it installs Debian's postgresql when \
            initdb is missing, starts a cluster on a free port as a non-root user and sets WFC_TEST_POSTGRES_URL and \
            WFC_TEST_POSTGRES_OWNER_URL), or point WFC_TEST_POSTGRES_URL at a database of your own.
            """
        }
    }

    static func appURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["WFC_TEST_POSTGRES_URL"], !url.isEmpty else { throw Missing() }
        return url
    }

    static func ownerURL() throws -> String {
        let env = ProcessInfo.processInfo.environment["WFC_TEST_POSTGRES_OWNER_URL"] ?? ""
        return env.isEmpty ? try appURL() : env
    }

    /// The second cluster, which one test restarts under load (`Scripts/with-postgres` makes
    /// it): its app URL, owner URL and restart script. Missing: the test fails.
    static func disruptible() throws -> (app: String, owner: String, restart: String) {
        let env = ProcessInfo.processInfo.environment
        guard let app = env["WFC_TEST_POSTGRES_DISRUPT_URL"], let owner = env["WFC_TEST_POSTGRES_DISRUPT_OWNER_URL"],
              let restart = env["WFC_TEST_POSTGRES_RESTART"], !app.isEmpty, !owner.isEmpty, !restart.isEmpty else {
            throw Unexpected(description: """
                WFC_TEST_POSTGRES_DISRUPT_URL, _DISRUPT_OWNER_URL and WFC_TEST_POSTGRES_RESTART are not set: the soak restarts \
                a PostgreSQL cluster of its own, which `Scripts/with-postgres swift test` starts beside the main one.
                """)
        }
        return (app, owner, restart)
    }

    /// `url` with more query parameters.
    static func with(_ url: String, _ items: [String: String]) -> String {
        guard var c = URLComponents(string: url) else { return url }
        let existing = c.queryItems ?? []
        c.queryItems = existing + items.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return c.string ?? url
    }

    /// A fresh, empty schema owned by the owner role, which the app role may use; its name.
    static func freshSchema() async throws -> String {
        let name = "wfc_t" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let app = try PostgresLocation(try appURL()).user
        try await SQLClient.with(try ownerURL()) { c in
            // Identifiers cannot be bind parameters; the name is made here of hex digits only.
            try await c.exec(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(name)"))
            try await c.exec(PostgresQuery(unsafeSQL: "GRANT USAGE ON SCHEMA \(name) TO \"\(app.replacingOccurrences(of: "\"", with: "\"\""))\""))
        }
        return name
    }

    /// A repository on `schema`, as the app role (or the owner).
    static func repository(_ schema: String, owner: Bool = false, options: PostgresRepository.Options = .init(), extra: [String: String] = [:]) throws -> PostgresRepository {
        try PostgresRepository(url: with(owner ? try ownerURL() : try appURL(), extra.merging(["schema": schema]) { a, _ in a }), options: options)
    }

    /// A fresh schema with wfc's tables, created by the owner role.
    static func migratedSchema() async throws -> String {
        let schema = try await freshSchema()
        let owner = try repository(schema, owner: true)
        _ = try await owner.schemaVersion()
        await owner.shutdown()
        return schema
    }
}

/// Plain SQL on the test database, behind the repository's back.
struct SQLClient {
    let client: PostgresClient
    let logger = Logger(label: "wfc.tests")

    static func with<T>(_ url: String, schema: String? = nil, _ body: (SQLClient) async throws -> T) async throws -> T {
        let l = try PostgresLocation(url)
        var config = PostgresClient.Configuration(host: l.host, port: l.port, username: l.user, password: l.password, database: l.database, tls: .disable)
        if let schema { config.options.additionalStartupParameters = [("search_path", schema)] }
        let client = PostgresClient(configuration: config)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        return try await body(SQLClient(client: client))
    }

    func exec(_ q: PostgresQuery) async throws {
        try await client.query(q, logger: logger).collect()
    }

    func rows(_ q: PostgresQuery) async throws -> [PostgresRow] {
        try await client.query(q, logger: logger).collect()
    }
}

enum Fixtures {
    static var handoverIR: URL { PackagePaths.root.appendingPathComponent("Tests/WFCRuntimeTests/Fixtures/company-handover.ir.json") }
    static func handover() throws -> Definition { try Definition(irJSON: try Data(contentsOf: handoverIR)) }
    static let people = ["handover": "alice", "receiver": "bob", "manager": "carol", "hr": "dave"]
    /// 2025-09-26T10:00:00+08:00, a Friday before the National Day holiday.
    static let t0 = Date(timeIntervalSince1970: 1_758_852_000)

    /// Starts `id` and moves it to `review`, where a deadline is due a few days later.
    static func startInReview(_ ledger: Ledger, _ def: Definition, id: String) async throws {
        guard case .started = try await ledger.start(def, caseID: id, data: [:], people: people, actor: "hr-bot", now: t0) else {
            throw Unexpected(description: "start of \(id) refused")
        }
        try accept(await ledger.fire(id, Event("submit", actor: "alice", payload: ["reason": .string("resignation"), "last_day": .string("2025-10-31")]), now: t0))
        let item = ValueIR.map(["name": .string("客户资料"), "kind": .string("document"), "done": .bool(true)])
        try accept(await ledger.fire(id, Event("ready", actor: "alice", payload: ["items": .list([item])]), now: t0))
    }

    static func accept(_ o: FireOutcome) throws {
        guard case .accepted = o else { throw Unexpected(description: "expected accepted, got \(o)") }
    }
}

struct Unexpected: Error, CustomStringConvertible { var description: String }
