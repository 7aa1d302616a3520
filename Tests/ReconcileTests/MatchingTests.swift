import BackofficeCore
import Foundation
import Testing
@testable import Reconcile

/// Every exception kind: plant exactly that case in a clean world, find exactly that finding.
@Suite struct MatchingTests {
    let at = LiveFixture.at

    func only(_ result: ReconcileResult, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ReconcileException {
        #expect(result.exceptions.count == 1, "\(result.exceptions.map { "\($0.kind.rawValue): \($0.detail)" })", sourceLocation: sourceLocation)
        return try #require(result.exceptions.first, sourceLocation: sourceLocation)
    }

    @Test func cleanDataWithAllTheNoiseGivesNoFindings() throws {
        let w = try CleanWorld()
        let result = try w.f.reconcile()
        #expect(result.exceptions.map(\.detail) == [])
        // ch_1, ch_2, ch_3, ch_4b, ch_c1, TKL2ABC309, TKL2ABC3I1, TKL2ABC310
        #expect(result.matched == 8)
        #expect(result.period == Period(from: Timestamp(iso: "2026-11-03")!, to: Timestamp(iso: "2026-11-05")!))
        let payout = try #require(result.payouts.first)
        #expect(payout.payoutId == "po_1" && payout.differenceCents == 0 && payout.transactions == 5)
        #expect(result.creditLedger.allSatisfy { $0.drift == 0 })
    }

    @Test func unrecordedStripePayment() throws {
        let w = try CleanWorld()
        let order = try w.f.order(w.bistro, number: 20, total: 1800, paymentStatus: "unpaid", at: at(18, 0, 0))
        w.f.records.append(LiveFixture.exportCharge(ch: "ch_x", pi: "pi_x", amount: 1800, at: at(18, 5, 0), metadata: ["order_id": order, "venue_id": w.bistro, "purpose": "order"]))
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .unrecordedPayment)
        #expect(e.provider == .stripe && e.amountCents == 1800 && e.expectedCents == nil && e.currency == "USD")
        #expect(e.refs == Refs(providerRef: "pi_x", orderId: order, venueId: w.bistro, chargeId: "ch_x"))
        #expect(e.detail == "Stripe took 18.00 USD for order 20 of Corner Bistro on 2026-11-03 (pi_x), and no payment row records it.")
    }

    @Test func unrecordedMpesaPaymentWithAnAccountNobodyIssued() throws {
        let w = try CleanWorld()
        w.f.records.append(LiveFixture.statement(receipt: "TKU0000001", amount: 70_000, at: at(19, 0, 0), account: "ZZ999"))
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .unrecordedPayment && e.provider == .mpesa && e.amountCents == 70_000 && e.currency == "KES")
        #expect(e.refs == Refs(mpesaReceipt: "TKU0000001"))
        #expect(e.detail.contains("account reference nobody issued"))
    }

    /// Money in on a statement whose preamble shows a venue's Pay Bill number is that venue's,
    /// even when nothing else names it.
    @Test func unrecordedMpesaPaymentIsTheVenueOfTheStatementsShortCode() throws {
        let w = try CleanWorld()
        w.f.records.append(LiveFixture.statement(receipt: "TKU0000001", amount: 70_000, at: at(19, 0, 0), account: "ZZ999", file: "kitchen.csv"))
        w.f.statementShortCodes = ["kitchen.csv": "600123"]   // the kitchen's short code in the fixture
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .unrecordedPayment && e.venueId == w.kitchen)
        #expect(e.refs == Refs(mpesaReceipt: "TKU0000001", venueId: w.kitchen))
        #expect(e.detail == "M-PESA received 700.00 KES for a payment to Mama Njeri Kitchen (receipt TKU0000001 with account ZZ999, an account reference nobody issued), and no payment row records it.", "\(e.detail)")
        // a short code no venue has says nothing
        w.f.statementShortCodes = ["kitchen.csv": "999999"]
        #expect(try only(try w.f.reconcile()).venueId == nil)
    }

    /// A charge told by the full export and by a spreadsheet-saved export without ids counts once;
    /// two charges of the same second and amount are not guessed at (each id-less row stays its own).
    @Test func idlessExportRowIsTheSameChargeAsTheFullRow() throws {
        let w = try CleanWorld()
        let clean = try w.f.reconcile()
        var idless = LiveFixture.exportCharge(ch: "x", pi: nil, amount: 2050, at: at(9, 2, 0), fee: 89)
        idless.chargeId = nil
        idless.dedupKey = "stripe-payment|2026-11-03 09:02:00|2050|USD||"
        let once = try w.f.reconcile(records: w.f.records + [idless])
        #expect(once.exceptions.isEmpty && once.matched == clean.matched)

        // an id-less charge nobody else tells is money no row accounts for
        var other = idless
        other.amountMinor = 999
        other.dedupKey = "stripe-payment|2026-11-03 09:02:00|999|USD||"
        #expect(try only(try w.f.reconcile(records: w.f.records + [other])).kind == .unrecordedPayment)
    }

    @Test func missingProviderPayment() throws {
        let w = try CleanWorld()
        let order = try w.f.order(w.bistro, number: 21, total: 2500, at: at(19, 0, 0))
        let payment = try w.f.payment(w.bistro, order: order, amount: 2500, ref: "pi_missing", at: at(19, 1, 0))
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .missingProviderPayment && e.provider == .stripe && e.expectedCents == 2500 && e.amountCents == nil)
        #expect(e.refs == Refs(providerRef: "pi_missing", paymentId: payment, orderId: order, venueId: w.bistro))
        #expect(e.detail == "The payment row for order 21 of Corner Bistro on 2026-11-03 says 25.00 USD was paid by Stripe (pi_missing), but no Stripe record in the inputs shows it.")
    }

    @Test func missingProviderPaymentOnlyForProvidersWithAnInput() throws {
        let w = try CleanWorld()
        // an M-PESA SUCCESS row nobody shows, but the run has only Stripe inputs
        _ = try w.f.payment(w.kitchen, order: w.order9, provider: "mpesa", amount: 1000, currency: "KES", ref: "ws_CO_z", receipt: "TKZ", at: at(19, 0, 0))
        let stripeOnly = w.f.records.filter { $0.provider == .stripe }
        let result = try w.f.reconcile(records: stripeOnly)
        #expect(result.exceptions.isEmpty)
    }

    @Test func amountMismatch() throws {
        let w = try CleanWorld()
        let order = try w.f.order(w.bistro, number: 17, total: 2050, at: at(19, 0, 0))
        let payment = try w.f.payment(w.bistro, order: order, amount: 2050, ref: "pi_17", at: at(19, 1, 0))
        w.f.records.append(LiveFixture.exportCharge(ch: "ch_17", pi: "pi_17", amount: 2600, at: at(19, 2, 0)))
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .amountMismatch && e.amountCents == 2600 && e.expectedCents == 2050 && e.currency == "USD")
        #expect(e.refs == Refs(providerRef: "pi_17", paymentId: payment, orderId: order, venueId: w.bistro, chargeId: "ch_17"))
        #expect(e.detail == "Stripe charged 26.00 USD for order 17 of Corner Bistro on 2026-11-03; the payment row says 20.50 USD.")
    }

    @Test func currencyMismatch() throws {
        let w = try CleanWorld()
        let order = try w.f.order(w.bistro, number: 18, total: 2050, at: at(19, 0, 0))
        let payment = try w.f.payment(w.bistro, order: order, amount: 2050, ref: "pi_18", at: at(19, 1, 0))
        w.f.records.append(LiveFixture.exportCharge(ch: "ch_18", pi: "pi_18", amount: 2050, currency: "eur", at: at(19, 2, 0)))
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .currencyMismatch && e.amountCents == 2050 && e.expectedCents == 2050 && e.currency == "EUR")
        #expect(e.refs.paymentId == payment && e.refs.providerRef == "pi_18")
        #expect(e.detail.hasSuffix("the payment row says 20.50 USD."))
    }

    @Test func statusMismatchLostCallbackMatchedByAccountAmountAndTime() throws {
        let w = try CleanWorld()
        let order = try w.f.order(w.kitchen, number: 9, total: 45_000, currency: "KES", method: "mpesa", paymentStatus: "pending", at: at(15, 0, 0))
        let acc = LiveFixture.accountRef(order: order)
        let payment = try w.f.payment(w.kitchen, order: order, provider: "mpesa", status: "INITIATED", amount: 45_000, currency: "KES", ref: "ws_CO_lost", account: acc, at: at(15, 1, 0))
        // the statement writes the A/C No. in lower case: still the same reference
        w.f.records.append(LiveFixture.statement(receipt: "TKL0ST0001", amount: 45_000, at: at(15, 3, 0), account: acc.lowercased()))
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .statusMismatch && e.provider == .mpesa && e.amountCents == 45_000 && e.expectedCents == 45_000)
        #expect(e.refs == Refs(providerRef: "ws_CO_lost", mpesaReceipt: "TKL0ST0001", paymentId: payment, orderId: order, venueId: w.kitchen))
        #expect(e.detail.contains("still INITIATED (the callback never came)"))
    }

    @Test func lostCallbackOutsideTheTimeWindowIsNotMatched() throws {
        let w = try CleanWorld()
        let order = try w.f.order(w.kitchen, number: 9, total: 45_000, currency: "KES", method: "mpesa", paymentStatus: "pending", at: at(15, 0, 0))
        let acc = LiveFixture.accountRef(order: order)
        try w.f.payment(w.kitchen, order: order, provider: "mpesa", status: "INITIATED", amount: 45_000, currency: "KES", ref: "ws_CO_lost", account: acc, at: at(15, 1, 0))
        // two days later: not this attempt
        w.f.records.append(LiveFixture.statement(receipt: "TKL0ST0001", amount: 45_000, at: at(15, 3, 2), account: acc))
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .unrecordedPayment)
    }

    @Test func statusMismatchCancelledCallbackForASuccessRow() throws {
        let w = try CleanWorld()
        let order = try w.f.order(w.kitchen, number: 12, total: 20_000, currency: "KES", method: "mpesa", at: at(16, 0, 0))
        let payment = try w.f.payment(w.kitchen, order: order, provider: "mpesa", amount: 20_000, currency: "KES", ref: "ws_CO_1032", account: LiveFixture.accountRef(order: order), receipt: "TKS0000012", at: at(16, 1, 0))
        var cancelled = LiveFixture.callback(receipt: nil, checkout: "ws_CO_1032", amount: 0, at: at(16, 2, 0), failed: true)
        cancelled.providerStatus = "1032"
        cancelled.description = "Request cancelled by user"
        w.f.records.append(cancelled)
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .statusMismatch && e.expectedCents == 20_000)
        // the accountant reads why the provider says it failed
        #expect(e.detail.contains("(result code 1032, 'Request cancelled by user'; ws_CO_1032)"), "\(e.detail)")
        #expect(e.refs == Refs(providerRef: "ws_CO_1032", mpesaReceipt: "TKS0000012", paymentId: payment, orderId: order, venueId: w.kitchen))
    }

    @Test func targetStatusMismatchForAnUnpaidOrder() throws {
        let w = try CleanWorld()
        let order = try w.f.order(w.bistro, number: 22, total: 1000, paymentStatus: "unpaid", at: at(19, 0, 0))
        let payment = try w.f.payment(w.bistro, order: order, amount: 1000, ref: "pi_22", at: at(19, 1, 0))
        w.f.records.append(LiveFixture.exportCharge(ch: "ch_22", pi: "pi_22", amount: 1000, at: at(19, 2, 0)))
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .targetStatusMismatch && e.amountCents == 1000 && e.expectedCents == 1000)
        #expect(e.refs == Refs(providerRef: "pi_22", paymentId: payment, orderId: order, venueId: w.bistro, chargeId: "ch_22"))
        #expect(e.detail.hasSuffix("but the order is still marked unpaid."))
    }

    @Test func targetStatusMismatchForASentInvoice() throws {
        let w = try CleanWorld()
        try w.f.invoice(w.kitchen, id: "INV-0000002", amount: 10_000, status: "SENT", at: at(19, 0, 0))
        let payment = try w.f.payment(w.kitchen, purpose: "invoice", invoice: "INV-0000002", provider: "mpesa", amount: 10_000, currency: "KES", ref: "ws_CO_I2", account: "INV-0000002", receipt: "TKL2ABC3I2", at: at(19, 1, 0))
        w.f.records.append(LiveFixture.statement(receipt: "TKL2ABC3I2", amount: 10_000, at: at(19, 2, 0), account: "INV-0000002"))
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .targetStatusMismatch)
        #expect(e.refs == Refs(providerRef: "ws_CO_I2", mpesaReceipt: "TKL2ABC3I2", paymentId: payment, invoiceId: "INV-0000002", venueId: w.kitchen))
        #expect(e.detail.hasSuffix("but invoice INV-0000002 is still SENT."))
    }

    @Test func duplicatePaymentIsNotAlsoUnrecorded() throws {
        let w = try CleanWorld()
        w.f.records.append(LiveFixture.exportCharge(ch: "ch_dup", pi: "pi_dup", amount: 2050, at: at(19, 0, 0),
                                                    metadata: ["order_id": w.order1, "venue_id": w.bistro, "purpose": "order"]))
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .duplicatePayment && e.amountCents == 2050 && e.currency == "USD")
        // the payment row that did pay for the order is named too
        #expect(e.refs == Refs(providerRef: "pi_dup", paymentId: w.payment1, orderId: w.order1, venueId: w.bistro, chargeId: "ch_dup"))
        #expect(e.detail == "Stripe took 20.50 USD a second time for order 1 of Corner Bistro on 2026-11-03 (pi_dup); it was already paid by pi_1.")
    }

    /// A second M-PESA payment to the A/C No. of an order already paid names the row that paid it.
    @Test func duplicateMpesaPaymentNamesThePaidRow() throws {
        let w = try CleanWorld()
        let acc9 = LiveFixture.accountRef(order: w.order9)
        w.f.records.append(LiveFixture.statement(receipt: "TKL2ABC3D9", amount: 125_000, at: at(19, 0, 0), account: acc9))
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .duplicatePayment && e.amountCents == 125_000 && e.currency == "KES")
        #expect(e.refs.paymentId == w.payment9 && e.refs.orderId == w.order9 && e.refs.mpesaReceipt == "TKL2ABC3D9" && e.refs.venueId == w.kitchen)
    }

    @Test func unrecordedStripeRefund() throws {
        let w = try CleanWorld()
        w.f.records.append(LiveFixture.balance(.refund, key: "re_1", ch: "ch_1", pi: "pi_1", reverses: "ch_1", amount: 500, at: at(20, 0, 0), payout: nil))
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .unrecordedRefund && e.amountCents == 500 && e.expectedCents == 0 && e.currency == "USD")
        #expect(e.refs == Refs(providerRef: "pi_1", paymentId: w.payment1, orderId: w.order1, venueId: w.bistro, chargeId: "ch_1"))
        #expect(e.detail == "Stripe refunded 5.00 USD of the 20.50 USD paid for order 1 of Corner Bistro on 2026-11-03, but the database still shows the order as paid and the payment as SUCCESS.")
    }

    @Test func unrecordedStripeRefundFromTheExportColumn() throws {
        let w = try CleanWorld()
        let i = try #require(w.f.records.firstIndex { $0.dedupKey == "ch_1" && $0.inputKind == .stripePayments })
        w.f.records[i].refundedMinor = 2050
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .unrecordedRefund && e.amountCents == 2050)
    }

    @Test func unrecordedMpesaReversal() throws {
        let w = try CleanWorld()
        w.f.records.append(LiveFixture.statement(.refund, receipt: "TKR0000009", amount: 125_000, at: at(21, 0, 0), reverses: "TKL2ABC309"))
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .unrecordedRefund && e.provider == .mpesa && e.amountCents == 125_000 && e.currency == "KES")
        #expect(e.refs == Refs(providerRef: "ws_CO_9", mpesaReceipt: "TKL2ABC309", paymentId: w.payment9, orderId: w.order9, venueId: w.kitchen))
        #expect(e.detail.hasPrefix("M-PESA reversed 1250.00 KES of the 1250.00 KES paid for order 1 of Mama Njeri Kitchen"))
    }

    @Test func creditsNotGranted() throws {
        let w = try CleanWorld()
        let payment = try w.f.payment(w.bistro, purpose: "credits", amount: 2000, ref: "pi_c2", credits: 100, at: at(19, 0, 0))
        w.f.records.append(LiveFixture.exportCharge(ch: "ch_c2", pi: "pi_c2", amount: 2000, at: at(19, 0, 0),
                                                    metadata: ["venue_id": w.bistro, "purpose": "credits", "credits": "100"]))
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .creditsNotGranted && e.amountCents == 0 && e.expectedCents == 100 && e.currency == nil)
        #expect(e.refs == Refs(providerRef: "pi_c2", paymentId: payment, venueId: w.bistro, chargeId: "ch_c2"))
        #expect(e.detail == "Corner Bistro paid 20.00 USD for a 100-credit pack (pi_c2), but no purchase was added to its credits.")
    }

    @Test func creditsAmountMismatch() throws {
        let w = try CleanWorld()
        let payment = try w.f.payment(w.bistro, purpose: "credits", amount: 8500, ref: "pi_c3", credits: 500, at: at(19, 0, 0))
        try w.f.credit(w.bistro, 100, "purchase", pi: "pi_c3", at: at(19, 1, 0))
        w.f.records.append(LiveFixture.exportCharge(ch: "ch_c3", pi: "pi_c3", amount: 8500, at: at(19, 0, 0),
                                                    metadata: ["venue_id": w.bistro, "purpose": "credits", "credits": "500"]))
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .creditsAmountMismatch && e.amountCents == 100 && e.expectedCents == 500 && e.currency == nil)
        #expect(e.refs == Refs(providerRef: "pi_c3", paymentId: payment, venueId: w.bistro, chargeId: "ch_c3"))
    }

    @Test func creditBalanceDrift() throws {
        let w = try CleanWorld()
        try w.f.exec("UPDATE venues SET credits_remaining = credits_remaining + 3 WHERE id = ?", [w.bistro])
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .creditBalanceDrift && e.provider == nil && e.currency == nil)
        let ledger = try #require(try w.f.reconcile().creditLedger.first { $0.venueId == w.bistro })
        #expect(e.amountCents == ledger.creditsRemaining && e.expectedCents == ledger.creditsRemaining - 3 && ledger.drift == 3)
        #expect(e.refs == Refs(venueId: w.bistro))
        #expect(e.detail == "Corner Bistro shows \(ledger.creditsRemaining) credits remaining, but its credit ledger adds up to \(ledger.creditsRemaining - 3).")
    }

    @Test func orderChargeMissing() throws {
        let w = try CleanWorld()
        let order = try w.f.order(w.bistro, number: 30, total: 500, method: "cash", paymentStatus: "unpaid", at: at(19, 0, 0), charges: 0)
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .orderChargeMissing && e.amountCents == 0 && e.expectedCents == -1 && e.currency == nil)
        #expect(e.refs == Refs(orderId: order, venueId: w.bistro))
        #expect(e.detail == "Order 30 of Corner Bistro on 2026-11-03 was completed but no credit was charged for it.")
    }

    @Test func orderChargeDuplicate() throws {
        let w = try CleanWorld()
        let order = try w.f.order(w.bistro, number: 31, total: 500, status: "approved", method: "cash", paymentStatus: "unpaid", at: at(19, 0, 0), charges: 2)
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .orderChargeDuplicate && e.amountCents == -2 && e.expectedCents == -1)
        #expect(e.refs == Refs(orderId: order, venueId: w.bistro))
    }

    @Test func payoutMismatch() throws {
        let w = try CleanWorld()
        let i = try #require(w.f.records.firstIndex { $0.event == .payout })
        w.f.records[i].amountMinor += 100
        let e = try only(try w.f.reconcile())
        #expect(e.kind == .payoutMismatch && e.amountCents == w.payoutAmount + 100 && e.expectedCents == w.payoutAmount && e.currency == "USD")
        #expect(e.refs == Refs(payoutId: "po_1"))
        #expect(e.detail.contains("differs by 1.00 USD"))
    }
}
