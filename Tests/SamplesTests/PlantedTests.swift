import BackofficeCore
import Foundation
import GRDB
import Testing
@testable import Samples

/// Every planted discrepancy is where the manifest says, in the state that makes it one.
@Suite struct PlantedDiscrepancies {
    static func planted() throws -> GeneratedSamples { try GeneratedSamples(name: "planted") }

    @Test func oneOfEachKindIsPlanted() throws {
        let s = try Self.planted()
        #expect(s.manifest.planted.map(\.kind) == SampleManifest.exceptionKinds)
        #expect(s.manifest.summary.contains("14 of the 14"))
        for p in s.manifest.planted {
            #expect(!p.note.isEmpty)
            if p.kind != "payout_mismatch" { #expect(p.venueId != nil && p.refs.venueId == p.venueId) }
        }
    }

    func payment(_ s: GeneratedSamples, ref: String) throws -> Row? {
        try s.read { db in try Row.fetchOne(db, sql: "SELECT * FROM payments WHERE provider_ref = ?", arguments: [ref]) }
    }

    func charges(_ s: GeneratedSamples, pi: String) throws -> [[String: String]] {
        try s.stripePayments.rows.filter { $0["PaymentIntent ID"] == pi }
    }

    @Test func stripeAmountAndCurrencyMismatches() throws {
        let s = try Self.planted()
        let amount = try #require(s.manifest.planted("amount_mismatch"))
        let row = try #require(try payment(s, ref: amount.refs.providerRef!))
        let charge = try #require(try charges(s, pi: amount.refs.providerRef!).first)
        #expect(row["status"] as String == "SUCCESS")
        #expect(row["amount_cents"] as Int64 == amount.expectedCents)
        #expect(GeneratedSamples.cents(charge["Amount"]) == amount.amountCents)
        #expect(amount.amountCents != amount.expectedCents)
        #expect(charge["id"] == amount.refs.chargeId && charge["order_id (metadata)"] == amount.refs.orderId)

        let currency = try #require(s.manifest.planted("currency_mismatch"))
        let row2 = try #require(try payment(s, ref: currency.refs.providerRef!))
        let charge2 = try #require(try charges(s, pi: currency.refs.providerRef!).first)
        #expect(row2["currency"] as String == "USD" && charge2["Currency"] == "eur")
        #expect(GeneratedSamples.cents(charge2["Amount"]) == row2["amount_cents"] as Int64)
    }

    @Test func missingDuplicateAndTargetStatus() throws {
        let s = try Self.planted()
        let missing = try #require(s.manifest.planted("missing_provider_payment"))
        let row = try #require(try payment(s, ref: missing.refs.providerRef!))
        #expect(row["status"] as String == "SUCCESS")
        #expect(try charges(s, pi: missing.refs.providerRef!).isEmpty)
        #expect(try s.stripeBalance.rows.allSatisfy { $0["payment_intent_id"] != missing.refs.providerRef })
        let created = Timestamp(iso: row["created_at"] as String)!
        #expect(created >= Timestamp(iso: s.manifest.period.from)! && created < Timestamp(iso: s.manifest.period.to)!)

        let duplicate = try #require(s.manifest.planted("duplicate_payment"))
        #expect(try payment(s, ref: duplicate.refs.providerRef!) == nil, "the second charge has no payments row")
        let second = try #require(try charges(s, pi: duplicate.refs.providerRef!).first)
        #expect(second["Status"] == "Paid" && second["order_id (metadata)"] == duplicate.refs.orderId)
        let paid = try s.read { db in
            try Row.fetchOne(db, sql: "SELECT o.payment_status, p.status FROM orders o JOIN payments p ON p.order_id = o.id AND p.id = ? WHERE o.id = ?",
                             arguments: [duplicate.refs.paymentId, duplicate.refs.orderId])
        }
        #expect(paid?["payment_status"] as String? == "paid" && paid?["status"] as String? == "SUCCESS")

        let target = try #require(s.manifest.planted("target_status_mismatch"))
        let targetRow = try #require(try payment(s, ref: target.refs.providerRef!))
        #expect(targetRow["status"] as String == "SUCCESS")
        #expect(!(try charges(s, pi: target.refs.providerRef!)).isEmpty)
        let orderStatus = try s.read { db in try String.fetchOne(db, sql: "SELECT payment_status FROM orders WHERE id = ?", arguments: [target.refs.orderId]) }
        #expect(orderStatus != "paid")
    }

    @Test func refundsTheDatabaseDoesNotShow() throws {
        let s = try Self.planted()
        let refund = try #require(s.manifest.planted("unrecorded_refund"))
        let charge = try #require(try charges(s, pi: refund.refs.providerRef!).first)
        #expect(GeneratedSamples.cents(charge["Amount Refunded"]) > 0)
        #expect(try s.stripeBalance.rows.contains { $0["reporting_category"] == "refund" && $0["payment_intent_id"] == refund.refs.providerRef })
        let row = try #require(try payment(s, ref: refund.refs.providerRef!))
        #expect(row["status"] as String == "SUCCESS")
        let orderStatus = try s.read { db in try String.fetchOne(db, sql: "SELECT payment_status FROM orders WHERE id = ?", arguments: [refund.refs.orderId]) }
        #expect(orderStatus == "paid")
    }

    @Test func mpesaLostCallbackAndUnissuedAccount() throws {
        let s = try Self.planted()
        let statements = try s.statements().flatMap(\.rows)
        let lost = try #require(s.manifest.planted("status_mismatch"))
        let row = try #require(try payment(s, ref: lost.refs.providerRef!))
        #expect(row["status"] as String == "INITIATED" && (row["mpesa_receipt"] as String?) == nil)
        let line = try #require(statements.first { $0["Receipt No."] == lost.refs.mpesaReceipt })
        #expect(line["Transaction Status"] == "Completed" && line["A/C No."] == row["account_ref"] as String)
        #expect(GeneratedSamples.cents(line["Paid In"]) == row["amount_cents"] as Int64)
        let completion = SampleExports.eat(line["Completion Time"]!), created = Timestamp(iso: row["created_at"] as String)!
        #expect(created <= completion && completion.seconds - created.seconds < 3600)
        #expect(try s.callbacks().allSatisfy { Callback($0).checkoutRequestId != lost.refs.providerRef })

        let unissued = try #require(s.manifest.planted("unrecorded_payment"))
        let paidIn = try #require(statements.first { $0["Receipt No."] == unissued.refs.mpesaReceipt })
        let account = paidIn["A/C No."]!
        #expect(GeneratedSamples.cents(paidIn["Paid In"]) == unissued.amountCents)
        let known = try s.read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT COUNT(*) FROM payments WHERE account_ref = ? OR mpesa_receipt = ?)
                     + (SELECT COUNT(*) FROM invoices WHERE id = ?)
                     + (SELECT COUNT(*) FROM orders WHERE 'OD' || substr(id, 1, 8) = ?)
                """, arguments: [account, unissued.refs.mpesaReceipt, account, account])
        }
        #expect(known == 0)
    }

    @Test func creditPlants() throws {
        let s = try Self.planted()
        let notGranted = try #require(s.manifest.planted("credits_not_granted"))
        let row = try #require(try payment(s, ref: notGranted.refs.providerRef!))
        #expect(row["status"] as String == "SUCCESS" && row["purpose"] as String == "credits")
        #expect(!(try charges(s, pi: notGranted.refs.providerRef!)).isEmpty)
        let purchases = try s.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM credit_transactions WHERE stripe_payment_id = ?", arguments: [notGranted.refs.providerRef]) }
        #expect(purchases == 0)

        let wrong = try #require(s.manifest.planted("credits_amount_mismatch"))
        let packRow = try #require(try payment(s, ref: wrong.refs.providerRef!))
        #expect(packRow["credits"] as Int64 == 500)
        let granted = try s.read { db in try Int64.fetchAll(db, sql: "SELECT amount FROM credit_transactions WHERE stripe_payment_id = ? AND type = 'purchase'", arguments: [wrong.refs.providerRef]) }
        #expect(granted == [100])

        // exactly one venue drifts, by 3
        let drift = try #require(s.manifest.planted("credit_balance_drift"))
        let drifting = try s.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, credits_remaining - (SELECT SUM(amount) FROM credit_transactions c WHERE c.venue_id = v.id) AS drift
                FROM venues v WHERE credits_remaining != (SELECT SUM(amount) FROM credit_transactions c WHERE c.venue_id = v.id)
                """)
        }
        #expect(drifting.count == 1)
        #expect(drifting.first?["id"] as String? == drift.venueId && drifting.first?["drift"] as Int64? == 3)
    }

    @Test func orderChargePlantsAreTheOnlyBrokenOrders() throws {
        let s = try Self.planted()
        let rows = try s.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.id, o.status, (SELECT COUNT(*) FROM credit_transactions c WHERE c.order_id = o.id AND c.type = 'order_charge') AS charges
                FROM orders o WHERE o.status IN ('approved', 'completed')
                AND (SELECT COUNT(*) FROM credit_transactions c WHERE c.order_id = o.id AND c.type = 'order_charge') != 1
                """)
        }
        #expect(rows.count == 2)
        let missing = try #require(s.manifest.planted("order_charge_missing"))
        let duplicate = try #require(s.manifest.planted("order_charge_duplicate"))
        #expect(rows.first { ($0["id"] as String) == missing.refs.orderId }?["charges"] as Int? == 0)
        #expect(rows.first { ($0["id"] as String) == duplicate.refs.orderId }?["charges"] as Int? == 2)
    }

    @Test func oneStripePayoutIsOffByOneUnit() throws {
        let s = try Self.planted()
        let planted = try #require(s.manifest.planted("payout_mismatch"))
        let balance = try s.stripeBalance.rows
        var net: [String: Int64] = [:]
        for row in balance where row["reporting_category"] != "payout" {
            if let p = row["automatic_payout_id"], !p.isEmpty { net[p, default: 0] += GeneratedSamples.cents(row["net"]) }
        }
        var off: [String: Int64] = [:]
        for payout in balance where payout["reporting_category"] == "payout" {
            let id = payout["source_id"]!
            let difference = -GeneratedSamples.cents(payout["net"]) - net[id, default: 0]
            if difference != 0 { off[id] = difference }
        }
        #expect(off == [planted.refs.payoutId!: 100])
        #expect(planted.amountCents! - planted.expectedCents! == 100)
    }

    @Test func tinyRunsSayWhatCouldNotBePlanted() throws {
        let s = try GeneratedSamples(SampleOptions(venues: 1, days: 1, ordersPerDay: 3, seed: 4), name: "tiny")
        let kinds = Set(s.manifest.planted.map(\.kind))
        #expect(!kinds.contains("payout_mismatch") && !kinds.contains("status_mismatch") && !kinds.contains("unrecorded_payment"))
        #expect(kinds.contains("credit_balance_drift"))
        #expect(s.manifest.summary.contains("not planted"))
    }
}
