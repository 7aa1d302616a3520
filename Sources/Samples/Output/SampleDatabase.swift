import BackofficeCore
import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif
import LiveDatabase

/// A value the sample database binds straight into a prepared statement (bypassing GRDB's
/// argument conversion, which costs more than the insert itself at a million rows).
protocol SampleColumnValue {
    func bind(_ statement: OpaquePointer, _ index: Int32) -> Int32
}

private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension String: SampleColumnValue {
    func bind(_ statement: OpaquePointer, _ index: Int32) -> Int32 {
        var text = self
        return text.withUTF8 { buffer in
            sqlite3_bind_text(statement, index, UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self),
                              Int32(buffer.count), transientDestructor)
        }
    }
}

extension Int64: SampleColumnValue {
    func bind(_ statement: OpaquePointer, _ index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, self) }
}

extension Int: SampleColumnValue {
    func bind(_ statement: OpaquePointer, _ index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, Int64(self)) }
}

/// Writes the sample live database: a new file created from `LiveSchema.sql`, filled through
/// prepared statements in large transactions, then switched to WAL like the live service's file.
///
/// Built with `journal_mode=OFF` and `synchronous=OFF` (a new file nobody else has open; a failed
/// run deletes it), rows always inserted in the generator's fixed order, so the same options give
/// the same bytes.
///
///     let counts = try SampleDatabase.build(at: url) { db throws(Failure) in
///         try db.insert(.venues, [...])
///     }
final class SampleDatabase {
    private let db: Database
    private var statements: [Table: Statement] = [:]
    private var rowsInTransaction = 0
    private(set) var counts: [Table: Int] = [:]

    enum Table: String, CaseIterable {
        case venues, menuItems = "menu_items", customers, orders, invoices, payments, creditTransactions = "credit_transactions"

        var columns: [String] {
            switch self {
            case .venues: ["id", "name", "location", "language", "currency", "timezone", "business_hours", "status",
                           "credits_remaining", "max_menu_parses_remaining", "approval_group_id", "kitchen_group_id",
                           "mpesa_shortcode", "created_at", "updated_at"]
            case .menuItems: ["id", "venue_id", "category", "name", "description", "base_price_cents", "options",
                              "modifications_allowed", "dietary_tags", "available", "created_at", "updated_at"]
            case .customers: ["id", "venue_id", "channel", "channel_user_id", "msisdn", "name", "created_at"]
            case .orders: ["id", "venue_id", "order_number", "customer_id", "table_number", "items", "total_cents", "currency",
                           "status", "payment_method", "payment_status", "approved_by", "rejected_reason", "created_at",
                           "approved_at", "updated_at"]
            case .invoices: ["id", "venue_id", "order_id", "customer_name", "msisdn", "amount_cents", "currency",
                             "description", "status", "created_at", "updated_at"]
            case .payments: ["id", "venue_id", "purpose", "order_id", "invoice_id", "provider", "status", "amount_cents",
                             "currency", "provider_ref", "account_ref", "mpesa_receipt", "msisdn", "credits",
                             "idempotency_key", "raw_callback", "created_at", "updated_at"]
            case .creditTransactions: ["id", "venue_id", "amount", "type", "stripe_payment_id", "order_id", "created_at"]
            }
        }
    }

    /// Rows per transaction: large enough to be fast, small enough to bound the page cache's dirty pages.
    private static let transactionSize = 50_000

    /// The schema's CREATE INDEX statements, run after the rows are in (one sort each instead of
    /// a million scattered index inserts).
    private let deferredIndexes: [String]

    private init(db: Database) throws {
        self.db = db
        try db.execute(sql: "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;")
        let split = Self.splitIndexes(LiveSchema.sql)
        deferredIndexes = split.indexes
        try db.execute(sql: split.tables)
        for table in Table.allCases {
            let cols = table.columns
            let sql = "INSERT INTO \(table.rawValue) (\(cols.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: cols.count).joined(separator: ", ")))"
            statements[table] = try db.makeStatement(sql: sql)
            counts[table] = 0
        }
        try db.execute(sql: "BEGIN")
    }

    /// The schema without its `CREATE INDEX` statements, and those statements.
    static func splitIndexes(_ sql: String) -> (tables: String, indexes: [String]) {
        var tables: [Substring] = []
        var indexes: [String] = []
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("CREATE INDEX ") || line.hasPrefix("CREATE UNIQUE INDEX ") {
                indexes.append(String(line))
            } else {
                tables.append(line)
            }
        }
        return (tables.joined(separator: "\n"), indexes)
    }

    /// Creates `url` (removing an old file and its -wal/-shm) with the live schema, lets `body` fill
    /// it, commits, switches it to WAL (as the live service runs it) and closes it, leaving no -wal
    /// file. On failure the file is removed.
    static func build<T>(at url: URL, _ body: (SampleDatabase) throws(Failure) -> T) throws(Failure) -> T {
        try removeFiles(url)
        var result: T?
        var failure: Failure?
        do {
            var config = Configuration()
            config.foreignKeysEnabled = false
            config.label = "samples"
            let queue = try DatabaseQueue(path: url.path, configuration: config)
            try queue.writeWithoutTransaction { db in
                let writer = try SampleDatabase(db: db)
                do {
                    result = try body(writer)
                } catch let error as Failure {
                    failure = error
                    return
                }
                for index in writer.deferredIndexes { try db.execute(sql: index) }
                try db.execute(sql: "COMMIT")
                writer.statements.removeAll()
                try db.execute(sql: "PRAGMA journal_mode=WAL")
            }
            try queue.close()
        } catch let error as Failure {
            failure = error
        } catch {
            failure = Failure.cantCreate(path: url.path, reason: "SQLite could not write it (\(error))")
        }
        if let failure {
            try? removeFiles(url)
            throw failure
        }
        return result!
    }

    private static func removeFiles(_ url: URL) throws(Failure) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let path = url.path + suffix
            if FileManager.default.fileExists(atPath: path) {
                do { try FileManager.default.removeItem(atPath: path) } catch {
                    throw Failure.cantCreate(path: path, reason: "an old file is in the way and cannot be removed")
                }
            }
        }
    }

    /// Inserts one row; `values` in the order of `table.columns`.
    func insert(_ table: Table, _ values: [(any SampleColumnValue)?]) throws(Failure) {
        let statement = statements[table]!.sqliteStatement
        var code = SQLITE_OK
        for (i, value) in values.enumerated() where code == SQLITE_OK {
            if let value {
                code = value.bind(statement, Int32(i + 1))
            } else {
                code = sqlite3_bind_null(statement, Int32(i + 1))
            }
        }
        if code == SQLITE_OK {
            code = sqlite3_step(statement)
        }
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else {
            throw Failure.software("inserting a sample row into \(table.rawValue) failed: \(String(cString: sqlite3_errstr(code)))")
        }
        counts[table, default: 0] += 1
        rowsInTransaction += 1
        if rowsInTransaction >= Self.transactionSize {
            do { try db.execute(sql: "COMMIT; BEGIN") } catch {
                throw Failure.software("committing sample rows failed: \(error)")
            }
            rowsInTransaction = 0
        }
    }
}
