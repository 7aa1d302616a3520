import LiveDatabase
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built `backoffice` binary: exit codes of `reconcile` and `nightly`.
@Suite struct ReconcileEndToEndTests {
    static var packageRoot: URL { BuiltCommand.packageRoot }

    /// The built binary, run through the target's one harness.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        try BuiltCommand.run(arguments, environment: environment)
    }

    /// This test's folder (a suite is made afresh for every test), removed when the test ends.
    let scratch: TemporaryFolder

    init() throws { scratch = try TemporaryFolder("backoffice-e2e") }

    /// A live database made with sqlite3 from the project's schema, plus `sql`.
    static func database(in dir: String, sql: String = "") throws -> String {
        let path = dir + "/live.db"
        try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [path], stdin: LiveSchema.sql + "\n" + sql + "\n")
        return path
    }

    /// One venue, one paid card order of 20.50 USD with its order charge, a consistent ledger.
    static let cleanSQL = """
        INSERT INTO venues (id, name, currency, credits_remaining, approval_group_id, created_at, updated_at)
            VALUES ('v1', 'Corner Bistro', 'USD', 24, 'g', '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z');
        INSERT INTO credit_transactions (id, venue_id, amount, type, created_at) VALUES ('c1', 'v1', 25, 'bonus', '2026-10-01T00:00:00Z');
        INSERT INTO orders (id, venue_id, order_number, items, total_cents, currency, status, payment_method, payment_status, created_at, approved_at, updated_at)
            VALUES ('3f9a2c01-0000-4000-8000-000000000001', 'v1', 17, '[]', 2050, 'USD', 'completed', 'card', 'paid', '2026-11-03T09:00:00Z', '2026-11-03T09:01:00Z', '2026-11-03T09:01:00Z');
        INSERT INTO credit_transactions (id, venue_id, amount, type, order_id, created_at) VALUES ('c2', 'v1', -1, 'order_charge', '3f9a2c01-0000-4000-8000-000000000001', '2026-11-03T09:01:00Z');
        INSERT INTO payments (id, venue_id, purpose, order_id, provider, status, amount_cents, currency, provider_ref, created_at, updated_at)
            VALUES ('p1', 'v1', 'order', '3f9a2c01-0000-4000-8000-000000000001', 'stripe', 'SUCCESS', 2050, 'USD', 'pi_3Q1', '2026-11-03T09:02:00Z', '2026-11-03T09:02:00Z');
        """

    static func paymentsExport(amount: String) -> String {
        """
        id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,Converted Amount Refunded,Converted Currency,Description,Fee,Mode,PaymentIntent ID,Payment Source Type,Refunded date (UTC),Statement Descriptor,Status,Seller Message,Taxes On Fee,Card ID,Customer ID,Customer Description,Customer Email,Invoice ID,order_id (metadata),venue_id (metadata),purpose (metadata),credits (metadata)
        ch_3Q1,2026-11-03 09:02:10,\(amount),0.00,usd,true,\(amount),0.00,usd,Order 17,0.89,Live,pi_3Q1,card,,CORNER BISTRO,Paid,Payment complete.,0.00,card_1,,,,,3f9a2c01-0000-4000-8000-000000000001,v1,order,

        """
    }

    /// True once the real input readers are merged (the stub on this branch refuses every file).
    static let readersMerged: Bool = {
        guard let scratch = try? TemporaryFolder("backoffice-e2e") else { return false }
        let dir = scratch.path
        guard let db = try? database(in: dir, sql: cleanSQL) else { return false }
        try? paymentsExport(amount: "20.50").write(toFile: dir + "/unified_payments.csv", atomically: true, encoding: .utf8)
        guard let r = try? run(["reconcile", dir + "/unified_payments.csv", "--db", db, "--quiet"]) else { return false }
        return !r.stderr.contains("readers not merged yet")
    }()

    @Test func noInputsIs64() throws {
        let dir = scratch.path
        let db = try Self.database(in: dir)
        let r = try Self.run(["reconcile", "--db", db])
        #expect(r.status == 64)
        #expect(r.stderr.contains("No input given"))
    }

    @Test func aMissingInputFileIs66() throws {
        let dir = scratch.path
        let db = try Self.database(in: dir)
        let r = try Self.run(["reconcile", dir + "/nope.csv", "--db", db])
        #expect(r.status == 66)
        #expect(r.stderr.contains("nope.csv"))
        #expect(r.stdout.isEmpty)
    }

    @Test func aBadDateIs64() throws {
        let dir = scratch.path
        let db = try Self.database(in: dir)
        try "x".write(toFile: dir + "/a.csv", atomically: true, encoding: .utf8)
        let r = try Self.run(["reconcile", dir + "/a.csv", "--db", db, "--from", "last week"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--from"))
    }

    @Test(.enabled(if: readersMerged, "needs the input readers merged")) func anUnknownKindOfFileIs65() throws {
        let dir = scratch.path
        let db = try Self.database(in: dir, sql: Self.cleanSQL)
        try "name,price\nPizza,9.00\n".write(toFile: dir + "/menu.csv", atomically: true, encoding: .utf8)
        let r = try Self.run(["reconcile", dir + "/menu.csv", "--db", db])
        #expect(r.status == 65)
        #expect(r.stderr.contains("menu.csv"))
    }

    @Test(.enabled(if: readersMerged, "needs the input readers merged")) func cleanIs0AndAFindingIs1WithTheContractJSON() throws {
        let dir = scratch.path
        let db = try Self.database(in: dir, sql: Self.cleanSQL)
        try Self.paymentsExport(amount: "20.50").write(toFile: dir + "/unified_payments.csv", atomically: true, encoding: .utf8)
        let clean = try Self.run(["reconcile", dir + "/unified_payments.csv", "--db", db])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("Matched: 1"))
        #expect(clean.stdout.contains("Exceptions: none"))

        // a folder of exports (the database lives elsewhere)
        let exports = dir + "/exports"
        try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
        try Self.paymentsExport(amount: "26.00").write(toFile: exports + "/unified_payments.csv", atomically: true, encoding: .utf8)
        let found = try Self.run(["reconcile", exports, "--db", db, "--json", "--quiet"])
        #expect(found.status == 1, "\(found.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any])
        let exceptions = try #require(object["exceptions"] as? [[String: Any]])
        #expect(exceptions.count == 1)
        #expect(exceptions.first?["kind"] as? String == "amount_mismatch")
        #expect(exceptions.first?["detail"] as? String == "Stripe charged 26.00 USD for order 17 of Corner Bistro on 2026-11-03; the payment row says 20.50 USD.")
        #expect((object["period"] as? [String: String])?["from"] == "2026-11-03T00:00:00Z")
    }

    /// An empty inbox is not an all-clear: the database holds Stripe payments no export has
    /// ever brought, so the night raises a missing_export finding (exit 1).
    @Test func nightlyWithAnEmptyInboxSaysNothingNewAndMissesTheExports() throws {
        let dir = scratch.path
        let db = try Self.database(in: dir, sql: Self.cleanSQL)
        try FileManager.default.createDirectory(atPath: dir + "/inbox", withIntermediateDirectories: true)
        let r = try Self.run(["nightly", "--inbox", dir + "/inbox", "--db", db])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("Nothing new in \(dir)/inbox (no nightly run has been recorded yet)"))
        #expect(r.stdout.contains("missing_export F-"))
        #expect(r.stdout.contains("The database holds Stripe payments, but no Stripe export has ever been reconciled"))
    }

    /// A database with no payments and no exports expected: an empty inbox is quiet.
    @Test func nightlyQuietWithNothingExpectedPrintsNothing() throws {
        let dir = scratch.path
        let db = try Self.database(in: dir)
        try FileManager.default.createDirectory(atPath: dir + "/inbox", withIntermediateDirectories: true)
        let r = try Self.run(["nightly", "--inbox", dir + "/inbox", "--db", db, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty && r.stderr.isEmpty)
    }

    @Test func nightlyWhileAnotherHoldsTheLockIs75() throws {
        let dir = scratch.path
        let db = try Self.database(in: dir, sql: Self.cleanSQL)
        let inbox = dir + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try Self.paymentsExport(amount: "20.50").write(toFile: inbox + "/unified_payments.csv", atomically: true, encoding: .utf8)
        let fd = open(inbox + "/.backoffice-nightly.lock", O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        defer { flock(fd, LOCK_UN); close(fd) }
        let r = try Self.run(["nightly", "--inbox", inbox, "--db", db])
        #expect(r.status == 75)
        #expect(r.stderr.contains("Another nightly run"))
        #expect(FileManager.default.fileExists(atPath: inbox + "/unified_payments.csv"))
    }

    @Test(.enabled(if: readersMerged, "needs the input readers merged")) func nightlyMovesConsumedFilesToProcessed() throws {
        let dir = scratch.path
        let db = try Self.database(in: dir, sql: Self.cleanSQL)
        let inbox = dir + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try Self.paymentsExport(amount: "20.50").write(toFile: inbox + "/unified_payments.csv", atomically: true, encoding: .utf8)
        let night = ["BACKOFFICE_NOW": "2026-11-04T02:00:00Z"]   // the night after the export's day
        let r = try Self.run(["nightly", "--inbox", inbox, "--db", db, "--out", dir + "/reports"], environment: night)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: inbox + "/processed/unified_payments.csv"))
        #expect(!FileManager.default.fileExists(atPath: inbox + "/unified_payments.csv"))
        // the report names the input where it now is, and so does a report written later
        let reports = try FileManager.default.contentsOfDirectory(atPath: dir + "/reports").filter { !$0.hasPrefix(".") }
        let inputs = try String(contentsOfFile: dir + "/reports/" + reports[0] + "/inputs.csv", encoding: .utf8)
        #expect(inputs.contains(inbox + "/processed/unified_payments.csv"), "\(inputs)")
        let later = try Self.run(["report", "--latest", "--db", db, "--out", dir + "/later"])
        #expect(later.status == 0 || later.status == 1, "\(later.stderr)")
        let laterReports = try FileManager.default.contentsOfDirectory(atPath: dir + "/later").filter { !$0.hasPrefix(".") }
        let laterInputs = try String(contentsOfFile: dir + "/later/" + laterReports[0] + "/inputs.csv", encoding: .utf8)
        #expect(laterInputs.contains(inbox + "/processed/unified_payments.csv"), "\(laterInputs)")
        let again = try Self.run(["nightly", "--inbox", inbox, "--db", db], environment: night)
        #expect(again.status == 0)
        #expect(again.stdout.contains("Nothing new in \(inbox) since the last nightly run 20261104T020000Z-"))
    }
}
