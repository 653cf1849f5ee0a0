import GRDB
import GRDBSQLite

/// Runs a cached statement of a step's writes through SQLite's C API: the values are bound as
/// they are, without GRDB's argument arrays, which box every value as an existential (binding
/// was 9 % of a cached step's time in `perf`). The statement stays GRDB's (cached, finalized by
/// it); only binding and stepping bypass it, inside GRDB's own transaction.
struct SQLiteStep {
    private let statement: SQLiteStatement
    private var index: Int32 = 0

    /// The first failed bind's result code (a text too big, say): the statement is not run.
    private var bindFailure: Int32 = SQLITE_OK

    /// Binds with `bind` (nothing by default), then steps `sql` once to completion.
    static func run(_ db: Database, _ sql: String, _ bind: (inout SQLiteStep) -> Void = { _ in }) throws {
        let cached = try db.cachedStatement(sql: sql)
        var step = SQLiteStep(statement: cached.sqliteStatement)
        sqlite3_reset(step.statement)
        sqlite3_clear_bindings(step.statement)
        bind(&step)
        guard step.bindFailure == SQLITE_OK else {
            sqlite3_clear_bindings(step.statement)
            throw DatabaseError(resultCode: ResultCode(rawValue: step.bindFailure), message: "a value could not be bound", sql: sql)
        }
        let code = sqlite3_step(step.statement)
        sqlite3_reset(step.statement)
        guard code == SQLITE_DONE else {
            let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        }
    }

    private mutating func check(_ code: Int32) {
        if code != SQLITE_OK && bindFailure == SQLITE_OK { bindFailure = code }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    mutating func text(_ value: String?) {
        index += 1
        guard var value else {
            check(sqlite3_bind_null(statement, index))
            return
        }
        let i = index, s = statement
        let code = value.withUTF8 { bytes -> Int32 in
            guard bytes.count <= Int32.max else { return SQLITE_TOOBIG }
            // A zero-length text still needs a pointer: NULL would bind SQL NULL.
            let p = bytes.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(("" as StaticString).utf8Start)
            return sqlite3_bind_text(s, i, p.assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
        }
        check(code)
    }

    mutating func int(_ value: Int?) {
        index += 1
        check(value.map { sqlite3_bind_int64(statement, index, Int64($0)) } ?? sqlite3_bind_null(statement, index))
    }
}
