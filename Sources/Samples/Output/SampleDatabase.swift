import BackofficeCore
import Foundation
import GRDB
import LiveDatabase

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

    private init(db: Database) throws {
        self.db = db
        try db.execute(sql: "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-131072; PRAGMA temp_store=MEMORY;")
        try db.execute(sql: LiveSchema.sql)
        for table in Table.allCases {
            let cols = table.columns
            let sql = "INSERT INTO \(table.rawValue) (\(cols.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: cols.count).joined(separator: ", ")))"
            statements[table] = try db.makeStatement(sql: sql)
            counts[table] = 0
        }
        try db.execute(sql: "BEGIN")
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
    func insert(_ table: Table, _ values: [(any DatabaseValueConvertible)?]) throws(Failure) {
        do {
            let statement = statements[table]!
            statement.setUncheckedArguments(StatementArguments(values))
            try statement.execute()
            counts[table, default: 0] += 1
            rowsInTransaction += 1
            if rowsInTransaction >= Self.transactionSize {
                try db.execute(sql: "COMMIT; BEGIN")
                rowsInTransaction = 0
            }
        } catch {
            throw Failure.software("inserting a sample row into \(table.rawValue) failed: \(error)")
        }
    }
}
