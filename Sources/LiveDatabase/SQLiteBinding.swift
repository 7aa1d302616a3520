import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// Binding values straight into a prepared statement through SQLite's C API, for the writers of
/// many rows (a run's matches, the sample database): GRDB's arguments cost more than the insert.
public enum SQLiteBinding {
    /// SQLite copies the bytes (they live only for the call).
    public static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds `value` to parameter `index` (1-based) as UTF-8 text; returns SQLite's result code.
    /// An empty string is bound as '' (an empty buffer may have no address, which SQLite would
    /// take for NULL).
    public static func text(_ statement: OpaquePointer, _ index: Int32, _ value: String) -> Int32 {
        var value = value
        return value.withUTF8 { utf8 -> Int32 in
            guard let base = utf8.baseAddress, utf8.count > 0 else {
                return sqlite3_bind_text(statement, index, "", 0, transient)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                sqlite3_bind_text(statement, index, $0, Int32(utf8.count), transient)
            }
        }
    }
}
