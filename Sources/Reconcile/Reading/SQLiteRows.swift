import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// The rows of a query, read column by column through SQLite's C API.
///
/// GRDB's `Row` cursors turn every column of every row into a Swift value. The snapshot reads
/// about a million rows of which it keeps a few columns, so it reads values by index and makes a
/// String only for text it keeps (`bytes(_:)` looks at text without copying it).
///
///     var rows = try SQLiteRows(db.makeStatement(sql: "SELECT id, amount FROM t WHERE day = ?"), arguments: [day])
///     while try rows.next() { use(rows.text(0), rows.int64(1)) }
struct SQLiteRows {
    /// Kept so the prepared statement lives as long as the rows are read.
    private let statement: Statement
    private let handle: SQLiteStatement

    init(_ statement: Statement, arguments: StatementArguments = StatementArguments()) throws {
        try statement.setArguments(arguments)
        self.statement = statement
        self.handle = statement.sqliteStatement
    }

    init(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try self.init(db.makeStatement(sql: sql), arguments: arguments)
    }

    /// Moves to the next row; false after the last one.
    func next() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        sqlite3_reset(handle)
        if code == SQLITE_DONE { return false }
        let message = sqlite3_db_handle(handle).map { String(cString: sqlite3_errmsg($0)) }
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }

    /// Ends the rows early (a chunk cut short, a look-up that wanted one row), so the statement
    /// holds nothing when its transaction ends.
    func reset() { sqlite3_reset(handle) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isInteger(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_INTEGER }

    /// SQLite's name for the storage class of a column's value.
    func typeName(_ column: Int32) -> String {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return "integer"
        case SQLITE_FLOAT: return "real"
        case SQLITE_TEXT: return "text"
        case SQLITE_BLOB: return "blob"
        default: return "null"
        }
    }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    func bool(_ column: Int32) -> Bool { int64(column) != 0 }

    /// The text of a column, nil for NULL.
    func text(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    /// The bytes of a column's text (empty for NULL), valid until the next call to `next()`.
    func bytes(_ column: Int32) -> UnsafeRawBufferPointer {
        guard let text = sqlite3_column_text(handle, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column)))
    }

    /// Whether a column's text is exactly `literal` (ASCII), without making a String.
    func textEquals(_ column: Int32, _ literal: StaticString) -> Bool {
        let value = bytes(column)
        guard !isNull(column), value.count == literal.utf8CodeUnitCount else { return false }
        return value.elementsEqual(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}

/// An id as a dictionary key, made from a column's bytes without a String in the usual case.
///
/// The live service's ids are lower-case UUIDs, which pack into 16 bytes: a map of 800,000 order
/// ids then costs no allocation per id. Any other text is kept as a String, so two keys are equal
/// exactly when their texts are.
enum IdKey: Hashable {
    case uuid(UInt64, UInt64)
    case text(String)

    init(_ bytes: UnsafeRawBufferPointer) {
        if let (high, low) = Self.packedUUID(bytes) {
            self = .uuid(high, low)
        } else {
            self = .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    init(_ text: String) {
        var text = text
        self = text.withUTF8 { IdKey(UnsafeRawBufferPointer($0)) }
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in lower-case hex, as two 64-bit halves; nil for
    /// anything else (upper case included, so that the packing stays one-to-one with the text).
    static func packedUUID(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64)? {
        guard bytes.count == 36, let p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
              p[8] == 0x2D, p[13] == 0x2D, p[18] == 0x2D, p[23] == 0x2D else { return nil }
        // This runs for every ledger and order row: a table lookup per digit, straight-line, and
        // one check at the end (a byte that is not a lower-case hex digit sets the high bits).
        let values = hexDigitValues
        var high: UInt64 = 0, low: UInt64 = 0, bad: UInt8 = 0
        for i in 0..<8 { let v = values[Int(p[i])]; bad |= v; high = high << 4 | UInt64(v) }
        for i in 9..<13 { let v = values[Int(p[i])]; bad |= v; high = high << 4 | UInt64(v) }
        for i in 14..<18 { let v = values[Int(p[i])]; bad |= v; high = high << 4 | UInt64(v) }
        for i in 19..<23 { let v = values[Int(p[i])]; bad |= v; low = low << 4 | UInt64(v) }
        for i in 24..<36 { let v = values[Int(p[i])]; bad |= v; low = low << 4 | UInt64(v) }
        return bad & 0xF0 == 0 ? (high, low) : nil
    }
}

/// The value of each byte as a lower-case hex digit, 0xFF for any other byte.
nonisolated(unsafe) private let hexDigitValues: UnsafePointer<UInt8> = {   // written once, then only read
    let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    table.initialize(repeating: 0xFF, count: 256)
    for (value, digit) in "0123456789abcdef".utf8.enumerated() { table[Int(digit)] = UInt8(value) }
    return UnsafePointer(table)
}()
