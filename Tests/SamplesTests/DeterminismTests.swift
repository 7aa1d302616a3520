import BackofficeCore
import Foundation
import GRDB
import Logging
import Testing
import TestSupport
@testable import Samples

@Suite struct SampleDeterminism {
    @Test func sameOptionsWriteTheSameBytes() throws {
        let a = try GeneratedSamples(name: "det-a")
        let b = try GeneratedSamples(name: "det-b")
        let bytesA = try a.allBytes(), bytesB = try b.allBytes()
        #expect(bytesA.keys.sorted() == bytesB.keys.sorted())
        for (path, data) in bytesA {
            #expect(bytesB[path] == data, "\(path) differs between two runs with the same options")
        }
        #expect(a.manifest == b.manifest)
        // the database is a finished WAL file: no -wal or -shm left beside it
        #expect(bytesA["live.db-wal"] == nil)
        #expect(bytesA["live.db-shm"] == nil)
    }

    @Test func anotherSeedWritesOtherData() throws {
        let a = try GeneratedSamples(name: "seed-a")
        var options = GeneratedSamples.small
        options.seed = 12
        let b = try GeneratedSamples(options, name: "seed-b")
        let bytesA = try a.allBytes(), bytesB = try b.allBytes()
        #expect(bytesA["live.db"] != bytesB["live.db"])
        #expect(bytesA[StripeExports.paymentsPath] != bytesB[StripeExports.paymentsPath])
        #expect(bytesA[CallbackLog.path] != bytesB[CallbackLog.path])
    }

    @Test func rewritingAFolderReplacesTheEarlierRun() throws {
        let first = try GeneratedSamples(name: "rewrite")
        var options = GeneratedSamples.small
        options.seed = 99
        var logger = Logger(label: "t")
        logger.logLevel = .error
        _ = try SampleGenerator.generate(options, into: first.folder, logger: logger)
        let fresh = try GeneratedSamples(options, name: "rewrite-fresh")
        let again = try first.allBytes(), expected = try fresh.allBytes()
        // statements of other shortcodes from the earlier run are gone; everything else is the fresh run's
        #expect(again.keys.sorted() == expected.keys.sorted())
        for (path, data) in expected { #expect(again[path] == data, "\(path)") }
    }

    @Test func theDatabaseIsInWALModeLikeTheLiveService() throws {
        let s = try GeneratedSamples(name: "wal")
        let mode = try s.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let ok = try s.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(ok == "ok")
        let brokenKeys = try s.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
        #expect(brokenKeys.isEmpty)
    }

    @Test func idsAreVersion4UUIDs() throws {
        let s = try GeneratedSamples(name: "uuid")
        let ids = try s.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM orders UNION ALL SELECT id FROM payments UNION ALL SELECT id FROM venues UNION ALL SELECT id FROM credit_transactions")
        }
        #expect(!ids.isEmpty)
        for id in ids {
            let chars = Array(id)
            #expect(chars.count == 36 && chars[14] == "4" && "89ab".contains(chars[19]), "\(id) is not a UUID v4")
        }
        #expect(Set(ids).count == ids.count)
    }

    @Test func timestampsAreISOUTCFromTheStartDate() throws {
        let s = try GeneratedSamples(name: "time")
        let times = try s.read { db in
            try String.fetchAll(db, sql: """
                SELECT created_at FROM orders UNION ALL SELECT updated_at FROM orders UNION ALL SELECT created_at FROM payments
                UNION ALL SELECT updated_at FROM payments UNION ALL SELECT created_at FROM credit_transactions
                """)
        }
        let from = Timestamp(iso: s.manifest.period.from)!, to = Timestamp(iso: s.manifest.period.to)!
        for text in times {
            #expect(text.count == 20 && text.hasSuffix("Z"), "\(text)")
            let t = Timestamp(iso: text)
            #expect(t != nil)
            if let t { #expect(t < to, "\(text) is after the period") }
        }
        let orderTimes = try s.read { db in try String.fetchAll(db, sql: "SELECT created_at FROM orders") }
        for text in orderTimes { #expect(Timestamp(iso: text)! >= from) }
    }
}

@Suite struct SampleOptionChecks {
    @Test(arguments: [
        SampleOptions(venues: 0), SampleOptions(days: 0), SampleOptions(ordersPerDay: 0), SampleOptions(venues: 20_000),
        SampleOptions(start: Timestamp(iso: "2026-11-01T05:00:00Z")!),
    ])
    func badOptionsAreUsageErrors(_ options: SampleOptions) throws {
        var logger = Logger(label: "t")
        logger.logLevel = .error
        let scratch = try TemporaryFolder("bad")
        let folder = scratch.file("samples")
        #expect(throws: Failure.self) {
            _ = try SampleGenerator.generate(options, into: folder, logger: logger)
        }
        do {
            try options.validate()
        } catch {
            #expect(error.status == .usage)
        }
        // nothing was written
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test func aFileWhereTheFolderShouldBeIs73() throws {
        let scratch = try TemporaryFolder("not-a-folder")
        let file = scratch.file("samples")
        try Data("x".utf8).write(to: file)
        var logger = Logger(label: "t")
        logger.logLevel = .error
        do {
            _ = try SampleGenerator.generate(SampleOptions(venues: 1, days: 1, ordersPerDay: 1), into: file, logger: logger)
            Issue.record("expected a failure")
        } catch {
            #expect(error.status == .cantCreate)
        }
    }

    @Test func theSeededRandomIsStable() {
        var r = SeededRandom(seed: 0)
        // SplitMix64's published first outputs for seed 0
        #expect(r.next() == 0xE220_A839_7B1D_CDAF)
        #expect(r.next() == 0x6E78_9E6A_A1B9_65F4)
        var a = SeededRandom(seed: 5, stream: "x"), b = SeededRandom(seed: 5, stream: "x"), c = SeededRandom(seed: 5, stream: "y")
        #expect(a.uuid() == b.uuid())
        #expect(a.next() != c.next())
        for _ in 0..<1000 {
            let n = a.int(below: 7)
            #expect((0..<7).contains(n))
        }
    }
}
