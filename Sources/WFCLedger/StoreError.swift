import Foundation

/// Why a store operation failed. Never a trap: every failure of input, disk or concurrency is
/// one of these.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No case with this id.
    case notFound(caseID: String)
    /// No definition with this content hash is pinned in the store (``Ledger/definition(hash:)``).
    case unknownDefinition(hash: String)
    /// A case with this id already exists (`start`).
    case alreadyExists(caseID: String)
    /// Another writer changed the case between reading it and committing: nothing was written.
    /// Retrying re-reads the case and evaluates the event again (a repeated idempotency key then
    /// returns the stored outcome).
    case conflict(caseID: String, expectedVersion: Int, message: String)
    /// The database is locked by another writer for longer than the busy timeout. Retryable.
    case busy(String)
    /// The stored data is not what this store wrote: a row that does not decode, a definition
    /// whose hash does not match, a chain that does not link.
    case corrupt(String)
    /// The database file could not be opened, read or written.
    case io(String)
    /// An argument the store cannot accept (an empty case id, a payload that is not JSON).
    case invalidArgument(String)
    /// A person id, event name, role or idempotency key that is not printable text within the
    /// length limit (``StoredText``): refused before anything is stored.
    case unsafeText(String)
    /// An idempotency key used before for a different request (another event, actor, role,
    /// item or payload): nothing was done. `differences` names what differs.
    case keyReused(caseID: String, key: String, seq: Int, differences: [String])
    /// The file is a database of another application, or a SQLite file that is not empty and
    /// not a wfc store: nothing was written to it.
    case notAStore(path: String, reason: String)
    /// The store was given as a URL whose scheme no backend of this build serves.
    case unsupportedBackend(location: String, scheme: String)
    /// A checkpoint file, or the key to sign or check it, that cannot be used: missing,
    /// malformed, or a signature that does not verify.
    case checkpointInvalid(String)
    /// The database server cannot be reached, refused the connection, or closed it (a restart,
    /// a failover, a killed backend). Whatever the operation did is rolled back unless its
    /// commit had been acknowledged. Retryable.
    case unavailable(String)
    /// A database call did not finish within its timeout (statement timeout or the client's
    /// deadline). Its transaction is rolled back by the server. Retryable.
    case timedOut(String)
    /// The database holds a schema written by a newer wfc (`found` > `supported`): refused, not
    /// misread, and nothing was written.
    case schemaTooNew(location: String, found: Int, supported: Int)
    /// A store location that is not a usable URL (say `postgres://` without a database).
    case badLocation(location: String, reason: String)
    /// The database role may not do what was asked (say, create the tables: migrations run as
    /// the owner role).
    case permissionDenied(String)
    /// A substitution (代理) that overlaps one the person already has: `existing` is its id.
    case substitutionOverlaps(person: String, existing: String, message: String)
    /// No substitution with this id.
    case unknownSubstitution(id: String)
    /// A substitution that cannot be kept: a bad person id or range, a person as their own substitute.
    case invalidSubstitution(String)

    /// The case of a ``StoreError`` without its values, so that callers can map every case
    /// exhaustively (`wfc` gives each one a diagnostic code).
    public enum Kind: String, CaseIterable, Sendable {
        case notFound, unknownDefinition, alreadyExists, conflict, busy, corrupt, io, invalidArgument, unsafeText, keyReused, notAStore, unsupportedBackend, checkpointInvalid
        case unavailable, timedOut, schemaTooNew, badLocation, permissionDenied
        case substitutionOverlaps, unknownSubstitution, invalidSubstitution
    }

    /// Which case this is.
    public var kind: Kind {
        switch self {
        case .notFound: .notFound
        case .unknownDefinition: .unknownDefinition
        case .alreadyExists: .alreadyExists
        case .conflict: .conflict
        case .busy: .busy
        case .corrupt: .corrupt
        case .io: .io
        case .invalidArgument: .invalidArgument
        case .unsafeText: .unsafeText
        case .keyReused: .keyReused
        case .notAStore: .notAStore
        case .unsupportedBackend: .unsupportedBackend
        case .checkpointInvalid: .checkpointInvalid
        case .unavailable: .unavailable
        case .timedOut: .timedOut
        case .schemaTooNew: .schemaTooNew
        case .badLocation: .badLocation
        case .permissionDenied: .permissionDenied
        case .substitutionOverlaps: .substitutionOverlaps
        case .unknownSubstitution: .unknownSubstitution
        case .invalidSubstitution: .invalidSubstitution
        }
    }

    /// True when running the same operation again may succeed.
    public var isRetryable: Bool {
        switch self {
        case .conflict, .busy, .unavailable, .timedOut: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .notFound(let id): "no case `\(id)` in the store"
        case .unknownDefinition(let hash): "no definition `\(StoredText.escaped(hash))` in the store"
        case .alreadyExists(let id): "a case `\(id)` already exists"
        case .conflict(let id, let v, let m): "conflict (retryable): case `\(id)` changed after version \(v) was read; \(m)"
        case .busy(let m): "the store is busy (retryable): \(m)"
        case .corrupt(let m): "the store is corrupt: \(m)"
        case .io(let m): "store I/O error: \(m)"
        case .invalidArgument(let m): m
        case .unsafeText(let m): m
        case .keyReused(let id, let key, let seq, let d):
            "idempotency key `\(StoredText.escaped(key))` of case `\(id)` was used by event \(seq) for a different request (\(d.joined(separator: "; "))); nothing was done"
        case .notAStore(let path, let why): "\(path) is not a wfc store: \(why)"
        case .unsupportedBackend(let location, let scheme): "`\(location)`: no store backend for `\(scheme)://` in this build"
        case .checkpointInvalid(let m): m
        case .unavailable(let m): "the database is unavailable (retryable): \(m)"
        case .timedOut(let m): "the database did not answer in time (retryable): \(m)"
        case .schemaTooNew(let location, let found, let supported):
            "\(location) was written by a newer wfc (schema version \(found); this wfc knows up to \(supported)); nothing was written"
        case .badLocation(let location, let reason): "`\(location)` is not a usable store location: \(reason)"
        case .permissionDenied(let m): "the database refused: \(m)"
        case .substitutionOverlaps(_, _, let m): m
        case .unknownSubstitution(let id): "no substitution `\(StoredText.escaped(id))` in the store"
        case .invalidSubstitution(let m): m
        }
    }
}
