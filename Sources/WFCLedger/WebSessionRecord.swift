import Foundation
import WFCRuntime

/// A browser session of the web inbox, kept in the store so that every server on the store
/// knows it (sign in on one, act on another; sign out ends it everywhere).
///
/// The store never holds what would let a reader act: not the cookie's session id (only its
/// SHA-256), not the token signed in with (only its expiry, which caps the session's).
public struct WebSessionRecord: Sendable, Equatable {
    /// SHA-256 of the session id in the cookie, as 64 lowercase hex digits.
    public var idHash: String
    /// Compared with every form's `_csrf` field.
    public var csrf: String
    /// The person signed in; nil before sign-in (the sign-in form's own session).
    public var person: String?
    /// The signed-in person's scopes, sorted.
    public var scopes: [String]
    /// `token` or `dev` (a development sign-in); nil before sign-in.
    public var method: String?
    /// RFC 3339 UTC: the session is gone from then on.
    public var expires: String
    /// RFC 3339 UTC.
    public var createdAt: String

    public init(idHash: String, csrf: String, person: String?, scopes: [String], method: String?, expires: String, createdAt: String) {
        self.idHash = idHash
        self.csrf = csrf
        self.person = person
        self.scopes = scopes
        self.method = method
        self.expires = expires
        self.createdAt = createdAt
    }

    /// Whether `text` is 64 lowercase hex digits: a session id as the web inbox makes them, and
    /// the SHA-256 the store keeps of one.
    public static func isHex64(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Why the record cannot be kept, nil when it can (checked before any backend writes it).
    public var problem: String? {
        guard Self.isHex64(idHash) else {
            return "a session's id hash is 64 lowercase hex digits"
        }
        guard !csrf.isEmpty, csrf.count <= 128 else { return "a session's CSRF token has 1 to 128 characters" }
        if let person, let p = StoredText.problem(person, what: "the session's person") { return p }
        for s in scopes { if let p = StoredText.problem(s, what: "a scope") { return p } }
        if let method, !["token", "dev"].contains(method) { return "a session's sign-in method is `token` or `dev`" }
        guard Timestamp(rfc3339: expires) != nil, Timestamp(rfc3339: createdAt) != nil else { return "a session's times are RFC 3339" }
        return nil
    }
}

extension Ledger {
    /// Keeps a new web session: ``StoreError/invalidArgument(_:)`` when
    /// ``WebSessionRecord/problem`` names one, before the store is asked.
    public func putSession(_ s: WebSessionRecord) async throws(StoreError) {
        if let p = s.problem { throw .invalidArgument(p) }
        try await repository.putSession(s)
    }

    /// The live session with this id hash at `now`.
    public func session(idHash: String, now: Date) async throws(StoreError) -> WebSessionRecord? {
        try await repository.session(idHash: idHash, now: Timestamp(now).description)
    }

    /// Ends a session (nothing when there is none).
    public func removeSession(idHash: String) async throws(StoreError) {
        try await repository.removeSession(idHash: idHash)
    }

    /// Deletes the sessions expired by `now`; how many.
    public func purgeSessions(now: Date) async throws(StoreError) -> Int {
        try await repository.purgeSessions(now: Timestamp(now).description)
    }
}
