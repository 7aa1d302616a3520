import BackofficeCore
import GRDB
import Testing
@testable import Reconcile

/// The pieces the fast snapshot and recording paths are built from.
@Suite struct SnapshotReadingTests {
    @Test func idKeysAreEqualExactlyWhenTheTextsAre() {
        let id = "a921cc91-9925-475b-8c6d-72ab615d2c1d"
        #expect(IdKey(id) == IdKey(String(id)))
        guard case .uuid = IdKey(id) else { Issue.record("a lower-case UUID packs"); return }
        // upper case, other shapes and near misses stay text, so they never equal a packed id
        for other in [id.uppercased(), "a921cc91-9925-475b-8c6d-72ab615d2c1", "a921cc91-9925-475b-8c6d-72ab615d2c1g",
                      "a921cc91x9925-475b-8c6d-72ab615d2c1d", "OD1A2B3C4D", ""] {
            #expect(IdKey(other) != IdKey(id), "\(other)")
            #expect(IdKey(other) == .text(other), "\(other)")
        }
        #expect(IdKey("a921cc91-9925-475b-8c6d-72ab615d2c1e") != IdKey(id))
        #expect(IdKey("00000000-0000-0000-0000-000000000000") != IdKey("00000000-0000-0000-0000-000000000001"))
    }

    @Test func rowsAreReadByColumnWithNullsAndEmptyText() throws {
        let queue = try DatabaseQueue()
        try queue.read { db in
            let rows = try SQLiteRows(db, sql: "SELECT 'order_charge', NULL, '', 42, ?", arguments: ["é"])
            #expect(try rows.next())
            #expect(rows.textEquals(0, "order_charge") && !rows.textEquals(0, "order"))
            #expect(rows.text(1) == nil && rows.isNull(1) && rows.optionalInt64(1) == nil && !rows.textEquals(1, ""))
            #expect(rows.text(2) == "" && rows.textEquals(2, ""))
            #expect(rows.int64(3) == 42 && rows.text(4) == "é")
            #expect(try !rows.next())
        }
    }

    @Test func boundValuesReadBackAsWritten() throws {
        let queue = try DatabaseQueue()
        let times = [Timestamp(seconds: 0), Timestamp(iso: "2026-11-20T18:04:05Z")!, Timestamp(iso: "2099-12-31T23:59:59Z")!]
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a TEXT, b INTEGER, c TEXT)")
            let statement = try db.makeStatement(sql: "INSERT INTO t VALUES (?, ?, ?)")
            var row = RowBinder(statement, in: db)
            for time in times {
                row.text(""); row.int(Int64?.none); row.timestamp(time)
                try row.insert()
            }
            row.text(nil); row.int(7); row.timestamp(nil)
            try row.insert()
            let read = try Row.fetchAll(db, sql: "SELECT a, b, c FROM t ORDER BY rowid")
            #expect(read.prefix(3).map { $0[2] as String } == times.map(\.iso))
            #expect(read.prefix(3).allSatisfy { ($0[0] as String?) == "" && ($0[1] as Int64?) == nil })
            #expect((read[3][0] as String?) == nil && (read[3][1] as Int64?) == 7 && (read[3][2] as String?) == nil)
        }
    }
}
