import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
import Logging
import Samples
import Testing
import TestSupport
@testable import Reconcile

/// The live snapshot read in chunks of short transactions (`LiveSnapshot.read`): on a database
/// nobody writes it reads exactly what one snapshot reads; while the live service writes between
/// the chunks, no finding pairs rows read at different moments.
@Suite struct ChunkedSnapshotTests {
    /// A snapshot and what the matcher makes of it.
    struct Outcome {
        var snapshot: LiveSnapshot
        var result: ReconcileResult
    }

    static func match(_ snapshot: LiveSnapshot, _ records: [ProviderRecord], _ inputs: [InputSummary], _ period: Period, venue: String?) -> Outcome {
        Outcome(snapshot: snapshot, result: Matcher.match(snapshot: snapshot, records: records, inputs: inputs, options: MatchOptions(period: period, venue: venue)))
    }

    /// Reads `path` in one read transaction.
    static func oneSnapshot(_ live: LiveDatabase, records: [ProviderRecord], period: Period, venue: String?) throws -> LiveSnapshot {
        try live.read { db in
            try LiveSnapshot.read(SnapshotReads(.one(db)), cuts: [], records: records, period: period, venueFilter: venue)
        }
    }

    /// Reads `path` in chunks of `rows` rowids, a read transaction each; the steps that were cut
    /// into more than one chunk are counted in `steps`.
    static func chunked(_ live: LiveDatabase, rows: Int64, records: [ProviderRecord], period: Period, venue: String?, closingCheck: Bool = true,
                        between: @escaping (String) throws -> Void = { _ in }) throws -> (LiveSnapshot, [String: Int]) {
        var steps: [String: Int] = [:]
        var reading = ChunkedReading(rows: rows, time: .seconds(60))
        reading.afterChunk = { step in
            steps[step, default: 0] += 1
            try between(step)
        }
        reading.closingCheck = closingCheck
        let snapshot = try LiveSnapshot.read(SnapshotReads(.short(live.reader()), reading), cuts: [], records: records, period: period, venueFilter: venue)
        return (snapshot, steps)
    }

    // MARK: the sample data, nobody writing

    @Test(arguments: [false, true])
    func chunksReadWhatOneSnapshotReadsOnTheSampleData(oneVenue: Bool) throws {
        let folder = try TemporaryFolder("chunked-samples")
        var logger = Logger(label: "chunked-samples")
        logger.logLevel = .error
        let manifest = try SampleGenerator.generate(SampleOptions(venues: 4, days: 4, ordersPerDay: 16, seed: 11), into: folder.url, logger: logger)
        let live = try LiveDatabase(path: folder.file(manifest.database).path)
        var records: [ProviderRecord] = [], inputs: [InputSummary] = []
        for file in try InputReader.expand([folder.file("exports").path]) {
            let input = try InputReader.read(path: file)
            records += input.records
            inputs.append(InputSummary(input))
        }
        let period = Period.resolve(from: nil, to: nil, records: records, now: Timestamp(iso: "2026-12-01T00:00:00Z")!)
        let venue = oneVenue ? try live.read { db in try String.fetchOne(db, sql: "SELECT venue_id FROM orders GROUP BY venue_id ORDER BY count(*) DESC LIMIT 1") } : nil

        let one = Self.match(try Self.oneSnapshot(live, records: records, period: period, venue: venue), records, inputs, period, venue: venue)
        let (snapshot, steps) = try Self.chunked(live, rows: 7, records: records, period: period, venue: venue)
        let chunked = Self.match(snapshot, records, inputs, period, venue: venue)

        // every scan was cut into many chunks, and the planted discrepancies are there to compare
        for step in ["credit_transactions", "orders", "payments", "orders of payments"] {
            #expect((steps[step] ?? 0) > 10, "\(step): \(steps[step] ?? 0) chunks")
        }
        #expect(Set(one.result.exceptions.map(\.kind)).count >= (oneVenue ? 3 : 8))
        // the same rows, in the same order, hence the same findings, matches and tables
        #expect(chunked.snapshot.payments == one.snapshot.payments)
        #expect(chunked.snapshot.orders == one.snapshot.orders && chunked.snapshot.invoices == one.snapshot.invoices)
        #expect(chunked.snapshot.purchases == one.snapshot.purchases && chunked.snapshot.orderCharges == one.snapshot.orderCharges)
        #expect(chunked.snapshot.ledger == one.snapshot.ledger && chunked.snapshot.venues == one.snapshot.venues)
        #expect(chunked.result.exceptions == one.result.exceptions)
        #expect(chunked.result.matches == one.result.matches)
        #expect(chunked.result.dailyTakings == one.result.dailyTakings && chunked.result.payouts == one.result.payouts)
    }

    // MARK: the live service writing between chunks

    /// A clean week (no findings), plus rows the live service changes while the run reads:
    /// an order approved, a credit pack paid, an order paid by a row appended after the bounds,
    /// and a card payment that fails after its row was read.
    struct Race {
        let w: CleanWorld
        let pending: String, packPayment: String, unpaid: String, failing: String, failingPayment: String
        let records: [ProviderRecord]
        let period: Period

        init() throws {
            w = try CleanWorld()
            let f = w.f, at = LiveFixture.at
            pending = try f.order(w.bistro, number: 20, total: 600, status: "pending", paymentStatus: "unpaid", at: at(15, 0, 0))
            packPayment = try f.payment(w.bistro, purpose: "credits", status: "INITIATED", amount: 8500, ref: "pi_c2", credits: 500, at: at(19, 0, 0))
            unpaid = try f.order(w.bistro, number: 21, total: 1100, paymentStatus: "pending", at: at(20, 0, 0))
            failing = try f.order(w.bistro, number: 22, total: 1300, at: at(21, 0, 0))
            failingPayment = try f.payment(w.bistro, order: failing, amount: 1300, ref: "pi_f", at: at(21, 1, 0))
            let bistro = w.bistro
            let meta = { (order: String) in ["order_id": order, "venue_id": bistro, "purpose": "order"] }
            records = f.records + [
                LiveFixture.exportCharge(ch: "ch_c2", pi: "pi_c2", amount: 8500, at: at(19, 1, 0), metadata: ["venue_id": w.bistro, "purpose": "credits", "credits": "500"]),
                LiveFixture.exportCharge(ch: "ch_n", pi: "pi_n", amount: 1100, at: at(20, 2, 0), metadata: meta(unpaid)),
                LiveFixture.exportCharge(ch: "ch_f", pi: "pi_f", amount: 1300, at: at(21, 2, 0), metadata: meta(failing)),
            ]
            period = Period.resolve(from: nil, to: nil, records: records, now: LiveFixture.day)
        }

        /// What the live service does once the run has begun, each in one transaction as it would.
        func liveServiceWrites() throws {
            let f = w.f, now = LiveFixture.at(23, 0).iso
            // staff approve the pending order: it is charged a credit
            try f.queue.write { db in
                try db.execute(sql: "UPDATE orders SET status = 'approved', approved_at = ?, updated_at = ? WHERE id = ?", arguments: [now, now, pending])
                try db.execute(sql: "INSERT INTO credit_transactions (id, venue_id, amount, type, order_id, created_at) VALUES (?, ?, -1, 'order_charge', ?, ?)",
                               arguments: [f.uuid(), w.bistro, pending, now])
                try db.execute(sql: "UPDATE venues SET credits_remaining = credits_remaining - 1 WHERE id = ?", arguments: [w.bistro])
            }
            // Stripe's webhook for the credit pack: the payment succeeds, the credits are granted
            try f.queue.write { db in
                try db.execute(sql: "UPDATE payments SET status = 'SUCCESS', updated_at = ? WHERE id = ?", arguments: [now, packPayment])
                try db.execute(sql: "INSERT INTO credit_transactions (id, venue_id, amount, type, stripe_payment_id, created_at) VALUES (?, ?, 500, 'purchase', 'pi_c2', ?)",
                               arguments: [f.uuid(), w.bistro, now])
                try db.execute(sql: "UPDATE venues SET credits_remaining = credits_remaining + 500 WHERE id = ?", arguments: [w.bistro])
            }
            // the payment of the unpaid order is recorded late: a row appended after the bounds
            try f.queue.write { db in
                try db.execute(sql: """
                    INSERT INTO payments (id, venue_id, purpose, order_id, provider, status, amount_cents, currency, provider_ref, created_at, updated_at)
                    VALUES (?, ?, 'order', ?, 'stripe', 'SUCCESS', 1100, 'USD', 'pi_n', ?, ?)
                    """, arguments: [f.uuid(), w.bistro, unpaid, LiveFixture.at(20, 1).iso, now])
                try db.execute(sql: "UPDATE orders SET payment_status = 'paid', updated_at = ? WHERE id = ?", arguments: [now, unpaid])
            }
        }

        /// The card payment read as SUCCESS turns out failed, and its order waits for payment again.
        func paymentFails() throws {
            let now = LiveFixture.at(23, 30).iso
            try w.f.queue.write { db in
                try db.execute(sql: "UPDATE payments SET status = 'FAILED', updated_at = ? WHERE id = ?", arguments: [now, failingPayment])
                try db.execute(sql: "UPDATE orders SET payment_status = 'pending', updated_at = ? WHERE id = ?", arguments: [now, failing])
            }
        }

        /// Reads in chunks of three rowids; the live service writes after the first chunk of the
        /// ledger (so every order and payment is read after its change), and the card payment
        /// fails after the payments were read and before their orders are.
        func chunked(closingCheck: Bool) throws -> (Outcome, [String: Int]) {
            var wrote = false, failed = false
            let (snapshot, steps) = try ChunkedSnapshotTests.chunked(w.f.live, rows: 3, records: records, period: period, venue: nil,
                                                                     closingCheck: closingCheck) { step in
                if !wrote { wrote = true; try liveServiceWrites() }
                if step == "orders of payments", !failed { failed = true; try paymentFails() }
            }
            #expect(wrote && failed, "the writes happened between chunks")
            return (ChunkedSnapshotTests.match(snapshot, records, w.f.inputs(records), period, venue: nil), steps)
        }

        /// The findings of one snapshot of the database as it is now.
        func oneSnapshotNow() throws -> [ReconcileException] {
            let snapshot = try ChunkedSnapshotTests.oneSnapshot(w.f.live, records: records, period: period, venue: nil)
            return ChunkedSnapshotTests.match(snapshot, records, w.f.inputs(records), period, venue: nil).result.exceptions
        }

        func kinds(_ exceptions: [ReconcileException]) -> [ExceptionKind] { exceptions.map(\.kind) }
    }

    @Test func rowsChangedBetweenChunksMakeNoFindingOfTheirOwn() throws {
        let race = try Race()
        // before the run: the pack's row still says INITIATED, the late payment is not there
        #expect(race.kinds(try race.oneSnapshotNow()) == [.unrecordedPayment, .statusMismatch])

        let (chunked, steps) = try race.chunked(closingCheck: true)
        #expect((steps["payments"] ?? 0) > 3 && (steps["orders"] ?? 0) > 3 && (steps["credit_transactions"] ?? 0) > 3)
        // what one snapshot taken after the writes shows: only the failed card payment
        let after = try race.oneSnapshotNow()
        #expect(race.kinds(after) == [.statusMismatch])
        #expect(after.first?.refs.paymentId == race.failingPayment)
        #expect(chunked.result.exceptions == after)
        // the late row was found among the rows appended after the bounds, its order with it
        let late = chunked.snapshot.payments.first { $0.providerRef == "pi_n" }
        #expect(late?.orderPaymentStatus == "paid" && late?.orderNumber == 21)
        // the approval's charge and the pack's purchase came in with the closing read
        #expect(chunked.snapshot.purchases["pi_c2"] == PurchaseSum(rows: 1, credits: 500))
        #expect(chunked.snapshot.orderCharges.isEmpty && chunked.snapshot.ledger.allSatisfy { $0.drift == 0 })
    }

    /// The same race read without the closing transaction's checks: each change the live
    /// service made shows up as a finding no snapshot has, which is what the checks prevent.
    @Test func withoutTheClosingChecksTheRaceMakesFindingsNoSnapshotHas() throws {
        let race = try Race()
        let (chunked, _) = try race.chunked(closingCheck: false)
        let kinds = Set(race.kinds(chunked.result.exceptions))
        #expect(kinds.isSuperset(of: [.orderChargeMissing, .creditsNotGranted, .duplicatePayment, .targetStatusMismatch]), "\(kinds)")
        #expect(!Set(race.kinds(try race.oneSnapshotNow())).contains(.orderChargeMissing))
    }
}
