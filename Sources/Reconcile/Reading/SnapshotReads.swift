import BackofficeCore
import GRDB

/// How the reconcile's reads of the live database are cut into read transactions.
///
/// In rollback-journal mode a reader's SHARED lock keeps the live writer from committing for as
/// long as the read transaction lasts; in WAL mode a long reader does not block the writer, but
/// keeps the WAL from being checkpointed past its snapshot. At a million orders the snapshot reads
/// about three million rows (seconds), so a run reads them in chunks keyed by rowid, each chunk a
/// short transaction of its own, and closes with one short transaction that makes the chunks agree
/// (the rule is `LiveSnapshot.read`'s). The same code reads in both journal modes. In WAL mode
/// one long snapshot would be a little cheaper: measured at 1M orders, the chunks read in
/// 4.1-4.3 s against 3.8-4.2 s (the whole run 7.5-7.9 s against 7.3-7.9 s, the same hour). That
/// is kept for one way of reading, hence of testing and of reasoning about what the findings
/// rest on, whatever mode the live service chooses; and a WAL reader held for seconds keeps the
/// WAL from being checkpointed past its snapshot while the live service writes.
///
///     let reads = SnapshotReads(.short(try database.reader()), ChunkedReading())
///     try reads.scan("payments", "SELECT id, rowid FROM payments WHERE rowid >= ? AND rowid <= ? ORDER BY rowid",
///                    rowid: 1, range: bounds.payments) { rows in use(rows.text(0)) }
struct SnapshotReads {
    enum Transactions {
        /// Every read in the caller's one transaction: a single snapshot (tests, `LiveSnapshot.load`).
        case one(Database)
        /// A read transaction per chunk, on this read-only connection.
        case short(DatabaseQueue)
    }

    let transactions: Transactions
    let options: ChunkedReading

    init(_ transactions: Transactions, _ options: ChunkedReading = ChunkedReading()) {
        self.transactions = transactions
        self.options = options
    }

    /// `body` in a read transaction: its own one (`.short`), or the caller's (`.one`).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        switch transactions {
        case .one(let db): return try body(db)
        case .short(let queue): return try queue.read(body)
        }
    }

    /// Steps through the rows of `sql` whose rowids lie in `range`, in rowid order, a chunk per
    /// transaction: at most `options.rows` rowids, and cut short once it has taken `options.time`.
    /// `sql` ends with `rowid >= ? AND rowid <= ? ORDER BY rowid` for its table and selects that
    /// rowid as column `rowid`; `arguments` are the ones before those two. `step` names the
    /// chunks for `afterChunk`. With `.one`, the whole range is one chunk.
    func scan(_ step: String, _ sql: String, rowid column: Int32, range: ClosedRange<Int64>?,
              arguments: StatementArguments = [], _ body: (SQLiteRows) throws -> Void) throws {
        guard let range else { return }
        if case .one(let db) = transactions {
            let rows = try SQLiteRows(db, sql: sql, arguments: arguments + [range.lowerBound, range.upperBound])
            while try rows.next() { try body(rows) }
            return
        }
        var from = range.lowerBound
        while true {
            let (span, overflow) = range.upperBound.subtractingReportingOverflow(from)
            let end = !overflow && span < options.rows ? range.upperBound : from + (options.rows - 1)
            // the last rowid this chunk took in
            let last: Int64 = try read { db in
                let rows = try SQLiteRows(db, sql: sql, arguments: arguments + [from, end])
                let clock = ContinuousClock(), start = clock.now
                var n = 0
                while try rows.next() {
                    try body(rows)
                    n += 1
                    if n & 63 == 0, clock.now - start > options.time {
                        let at = rows.int64(column)
                        rows.reset()
                        return at
                    }
                }
                return end
            }
            if last >= range.upperBound { return }
            try options.afterChunk?(step)
            from = last + 1
        }
    }

    /// Runs `body` for each of `items` in order, as many to a transaction as fit in the chunk
    /// limits (look-ups by key: each is an index search).
    func each<Items: Collection>(_ step: String, _ items: Items, _ body: (Database, Items.Element) throws -> Void) throws {
        if case .one(let db) = transactions {
            for item in items { try body(db, item) }
            return
        }
        var next = items.startIndex
        while next != items.endIndex {
            next = try read { db in
                let clock = ContinuousClock(), start = clock.now
                var i = next, n: Int64 = 0
                while i != items.endIndex {
                    try body(db, items[i])
                    i = items.index(after: i)
                    n += 1
                    if n >= options.rows / 50 || clock.now - start > options.time { break }
                }
                return i
            }
            if next != items.endIndex { try options.afterChunk?(step) }
        }
    }
}

/// The limits of one chunk of the snapshot's reads, and the seams tests use.
struct ChunkedReading {
    /// Rowids per chunk at most. The time limit usually ends a chunk first: a release build
    /// reads about 24,000 ledger rows or 6,000 payment rows in 20 ms (1M orders).
    var rows: Int64 = 50_000
    /// A chunk stops once it has read this long; the live writer waits at most about this
    /// long for it in rollback-journal mode (more when the machine does not run it meanwhile).
    var time: Duration = .milliseconds(20)
    /// Called between two chunks with the name of the step (tests write to the database here, as
    /// the live service does). Never inside a transaction.
    var afterChunk: ((String) throws -> Void)?
    /// false leaves out the closing read's checks, so a test can show what they prevent.
    var closingCheck = true

    init(rows: Int64 = 50_000, time: Duration = .milliseconds(20), afterChunk: ((String) throws -> Void)? = nil) {
        precondition(rows >= 1, "a chunk holds at least one row")
        self.rows = rows
        self.time = time
        self.afterChunk = afterChunk
    }
}

/// The rowids of the tables the snapshot scans, fixed in the transaction that starts the read:
/// rows appended after it are not scanned (the closing read looks at the few that matter).
struct RowidBounds {
    var credits: ClosedRange<Int64>?
    var orders: ClosedRange<Int64>?
    var payments: ClosedRange<Int64>?

    init(_ db: Database) throws {
        func range(_ table: String) throws -> ClosedRange<Int64>? {
            // two subqueries: SQLite answers a lone min() or max() from the b-tree's edge, but
            // scans the whole table for both in one SELECT
            let row = try SQLiteRows(db, sql: "SELECT (SELECT min(rowid) FROM \(table)), (SELECT max(rowid) FROM \(table))")
            defer { row.reset() }
            guard try row.next(), !row.isNull(0), !row.isNull(1) else { return nil }
            return row.int64(0)...row.int64(1)
        }
        credits = try range("credit_transactions")
        orders = try range("orders")
        payments = try range("payments")
    }

    /// The largest rowid (never less than the number of rows), to size maps by.
    static func capacity(_ range: ClosedRange<Int64>?) -> Int {
        guard let range, range.upperBound > 0 else { return 0 }
        return Int(clamping: range.upperBound)
    }

    /// `rowid > ?` for the rows appended after `range`: every row when the table was empty.
    static func after(_ range: ClosedRange<Int64>?) -> Int64 { range?.upperBound ?? Int64.min }
}
