import Foundation
import PostgresNIO
import WFCLedger

/// Substitutes (代理) in PostgreSQL: the `substitutes` table of schema version 3.
extension PostgresRepository {
    /// Adds of one person (in one schema) serialise on an advisory lock of the transaction, so
    /// two overlapping adds racing never both pass the overlap check.
    public func addSubstitution(_ s: Substitution) async throws(StoreError) {
        try await transaction("keeping substitution \(s.id)") { conn in
            let key = "substitutes:" + s.person
            try await conn.run("SELECT pg_advisory_xact_lock(hashtext(current_schema()), hashtext(\(key)))", logger: self.logger)
            if let other = try await self.rows(conn, """
                SELECT id, from_time, until_time FROM substitutes
                WHERE person = \(s.person) AND revoked_at IS NULL AND from_time < \(s.until) AND \(s.from) < until_time
                ORDER BY from_time, id LIMIT 1
                """).first {
                let id = try other["id"].decode(String.self)
                throw StoreError.substitutionOverlaps(person: s.person, existing: id, message: Substitution.overlapMessage(s, existing: id,
                    from: try other["from_time"].decode(String.self), until: try other["until_time"].decode(String.self)))
            }
            do {
                try await conn.run("""
                    INSERT INTO substitutes (id, person, substitute, from_time, until_time, reason, created_by, created_at, revoked_by, revoked_at)
                    VALUES (\(s.id), \(s.person), \(s.substitute), \(s.from), \(s.until), \(s.reason), \(s.createdBy), \(s.createdAt), \(s.revokedBy), \(s.revokedAt))
                    """, logger: self.logger)
            } catch let e as PSQLError where e.serverInfo?[.sqlState] == "23505" {
                throw StoreError.invalidSubstitution("a substitution `\(s.id)` is kept already")
            }
        }
    }

    public func substitutions(_ q: SubstitutionQuery) async throws(StoreError) -> [Substitution] {
        let active = q.activeAt
        // Unrevoked only, unless revoked ones are asked for (a time selects by itself).
        let unrevokedOnly = active == nil && !q.includeRevoked
        return try await call("reading substitutions") { conn in
            try await self.rows(conn, """
                SELECT * FROM substitutes
                WHERE (\(q.person)::text IS NULL OR person = \(q.person))
                  AND (\(q.substitute)::text IS NULL OR substitute = \(q.substitute))
                  AND (\(active)::text IS NULL OR (from_time <= \(active) AND \(active) < until_time AND (revoked_at IS NULL OR \(active) < revoked_at)))
                  AND (NOT \(unrevokedOnly) OR revoked_at IS NULL)
                ORDER BY person, from_time, id
                """).map(Self.substitution)
        }
    }

    public func revokeSubstitution(id: String, by: String, at: String) async throws(StoreError) -> Substitution {
        try await transaction("revoking substitution \(id)") { conn in
            try await conn.run("UPDATE substitutes SET revoked_by = \(by), revoked_at = \(at) WHERE id = \(id) AND revoked_at IS NULL", logger: self.logger)
            guard let r = try await self.rows(conn, "SELECT * FROM substitutes WHERE id = \(id)").first else { throw StoreError.unknownSubstitution(id: id) }
            return try Self.substitution(r)
        }
    }

    static func substitution(_ r: PostgresRandomAccessRow) throws -> Substitution {
        Substitution(id: try r["id"].decode(String.self), person: try r["person"].decode(String.self), substitute: try r["substitute"].decode(String.self),
                     from: try r["from_time"].decode(String.self), until: try r["until_time"].decode(String.self), reason: try r["reason"].decode(String?.self),
                     createdBy: try r["created_by"].decode(String.self), createdAt: try r["created_at"].decode(String.self),
                     revokedBy: try r["revoked_by"].decode(String?.self), revokedAt: try r["revoked_at"].decode(String?.self))
    }
}
