import Foundation
import GRDB
import WFCIR
import WFCRuntime

/// A row of the definitions table, in the order it was first stored.
public struct StoredDefinitionRow: Sendable, Equatable {
    public var hash: String
    public var workflow: String
    /// RFC 3339 UTC: when the definition was first stored.
    public var createdAt: String
    /// Insertion order: later rows were stored later (SQLite's rowid).
    public var order: Int64
}

extension SQLiteCaseStore {
    /// Pins `definition` by content hash without starting a case (what `start` does first);
    /// a definition already stored is left as it was. True when it was new.
    @discardableResult
    public func storeDefinition(_ definition: Definition, now: Date) throws(StoreError) -> Bool {
        var ir = definition.ir
        ir.contentHash = definition.hash
        let irText = try CanonicalJSON.encode(ir)
        var inserted = false
        try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO definitions (hash, workflow_id, ir_json, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [definition.hash, definition.ir.id, irText, Timestamp(now).description])
            inserted = db.changesCount == 1
        }
        cacheDefinition(definition)
        return inserted
    }

    /// Every stored definition (optionally of one workflow), oldest first.
    public func definitionRows(workflow: String? = nil) throws(StoreError) -> [StoredDefinitionRow] {
        let rows = try read { db in
            if let workflow {
                return try Row.fetchAll(db, sql: "SELECT rowid, hash, workflow_id, created_at FROM definitions WHERE workflow_id = ? ORDER BY rowid", arguments: [workflow])
            }
            return try Row.fetchAll(db, sql: "SELECT rowid, hash, workflow_id, created_at FROM definitions ORDER BY rowid")
        }
        return try rows.map { r throws(StoreError) in
            StoredDefinitionRow(hash: try Self.text(r, "hash"), workflow: try Self.text(r, "workflow_id"), createdAt: try Self.text(r, "created_at"),
                                order: Int64(try Self.integer(r, "rowid")))
        }
    }
}
