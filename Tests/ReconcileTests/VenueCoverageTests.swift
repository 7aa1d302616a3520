import BackofficeCore
import Foundation
import GRDB
import Testing
@testable import Reconcile

/// Issue #14, a venue's exports: what a run covered per venue, and when a venue whose exports
/// stopped (while its provider's still arrive) is a `missing_export` finding.
@Suite struct VenueCoverageTests {
    static func t(_ iso: String) -> Timestamp { Timestamp(iso: iso)! }
    static func day(_ date: String) -> Period { Period(from: t(date + "T00:00:00Z"), to: t(date + "T00:00:00Z").adding(seconds: 86400)) }

    // MARK: - attribution

    /// A record is its venue's by the live row it matched, else the order it names, else Stripe
    /// metadata `venue_id`, else the statement's short code; what names nothing covers no venue.
    @Test func recordsAreAttributedByMatchedRowThenOrderThenMetadataThenShortCode() throws {
        let w = try CleanWorld()
        let harbor = try w.f.venue("Harbor Grill")
        // day +1: a charge no row records, whose metadata names the bistro's order but Harbor as its venue
        w.f.records.append(LiveFixture.exportCharge(ch: "ch_x1", pi: "pi_x1", amount: 999, at: LiveFixture.at(12, 0, day: 1),
                                                    metadata: ["order_id": w.order1, "venue_id": harbor]))
        // day +2: a charge no row records, with only Harbor's venue_id
        w.f.records.append(LiveFixture.exportCharge(ch: "ch_x2", pi: "pi_x2", amount: 999, at: LiveFixture.at(12, 0, day: 2), metadata: ["venue_id": harbor]))
        // day +3: a charge naming a venue the database does not know: no venue
        w.f.records.append(LiveFixture.exportCharge(ch: "ch_x3", pi: "pi_x3", amount: 999, at: LiveFixture.at(12, 0, day: 3), metadata: ["venue_id": "nobody"]))
        // day +4: a statement payment nobody issued, on the kitchen's statement (its short code)
        w.f.records.append(LiveFixture.statement(receipt: "TKU0000004", amount: 70_000, at: LiveFixture.at(12, 0, day: 4), account: "ZZ999", file: "kitchen.csv"))
        w.f.statementShortCodes = ["kitchen.csv": "600123"]
        let coverage = try w.f.reconcile().venueCoverage

        // the bistro's matched rows and the charge whose order is the bistro's: days 0 and +1
        #expect(coverage[VenueProvider(venueId: w.bistro, provider: .stripe)] == Period(from: Self.t("2026-11-03T00:00:00Z"), to: Self.t("2026-11-05T00:00:00Z")))
        // Harbor: only the charge that names no order
        #expect(coverage[VenueProvider(venueId: harbor, provider: .stripe)] == Self.day("2026-11-05"))
        // the kitchen: its matched receipts (day 0) to the statement row of day +4
        #expect(coverage[VenueProvider(venueId: w.kitchen, provider: .mpesa)] == Period(from: Self.t("2026-11-03T00:00:00Z"), to: Self.t("2026-11-08T00:00:00Z")))
        #expect(coverage[VenueProvider(venueId: "nobody", provider: .stripe)] == nil)
        #expect(coverage.count == 3)
    }

    /// A `--venue` run covers that venue only; a record outside the period covers nothing.
    @Test func aVenueRunCoversOnlyItsVenueWithinThePeriod() throws {
        let w = try CleanWorld()
        let only = try w.f.reconcile(venue: w.kitchen).venueCoverage
        #expect(Array(only.keys) == [VenueProvider(venueId: w.kitchen, provider: .mpesa)])
        let none = try w.f.reconcile(from: Self.t("2026-11-10T00:00:00Z"), to: Self.t("2026-11-11T00:00:00Z")).venueCoverage
        #expect(none.isEmpty)
    }

    /// The run records its venue coverage with the rest of it, and a later run covering the
    /// venue and provider clears the venue's finding (only that one).
    @Test func aRunCoveringTheVenueAndProviderClearsTheVenuesFinding() throws {
        let covered = RunCoverage(period: Self.day("2026-11-03"), venue: nil, providers: [.mpesa: Self.day("2026-11-03")],
                                  venues: [VenueProvider(venueId: "v-a", provider: .mpesa): Self.day("2026-11-03")])
        #expect(covered.covers(kind: .missingExport, provider: .mpesa, venueId: "v-a", occurredAt: nil))
        #expect(!covered.covers(kind: .missingExport, provider: .mpesa, venueId: "v-b", occurredAt: nil))
        #expect(!covered.covers(kind: .missingExport, provider: .stripe, venueId: "v-a", occurredAt: nil))
        #expect(covered.covers(kind: .missingExport, provider: .mpesa, venueId: nil, occurredAt: nil))
        var other = covered
        other.venue = "v-b"
        #expect(!other.covers(kind: .missingExport, provider: .mpesa, venueId: "v-a", occurredAt: nil))
    }

    // MARK: - the staleness rule

    @Test func aVenueIsStaleWhenItsFirstPaymentNoExportShowedWaitedLongerThanTheLimit() {
        let first = Self.t("2026-11-04T10:00:00Z")
        var w = VenueStaleness(venueId: "v-b", provider: .mpesa, name: "Nyama Choma Corner", status: "active", lastCovered: Self.t("2026-11-04T00:00:00Z"), firstWaiting: first)
        // nothing waiting: never stale, however old the last export
        #expect(!w.isStale(at: Self.t("2026-12-01T00:00:00Z"), staleAfterDays: 2))
        let added = [w.add(amount: 2_365_000, currency: "KES", at: Self.t("2026-11-05T08:00:00Z")), w.add(amount: 50_000, currency: "KES", at: first)]
        #expect(added == [true, true])
        #expect(w.firstWaiting == first && w.count == 2 && w.amounts == ["KES": 2_415_000])
        // exactly the limit is not past it; a second more is
        #expect(!w.isStale(at: first.adding(seconds: 2 * 86400), staleAfterDays: 2))
        #expect(w.isStale(at: first.adding(seconds: 2 * 86400 + 1), staleAfterDays: 2))
        // sums are checked
        let overflowed = !w.add(amount: Int64.max, currency: "KES", at: first)
        #expect(overflowed)
        #expect(w.amounts == ["KES": 2_415_000] && w.count == 2)

        let e = w.finding(at: Self.t("2026-11-07T12:00:00Z"), staleAfterDays: 2)
        #expect(e.kind == .missingExport && e.provider == .mpesa && e.venueId == "v-b" && e.refs == Refs(venueId: "v-b"))
        #expect(e.amountCents == nil)
        #expect(e.detail == "No M-PESA export newer than 2026-11-03 shows Nyama Choma Corner (venue v-b), though M-PESA exports still arrive: its 2 M-PESA payments since then, 24,150.00 KES, the first on 2026-11-04 (3 days before this check, the limit is 2), are not being reconciled.", "\(e.detail)")
    }

    /// A scratch database with runs recorded as the recorder writes them.
    struct Ledger {
        let f: LiveFixture
        init() throws {
            f = try LiveFixture()
            try f.live.migrate()
        }

        /// A run and its coverage: providers and (venue, provider) spans, `to` exclusive.
        func run(_ id: String, status: String = "committed", providers: [(String, String, String)],
                 venues: [(String, String, String, String)] = []) throws {
            try f.exec("""
                INSERT INTO batch_runs (id, command, status, fingerprint, started_at, finished_at, period_from, period_to)
                VALUES (?, 'nightly', ?, ?, '2026-11-01T02:00:00Z', '2026-11-01T02:00:00Z', '2026-11-01T00:00:00Z', '2026-11-08T00:00:00Z')
                """, [id, status, id])
            for (provider, from, to) in providers {
                try f.exec("INSERT INTO batch_run_coverage (run_id, provider, covered_from, covered_to) VALUES (?, ?, ?, ?)", [id, provider, from, to])
            }
            for (venue, provider, from, to) in venues {
                try f.exec("INSERT INTO batch_run_venue_coverage (run_id, venue_id, provider, covered_from, covered_to) VALUES (?, ?, ?, ?, ?)",
                           [id, venue, provider, from, to])
            }
        }

        @discardableResult
        func pay(_ venue: String, _ amount: Int64, _ at: String, status: String = "SUCCESS", provider: String = "mpesa") throws -> String {
            try f.payment(venue, provider: provider, status: status, amount: amount, currency: provider == "mpesa" ? "KES" : "USD", ref: nil,
                          at: VenueCoverageTests.t(at))
        }
    }

    /// The rule on a database: which venues are stale, and which are not and why.
    @Test func staleVenuesAreThoseWhosePaymentsWaitedPastTheLimitWhileTheProviderArrives() throws {
        let l = try Ledger()
        let v = { (name: String, mpesa: Bool) in try l.f.venue(name, currency: mpesa ? "KES" : "USD", mpesa: mpesa) }
        let fresh = try v("Fresh", true), behind = try v("Behind", true), expired = try v("Expired Only", true)
        let quiet = try v("Quiet", true), never = try v("Never Shown", true), paused = try v("Paused", true)
        let card = try v("Card Venue", false)
        try l.f.exec("UPDATE venues SET status = 'paused' WHERE id = ?", [paused])
        let mpesaAll = ("mpesa", "2026-11-01T00:00:00Z", "2026-11-07T00:00:00Z")
        try l.run("r1", providers: [mpesaAll, ("stripe", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z")], venues: [
            (fresh, "mpesa", "2026-11-01T00:00:00Z", "2026-11-07T00:00:00Z"),
            (behind, "mpesa", "2026-11-01T00:00:00Z", "2026-11-04T00:00:00Z"),
            (expired, "mpesa", "2026-11-01T00:00:00Z", "2026-11-04T00:00:00Z"),
            (quiet, "mpesa", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"),
            (paused, "mpesa", "2026-11-01T00:00:00Z", "2026-11-04T00:00:00Z"),
            (card, "stripe", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"),
        ])
        // a run still being written (or a killed one) covers nothing yet
        try l.run("r2", status: "writing", providers: [mpesaAll], venues: [(behind, "mpesa", "2026-11-01T00:00:00Z", "2026-11-08T00:00:00Z")])

        try l.pay(fresh, 100_00, "2026-11-06T10:00:00Z")  // covered
        try l.pay(behind, 5_00, "2026-11-04T01:00:00Z", status: "FAILED")  // not money
        try l.pay(behind, 1_000_00, "2026-11-04T10:00:00Z")  // waiting since 11-04
        try l.pay(behind, 2_345_00, "2026-11-05T10:00:00Z", status: "REFUNDED")
        try l.pay(behind, 9_999_00, "2026-11-09T10:00:00Z")  // after the check: not counted
        try l.pay(expired, 5_00, "2026-11-04T01:00:00Z", status: "EXPIRED")  // would be 3.5 days old
        try l.pay(expired, 7_00, "2026-11-05T14:00:00Z")  // 1.9 days: not yet
        try l.pay(quiet, 12_00, "2026-11-07T06:00:00Z")  // quiet for days, paid this morning: not yet
        try l.pay(never, 3_00, "2026-10-20T10:00:00Z")  // before venues were followed
        try l.pay(never, 4_00, "2026-11-02T09:00:00Z", status: "INITIATED")  // may hide money: waiting since 11-02
        try l.pay(paused, 6_00, "2026-11-04T12:00:00Z")
        try l.pay(card, 8_00, "2026-11-03T12:00:00Z", provider: "stripe")  // Stripe is stale as a whole

        let now = Self.t("2026-11-07T12:00:00Z")
        let check = try FindingsBook.checkExports(l.f.live, at: now, staleAfterDays: 2, checkId: "c1", by: "test")
        let found = check.exceptions.map { "\($0.provider?.rawValue ?? "") \($0.venueId ?? "-")" }
        #expect(found == ["stripe -", "mpesa \(behind)", "mpesa \(never)", "mpesa \(paused)"])
        let byVenue = Dictionary(uniqueKeysWithValues: check.exceptions.compactMap { e in e.venueId.map { ($0, e.detail) } })
        #expect(byVenue[behind] == "No M-PESA export newer than 2026-11-03 shows Behind (venue \(behind)), though M-PESA exports still arrive: its 2 M-PESA payments since then, 3,345.00 KES, the first on 2026-11-04 (3 days before this check, the limit is 2), are not being reconciled.")
        #expect(byVenue[never] == "No M-PESA export has ever shown Never Shown (venue \(never)), though M-PESA exports arrive: its 1 M-PESA payment, 4.00 KES, the first on 2026-11-02 (5 days before this check, the limit is 2), is not being reconciled.")
        #expect(byVenue[paused]?.contains("Paused (venue \(paused), paused)") == true)

        // recorded with provider and venue: `findings --venue` lists it, under a key of its own
        let listed = try l.f.live.read { db in try FindingsBook.list(db, state: .open, venue: behind, kind: .missingExport) }
        #expect(listed.map(\.exception.venueId) == [behind] && listed.first?.exception.provider == .mpesa)
        #expect(Set(check.exceptions.compactMap { $0.finding?.id }).count == 4)
        // the payments are read a few rowids at a time; the chunks add up to the same
        let followed: [Provider: Timestamp] = [.mpesa: Self.t("2026-11-01T00:00:00Z")]
        let whole = try FindingsBook.waitingPayments(l.f.live, followedFrom: followed, at: now)
        #expect(try FindingsBook.waitingPayments(l.f.live, followedFrom: followed, at: now, rows: 2) == whole)
        #expect(whole[VenueProvider(venueId: behind, provider: .mpesa)]?.count == 2)
        // the same night checked again: the same findings, nothing new
        let again = try FindingsBook.checkExports(l.f.live, at: now, staleAfterDays: 2, checkId: "c2", by: "test")
        #expect(again.exceptions.map { $0.finding?.id } == check.exceptions.map { $0.finding?.id } && again.update.opened.isEmpty)
    }

    /// Nothing followed venues yet (runs recorded before venue coverage existed): no venue is held
    /// to payments nobody looked for.
    @Test func noVenueCoverageYetRaisesNoVenueFinding() throws {
        let l = try Ledger()
        let venue = try l.f.venue("Old Venue", currency: "KES", mpesa: true)
        try l.run("r1", providers: [("mpesa", "2026-11-01T00:00:00Z", "2026-11-07T00:00:00Z")])
        try l.pay(venue, 1_00, "2026-11-02T10:00:00Z")
        let check = try FindingsBook.checkExports(l.f.live, at: Self.t("2026-11-07T12:00:00Z"), staleAfterDays: 2, checkId: "c1", by: "test")
        #expect(check.exceptions.isEmpty)
    }
}
