import BackofficeCore
import Testing
@testable import Reconcile

/// Counting once across overlapping files; the period and venue filters.
@Suite struct MatchingFilterTests {
    let at = LiveFixture.at

    @Test func overlappingInputsCountEachTransactionOnce() throws {
        let w = try CleanWorld()
        // the same statement row a third time, and the Stripe charge again in a second Payments export
        w.f.records.append(LiveFixture.statement(receipt: "TKL2ABC309", amount: 125_000, at: at(9, 2, 0), account: LiveFixture.accountRef(order: w.order9), file: "statement-3.csv"))
        w.f.records.append(LiveFixture.exportCharge(ch: "ch_1", pi: "pi_1", amount: 2050, at: at(9, 2, 0), fee: 89))
        let result = try w.f.reconcile()
        #expect(result.exceptions.isEmpty)
        #expect(result.matched == 8)
        let kitchen = result.dailyTakings.filter { $0.venueId == w.kitchen && $0.day == "2026-11-03" }
        #expect(kitchen.count == 1)
        // 1250.00 order + 500.00 invoice + 400.00 later reversed; one Pay Bill charge; one reversal
        #expect(kitchen.first?.payments == 3)
        #expect(kitchen.first?.grossCents == Int64(215_000))
        #expect(kitchen.first?.feeCents == 2_200)
        #expect(kitchen.first?.refundCents == 40_000)
        let bistro = try #require(result.dailyTakings.first { $0.venueId == w.bistro && $0.day == "2026-11-03" })
        // ch_1, ch_2, ch_3, ch_4b, ch_c1 (the failed attempts are not takings)
        #expect(bistro.payments == 5)
        #expect(bistro.grossCents == Int64(2050 + 3000 + 1500 + 1200 + 8500))
        #expect(bistro.refundCents == 500 + 1500)
        #expect(bistro.netCents == bistro.grossCents - bistro.feeCents - bistro.refundCents)
    }

    /// Takings fall on the venue's own day: a venue fourteen hours ahead of UTC took the same
    /// money, but what it took after 10:00 UTC on the 3rd is its 4th.
    @Test func takingsAreCountedOnTheVenuesOwnDays() throws {
        let w = try CleanWorld()
        let utc = try w.f.reconcile().dailyTakings.filter { $0.venueId == w.kitchen }
        #expect(utc.allSatisfy { $0.timezone == "UTC" } && Set(utc.map(\.day)) == ["2026-11-03"])
        try w.f.exec("UPDATE venues SET timezone = 'Pacific/Kiritimati' WHERE id = ?", [w.kitchen])
        let local = try w.f.reconcile().dailyTakings.filter { $0.venueId == w.kitchen }
        #expect(local.allSatisfy { $0.timezone == "Pacific/Kiritimati" })
        #expect(Set(local.map(\.day)) == ["2026-11-03", "2026-11-04"])
        #expect(local.map(\.payments).reduce(0, +) == utc.map(\.payments).reduce(0, +))
        #expect(local.map(\.grossCents).reduce(0, +) == utc.map(\.grossCents).reduce(0, +))
    }

    @Test func theMatchRowCarriesBothFilesFacts() throws {
        let w = try CleanWorld()
        let result = try w.f.reconcile()
        let m = try #require(result.matches.first { $0.chargeId == "ch_1" })
        #expect(m.paymentId == w.payment1 && m.providerRef == "pi_1" && m.feeCents == 89 && m.payoutId == "po_1" && m.currency == "USD")
        let mpesa = try #require(result.matches.first { $0.mpesaReceipt == "TKL2ABC309" })
        #expect(mpesa.paymentId == w.payment9 && mpesa.providerRef == "ws_CO_9")
    }

    @Test func periodBoundsWhatIsExpectedAndReported() throws {
        let w = try CleanWorld()
        // a SUCCESS row two days later that no input shows
        let later = try w.f.order(w.bistro, number: 1, total: 900, at: at(10, 0, 3))
        try w.f.payment(w.bistro, order: later, amount: 900, ref: "pi_later", at: at(10, 1, 3))
        // an unrecorded charge on the first day
        w.f.records.append(LiveFixture.exportCharge(ch: "ch_x", pi: "pi_x", amount: 1800, at: at(18, 5, 0)))
        let whole = try w.f.reconcile(from: Timestamp(iso: "2026-11-03"), to: Timestamp(iso: "2026-11-07"))
        #expect(whole.exceptions.map(\.kind) == [.unrecordedPayment, .missingProviderPayment])
        let firstDay = try w.f.reconcile(from: Timestamp(iso: "2026-11-03"), to: Timestamp(iso: "2026-11-04"))
        #expect(firstDay.exceptions.map(\.kind) == [.unrecordedPayment])
        let lastDays = try w.f.reconcile(from: Timestamp(iso: "2026-11-05"), to: Timestamp(iso: "2026-11-07"))
        #expect(lastDays.exceptions.map(\.kind) == [.missingProviderPayment])
        // default: the span of the inputs, so the later row is not expected
        #expect(try w.f.reconcile().exceptions.map(\.kind) == [.unrecordedPayment])
    }

    @Test func venueFilterKeepsOnlyThatVenue() throws {
        let w = try CleanWorld()
        try w.f.exec("UPDATE venues SET credits_remaining = credits_remaining + 3 WHERE id = ?", [w.bistro])
        w.f.records.append(LiveFixture.statement(.refund, receipt: "TKR0000009", amount: 125_000, at: at(21, 0, 0), reverses: "TKL2ABC309"))
        let all = try w.f.reconcile()
        #expect(Set(all.exceptions.map(\.kind)) == [.creditBalanceDrift, .unrecordedRefund])
        let bistro = try w.f.reconcile(venue: w.bistro)
        #expect(bistro.exceptions.map(\.kind) == [.creditBalanceDrift])
        #expect(bistro.creditLedger.map(\.venueId) == [w.bistro])
        #expect(bistro.matches.allSatisfy { $0.venueId == w.bistro })
        #expect(bistro.dailyTakings.allSatisfy { $0.venueId == w.bistro })
        let kitchen = try w.f.reconcile(venue: w.kitchen)
        #expect(kitchen.exceptions.map(\.kind) == [.unrecordedRefund])
    }

    @Test func exceptionsComeInADeterministicOrder() throws {
        let w = try CleanWorld()
        try w.f.exec("UPDATE venues SET credits_remaining = credits_remaining + 3")
        let order = try w.f.order(w.bistro, number: 21, total: 2500, at: at(19, 0, 0))
        try w.f.payment(w.bistro, order: order, amount: 2500, ref: "pi_missing", at: at(19, 1, 0))
        w.f.records.append(LiveFixture.exportCharge(ch: "ch_x", pi: "pi_x", amount: 1800, at: at(18, 5, 0)))
        let a = try w.f.reconcile()
        let b = try w.f.reconcile(records: w.f.records.reversed())
        #expect(a.exceptions.map(\.kind) == [.unrecordedPayment, .missingProviderPayment, .creditBalanceDrift, .creditBalanceDrift])
        #expect(a.exceptions.map(\.detail) == b.exceptions.map(\.detail))
    }

    @Test func defaultPeriodRunsFromTheFirstDayToTheDayAfterTheLast() {
        let records = [
            LiveFixture.exportCharge(ch: "a", pi: nil, amount: 1, at: Timestamp(iso: "2026-11-01T23:59:59Z")!),
            LiveFixture.exportCharge(ch: "b", pi: nil, amount: 1, at: Timestamp(iso: "2026-11-07T00:00:00Z")!),
        ]
        let p = Period.resolve(from: nil, to: nil, records: records, now: Timestamp(seconds: 0))
        #expect(p == Period(from: Timestamp(iso: "2026-11-01")!, to: Timestamp(iso: "2026-11-08")!))
        #expect(throws: Failure.self) { _ = try Period.parseBound("yesterday", flag: "--from") }
    }
}
