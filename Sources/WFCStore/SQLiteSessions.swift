import Foundation
import GRDB
import WFCLedger

/// Web sessions in the SQLite store: the `web_sessions` table of migration `v5`.
extension SQLiteRepository {
    public func putSession(_ s: WebSessionRecord) async throws(StoreError) {
        let scopes = s.scopes.joined(separator: " ")
        try await write { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM web_sessions WHERE id_hash = ?", arguments: [s.idHash]) != nil {
                throw StoreError.invalidArgument("a session with this id is kept already")
            }
            try db.execute(sql: "INSERT INTO web_sessions (id_hash, csrf, person, scopes, method, expires, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [s.idHash, s.csrf, s.person, scopes, s.method, s.expires, s.createdAt])
        }
    }

    public func session(idHash: String, now: String) async throws(StoreError) -> WebSessionRecord? {
        let rows = try await read { db in
            // A store read before its `v5` migration (opened read-only) has none.
            guard try db.tableExists("web_sessions") else { return Fetched([]) }
            return Fetched(try Row.fetchAll(db, sql: "SELECT * FROM web_sessions WHERE id_hash = ? AND expires > ?", arguments: [idHash, now]))
        }.rows
        return try rows.first.map(Self.webSession)
    }

    public func removeSession(idHash: String) async throws(StoreError) {
        try await write { db in try db.execute(sql: "DELETE FROM web_sessions WHERE id_hash = ?", arguments: [idHash]) }
    }

    public func purgeSessions(now: String) async throws(StoreError) -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM web_sessions WHERE expires <= ?", arguments: [now])
            return db.changesCount
        }
    }

    static func webSession(_ r: Row) throws(StoreError) -> WebSessionRecord {
        let scopes = try text(r, "scopes")
        return WebSessionRecord(idHash: try text(r, "id_hash"), csrf: try text(r, "csrf"), person: try optionalText(r, "person"),
                                scopes: scopes.split(separator: " ").map(String.init), method: try optionalText(r, "method"),
                                expires: try text(r, "expires"), createdAt: try text(r, "created_at"))
    }
}
