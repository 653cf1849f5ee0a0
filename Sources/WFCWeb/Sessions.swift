import Foundation
import Synchronization
import WFCLedger
import WFCRuntime
import WFCService

/// A browser's session: its CSRF token and, once signed in, the person.
struct WebSession: Sendable {
    /// The id in the `wfc_session` cookie; the store keeps only its SHA-256.
    var id: String
    /// Compared with every form's `_csrf` field.
    var csrf: String
    /// Nil before sign-in (the sign-in form has a session for its own CSRF token).
    var principal: Principal?
    /// `token` or `dev` once signed in.
    var method: String?
    var expires: Date
}

/// The web sessions, kept in the store: every server on a store knows every session (sign in
/// on one, post a form to another behind a load balancer), a restart signs nobody out, and
/// signing out ends the session everywhere.
final class SessionStore: Sendable {
    /// A signed-in session lasts at most this long (less when the token expires sooner).
    static let lifetime: TimeInterval = 8 * 3600
    /// A session before sign-in carries only the sign-in form's CSRF token.
    static let anonymousLifetime: TimeInterval = 3600
    /// How often a server deletes the expired sessions (when it creates one).
    static let purgeInterval: TimeInterval = 600

    let ledger: Ledger
    private let lastPurge = Mutex<Date>(.distantPast)

    init(ledger: Ledger) { self.ledger = ledger }

    /// A new session (a new id: signing in never keeps the id the browser had before). Signed
    /// in with a token, it ends when the token does.
    func create(principal: Principal?, method: String?, tokenExpires: Date? = nil, now: Date) async throws(StoreError) -> WebSession {
        await purgeIfDue(now)
        var expires = now.addingTimeInterval(principal == nil ? Self.anonymousLifetime : Self.lifetime)
        if let tokenExpires, tokenExpires < expires { expires = tokenExpires }
        let s = WebSession(id: Self.randomToken(), csrf: Self.randomToken(), principal: principal, method: principal == nil ? nil : method, expires: expires)
        try await ledger.putSession(WebSessionRecord(idHash: Self.idHash(s.id), csrf: s.csrf, person: principal?.person, scopes: (principal?.scopes ?? []).sorted(),
                                                     method: principal == nil ? nil : method, expires: Timestamp(expires).description,
                                                     createdAt: Timestamp(now).description))
        return s
    }

    /// The live session of a cookie's id; nil for an unknown, expired or malformed id.
    func get(_ id: String, now: Date) async throws(StoreError) -> WebSession? {
        // Ids this server hands out are 64 hex digits: anything else is not looked up.
        guard WebSessionRecord.isHex64(id) else { return nil }
        guard let r = try await ledger.session(idHash: Self.idHash(id), now: now) else { return nil }
        let principal = r.person.map { Principal(person: $0, scopes: Set(r.scopes)) }
        return WebSession(id: id, csrf: r.csrf, principal: principal, method: r.method, expires: Timestamp(rfc3339: r.expires)?.date ?? now)
    }

    func remove(_ id: String) async throws(StoreError) { try await ledger.removeSession(idHash: Self.idHash(id)) }

    /// Deletes the expired sessions at most every ``purgeInterval`` per server; a failure is
    /// left for the next time (an expired session is never read as live anyway).
    private func purgeIfDue(_ now: Date) async {
        let due = lastPurge.withLock { last in
            guard now.timeIntervalSince(last) >= Self.purgeInterval else { return false }
            last = now
            return true
        }
        if due { _ = try? await ledger.purgeSessions(now: now) }
    }

    /// SHA-256 of a session id, as the store keeps it.
    static func idHash(_ id: String) -> String { HashChain.sha256(Array(id.utf8)) }

    /// 32 random bytes as hex.
    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }

    /// Equal texts, compared in constant time for equal lengths.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The time the server reads as now: the system clock, moved forward by `wfc serve
/// --test-clock` through the test-clock form (never in production).
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0

    public init() {}

    public func now() -> Date {
        lock.lock(); defer { lock.unlock() }
        return Date().addingTimeInterval(offset)
    }

    /// Moves the clock `seconds` forward (never back: the ledger's times only grow).
    public func advance(by seconds: TimeInterval) {
        lock.lock(); defer { lock.unlock() }
        offset += max(0, seconds)
    }
}
