import Foundation
import PostgresNIO
import WFCLedger

/// Web sessions in PostgreSQL: the `web_sessions` table of schema version 4.
extension PostgresRepository {
    public func putSession(_ s: WebSessionRecord) async throws(StoreError) {
        let scopes = s.scopes.joined(separator: " ")
        try await call("keeping a web session") { conn in
            do {
                try await conn.run("""
                    INSERT INTO web_sessions (id_hash, csrf, person, scopes, method, expires, created_at)
                    VALUES (\(s.idHash), \(s.csrf), \(s.person), \(scopes), \(s.method), \(s.expires), \(s.createdAt))
                    """, logger: self.logger)
            } catch let e as PSQLError where e.serverInfo?[.sqlState] == "23505" {
                throw StoreError.invalidArgument("a session with this id is kept already")
            }
        }
    }

    public func session(idHash: String, now: String) async throws(StoreError) -> WebSessionRecord? {
        try await call("reading a web session") { conn in
            try await self.rows(conn, "SELECT * FROM web_sessions WHERE id_hash = \(idHash) AND expires > \(now)").first.map(Self.webSession)
        }
    }

    public func removeSession(idHash: String) async throws(StoreError) {
        try await call("ending a web session") { conn in
            try await conn.run("DELETE FROM web_sessions WHERE id_hash = \(idHash)", logger: self.logger)
        }
    }

    public func purgeSessions(now: String) async throws(StoreError) -> Int {
        try await call("purging expired web sessions") { conn in
            try await self.rows(conn, "DELETE FROM web_sessions WHERE expires <= \(now) RETURNING 1").count
        }
    }

    static func webSession(_ r: PostgresRandomAccessRow) throws -> WebSessionRecord {
        WebSessionRecord(idHash: try r["id_hash"].decode(String.self), csrf: try r["csrf"].decode(String.self), person: try r["person"].decode(String?.self),
                         scopes: try r["scopes"].decode(String.self).split(separator: " ").map(String.init), method: try r["method"].decode(String?.self),
                         expires: try r["expires"].decode(String.self), createdAt: try r["created_at"].decode(String.self))
    }
}
