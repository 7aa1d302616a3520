import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
import Testing
@testable import Samples

/// The clean database obeys every rule of CLI.md and the reconciliation spec.
@Suite struct CleanDatabaseRules {
    static func clean() throws -> GeneratedSamples {
        var options = GeneratedSamples.small
        options.plantDiscrepancies = false
        return try GeneratedSamples(options, name: "clean")
    }

    @Test func cleanPlantsNothing() throws {
        let s = try Self.clean()
        #expect(s.manifest.planted.isEmpty)
        #expect(s.manifest.options.plantDiscrepancies == false)
        #expect(s.manifest.summary.contains("none"))
    }

    @Test func creditsRemainingIsTheLedgerSumAndStartsWithTheBonus() throws {
        let s = try Self.clean()
        let rows = try s.read { db in
            try Row.fetchAll(db, sql: """
                SELECT v.id, v.credits_remaining AS remaining, (SELECT SUM(amount) FROM credit_transactions c WHERE c.venue_id = v.id) AS total,
                       (SELECT type || ':' || amount FROM credit_transactions c WHERE c.venue_id = v.id ORDER BY created_at LIMIT 1) AS first
                FROM venues v
                """)
        }
        #expect(rows.count == 4)
        for row in rows {
            #expect((row["remaining"] as Int64) == (row["total"] as Int64))
            #expect((row["first"] as String) == "bonus:25")
            #expect((row["remaining"] as Int64) >= 0)
        }
    }

    @Test func orderChargesFollowTheApproval() throws {
        let s = try Self.clean()
        let rows = try s.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.status, o.approved_at IS NOT NULL AS approved,
                       (SELECT COUNT(*) FROM credit_transactions c WHERE c.order_id = o.id AND c.type = 'order_charge' AND c.amount = -1) AS charges,
                       (SELECT COUNT(*) FROM credit_transactions c WHERE c.order_id = o.id AND c.type = 'refund' AND c.amount = 1) AS refunds,
                       (SELECT COUNT(*) FROM credit_transactions c WHERE c.order_id = o.id) AS all_rows
                FROM orders o
                """)
        }
        var seen: Set<String> = []
        for row in rows {
            let status: String = row["status"]
            let approved: Bool = row["approved"]
            let charges: Int = row["charges"], refunds: Int = row["refunds"], all: Int = row["all_rows"]
            switch status {
            case "approved", "completed":
                #expect(approved && charges == 1 && refunds == 0 && all == 1, "\(status) order with \(charges) charges")
            case "cancelled":
                if approved {
                    #expect(charges == 1 && refunds == 1 && all == 2)
                    seen.insert("cancelled after approval")
                } else {
                    #expect(all == 0)
                }
            case "rejected", "pending":
                #expect(!approved && all == 0)
            default:
                Issue.record("unknown status \(status)")
            }
            seen.insert(status)
        }
        #expect(seen.isSuperset(of: ["pending", "approved", "completed", "rejected", "cancelled", "cancelled after approval"]))
    }

    @Test func everyPaidCreditPackGrantsItsCredits() throws {
        let s = try Self.clean()
        let rows = try s.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.credits, p.amount_cents, p.currency,
                       (SELECT COUNT(*) FROM credit_transactions c WHERE c.stripe_payment_id = p.provider_ref AND c.type = 'purchase') AS purchases,
                       (SELECT SUM(amount) FROM credit_transactions c WHERE c.stripe_payment_id = p.provider_ref AND c.type = 'purchase') AS granted
                FROM payments p WHERE p.purpose = 'credits' AND p.status = 'SUCCESS'
                """)
        }
        #expect(!rows.isEmpty)
        for row in rows {
            let credits: Int64 = row["credits"]
            #expect((row["purchases"] as Int) == 1)
            #expect((row["granted"] as Int64) == credits)
            #expect(CreditPacks.credits(forPriceCents: row["amount_cents"]) == credits)
            #expect((row["currency"] as String) == "USD")
        }
        let orphanPurchases = try s.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM credit_transactions c WHERE c.type = 'purchase'
                AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.provider_ref = c.stripe_payment_id AND p.status = 'SUCCESS' AND p.purpose = 'credits')
                """)
        }
        #expect(orphanPurchases == 0)
    }

    @Test func paidOrdersHaveOneSuccessfulPaymentOfTheirTotal() throws {
        let s = try Self.clean()
        let rows = try s.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.payment_status, o.payment_method, o.total_cents, o.currency, o.status,
                       (SELECT COUNT(*) FROM payments p WHERE p.order_id = o.id AND p.status = 'SUCCESS') AS successes,
                       (SELECT COUNT(*) FROM payments p WHERE p.order_id = o.id AND p.status = 'REFUNDED') AS refunded,
                       (SELECT COUNT(*) FROM payments p WHERE p.order_id = o.id AND p.status IN ('SUCCESS', 'REFUNDED') AND p.amount_cents = o.total_cents AND p.currency = o.currency) AS exact,
                       (SELECT COUNT(*) FROM payments p WHERE p.order_id = o.id) AS attempts
                FROM orders o
                """)
        }
        for row in rows {
            let paymentStatus: String = row["payment_status"], method: String = row["payment_method"]
            let successes: Int = row["successes"], refunded: Int = row["refunded"], exact: Int = row["exact"], attempts: Int = row["attempts"]
            switch paymentStatus {
            case "paid": #expect(successes == 1 && refunded == 0 && exact == 1)
            case "refunded": #expect(successes == 0 && refunded == 1 && exact == 1 && (row["status"] as String) == "cancelled")
            case "unpaid", "failed": #expect(successes == 0 && refunded == 0)
            default: Issue.record("unexpected payment_status \(paymentStatus) in clean data")
            }
            if method == "cash" { #expect(attempts == 0, "a cash order has a payments row") }
        }
        // and the other way round: a SUCCESS payment's order is paid, its invoice PAID
        let wrongTargets = try s.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM payments p LEFT JOIN orders o ON o.id = p.order_id LEFT JOIN invoices i ON i.id = p.invoice_id
                WHERE p.status = 'SUCCESS' AND ((p.purpose = 'order' AND o.payment_status != 'paid') OR (p.purpose = 'invoice' AND i.status != 'PAID'))
                """)
        }
        #expect(wrongTargets == 0)
        let paidInvoicesWithoutPayment = try s.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM invoices i WHERE i.status = 'PAID'
                AND (SELECT COUNT(*) FROM payments p WHERE p.invoice_id = i.id AND p.status = 'SUCCESS' AND p.amount_cents = i.amount_cents) != 1
                """)
        }
        #expect(paidInvoicesWithoutPayment == 0)
    }

    @Test func paymentsFollowTheProviderConventions() throws {
        let s = try Self.clean()
        let rows = try s.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.*, v.currency AS venue_currency, v.mpesa_shortcode FROM payments p JOIN venues v ON v.id = p.venue_id
                """)
        }
        var statuses: Set<String> = []
        for row in rows {
            let provider: String = row["provider"], purpose: String = row["purpose"], status: String = row["status"]
            statuses.insert(status)
            let ref: String = row["provider_ref"]
            if provider == "stripe" {
                #expect(ref.hasPrefix("pi_") && (row["currency"] as String) == "USD")
                #expect((row["mpesa_receipt"] as String?) == nil)
            } else {
                #expect(ref.hasPrefix("ws_CO_") && (row["currency"] as String) == "KES")
                #expect((row["mpesa_shortcode"] as String?) != nil)
                #expect((row["amount_cents"] as Int64) % 100 == 0, "M-PESA takes whole shillings")
                let account: String = row["account_ref"]
                #expect(account.count <= 12)
                if purpose == "order" {
                    #expect(account == "OD" + (row["order_id"] as String).prefix(8))
                } else {
                    #expect(account == (row["invoice_id"] as String))
                }
                let receipt: String? = row["mpesa_receipt"]
                if status == "SUCCESS" || status == "REFUNDED" {
                    #expect(receipt?.count == 10)
                } else {
                    #expect(receipt == nil)
                }
                #expect(status != "INITIATED", "a lost callback is only planted")
            }
        }
        #expect(statuses == ["SUCCESS", "FAILED", "EXPIRED", "REFUNDED"])
    }

    @Test func venuesAreHalfCardHalfMpesa() throws {
        let s = try Self.clean()
        let venues = try s.read { db in try Row.fetchAll(db, sql: "SELECT currency, mpesa_shortcode FROM venues") }
        #expect(venues.filter { ($0["currency"] as String) == "USD" && ($0["mpesa_shortcode"] as String?) == nil }.count == 2)
        #expect(venues.filter { ($0["currency"] as String) == "KES" && ($0["mpesa_shortcode"] as String?) != nil }.count == 2)
        let methods = try s.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT payment_method FROM orders ORDER BY 1") }
        #expect(methods == ["card", "cash", "mpesa"])
        let menuItems = try s.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM menu_items") }
        #expect(menuItems == 32)
    }
}
