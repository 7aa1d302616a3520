import BackofficeCore
import Foundation
import GRDB
import Testing
@testable import Samples

/// The exports are in the real formats, and in clean data they agree with the database.
@Suite struct SampleExports {
    @Test func everyCSVReadsStrictlyWithTheRightHeader() throws {
        let s = try GeneratedSamples(name: "shape")
        let payments = try s.stripePayments
        #expect(payments.header == StripeExports.paymentsHeader)
        #expect(payments.rows.count == s.manifest.files(ofKind: "stripe_payments")[0].rows)
        let balance = try s.stripeBalance
        #expect(balance.header == StripeExports.balanceHeader)
        #expect(balance.rows.count == s.manifest.files(ofKind: "stripe_balance")[0].rows)
        let statements = s.manifest.files(ofKind: "mpesa_statement")
        #expect(statements.count == 4)
        for file in statements {
            let table = try s.csv(file.path, preambleUntil: "Receipt No.")
            #expect(table.header == MpesaStatementWriter.header)
            #expect(table.rows.count == file.rows)
        }
        #expect(try s.callbacks().count == s.manifest.files(ofKind: "daraja_stk_callbacks")[0].rows)
        // the manifest on disk is the one returned
        let onDisk = try JSONDecoder().decode(SampleManifest.self, from: Data(contentsOf: s.url(SampleManifest.fileName)))
        #expect(onDisk == s.manifest)
    }

    @Test func stripeValuesAreInTheExportsForms() throws {
        let s = try GeneratedSamples(name: "stripe-forms")
        for row in try s.stripePayments.rows {
            #expect(row["id"]!.hasPrefix("ch_"))
            #expect(row["PaymentIntent ID"]!.hasPrefix("pi_"))
            #expect(Timestamp(iso: row["Created date (UTC)"]!) != nil && row["Created date (UTC)"]!.count == 19)
            #expect(["usd", "eur"].contains(row["Currency"]!))
            #expect(["Paid", "Refunded", "Failed"].contains(row["Status"]!))
            _ = GeneratedSamples.cents(row["Amount"])
            #expect(["order", "credits"].contains(row["purpose (metadata)"]!))
        }
        let categories = Set(try s.stripeBalance.rows.map { $0["reporting_category"]! })
        #expect(categories == ["charge", "refund", "payout"])
    }

    @Test func statementsOverlapByADayInBothDateForms() throws {
        let s = try GeneratedSamples(name: "overlap")
        let files = try s.statements()
        for pair in stride(from: 0, to: files.count, by: 2) {
            let a = files[pair], b = files[pair + 1]
            #expect(a.file.hasSuffix("_a.csv") && b.file.hasSuffix("_b.csv"))
            // a: DD-MM-YYYY; b: YYYY-MM-DD; both newest first
            for (file, dayFirst) in [(a, true), (b, false)] {
                var previous: Timestamp?
                for row in file.rows {
                    let text = row["Completion Time"]!
                    let bytes = Array(text.utf8)
                    #expect(dayFirst ? bytes[2] == 45 && bytes[5] == 45 : bytes[4] == 45 && bytes[7] == 45, "\(text) in \(file.file)")
                    let t = Self.eat(text)
                    if let previous { #expect(t <= previous, "\(file.file) is not newest first") }
                    previous = t
                }
            }
            let receiptsA = Set(a.rows.map { $0["Receipt No."]! }), receiptsB = Set(b.rows.map { $0["Receipt No."]! })
            let shared = receiptsA.intersection(receiptsB)
            #expect(!shared.isEmpty, "the statements share the overlapping day's transactions")
            // a shared row says the same in both files, times aside
            let rowA = a.rows.first { shared.contains($0["Receipt No."]!) }!
            let rowB = b.rows.first { $0["Receipt No."] == rowA["Receipt No."] }!
            #expect(Self.eat(rowA["Completion Time"]!) == Self.eat(rowB["Completion Time"]!))
            #expect(rowA["Paid In"] == rowB["Paid In"] && rowA["Balance"] == rowB["Balance"] && rowA["A/C No."] == rowB["A/C No."])
        }
    }

    /// Parses either statement time form (EAT) into an instant.
    static func eat(_ text: String) -> Timestamp {
        let b = Array(text.utf8)
        func n(_ i: Int, _ c: Int) -> Int { Int(String(decoding: b[i..<(i + c)], as: UTF8.self))! }
        let (y, m, d) = b[2] == 45 ? (n(6, 4), n(3, 2), n(0, 2)) : (n(0, 4), n(5, 2), n(8, 2))
        return Timestamp(year: y, month: m, day: d, hour: n(11, 2), minute: n(14, 2), second: n(17, 2), utcOffsetSeconds: Timestamp.eatOffsetSeconds)!
    }

    @Test func statementsHoldEveryKindOfRowAndTheirBalancesRunOn() throws {
        let s = try GeneratedSamples(SampleOptions(venues: 2, days: 6, ordersPerDay: 60, seed: 3), name: "rows")
        let both = try s.statements() // the a and b files of the one M-PESA venue
        let all = both.flatMap(\.rows)
        let reasons = Set(all.map { $0["Reason Type"]! })
        #expect(reasons.isSuperset(of: ["Pay Bill Online", "Pay Bill Charge", "Business Withdrawal", "Reversal"]))
        #expect(all.contains { $0["Transaction Status"] == "Failed" })
        let file = both[1]
        #expect(file.rows.contains { ($0["Paid In"] ?? "").contains(",") }, "amounts of thousands carry separators")
        // oldest to newest, each balance is the previous one plus the row's change
        let chronological = Array(file.rows.reversed())
        for (previous, row) in zip(chronological, chronological.dropFirst()) {
            let change = row["Transaction Status"] == "Completed" ? GeneratedSamples.cents(row["Paid In"]) + GeneratedSamples.cents(row["Withdrawn"]) : 0
            #expect(GeneratedSamples.cents(previous["Balance"]) + change == GeneratedSamples.cents(row["Balance"]))
        }
        for row in file.rows {
            #expect(row["Receipt No."]!.count == 10 && row["Receipt No."]!.allSatisfy { $0.isUppercase || $0.isNumber })
            if !(row["Withdrawn"] ?? "").isEmpty { #expect(row["Withdrawn"]!.hasPrefix("-")) }
        }
    }

    @Test func cleanExportsAgreeWithTheDatabase() throws {
        var options = GeneratedSamples.small
        options.plantDiscrepancies = false
        let s = try GeneratedSamples(options, name: "agree")
        let payments = try s.read { db in try Row.fetchAll(db, sql: "SELECT * FROM payments") }
        let byRef = Dictionary(uniqueKeysWithValues: payments.map { (($0["provider_ref"] as String), $0) })
        let byReceipt = Dictionary(uniqueKeysWithValues: payments.compactMap { row in (row["mpesa_receipt"] as String?).map { ($0, row) } })

        // Stripe: every charge has its row, with the same amount and outcome; every successful row has its charge
        var charged = Set<String>()
        for charge in try s.stripePayments.rows {
            let pi = charge["PaymentIntent ID"]!
            let row = try #require(byRef[pi], "charge \(charge["id"]!) has no payments row")
            #expect(GeneratedSamples.cents(charge["Amount"]) == row["amount_cents"] as Int64)
            #expect(charge["Currency"]!.uppercased() == row["currency"] as String)
            let expected = ["Paid": "SUCCESS", "Refunded": "REFUNDED", "Failed": "FAILED"][charge["Status"]!]
            #expect(expected == row["status"] as String)
            #expect(charge["purpose (metadata)"] == row["purpose"] as String)
            #expect(charge["order_id (metadata)"] == ((row["order_id"] as String?) ?? ""))
            if charge["Status"] != "Failed" { charged.insert(pi) }
        }
        let successfulStripe = Set(payments.filter { ($0["provider"] as String) == "stripe" && ["SUCCESS", "REFUNDED"].contains($0["status"] as String) }.map { $0["provider_ref"] as String })
        #expect(charged == successfulStripe)

        // the balance report lists the same charges, and each refund of a REFUNDED row
        let balance = try s.stripeBalance.rows
        let balanceCharges = Set(balance.filter { $0["reporting_category"] == "charge" }.map { $0["payment_intent_id"]! })
        #expect(balanceCharges == successfulStripe)
        let refunds = Set(balance.filter { $0["reporting_category"] == "refund" }.map { $0["payment_intent_id"]! })
        #expect(refunds == Set(payments.filter { ($0["provider"] as String) == "stripe" && ($0["status"] as String) == "REFUNDED" }.map { $0["provider_ref"] as String }))

        // payouts: each equals the net of the transactions that name it
        var net: [String: Int64] = [:]
        for row in balance where row["reporting_category"] != "payout" {
            if let payout = row["automatic_payout_id"], !payout.isEmpty { net[payout, default: 0] += GeneratedSamples.cents(row["net"]) }
        }
        let payouts = balance.filter { $0["reporting_category"] == "payout" }
        #expect(!payouts.isEmpty)
        for payout in payouts {
            #expect(-GeneratedSamples.cents(payout["net"]) == net[payout["source_id"]!], "payout \(payout["source_id"]!)")
        }
        #expect(Set(payouts.map { $0["source_id"]! }) == Set(net.keys))

        // M-PESA: each completed Pay Bill row is a recorded payment; reversals undo REFUNDED ones
        var seenReceipts = Set<String>()
        for (_, rows) in try s.statements() {
            for row in rows where row["Transaction Status"] == "Completed" {
                switch row["Reason Type"]! {
                case "Pay Bill Online":
                    let payment = try #require(byReceipt[row["Receipt No."]!], "receipt \(row["Receipt No."]!) is not recorded")
                    #expect(GeneratedSamples.cents(row["Paid In"]) == payment["amount_cents"] as Int64)
                    #expect(row["A/C No."] == payment["account_ref"] as String)
                    seenReceipts.insert(row["Receipt No."]!)
                case "Reversal":
                    let payment = try #require(byReceipt[row["Linked Transaction ID"]!])
                    #expect(payment["status"] as String == "REFUNDED")
                    #expect(-GeneratedSamples.cents(row["Withdrawn"]) == payment["amount_cents"] as Int64)
                case "Pay Bill Charge", "Business Withdrawal":
                    #expect(!(row["Withdrawn"] ?? "").isEmpty)
                default:
                    Issue.record("unexpected reason \(row["Reason Type"]!)")
                }
            }
        }
        let successfulMpesa = Set(payments.filter { ($0["provider"] as String) == "mpesa" && ["SUCCESS", "REFUNDED"].contains($0["status"] as String) }.map { $0["mpesa_receipt"] as String })
        #expect(seenReceipts == successfulMpesa)

        // callbacks: ResultCode 0 carries the receipt of a successful row; others a failed or expired row
        var cancellations = 0
        for object in try s.callbacks() {
            let callback = Callback(object)
            let row = try #require(byRef[callback.checkoutRequestId])
            if callback.resultCode == 0 {
                #expect(["SUCCESS", "REFUNDED"].contains(row["status"] as String))
                #expect(callback.receipt == row["mpesa_receipt"] as String?)
                #expect(callback.amount.map { Int64($0 * 100) } == row["amount_cents"] as Int64)
            } else {
                #expect(["FAILED", "EXPIRED"].contains(row["status"] as String))
                if callback.resultCode == 1032 { cancellations += 1 }
            }
        }
        #expect(cancellations > 0)
    }
}
