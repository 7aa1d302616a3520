import BackofficeCore
import GRDB
import LiveDatabase
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// Binds one row's values into a prepared INSERT through SQLite's C API, then runs it.
///
/// Recording a large run writes hundreds of thousands of rows. GRDB's `StatementArguments` build
/// an array of `DatabaseValue` per row, which cost more than the insert itself; binding straight
/// into the statement costs one C call per value. Values are bound left to right, as the INSERT
/// lists its columns.
///
///     var row = RowBinder(statement, in: db)
///     row.text(runId); row.int(seq); row.text(nil)
///     try row.insert()
struct RowBinder {
    private let statement: SQLiteStatement
    private let db: Database
    private var column: Int32 = 0
    /// The first binding that failed; reported by `insert()`.
    private var bindError: Int32 = SQLITE_OK


    init(_ statement: Statement, in db: Database) {
        self.statement = statement.sqliteStatement
        self.db = db
    }

    mutating func text(_ value: String?) {
        guard let value else { return null() }
        column += 1
        check(SQLiteBinding.text(statement, column, value))
    }

    mutating func int(_ value: Int64?) {
        guard let value else { return null() }
        column += 1
        check(sqlite3_bind_int64(statement, column, value))
    }

    mutating func int(_ value: Int?) {
        int(value.map { Int64($0) })
    }

    /// `2026-11-20T18:04:05Z`, the database's form.
    mutating func timestamp(_ value: Timestamp?) {
        text(value?.iso)
    }

    mutating func null() {
        column += 1
        check(sqlite3_bind_null(statement, column))
    }

    private mutating func check(_ code: Int32) {
        if code != SQLITE_OK && bindError == SQLITE_OK { bindError = code }
    }

    /// Runs the INSERT with the values bound, and readies the statement for the next row.
    mutating func insert() throws {
        let code = bindError == SQLITE_OK ? sqlite3_step(statement) : bindError
        sqlite3_reset(statement)
        column = 0
        bindError = SQLITE_OK
        guard code == SQLITE_DONE else {
            let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
        }
    }
}
