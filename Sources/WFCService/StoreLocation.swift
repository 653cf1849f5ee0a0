import Foundation
import WFCLedger
import WFCPostgres
import WFCStore

/// The one place a store location (`--store`, `$WFC_STORE`) becomes a repository: a
/// `postgres://` (or `postgresql://`) URL opens the PostgreSQL backend, anything else the
/// SQLite file it names (a path or a `file://` URL). Every front end opens stores through here.
public enum StoreLocation {
    /// `option` (`--store`), else `$WFC_STORE`, else `./.wfc/store.sqlite`.
    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        SQLiteRepository.defaultPath(option: option, environment: environment)
    }

    /// Whether the location names a database server rather than a file.
    public static func isServer(_ location: String) -> Bool { PostgresLocation.isPostgres(location) }

    /// Opens the store. SQLite: created and migrated when needed (`readOnly`: opened for
    /// reading, see ``SQLiteRepository/init(path:durability:busyTimeout:readOnly:)``).
    /// PostgreSQL: connects lazily; the schema is checked (and created or migrated, as the owner
    /// role) by the first call; `readOnly` has no effect there. A malformed URL is
    /// `badLocation`; another URL scheme `unsupportedBackend`.
    public static func open(_ location: String, readOnly: Bool = false, busyTimeout: TimeInterval = 10) throws(StoreError) -> any CaseRepository {
        if isServer(location) { return try PostgresRepository(url: location) }
        return try SQLiteRepository(path: location, busyTimeout: busyTimeout, readOnly: readOnly)
    }

    /// The location as shown in messages: as given, a URL without its password.
    public static func display(_ location: String) -> String {
        isServer(location) ? PostgresLocation.redacted(location) : location
    }
}
