import BackofficeCore
import GRDB
import Testing
@testable import Reconcile

/// The credit ledger is read before the period is known (while the exports are parsed), summed by
/// day and split at `--from`/`--to`; the period's sums must be exactly what summing the rows in the
/// period gives, for midnight bounds and for bounds in the middle of a day.
@Suite struct CreditScanTests {
    /// Rows every six hours over five days, of every kind, and one row with an unreadable time.
    func fixture() throws -> (LiveFixture, String) {
        let f = try LiveFixture()
        let venue = try f.venue("Corner Bistro")
        let kinds = ["purchase", "order_charge", "menu_import", "bonus", "refund"]
        for step in 0..<20 {
            let amount = step % 2 == 0 ? 10 + step : -(1 + step)
            try f.credit(venue, amount, kinds[step % kinds.count], at: LiveFixture.at(step * 6))
        }
        try f.exec("INSERT INTO credit_transactions (id, venue_id, amount, type, created_at) VALUES (?, ?, 7, 'bonus', 'not a time')", [f.uuid(), venue])
        return (f, venue)
    }

    /// What the ledger row should say, summed straight from the rows with SQLite.
    func expected(_ f: LiveFixture, _ venue: String, _ period: Period) throws -> [Int64] {
        try f.queue.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT
                  coalesce(sum(CASE WHEN unixepoch(created_at) < ?1 THEN amount END), 0),
                  coalesce(sum(CASE WHEN unixepoch(created_at) >= ?1 AND unixepoch(created_at) < ?2 AND type = 'bonus' THEN amount END), 0),
                  coalesce(sum(CASE WHEN unixepoch(created_at) >= ?1 AND unixepoch(created_at) < ?2 AND type = 'purchase' THEN amount END), 0),
                  coalesce(sum(CASE WHEN unixepoch(created_at) >= ?1 AND unixepoch(created_at) < ?2 AND type = 'order_charge' THEN amount END), 0),
                  coalesce(sum(CASE WHEN unixepoch(created_at) >= ?1 AND unixepoch(created_at) < ?2 AND type = 'menu_import' THEN amount END), 0),
                  coalesce(sum(CASE WHEN unixepoch(created_at) >= ?1 AND unixepoch(created_at) < ?2 AND type = 'refund' THEN amount END), 0),
                  sum(amount)
                FROM credit_transactions WHERE venue_id = ?3
                """, arguments: [period.from.seconds, period.to.seconds, venue])!
            return (0..<7).map { row[$0] }
        }
    }

    func ledger(_ f: LiveFixture, cuts: [Timestamp], period: Period) throws -> [Int64] {
        try f.queue.read { db in
            let scan = try CreditScan.read(db, cuts: cuts, venue: nil)
            let venues = try Row.fetchAll(db, sql: "SELECT id, name, currency, credits_remaining FROM venues").map {
                ($0[0] as String, LiveVenue(id: $0[0], name: $0[1], currency: $0[2], creditsRemaining: $0[3]))
            }
            let row = try #require(try scan.ledgerRows(venues: Dictionary(uniqueKeysWithValues: venues), venueFilter: nil, period: period).first)
            return [row.opening, row.bonus, row.purchases, row.orderCharges, row.menuImports, row.refunds, row.ledgerTotal]
        }
    }

    @Test(arguments: [
        // midnight to midnight (the default period)
        (nil, nil, "2026-11-04T00:00:00Z", "2026-11-06T00:00:00Z"),
        // --from and --to in the middle of days, on and off the rows' times
        ("2026-11-04T06:00:00Z", "2026-11-06T13:30:00Z", "2026-11-04T06:00:00Z", "2026-11-06T13:30:00Z"),
        ("2026-11-03T07:00:00Z", nil, "2026-11-03T07:00:00Z", "2026-11-08T00:00:00Z"),
        (nil, "2026-11-05T18:00:01Z", "2026-11-03T00:00:00Z", "2026-11-05T18:00:01Z"),
        // both in one day
        ("2026-11-05T05:00:00Z", "2026-11-05T13:00:00Z", "2026-11-05T05:00:00Z", "2026-11-05T13:00:00Z"),
    ] as [(String?, String?, String, String)])
    func periodSumsAreExact(from: String?, to: String?, periodFrom: String, periodTo: String) throws {
        let (f, venue) = try fixture()
        let period = Period(from: Timestamp(iso: periodFrom)!, to: Timestamp(iso: periodTo)!)
        let cuts = [from, to].compactMap { $0.flatMap { Timestamp(iso: $0) } }
        let got = try ledger(f, cuts: cuts, period: period)
        #expect(got == (try expected(f, venue, period)))
        // the row with no readable time counts in the total only
        #expect(got[6] == (try expected(f, venue, period))[6])
    }

    /// Orders with a missing or doubled charge are found whenever created, and a period keeps its own.
    @Test func problemOrdersAreKeptForThePeriod() throws {
        let f = try LiveFixture()
        let venue = try f.venue("Corner Bistro")
        let early = try f.order(venue, number: 1, total: 500, at: LiveFixture.at(10), charges: 0)
        let late = try f.order(venue, number: 2, total: 500, at: LiveFixture.at(10, day: 3), charges: 2)
        try f.order(venue, number: 3, total: 500, at: LiveFixture.at(11, day: 1))   // charged once: fine
        let scan = try f.queue.read { db in try CreditScan.read(db, cuts: [], venue: nil) }
        #expect(Set(scan.problemOrders.map(\.orderId)) == [early, late])
        let firstDays = Period(from: LiveFixture.at(0), to: LiveFixture.at(0, day: 2))
        #expect(scan.orderChargeChecks(in: firstDays).map(\.orderId) == [early])
        #expect(scan.orderChargeChecks(in: Period(from: LiveFixture.at(0, day: 3), to: LiveFixture.at(0, day: 4))).map(\.charges) == [2])
    }

    /// Each payment gets its order's number, day and payment status from one scan of the recent
    /// orders, and an order created long before the payments is read by id; two payments of one
    /// order both get it.
    @Test func paymentsGetTheirOrdersFields() throws {
        let f = try LiveFixture()
        let venue = try f.venue("Corner Bistro")
        let recent = try f.order(venue, number: 41, total: 500, paymentStatus: "paid", at: LiveFixture.at(9))
        let old = try f.order(venue, number: 7, total: 800, paymentStatus: "refunded", at: LiveFixture.at(9, day: -40))
        try f.payment(venue, order: recent, status: "FAILED", amount: 500, ref: "pi_a", at: LiveFixture.at(10))
        try f.payment(venue, order: recent, amount: 500, ref: "pi_b", at: LiveFixture.at(11))
        try f.payment(venue, order: old, status: "REFUNDED", amount: 800, ref: "pi_c", at: LiveFixture.at(12))
        try f.payment(venue, purpose: "credits", amount: 1000, ref: "pi_d", credits: 100, at: LiveFixture.at(13))
        let period = Period(from: LiveFixture.at(0), to: LiveFixture.at(0, day: 1))
        let snapshot = try f.live.read { db in try LiveSnapshot.load(db, records: [], period: period, venueFilter: nil) }
        let byRef = Dictionary(uniqueKeysWithValues: snapshot.payments.map { ($0.providerRef!, $0) })
        for ref in ["pi_a", "pi_b"] {
            #expect(byRef[ref]?.orderNumber == 41 && byRef[ref]?.orderPaymentStatus == "paid" && byRef[ref]?.orderCreatedAt == LiveFixture.at(9))
        }
        #expect(byRef["pi_c"]?.orderNumber == 7 && byRef["pi_c"]?.orderPaymentStatus == "refunded"
                && byRef["pi_c"]?.orderCreatedAt == LiveFixture.at(9, day: -40))
        #expect(byRef["pi_d"]?.orderNumber == nil && byRef["pi_d"]?.orderPaymentStatus == nil)
    }

    /// A record with no known time (a failed callback whose CheckoutRequestID has no date) does
    /// not stretch the payments read back to 1970; its own row is still found by its key.
    @Test func aRecordWithNoTimeDoesNotWidenThePaymentsRead() throws {
        let f = try LiveFixture()
        let venue = try f.venue("Mama Njeri Kitchen", currency: "KES", mpesa: true)
        try f.payment(venue, provider: "mpesa", status: "FAILED", amount: 500, currency: "KES", ref: "odd-checkout", at: LiveFixture.at(9, day: -60))
        try f.payment(venue, provider: "mpesa", amount: 700, currency: "KES", ref: "ws_CO_old", receipt: "TKOLD00001", at: LiveFixture.at(9, day: -60))
        var failed = LiveFixture.callback(receipt: nil, checkout: "odd-checkout", amount: 500, at: Timestamp(seconds: 0), failed: true)
        failed.occurredAtKnown = false
        let records = [LiveFixture.statement(receipt: "TKNEW00001", amount: 900, at: LiveFixture.at(10)), failed]
        let period = Period.resolve(from: nil, to: nil, records: records, now: LiveFixture.day)
        let snapshot = try f.live.read { db in try LiveSnapshot.load(db, records: records, period: period, venueFilter: nil) }
        #expect(snapshot.payments.map(\.providerRef) == ["odd-checkout"])
    }
}
