import Foundation
import PostgresNIO
import WFCLedger

/// A `postgres://` (or `postgresql://`) store location, parsed:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require&schema=NAME&application_name=NAME]`.
/// `schema` puts wfc's tables in that schema (its `search_path`), so that several stores can
/// share one database. The password may also come from `$PGPASSWORD`.
public struct PostgresLocation: Sendable, Equatable {
    public enum SSLMode: String, Sendable { case disable, prefer, require }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode
    public var schema: String?
    public var applicationName: String

    /// Whether `location` names a PostgreSQL store (by its scheme).
    public static func isPostgres(_ location: String) -> Bool {
        let l = location.lowercased()
        return l.hasPrefix("postgres://") || l.hasPrefix("postgresql://")
    }

    /// Parses a location; `badLocation` says what is wrong with it.
    public init(_ location: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        let shown = Self.redacted(location)
        func bad(_ why: String) -> StoreError { .badLocation(location: shown, reason: why) }
        guard Self.isPostgres(location), let c = URLComponents(string: location) else {
            throw bad("expected postgres://USER@HOST[:PORT]/DATABASE")
        }
        guard let user = c.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else { throw bad("no user (postgres://USER@HOST/DATABASE)") }
        guard let host = c.host.flatMap({ $0.removingPercentEncoding }), !host.isEmpty else { throw bad("no host (postgres://USER@HOST/DATABASE)") }
        let database = String(c.path.drop { $0 == "/" }).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else { throw bad("no database name (postgres://USER@HOST/DATABASE)") }
        if let p = c.port, !(1...65535).contains(p) { throw bad("port \(p) is out of range") }
        self.user = user
        self.password = c.password.flatMap { $0.removingPercentEncoding } ?? environment["PGPASSWORD"]
        self.host = host
        self.port = c.port ?? 5432
        self.database = database
        self.sslMode = .prefer
        self.schema = nil
        self.applicationName = "wfc"
        for item in c.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let m = SSLMode(rawValue: value) else { throw bad("sslmode must be disable, prefer or require, not `\(value)`") }
                sslMode = m
            case "schema":
                guard !value.isEmpty, value.count <= 63, value.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }) else {
                    throw bad("schema must be 1 to 63 letters, digits or `_`")
                }
                schema = value
            case "application_name":
                guard !value.isEmpty, value.count <= 63, value.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) else {
                    throw bad("application_name must be 1 to 63 printable ASCII characters")
                }
                applicationName = value
            default:
                throw bad("unknown parameter `\(item.name)` (known: sslmode, schema, application_name)")
            }
        }
    }

    /// The location with its password replaced by `***`, for messages and logs.
    public static func redacted(_ location: String) -> String {
        guard var c = URLComponents(string: location), c.password != nil else { return location }
        c.password = "***"
        return c.string ?? location
    }

    /// The location as shown in messages (no password).
    public var display: String {
        var c = URLComponents()
        c.scheme = "postgres"
        c.user = user
        c.host = host
        c.port = port == 5432 ? nil : port
        c.path = "/" + database
        if let schema { c.queryItems = [URLQueryItem(name: "schema", value: schema)] }
        return c.string ?? "postgres://\(host)/\(database)"
    }
}
