import BackofficeCore
import Foundation
import GRDB
import Synchronization

/// The live service's SQLite file, opened the way the contract requires.
///
/// - Reads go through a read-only connection (`reader()`): the file's bytes and journal mode stay as
///   they are, and every read block sees one snapshot.
/// - Writes go through a `DatabaseQueue` with a busy timeout (`writer()`); journal mode is left alone.
///   Keep each write transaction short (the contract allows about 100 ms of write lock).
/// - The live tables are checked on open; the tool's own `batch_*` tables are created by `migrate()`.
///
///     let live = try LiveDatabase(path: "live.db")
///     let venues = try live.read { db in try Venue.fetchAll(db) }
public struct LiveDatabase: Sendable {
    public let path: String
    /// How long a statement waits for the live service's lock before giving up (exit 75).
    public let busyTimeout: TimeInterval

    /// The contract's minimum busy timeout.
    public static let defaultBusyTimeout: TimeInterval = 5

    /// Checks that `path` exists, is a SQLite database, and has the live tables and columns.
    public init(path: String, busyTimeout: TimeInterval = LiveDatabase.defaultBusyTimeout, checkSchema: Bool = true) throws(Failure) {
        self.path = path
        self.busyTimeout = busyTimeout
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw Failure.noInput(path: "The database \(path)", reason: "does not exist (give it with --db or BACKOFFICE_DB)")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw Failure.noInput(path: "The database \(path)", reason: "cannot be read (check its permissions)")
        }
        try Self.checkHeader(path)
        if checkSchema { try self.checkSchema() }
    }

    /// Resolves `--db` or `BACKOFFICE_DB`.
    public static func resolvePath(_ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(Failure) -> String {
        if let option, !option.isEmpty { return option }
        if let env = environment["BACKOFFICE_DB"], !env.isEmpty { return env }
        throw Failure.usage("No database given: pass --db PATH or set BACKOFFICE_DB.")
    }

    private static func checkHeader(_ path: String) throws(Failure) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure.noInput(path: "The database \(path)", reason: "cannot be read")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        if head.isEmpty {
            throw Failure.dataError("\(path) is empty, not a SQLite database of the live service.")
        }
        guard head.count == 16, String(decoding: head.prefix(15), as: UTF8.self) == "SQLite format 3" else {
            throw Failure.dataError("\(path) is not a SQLite database (its first bytes are not the SQLite header).")
        }
    }

    private func configuration(readonly: Bool) -> Configuration {
        var config = Configuration()
        config.readonly = readonly
        config.busyMode = .callback(Self.busyHandler(timeout: busyTimeout))
        config.foreignKeysEnabled = true
        config.label = readonly ? "live-read" : "live-write"
        // GRDB must not change the journal mode: a DatabaseQueue leaves it as the file has it.
        return config
    }

    /// Waits for a lock another connection holds, trying again every 1 to 4 ms (at random)
    /// until `timeout` has passed since the first try; then SQLITE_BUSY (exit 75).
    ///
    /// SQLite's own handler tries again after 1, 2, 5, 10 ... ms and then every 100 ms. In the
    /// soak, the live writer commits 200 times a second, and in rollback-journal mode its commits
    /// (two fsyncs each) leave the file free only for moments between them: tries 100 ms apart
    /// missed those moments for 5 s now and then, and the run gave up (exit 75, at 10k and at 1M
    /// orders, reading and writing). Tries every few milliseconds find them. They do not crowd
    /// the live writer out: a writer waiting to commit holds the PENDING lock, which no new
    /// reader gets past, and after each of our write transactions the lock is left free for at
    /// least as long as it was held (`write(_:turns:_:)`), long enough for one of the live
    /// writer's own tries to land in it.
    static func busyHandler(timeout: TimeInterval) -> Database.BusyCallback {
        let started = Mutex(Date())
        return { tries in
            let now = Date()
            if tries == 0 { started.withLock { $0 = now } }
            guard now.timeIntervalSince(started.withLock { $0 }) < timeout else { return false }
            usleep(UInt32.random(in: 1000...4000))
            return true
        }
    }

    /// A read-only connection. Each `read` block runs in one transaction, hence one snapshot.
    public func reader() throws(Failure) -> DatabaseQueue {
        do {
            return try DatabaseQueue(path: path, configuration: configuration(readonly: true))
        } catch {
            throw mapError(error)
        }
    }

    /// A writing connection with the busy timeout. Journal mode is left as it is.
    public func writer() throws(Failure) -> DatabaseQueue {
        do {
            return try DatabaseQueue(path: path, configuration: configuration(readonly: false))
        } catch {
            throw mapError(error)
        }
    }

    /// The least time the write lock is left free after a write transaction in rollback-journal
    /// mode, and in WAL mode once a live writer was seen (`WriteTurns`).
    ///
    /// A live writer that finds the lock taken waits in SQLite's busy handler, which tries again
    /// after 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms. Write transactions that follow each
    /// other with no pause leave it a free moment only by luck: the soak's live writer waited
    /// 260 to 640 ms at 10k orders in rollback-journal mode (migrations, recording) and 760 to
    /// 870 ms at 100k in WAL mode (recording). Leaving the lock free after each transaction for as
    /// long as it was held, and at least this long, one of its tries lands in a pause within about
    /// 100 ms, whatever the phase of its first try (simulated with the live writer's busy-handler
    /// schedule against holds of 3 to 100 ms).
    public static func writePause(rollbackJournal: Bool) -> Duration {
        rollbackJournal ? .milliseconds(30) : .milliseconds(5)
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction on `queue` (a `writer()`), then leaves
    /// the lock free for a while (`writePause`) when another writer may be waiting: always in
    /// rollback-journal mode, where a commit takes two fsyncs and holds the lock tens of
    /// milliseconds; in WAL mode once `turns` has seen another connection commit. Without a live
    /// writer (a benchmark, a test) WAL-mode writes go at full speed.
    public func write<T>(_ queue: DatabaseQueue, turns: WriteTurns? = nil, _ body: (Database) throws -> T) throws(Failure) -> T {
        let clock = ContinuousClock()
        var start = clock.now
        var rollbackJournal = false
        var value: T?
        do {
            try queue.inTransaction(.immediate) { db in
                start = clock.now   // the lock is held from here (not while waiting for it)
                try turns?.note(db, queue)
                value = try body(db)
                rollbackJournal = try Self.isRollbackJournal(db)
                return .commit
            }
        } catch {
            throw mapError(error)
        }
        if rollbackJournal || turns?.liveWriterSeen == true {
            let pause = max(clock.now - start, Self.writePause(rollbackJournal: rollbackJournal))
            Thread.sleep(forTimeInterval: Double(pause.components.seconds) + Double(pause.components.attoseconds) / 1e18)
        }
        return value!
    }

    /// Whether the file is in a rollback-journal mode (anything but WAL). Reading the mode does not change it.
    public static func isRollbackJournal(_ db: Database) throws -> Bool {
        try String.fetchOne(db, sql: "PRAGMA journal_mode")?.lowercased() != "wal"
    }

    /// Reads in one snapshot through a fresh read-only connection.
    public func read<T>(_ body: (Database) throws -> T) throws(Failure) -> T {
        let queue = try reader()
        do {
            return try queue.read { db in try body(db) }
        } catch {
            throw mapError(error)
        }
    }

    /// Creates or updates the tool's own `batch_*` tables. Running it twice is a no-op.
    public func migrate() throws(Failure) {
        let queue = try writer()
        try migrate(queue)
    }

    public func migrate(_ writer: some DatabaseWriter) throws(Failure) {
        do {
            try BatchSchema.migrator.migrate(writer)
        } catch {
            throw mapError(error)
        }
    }

    /// Checks every live table and column the tool relies on.
    public func checkSchema() throws(Failure) {
        let missing: [String]
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration(readonly: true))
            missing = try queue.read { db in try Self.missingLiveColumns(db) }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw mapError(error)
        }
        if !missing.isEmpty {
            throw Failure.dataError("\(path) is not the live service's database: missing \(missing.joined(separator: ", ")).")
        }
    }

    /// `["table orders", "column payments.mpesa_receipt"]` for whatever the file lacks.
    public static func missingLiveColumns(_ db: Database) throws -> [String] {
        var missing: [String] = []
        for (table, columns) in LiveSchema.requiredColumns {
            guard try db.tableExists(table) else {
                missing.append("table \(table)")
                continue
            }
            let present = Set(try db.columns(in: table).map { $0.name.lowercased() })
            for column in columns where !present.contains(column) {
                missing.append("column \(table).\(column)")
            }
        }
        return missing
    }

    /// Maps SQLite's errors to the contract's exit codes with a sentence a person can act on.
    /// Bound values (customer data) are kept out of the message.
    public func mapError(_ error: any Error) -> Failure {
        if let failure = error as? Failure { return failure }
        if let db = error as? DatabaseError {
            switch db.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return Failure.tempFail("The database \(path) stayed locked for more than \(Int(busyTimeout)) s (the live service is writing); nothing was changed. Retry later.")
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return Failure.dataError("\(path) is not a usable SQLite database (\(db.message ?? "not a database")).")
            case .SQLITE_CANTOPEN:
                return Failure.noInput(path: "The database \(path)", reason: "cannot be opened (check that it and its folder are readable)")
            case .SQLITE_CONSTRAINT:
                // the live rows changed under the command (a row it refers to was deleted): data,
                // not a bug; the bound values stay out of the sentence
                return Failure.dataError("The live data in \(path) no longer allows this change (\(db.message ?? "a constraint failed")); nothing was changed. Check that the rows it refers to still exist, then run again.")
            case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_FULL, .SQLITE_IOERR:
                return Failure(.cantCreate, "Cannot write to the database \(path): \(db.message ?? "read-only or full").")
            default:
                return Failure.software("database error \(db.resultCode): \(db.message ?? "")")
            }
        }
        return Failure.software(String(describing: error))
    }
}

/// Whether another connection commits between a series of write transactions: then a live writer
/// is at work, and `LiveDatabase.write` leaves it its turn after each transaction. One per series
/// (a recorder's); used from one thread at a time.
public final class WriteTurns: @unchecked Sendable {
    private var connection: ObjectIdentifier?
    private var version: Int64?
    /// Another connection committed between two of the series' transactions.
    public private(set) var liveWriterSeen = false

    public init() {}

    /// Starts the series as if another connection had been seen committing (the run's reads saw
    /// the live service write).
    public func liveWriterWasSeen() { liveWriterSeen = true }

    /// Called first in each transaction: `PRAGMA data_version` changes when another connection
    /// committed since this connection last asked (its own commits do not change it).
    func note(_ db: Database, _ queue: DatabaseQueue) throws {
        let id = ObjectIdentifier(queue)
        if connection != id { connection = id; version = nil }   // another connection counts afresh
        let now = try Int64.fetchOne(db, sql: "PRAGMA data_version")
        if let version, now != version { liveWriterSeen = true }
        version = now
    }
}
