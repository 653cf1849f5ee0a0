import Foundation
import GRDB
import Testing
import WFCIR
import WFCRuntime
import WFCStore

/// Substitutes in the SQLite schema: migration `v4` on a store written before it, and a
/// read-only open of such a store.
@Suite struct SubstituteStoreTests {
    /// Back to the schema before substitutes (`v3`), as the previous wfc left the store.
    static func beforeSubstitutes(_ path: String) throws {
        try taskIndexBeforeV6(path)
        try DatabaseQueue(path: path).inDatabase { db in
            try db.execute(sql: """
                DROP TABLE substitutes; ALTER TABLE events DROP COLUMN acting_for; DROP TABLE web_sessions;
                DELETE FROM grdb_migrations WHERE identifier IN ('v4', 'v5');
                """)
        }
    }

    @Test func aStoreWithoutSubstitutesIsMigratedAndItsChainsStillVerify() async throws {
        let path = Paths.tempStore()
        let def = try handover()
        try await startInReview(try Ledger(sqlitePath: path), def)
        try Self.beforeSubstitutes(path)
        // Read-only: read as it is, with no substitutes and nothing migrated.
        let reader = try Ledger(sqlitePath: path, readOnly: true)
        #expect(try await reader.verify("C1").ok)
        #expect(try await reader.substitutions(SubstitutionQuery(includeRevoked: true)).isEmpty)
        #expect(try await reader.history("C1").allSatisfy { $0.actingFor == nil })
        #expect(try await reader.tasks(for: "carol", now: t0).map(\.caseID) == ["C1"])
        let applied = try DatabaseQueue(path: path).inDatabase { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
        #expect(applied == ["v1", "v2", "v3"])
        // Writable: migrated; the old events verify unchanged and a substitute acts.
        let ledger = try Ledger(sqlitePath: path)
        #expect(try await ledger.verify("C1").ok)
        _ = try await ledger.addSubstitute(person: "carol", substitute: "erin", from: t0, until: t0 + 86_400, reason: nil, by: "carol", now: t0)
        try accept(await ledger.fire("C1", Event("approve", actor: "erin", actingFor: "carol"), now: t0))
        #expect(try await ledger.history("C1").last?.actingFor == "carol")
        #expect(try await ledger.verify("C1").ok)
        // The log is still append-only after the column was added.
        #expect(throws: (any Error).self) {
            try DatabaseQueue(path: path).inDatabase { try $0.execute(sql: "UPDATE events SET acting_for = 'x' WHERE seq = 4") }
        }
    }
}
