import Foundation
import GRDB

/// Runs the tool's migrations and keeps their history in `batch_schema_migrations`, a table of
/// ours, instead of GRDB's `grdb_migrations`.
///
///     var migrator = BatchMigrator()
///     migrator.registerMigration("batch_v1_reconcile", migrate: reconcileV1)
///     try migrator.migrate(writer)      // runs what has not run, each in its own transaction
///
/// The live file is someone else's: a live service that uses GRDB's `DatabaseMigrator` would keep
/// its own history in `grdb_migrations`, and ours must not mix with it. A file that earlier
/// versions of the tool migrated has our identifiers in `grdb_migrations`: they are carried over
/// (those migrations are not run again) and removed from it, and the table is dropped when
/// nothing else is left in it, all in the first transaction.
public struct BatchMigrator {
    /// Where the history is kept.
    public static let historyTable = "batch_schema_migrations"

    private var migrations: [(identifier: String, migrate: (Database) throws -> Void)] = []

    public init() {}

    /// Appends a migration. `foreignKeyChecks` is accepted for the shape of GRDB's call: batch
    /// migrations create batch tables only and run with foreign keys on, checking nothing after.
    public mutating func registerMigration(_ identifier: String, foreignKeyChecks: DatabaseMigrator.ForeignKeyChecks = .immediate,
                                           migrate: @escaping (Database) throws -> Void) {
        precondition(!migrations.contains { $0.identifier == identifier }, "migration \(identifier) registered twice")
        migrations.append((identifier, migrate))
    }

    /// The identifiers registered, in order.
    public var identifiers: [String] { migrations.map(\.identifier) }

    /// Runs every migration not yet recorded, in order, each with its history row in one short
    /// transaction.
    public func migrate(_ writer: some DatabaseWriter) throws {
        try writer.write { db in try adoptHistory(db) }
        for migration in migrations {
            // one after another, they would keep the live writer from the lock in rollback-journal mode (see `LiveDatabase.writePause`)
            let pause = try writer.write { db -> Bool in
                let done = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(Self.historyTable) WHERE identifier = ?)",
                                             arguments: [migration.identifier]) ?? false
                guard !done else { return false }
                try migration.migrate(db)
                try db.execute(sql: "INSERT INTO \(Self.historyTable) (identifier, applied_at) VALUES (?, ?)",
                               arguments: [migration.identifier, ISO8601DateFormatter().string(from: Date())])
                return try LiveDatabase.isRollbackJournal(db)
            }
            if pause {
                let time = LiveDatabase.writePause(rollbackJournal: true).components
                Thread.sleep(forTimeInterval: Double(time.seconds) + Double(time.attoseconds) / 1e18)
            }
        }
    }

    /// The identifiers recorded as applied.
    public func appliedIdentifiers(_ db: Database) throws -> [String] {
        guard try db.tableExists(Self.historyTable) else { return [] }
        return try String.fetchAll(db, sql: "SELECT identifier FROM \(Self.historyTable) ORDER BY identifier")
    }

    /// Creates the history table, and carries over what an older version recorded in
    /// `grdb_migrations` for our identifiers.
    private func adoptHistory(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS \(Self.historyTable) (
                identifier TEXT PRIMARY KEY,
                applied_at TEXT NOT NULL
            )
            """)
        guard try db.tableExists("grdb_migrations") else { return }
        let ours = identifiers
        let recorded = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        let carried = recorded.filter { ours.contains($0) }
        for identifier in carried {
            try db.execute(sql: "INSERT OR IGNORE INTO \(Self.historyTable) (identifier, applied_at) VALUES (?, 'carried over from grdb_migrations')",
                           arguments: [identifier])
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [identifier])
        }
        // The table was ours when it held only our identifiers; a live service's own history stays.
        if recorded.count == carried.count {
            try db.execute(sql: "DROP TABLE grdb_migrations")
        }
    }
}
