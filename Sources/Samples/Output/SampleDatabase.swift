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

extension String: SampleColumnValue {
    func bind(_ statement: OpaquePointer, _ index: Int32) -> Int32 { SQLiteBinding.text(statement, index, self) }
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
    private var pending: [RowWriter.PendingRow] = []
    private var rowWriter: RowWriter!
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

    /// The schema's CREATE INDEX statements, run after the rows are in (one sort each instead of
    /// a million scattered index inserts).
    private let deferredIndexes: [String]

    private init(db: Database) throws {
        self.db = db
        // SQLite's default page size, like the live file; no journal and no fsync while building.
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
        rowWriter = RowWriter(connection: db.sqliteConnection!, statements: statements.mapValues(\.sqliteStatement))
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
                    try writer.finishRows()
                } catch let error as Failure {
                    writer.rowWriter.finish()
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

    /// Queues one row; `values` in the order of `table.columns`. Rows reach SQLite in the order
    /// they are queued, on a writer thread, so generating the next rows overlaps inserting these.
    func insert(_ table: Table, _ values: [(any SampleColumnValue)?]) throws(Failure) {
        pending.append(.init(table: table, values: values))
        counts[table, default: 0] += 1
        if pending.count >= Self.batchSize { try flush() }
    }

    private static let batchSize = 2_048

    private func flush() throws(Failure) {
        if let failure = rowWriter.failure { throw failure }
        guard !pending.isEmpty else { return }
        rowWriter.send(pending)
        pending = []
        pending.reserveCapacity(Self.batchSize)
    }

    /// Sends what is queued, waits for the writer thread, and reports its failure if it had one.
    private func finishRows() throws(Failure) {
        let sendFailure: Failure?
        do { try flush(); sendFailure = nil } catch { sendFailure = error }
        rowWriter.finish()
        if let failure = sendFailure ?? rowWriter.failure { throw failure }
    }
}

/// The writer thread's side: binds and steps each row, all in the one transaction `build` opened.
/// It never commits itself: a COMMIT from this thread would run GRDB's commit hook off GRDB's queue
/// (a crash), and one transaction is what a new file wants anyway.
/// Batches pass through a bounded hand-off, so memory stays flat whichever side is faster.
private final class RowWriter: @unchecked Sendable {
    struct PendingRow {
        var table: SampleDatabase.Table
        var values: [(any SampleColumnValue)?]
    }

    private let connection: OpaquePointer
    private let statements: [SampleDatabase.Table: OpaquePointer]
    private let lock = NSLock()
    private var queue: [[PendingRow]?] = []
    private let slots = DispatchSemaphore(value: 8)
    private let available = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private var _failure: Failure?
    private var finished = false

    init(connection: OpaquePointer, statements: [SampleDatabase.Table: OpaquePointer]) {
        self.connection = connection
        self.statements = statements
        Thread.detachNewThread { [self] in self.run() }
    }

    var failure: Failure? {
        lock.lock(); defer { lock.unlock() }
        return _failure
    }

    func send(_ rows: [PendingRow]) {
        slots.wait()
        lock.lock()
        queue.append(rows)
        lock.unlock()
        available.signal()
    }

    /// Ends the stream and waits until every row sent is written. Safe to call twice.
    func finish() {
        guard !finished else { return }
        finished = true
        slots.wait()
        lock.lock()
        queue.append(nil)
        lock.unlock()
        available.signal()
        done.wait()
    }

    private func run() {
        while true {
            available.wait()
            lock.lock()
            let next = queue.removeFirst()
            lock.unlock()
            slots.signal()
            guard let rows = next else { break }
            if failure != nil { continue }
            for row in rows {
                if let failure = write(row) {
                    lock.lock(); _failure = failure; lock.unlock()
                    break
                }
            }
        }
        done.signal()
    }

    private func write(_ row: PendingRow) -> Failure? {
        let statement = statements[row.table]!
        var code = SQLITE_OK
        for (i, value) in row.values.enumerated() where code == SQLITE_OK {
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
            return Failure.software("inserting a sample row into \(row.table.rawValue) failed: \(String(cString: sqlite3_errstr(code)))")
        }
        return nil
    }
}
