import Foundation
import WFCService

/// A browser's session: its CSRF token and, once signed in, the person. Kept in memory: a
/// restart signs everyone out, and servers sharing a store do not share sessions.
struct WebSession: Sendable {
    var id: String
    /// Compared with every form's `_csrf` field.
    var csrf: String
    /// Nil before sign-in (the sign-in form has a session for its own CSRF token).
    var principal: Principal?
    /// The token signed in with, verified again on every request (so that its `exp` holds);
    /// nil for a development sign-in.
    var token: String?
    var expires: Date
}

/// The sessions of this server, by the id in the `wfc_session` cookie.
actor SessionStore {
    static let lifetime: TimeInterval = 8 * 3600
    /// Beyond this many live sessions the oldest are dropped (a flood of anonymous visits
    /// cannot grow memory without bound).
    static let limit = 10_000
    private var sessions: [String: WebSession] = [:]

    /// A new session (a new id: signing in never keeps the id the browser had before).
    func create(principal: Principal?, token: String?, now: Date) -> WebSession {
        if sessions.count >= Self.limit {
            sessions = sessions.filter { $0.value.expires > now }
            if sessions.count >= Self.limit, let oldest = sessions.values.min(by: { $0.expires < $1.expires }) { sessions[oldest.id] = nil }
        }
        let s = WebSession(id: Self.randomToken(), csrf: Self.randomToken(), principal: principal, token: token, expires: now.addingTimeInterval(Self.lifetime))
        sessions[s.id] = s
        return s
    }

    func get(_ id: String, now: Date) -> WebSession? {
        guard let s = sessions[id] else { return nil }
        guard s.expires > now else { sessions[id] = nil; return nil }
        return s
    }

    func remove(_ id: String) { sessions[id] = nil }

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
