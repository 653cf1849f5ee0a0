import Foundation
import GRDB
import WFCLedger

/// Substitutes (代理) in the SQLite store: the `substitutes` table of migration `v4`.
extension SQLiteRepository {
    public func addSubstitution(_ s: Substitution) async throws(StoreError) {
        try await write { db in
            // Inside the IMMEDIATE transaction: no other writer adds one between look and insert.
            if let other = try Row.fetchOne(db, sql: """
                SELECT id, from_time, until_time FROM substitutes
                WHERE person = ? AND revoked_at IS NULL AND from_time < ? AND ? < until_time
                ORDER BY from_time, id LIMIT 1
                """, arguments: [s.person, s.until, s.from]) {
                let id = Self.lenientText(other, "id") ?? ""
                throw StoreError.substitutionOverlaps(person: s.person, existing: id, message: Substitution.overlapMessage(s, existing: id,
                    from: Self.lenientText(other, "from_time") ?? "", until: Self.lenientText(other, "until_time") ?? ""))
            }
            if try Row.fetchOne(db, sql: "SELECT 1 FROM substitutes WHERE id = ?", arguments: [s.id]) != nil {
                throw StoreError.invalidSubstitution("a substitution `\(s.id)` is kept already")
            }
            try db.execute(sql: """
                INSERT INTO substitutes (id, person, substitute, from_time, until_time, reason, created_by, created_at, revoked_by, revoked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [s.id, s.person, s.substitute, s.from, s.until, s.reason, s.createdBy, s.createdAt, s.revokedBy, s.revokedAt])
        }
    }

    public func substitutions(_ q: SubstitutionQuery) async throws(StoreError) -> [Substitution] {
        let rows = try await read { db in
            // A store read before its `v4` migration has none.
            guard try db.tableExists("substitutes") else { return Fetched([]) }
            var conditions: [String] = []
            var args: [any DatabaseValueConvertible] = []
            if let p = q.person { conditions.append("person = ?"); args.append(p) }
            if let p = q.substitute { conditions.append("substitute = ?"); args.append(p) }
            if let t = q.activeAt {
                conditions.append("from_time <= ? AND ? < until_time AND (revoked_at IS NULL OR ? < revoked_at)")
                args += [t, t, t]
            } else if !q.includeRevoked {
                conditions.append("revoked_at IS NULL")
            }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return Fetched(try Row.fetchAll(db, sql: "SELECT * FROM substitutes\(filter) ORDER BY person, from_time, id", arguments: StatementArguments(args)))
        }.rows
        return try rows.map(Self.substitution)
    }

    public func revokeSubstitution(id: String, by: String, at: String) async throws(StoreError) -> Substitution {
        let row = try await write { db in
            try db.execute(sql: "UPDATE substitutes SET revoked_by = ?, revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [by, at, id])
            guard let r = try Row.fetchOne(db, sql: "SELECT * FROM substitutes WHERE id = ?", arguments: [id]) else {
                throw StoreError.unknownSubstitution(id: id)
            }
            return Fetched([r])
        }.rows
        guard let r = row.first else { throw .unknownSubstitution(id: id) }
        return try Self.substitution(r)
    }

    static func substitution(_ r: Row) throws(StoreError) -> Substitution {
        Substitution(id: try text(r, "id"), person: try text(r, "person"), substitute: try text(r, "substitute"), from: try text(r, "from_time"),
                     until: try text(r, "until_time"), reason: try optionalText(r, "reason"), createdBy: try text(r, "created_by"),
                     createdAt: try text(r, "created_at"), revokedBy: try optionalText(r, "revoked_by"), revokedAt: try optionalText(r, "revoked_at"))
    }
}
