import Foundation
import WFCLedger

/// Web sessions: kept by every backend, so that several servers on one store share them.
extension RepositoryConformance {
    /// Put, read (from another connection; not once expired), remove (seen everywhere), purge
    /// (only the expired ones, counted), a known id refused, and the ledger's validation.
    public static func webSessionsShared(_ factory: ConformanceFactory) async throws {
        let s = try await factory()
        let ledger = Ledger(s.repository), other = Ledger(s.second)
        let hour: TimeInterval = 3_600
        func hash(_ c: Character) -> String { String(repeating: c, count: 64) }
        let signedIn = WebSessionRecord(idHash: hash("a"), csrf: "csrf-1", person: "carol", scopes: ["admin", "cases:start"], method: "token",
                                        expires: utc(t0 + 8 * hour), createdAt: utc(t0))
        let anonymous = WebSessionRecord(idHash: hash("b"), csrf: "csrf-2", person: nil, scopes: [], method: nil, expires: utc(t0 + hour), createdAt: utc(t0))
        try await ledger.putSession(signedIn)
        try await ledger.putSession(anonymous)
        try check(try await other.session(idHash: hash("a"), now: t0) == signedIn, "another connection reads it as kept")
        try check(try await other.session(idHash: hash("b"), now: t0) == anonymous, "a session before sign-in")
        try check(try await other.session(idHash: hash("c"), now: t0) == nil, "an unknown id")
        try check(try await other.session(idHash: hash("b"), now: t0 + hour) == nil, "not at its expiry")
        try check(try await other.session(idHash: hash("a"), now: t0 + hour) == signedIn, "the other lives on")
        try await expectError(.invalidArgument, "a known id") { try await other.putSession(signedIn) }
        try check(try await ledger.purgeSessions(now: t0 + hour) == 1, "one expired session purged")
        try check(try await ledger.purgeSessions(now: t0 + hour) == 0, "purging again purges nothing")
        try check(try await other.session(idHash: hash("a"), now: t0 + hour) == signedIn, "purging left the live one")
        try await other.removeSession(idHash: hash("a"))
        try check(try await ledger.session(idHash: hash("a"), now: t0) == nil, "signed out everywhere")
        try await ledger.removeSession(idHash: hash("a"))
        // Validation, before the store is asked.
        var bad = signedIn
        bad.idHash = "A" + hash("d").dropFirst()
        try await expectError(.invalidArgument, "an id hash that is not lowercase hex") { try await ledger.putSession(bad) }
        bad = signedIn
        bad.idHash = hash("e")
        bad.person = "carol\n"
        try await expectError(.invalidArgument, "a person id with a newline") { try await ledger.putSession(bad) }
        bad.person = "carol"
        bad.method = "password"
        try await expectError(.invalidArgument, "an unknown sign-in method") { try await ledger.putSession(bad) }
        try check(try await ledger.session(idHash: hash("e"), now: t0) == nil, "nothing refused was written")
    }
}
