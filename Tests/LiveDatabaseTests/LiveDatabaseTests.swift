import BackofficeCore
import Foundation
import GRDB
@testable import LiveDatabase
import Testing
import TestSupport

/// A scratch folder with a live database made from the live schema, in WAL mode like the live service;
/// the folder is removed when the last copy of the value goes.
struct ScratchLive {
    let scratch: TemporaryFolder
    var folder: URL { scratch.url }
    let path: String

    init(tables dropping: [String] = [], columns dropColumn: (table: String, column: String)? = nil) throws {
        scratch = try TemporaryFolder("live")
        path = scratch.file("live.db").path
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode=WAL")
            try db.execute(sql: LiveSchema.sql)
            try db.execute(sql: """
                INSERT INTO venues (id, name, approval_group_id, created_at, updated_at)
                VALUES ('v1', 'Corner Bistro', 'g1', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z');
                INSERT INTO credit_transactions (id, venue_id, amount, type, created_at)
                VALUES ('c1', 'v1', 25, 'bonus', '2026-11-01T00:00:00Z');
                """)
            for table in dropping { try db.execute(sql: "DROP TABLE \(table)") }
            if let (table, column) = dropColumn {
                try db.execute(sql: "DROP INDEX IF EXISTS idx_payments_receipt")
                try db.execute(sql: "ALTER TABLE \(table) DROP COLUMN \(column)")
            }
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
        try queue.close()
    }

    func bytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }
}

@Suite struct LiveDatabaseOpening {
    @Test func missingFileIs66() {
        #expect(throws: Failure.self) { try LiveDatabase(path: "/nonexistent/live.db") }
        do { _ = try LiveDatabase(path: "/nonexistent/live.db") } catch {
            #expect(error.status == .noInput)
            #expect(error.message.contains("/nonexistent/live.db"))
        }
    }

    @Test func notSQLiteIs65() throws {
        let scratch = try TemporaryFolder("notdb")
        let file = scratch.file("notdb.db")
        try Data("id,amount\n1,2\n".utf8).write(to: file)
        do { _ = try LiveDatabase(path: file.path); Issue.record("opened a CSV as a database") } catch {
            #expect(error.status == .dataError)
            #expect(error.message.contains("not a SQLite database"))
        }
        let empty = scratch.file("empty.db")
        try Data().write(to: empty)
        do { _ = try LiveDatabase(path: empty.path); Issue.record("opened an empty file") } catch {
            #expect(error.status == .dataError)
        }
    }

    @Test func missingTableIs65NamingIt() throws {
        let scratch = try ScratchLive(tables: ["credit_transactions"])
        do { _ = try LiveDatabase(path: scratch.path); Issue.record("opened without credit_transactions") } catch {
            #expect(error.status == .dataError)
            #expect(error.message.contains("table credit_transactions"))
        }
    }

    @Test func missingColumnIs65NamingIt() throws {
        let scratch = try ScratchLive(columns: ("payments", "mpesa_receipt"))
        do { _ = try LiveDatabase(path: scratch.path); Issue.record("opened without payments.mpesa_receipt") } catch {
            #expect(error.status == .dataError)
            #expect(error.message.contains("column payments.mpesa_receipt"))
        }
    }

    @Test func pathFromOptionOrEnvironment() throws {
        #expect(try LiveDatabase.resolvePath("a.db", environment: ["BACKOFFICE_DB": "b.db"]) == "a.db")
        #expect(try LiveDatabase.resolvePath(nil, environment: ["BACKOFFICE_DB": "b.db"]) == "b.db")
        do { _ = try LiveDatabase.resolvePath(nil, environment: [:]); Issue.record("no path accepted") } catch {
            #expect(error.status == .usage)
        }
    }
}

@Suite struct LiveDatabaseReading {
    @Test func readOnlyOpenLeavesBytesAndJournalModeUnchanged() throws {
        let scratch = try ScratchLive()
        let before = try scratch.bytes()
        let live = try LiveDatabase(path: scratch.path)
        let venues = try live.read { db in try Venue.fetchAll(db) }
        #expect(venues.map(\.name) == ["Corner Bistro"])
        #expect(venues.first?.creditsRemaining == 25)
        let mode = try live.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        #expect(try scratch.bytes() == before)
        // and no table of ours appeared
        let tables = try live.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name LIKE 'batch_%' OR name LIKE 'grdb_%'") }
        #expect(tables.isEmpty)
    }

    @Test func readerCannotWrite() throws {
        let scratch = try ScratchLive()
        let live = try LiveDatabase(path: scratch.path)
        #expect(throws: (any Error).self) {
            try live.reader().write { db in try db.execute(sql: "DELETE FROM venues") }
        }
    }
}

@Suite struct BatchMigrations {
    @Test func migrationsCreateBatchTablesAndRunTwiceAsNoOp() throws {
        let scratch = try ScratchLive()
        let live = try LiveDatabase(path: scratch.path)
        try live.migrate()
        let schema1 = try live.read { db in try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name") }
        let applied1 = try live.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM batch_schema_migrations ORDER BY identifier") }
        try live.migrate()
        let schema2 = try live.read { db in try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name") }
        let applied2 = try live.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM batch_schema_migrations ORDER BY identifier") }
        #expect(schema1 == schema2)
        #expect(applied1 == applied2)
        #expect(!applied1.isEmpty)
        for table in BatchSchema.tables {
            #expect(try live.read { db in try db.tableExists(table) }, "\(table) missing")
        }
        // the live tables are untouched by the migrations, and WAL stays on
        let mode = try live.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let liveTables = try live.read { db in try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE name IN ('venues','orders','payments','credit_transactions','invoices','customers','menu_items') ORDER BY name") }
        #expect(liveTables.allSatisfy { !$0.contains("batch") })
    }

    /// Issue #18: the live file gets no `grdb_migrations` (a live service using GRDB's migrator
    /// would share it with us); our history is a batch_* table.
    @Test func historyIsKeptInABatchTableNotGrdbMigrations() throws {
        let scratch = try ScratchLive()
        let live = try LiveDatabase(path: scratch.path)
        try live.migrate()
        let tables = try live.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
        #expect(!tables.contains("grdb_migrations"))
        let liveNames = Set(LiveSchema.requiredColumns.map(\.0))
        for table in tables where !liveNames.contains(table) && !table.hasPrefix("sqlite_") {
            #expect(table.hasPrefix("batch_"), "\(table) is not a batch_* table")
        }
        let applied = try live.read { db in try BatchSchema.migrator.appliedIdentifiers(db) }
        #expect(applied == BatchSchema.migrator.identifiers.sorted())
    }

    /// A file an older version migrated keeps its tables: the identifiers in `grdb_migrations`
    /// are carried over (not run again, which would fail on the existing tables), removed from
    /// it, and the table dropped when nothing of anyone else's is left in it.
    @Test func olderHistoryInGrdbMigrationsIsCarriedOver() throws {
        for withLiveServiceRows in [false, true] {
            let scratch = try ScratchLive()
            let queue = try DatabaseQueue(path: scratch.path)
            var old = DatabaseMigrator()
            old.registerMigration("batch_v1_reconcile", foreignKeyChecks: .immediate, migrate: BatchSchema.reconcileV1)
            try old.migrate(queue)
            if withLiveServiceRows {
                try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('live_v7_orders')") }
            }
            try queue.close()
            let live = try LiveDatabase(path: scratch.path)
            try live.migrate()
            try live.migrate()
            let applied = try live.read { db in try BatchSchema.migrator.appliedIdentifiers(db) }
            #expect(applied == BatchSchema.migrator.identifiers.sorted())
            let grdb = try live.read { db in try db.tableExists("grdb_migrations") ? String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : nil }
            #expect(grdb == (withLiveServiceRows ? ["live_v7_orders"] : nil))
            for table in BatchSchema.tables {
                #expect(try live.read { db in try db.tableExists(table) }, "\(table) missing")
            }
        }
    }

    @Test func everyBatchTableIsNamedBatch() {
        #expect(BatchSchema.tables.allSatisfy { $0.hasPrefix("batch_") })
    }
}

@Suite(.serialized) struct LockedDatabase {
    /// Another process holds the write lock (as the live service can); a write waits for the busy
    /// timeout, then fails with 75 and a sentence, not a crash.
    @Test func writeLockHeldByAnotherProcessGives75() throws {
        let scratch = try ScratchLive()
        guard let sqlite = ["/usr/bin/sqlite3", "/bin/sqlite3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            Issue.record("sqlite3 is not installed (scripts/deps --test installs it)")
            return
        }
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: sqlite)
        holder.arguments = [scratch.path]
        let stdin = Pipe()
        let stdout = Pipe()
        holder.standardInput = stdin
        holder.standardOutput = stdout
        try holder.run()
        defer {
            try? stdin.fileHandleForWriting.write(contentsOf: Data("ROLLBACK;\n.quit\n".utf8))
            try? stdin.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        try stdin.fileHandleForWriting.write(contentsOf: Data("BEGIN IMMEDIATE;\nSELECT 'locked';\n".utf8))
        // wait until the other process says it holds the lock
        let line = stdout.fileHandleForReading.availableData
        #expect(String(decoding: line, as: UTF8.self).contains("locked"))

        let live = try LiveDatabase(path: scratch.path, busyTimeout: 1)
        let started = Date()
        do {
            try live.migrate()
            Issue.record("wrote while another process held the write lock")
        } catch {
            #expect(error.status == .tempFail)
            #expect(error.message.contains("locked"))
            #expect(Date().timeIntervalSince(started) >= 0.9)
        }
    }
}

@Suite struct LiveSchemaFile {
    static let contract = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/contract/live-schema.sql").standardizedFileURL

    @Test(.enabled(if: FileManager.default.fileExists(atPath: contract.path), "the contract folder is not beside this checkout"))
    func theCodesSchemaIsTheContracts() throws {
        let file = try String(contentsOf: Self.contract, encoding: .utf8)
        #expect(file.trimmingCharacters(in: .newlines) == LiveSchema.sql.trimmingCharacters(in: .newlines))
    }
}

/// A series of short write transactions leaves a live writer waiting in its busy handler a turn:
/// each is followed by a pause with the lock free in rollback-journal mode, and in WAL mode once
/// another connection was seen committing between two of them.
@Suite struct WritePause {
    /// Switches the file to `mode` (the live service's choice; the tool never changes it).
    func journal(_ scratch: ScratchLive, _ mode: String) throws {
        let setup = try DatabaseQueue(path: scratch.path)
        try setup.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode=\(mode)") }
        try setup.close()
    }

    /// One write of the series; how long `write` took.
    func write(_ live: LiveDatabase, _ queue: DatabaseQueue, _ turns: WriteTurns, _ n: Int) throws -> Duration {
        let clock = ContinuousClock(), start = clock.now
        try live.write(queue, turns: turns) { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS batch_pause_test (n INTEGER)")
            try db.execute(sql: "INSERT INTO batch_pause_test VALUES (?)", arguments: [n])
        }
        return clock.now - start
    }

    /// Another connection's write, as the live service's (it must get the lock without waiting).
    func liveServiceWrites(_ scratch: ScratchLive) throws {
        var config = Configuration()
        config.busyMode = .immediateError
        let other = try DatabaseQueue(path: scratch.path, configuration: config)
        try other.inTransaction(.immediate) { db in
            try db.execute(sql: "INSERT INTO batch_pause_test VALUES (-1)")
            return .commit
        }
        try other.close()
    }

    @Test func inRollbackJournalModeEveryWriteIsFollowedByThePause() throws {
        let scratch = try ScratchLive()
        try journal(scratch, "delete")
        let live = try LiveDatabase(path: scratch.path)
        let queue = try live.writer(), turns = WriteTurns()
        for n in 0..<3 {
            #expect(try write(live, queue, turns, n) >= LiveDatabase.writePause(rollbackJournal: true))
            try liveServiceWrites(scratch)
        }
    }

    @Test func inWALModeTheWritesPauseOnceAnotherConnectionCommitsBetweenThem() throws {
        let scratch = try ScratchLive()
        let live = try LiveDatabase(path: scratch.path)
        let queue = try live.writer(), turns = WriteTurns()
        for n in 0..<3 { _ = try write(live, queue, turns, n) }
        #expect(!turns.liveWriterSeen, "nobody else wrote")
        try liveServiceWrites(scratch)
        #expect(try write(live, queue, turns, 3) >= LiveDatabase.writePause(rollbackJournal: false))
        #expect(turns.liveWriterSeen)
        #expect(try write(live, queue, turns, 4) >= LiveDatabase.writePause(rollbackJournal: false))
        // a new connection counts afresh: the version of another connection is not compared
        let fresh = WriteTurns(), again = try live.writer()
        _ = try write(live, again, fresh, 5)
        _ = try write(live, queue, fresh, 6)
        #expect(!fresh.liveWriterSeen)
    }
}
