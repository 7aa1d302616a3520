import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
import TestSupport
@testable import Reconcile

/// A small live database made consistent by construction (venues with their bonus, orders with their
/// order charges, payments, credit packs with their purchases, credits_remaining = ledger sum), and the
/// provider records that agree with it. Tests plant one discrepancy at a time.
final class LiveFixture {
    private let scratch: TemporaryFolder
    let path: String
    let queue: DatabaseQueue
    var records: [ProviderRecord] = []
    private var counter = 0
    static let day = Timestamp(iso: "2026-11-03T00:00:00Z")!

    init() throws {
        scratch = try TemporaryFolder("reconcile-tests")
        path = scratch.file("live.db").path
        queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: LiveSchema.sql) }
    }

    var live: LiveDatabase { try! LiveDatabase(path: path) }

    func next() -> Int { counter += 1; return counter }

    /// `3f9a2c01-…`: an id whose first 8 characters are hex, like the live service's UUIDs.
    func uuid() -> String {
        let n = next()
        let hex = String(n, radix: 16)
        let h8 = String(repeating: "0", count: 8 - hex.count) + hex
        return "\(h8)-aaaa-4bbb-8ccc-\(String(repeating: "0", count: 12 - String(n).count))\(n)"
    }

    static func at(_ hour: Int, _ minute: Int = 0, day: Int = 0) -> Timestamp {
        LiveFixture.day.adding(seconds: Int64(day * 86400 + hour * 3600 + minute * 60))
    }

    func exec(_ sql: String, _ args: StatementArguments = []) throws {
        try queue.write { db in try db.execute(sql: sql, arguments: args) }
    }

    // MARK: live rows

    @discardableResult
    func venue(_ name: String, currency: String = "USD", mpesa: Bool = false) throws -> String {
        let id = uuid()
        try exec("""
            INSERT INTO venues (id, name, currency, credits_remaining, approval_group_id, mpesa_shortcode, created_at, updated_at)
            VALUES (?, ?, ?, 25, 'grp', ?, '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z')
            """, [id, name, currency, mpesa ? "600123" : nil])
        try exec("INSERT INTO credit_transactions (id, venue_id, amount, type, created_at) VALUES (?, ?, 25, 'bonus', '2026-10-01T00:00:00Z')", [uuid(), id])
        return id
    }

    /// A credit ledger row, keeping credits_remaining equal to the ledger sum unless `keepBalance` is false.
    func credit(_ venue: String, _ amount: Int, _ type: String, order: String? = nil, pi: String? = nil, at: Timestamp, keepBalance: Bool = true) throws {
        try exec("INSERT INTO credit_transactions (id, venue_id, amount, type, stripe_payment_id, order_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 [uuid(), venue, amount, type, pi, order, at.iso])
        if keepBalance {
            try exec("UPDATE venues SET credits_remaining = credits_remaining + ? WHERE id = ?", [amount, venue])
        }
    }

    /// An order; approved/completed orders get their one order charge (`charges` to plant otherwise).
    @discardableResult
    func order(_ venue: String, number: Int, total: Int64, currency: String = "USD", status: String = "completed",
               method: String? = "card", paymentStatus: String = "paid", at: Timestamp, approved: Bool? = nil, charges: Int? = nil) throws -> String {
        let id = uuid()
        let wasApproved = approved ?? ["approved", "completed"].contains(status)
        try exec("""
            INSERT INTO orders (id, venue_id, order_number, items, total_cents, currency, status, payment_method, payment_status, created_at, approved_at, updated_at)
            VALUES (?, ?, ?, '[]', ?, ?, ?, ?, ?, ?, ?, ?)
            """, [id, venue, number, total, currency, status, method, paymentStatus, at.iso, wasApproved ? at.adding(seconds: 60).iso : nil, at.iso])
        let n = charges ?? (wasApproved ? 1 : 0)
        for _ in 0..<n { try credit(venue, -1, "order_charge", order: id, at: at.adding(seconds: 60)) }
        if status == "cancelled" && wasApproved { try credit(venue, 1, "refund", order: id, at: at.adding(seconds: 120)) }
        return id
    }

    @discardableResult
    func payment(_ venue: String, purpose: String = "order", order: String? = nil, invoice: String? = nil, provider: String = "stripe",
                 status: String = "SUCCESS", amount: Int64, currency: String = "USD", ref: String?, account: String? = nil,
                 receipt: String? = nil, credits: Int? = nil, at: Timestamp) throws -> String {
        let id = uuid()
        try exec("""
            INSERT INTO payments (id, venue_id, purpose, order_id, invoice_id, provider, status, amount_cents, currency, provider_ref,
                                  account_ref, mpesa_receipt, credits, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [id, venue, purpose, order, invoice, provider, status, amount, currency, ref, account, receipt, credits, at.iso, at.iso])
        return id
    }

    func invoice(_ venue: String, id: String, amount: Int64, status: String = "PAID", at: Timestamp) throws {
        try exec("""
            INSERT INTO invoices (id, venue_id, msisdn, amount_cents, currency, description, status, created_at, updated_at)
            VALUES (?, ?, '254712345678', ?, 'KES', 'Catering', ?, ?, ?)
            """, [id, venue, amount, status, at.iso, at.iso])
    }

    static func accountRef(order: String) -> String { "OD" + order.prefix(8).uppercased() }

    // MARK: provider records

    static func source(_ kind: InputKind) -> SourceLocation {
        SourceLocation(file: kind.rawValue + ".csv", line: 2)
    }

    /// A Stripe charge as the Payments export tells it.
    static func exportCharge(ch: String, pi: String?, amount: Int64, currency: String = "usd", at: Timestamp, refunded: Int64 = 0,
                             fee: Int64 = 0, failed: Bool = false, metadata: [String: String] = [:]) -> ProviderRecord {
        ProviderRecord(provider: .stripe, inputKind: .stripePayments, event: failed ? .failedPayment : .payment, dedupKey: ch,
                       paymentIntent: pi, chargeId: ch, amountMinor: amount, refundedMinor: refunded, feeMinor: fee,
                       currency: currency, occurredAt: at, description: "Order", metadata: metadata, source: source(.stripePayments))
    }

    /// A balance report row (settlement view).
    static func balance(_ event: ProviderEventKind, key: String, ch: String? = nil, pi: String? = nil, reverses: String? = nil,
                        amount: Int64, fee: Int64 = 0, currency: String = "usd", at: Timestamp, payout: String?,
                        metadata: [String: String] = [:]) -> ProviderRecord {
        ProviderRecord(provider: .stripe, inputKind: .stripeBalance, event: event, dedupKey: key, paymentIntent: pi, chargeId: ch,
                       reversesRef: reverses, payoutId: payout, amountMinor: amount, feeMinor: fee, currency: currency,
                       occurredAt: at, metadata: metadata, source: source(.stripeBalance))
    }

    static func statement(_ event: ProviderEventKind = .payment, receipt: String, amount: Int64, at: Timestamp, account: String? = nil,
                          reverses: String? = nil, file: String = "statement-1.csv") -> ProviderRecord {
        ProviderRecord(provider: .mpesa, inputKind: .mpesaStatement, event: event, dedupKey: receipt, mpesaReceipt: receipt,
                       accountRef: account, reversesRef: reverses, amountMinor: amount, currency: "KES", occurredAt: at,
                       msisdn: "254712345678", source: SourceLocation(file: file, line: 7))
    }

    static func callback(receipt: String?, checkout: String, amount: Int64, at: Timestamp, failed: Bool = false) -> ProviderRecord {
        ProviderRecord(provider: .mpesa, inputKind: .darajaCallbacks, event: failed ? .failedPayment : .payment,
                       dedupKey: receipt ?? checkout, mpesaReceipt: receipt, checkoutRequestId: checkout,
                       amountMinor: failed ? 0 : amount, currency: "KES", occurredAt: at, source: source(.darajaCallbacks))
    }

    // MARK: running

    /// M-PESA statement files whose preamble shows a short code (file name -> code).
    var statementShortCodes: [String: String] = [:]

    func inputs(_ records: [ProviderRecord]) -> [InputSummary] {
        var kinds: [InputKind] = []
        for r in records where !kinds.contains(r.inputKind) { kinds.append(r.inputKind) }
        return kinds.enumerated().map { i, kind in
            InputSummary(file: kind.rawValue, kind: kind, sha256: String(repeating: "a", count: 63) + String(i),
                         rows: records.filter { $0.inputKind == kind }.count)
        } + statementShortCodes.sorted(by: { $0.key < $1.key }).map { file, code in
            InputSummary(file: file, kind: .mpesaStatement, sha256: String(repeating: "b", count: 64), rows: 0, mpesaShortCode: code)
        }
    }

    func reconcile(from: Timestamp? = nil, to: Timestamp? = nil, venue: String? = nil, records override: [ProviderRecord]? = nil) throws -> ReconcileResult {
        let records = override ?? self.records
        let period = Period.resolve(from: from, to: to, records: records, now: LiveFixture.day)
        let snapshot = try live.read { db in try LiveSnapshot.load(db, records: records, period: period, venueFilter: venue) }
        return Matcher.match(snapshot: snapshot, records: records, inputs: inputs(records), options: MatchOptions(period: period, venue: venue))
    }
}

/// A clean week: every noise kind the spec lists, and nothing a person must look at.
struct CleanWorld {
    let f: LiveFixture
    var bistro = ""            // Stripe, USD
    var kitchen = ""           // M-PESA, KES
    var order1 = "", payment1 = ""
    var order9 = "", payment9 = ""
    var packPayment = ""
    var payoutAmount: Int64 = 0

    init() throws {
        f = try LiveFixture()
        let at = LiveFixture.at
        bistro = try f.venue("Corner Bistro")
        kitchen = try f.venue("Mama Njeri Kitchen", currency: "KES", mpesa: true)
        var balanceNet: Int64 = 0
        func settle(_ r: ProviderRecord) {
            f.records.append(r)
            balanceNet += r.event == .payment ? r.amountMinor - r.feeMinor : -(r.amountMinor + r.feeMinor)
        }
        let bistroId = bistro
        let meta = { (order: String) in ["order_id": order, "venue_id": bistroId, "purpose": "order"] }

        // 1. a card order, paid: in both Stripe exports
        order1 = try f.order(bistro, number: 1, total: 2050, at: at(9, 0, 0))
        payment1 = try f.payment(bistro, order: order1, amount: 2050, ref: "pi_1", at: at(9, 1, 0))
        f.records.append(LiveFixture.exportCharge(ch: "ch_1", pi: "pi_1", amount: 2050, at: at(9, 2, 0), fee: 89, metadata: meta(order1)))
        settle(LiveFixture.balance(.payment, key: "ch_1", ch: "ch_1", pi: "pi_1", amount: 2050, fee: 89, at: at(9, 2, 0), payout: "po_1", metadata: meta(order1)))

        // 2. partly refunded, recorded (order partially_refunded)
        let order2 = try f.order(bistro, number: 2, total: 3000, paymentStatus: "partially_refunded", at: at(10, 0, 0))
        try f.payment(bistro, order: order2, amount: 3000, ref: "pi_2", at: at(10, 1, 0))
        f.records.append(LiveFixture.exportCharge(ch: "ch_2", pi: "pi_2", amount: 3000, at: at(10, 2, 0), refunded: 500, fee: 117, metadata: meta(order2)))
        settle(LiveFixture.balance(.payment, key: "ch_2", ch: "ch_2", pi: "pi_2", amount: 3000, fee: 117, at: at(10, 2, 0), payout: "po_1"))
        settle(LiveFixture.balance(.refund, key: "re_2", ch: "ch_2", pi: "pi_2", reverses: "ch_2", amount: 500, at: at(15, 0, 0), payout: "po_1"))

        // 3. fully refunded, recorded (payment REFUNDED, order refunded)
        let order3 = try f.order(bistro, number: 3, total: 1500, paymentStatus: "refunded", at: at(11, 0, 0))
        try f.payment(bistro, order: order3, status: "REFUNDED", amount: 1500, ref: "pi_3", at: at(11, 1, 0))
        f.records.append(LiveFixture.exportCharge(ch: "ch_3", pi: "pi_3", amount: 1500, at: at(11, 2, 0), refunded: 1500, fee: 74, metadata: meta(order3)))

        // 4. a failed attempt, then success on the same PaymentIntent
        let order4 = try f.order(bistro, number: 4, total: 1200, at: at(12, 0, 0))
        try f.payment(bistro, order: order4, amount: 1200, ref: "pi_4", at: at(12, 1, 0))
        f.records.append(LiveFixture.exportCharge(ch: "ch_4a", pi: "pi_4", amount: 1200, at: at(12, 1, 0), failed: true, metadata: meta(order4)))
        f.records.append(LiveFixture.exportCharge(ch: "ch_4b", pi: "pi_4", amount: 1200, at: at(12, 2, 0), fee: 65, metadata: meta(order4)))

        // 5. cash order; 6. rejected order; 7. cancelled after approval with a failed card attempt; 8. pending
        try f.order(bistro, number: 5, total: 900, method: "cash", paymentStatus: "unpaid", at: at(13, 0, 0))
        try f.order(bistro, number: 6, total: 900, status: "rejected", paymentStatus: "unpaid", at: at(13, 30, 0))
        let order7 = try f.order(bistro, number: 7, total: 800, status: "cancelled", paymentStatus: "failed", at: at(14, 0, 0), approved: true)
        try f.payment(bistro, order: order7, status: "FAILED", amount: 800, ref: "pi_7", at: at(14, 1, 0))
        f.records.append(LiveFixture.exportCharge(ch: "ch_7", pi: "pi_7", amount: 800, at: at(14, 2, 0), failed: true, metadata: meta(order7)))
        let order8 = try f.order(bistro, number: 8, total: 700, status: "pending", paymentStatus: "pending", at: at(16, 0, 0))
        try f.payment(bistro, order: order8, status: "INITIATED", amount: 700, ref: "pi_8", at: at(16, 1, 0))

        // a 500-credit pack, granted
        packPayment = try f.payment(bistro, purpose: "credits", amount: 8500, ref: "pi_c1", credits: 500, at: at(17, 0, 0))
        try f.credit(bistro, 500, "purchase", pi: "pi_c1", at: at(17, 1, 0))
        let packMeta = ["venue_id": bistro, "purpose": "credits", "credits": "500"]
        f.records.append(LiveFixture.exportCharge(ch: "ch_c1", pi: "pi_c1", amount: 8500, at: at(17, 0, 0), fee: 277, metadata: packMeta))
        settle(LiveFixture.balance(.payment, key: "ch_c1", ch: "ch_c1", pi: "pi_c1", amount: 8500, fee: 277, at: at(17, 0, 0), payout: "po_1"))

        // a Stripe fee row paid out in the same payout, and the payout itself
        settle(LiveFixture.balance(.fee, key: "txn_fee1", amount: 200, at: at(18, 0, 0), payout: "po_1"))
        payoutAmount = balanceNet
        f.records.append(LiveFixture.balance(.payout, key: "po_1", amount: balanceNet, at: at(6, 0, 1), payout: "po_1"))

        // M-PESA: 9. an order paid, in two overlapping statements and a callback
        order9 = try f.order(kitchen, number: 1, total: 125_000, currency: "KES", method: "mpesa", at: at(9, 0, 0))
        let acc9 = LiveFixture.accountRef(order: order9)
        payment9 = try f.payment(kitchen, order: order9, provider: "mpesa", amount: 125_000, currency: "KES", ref: "ws_CO_9", account: acc9, receipt: "TKL2ABC309", at: at(9, 1, 0))
        f.records.append(LiveFixture.statement(receipt: "TKL2ABC309", amount: 125_000, at: at(9, 2, 0), account: acc9))
        f.records.append(LiveFixture.statement(receipt: "TKL2ABC309", amount: 125_000, at: at(9, 2, 0), account: acc9, file: "statement-2.csv"))
        f.records.append(LiveFixture.callback(receipt: "TKL2ABC309", checkout: "ws_CO_9", amount: 125_000, at: at(9, 2, 0)))
        // its Pay Bill charge, and a withdrawal to the bank
        f.records.append(LiveFixture.statement(.fee, receipt: "TKL2ABC309", amount: 2_200, at: at(9, 2, 0), reverses: "TKL2ABC309"))
        f.records.append(LiveFixture.statement(.withdrawal, receipt: "TKW0000001", amount: 100_000, at: at(20, 0, 0)))

        // an invoice paid by M-PESA
        try f.invoice(kitchen, id: "INV-0000001", amount: 50_000, at: at(10, 0, 0))
        try f.payment(kitchen, purpose: "invoice", invoice: "INV-0000001", provider: "mpesa", amount: 50_000, currency: "KES", ref: "ws_CO_I1", account: "INV-0000001", receipt: "TKL2ABC3I1", at: at(10, 1, 0))
        f.records.append(LiveFixture.statement(receipt: "TKL2ABC3I1", amount: 50_000, at: at(10, 2, 0), account: "INV-0000001"))

        // 10. paid then reversed, and the database recorded the reversal
        let order10 = try f.order(kitchen, number: 2, total: 40_000, currency: "KES", method: "mpesa", paymentStatus: "refunded", at: at(11, 0, 0))
        try f.payment(kitchen, order: order10, provider: "mpesa", status: "REFUNDED", amount: 40_000, currency: "KES", ref: "ws_CO_10", account: LiveFixture.accountRef(order: order10), receipt: "TKL2ABC310", at: at(11, 1, 0))
        f.records.append(LiveFixture.statement(receipt: "TKL2ABC310", amount: 40_000, at: at(11, 2, 0), account: LiveFixture.accountRef(order: order10)))
        f.records.append(LiveFixture.statement(.refund, receipt: "TKR0000010", amount: 40_000, at: at(12, 0, 0), reverses: "TKL2ABC310"))

        // 11. a cancelled STK push (callback 1032, statement Cancelled row), row FAILED
        let order11 = try f.order(kitchen, number: 3, total: 30_000, currency: "KES", method: "mpesa", paymentStatus: "failed", at: at(13, 0, 0))
        try f.payment(kitchen, order: order11, provider: "mpesa", status: "FAILED", amount: 30_000, currency: "KES", ref: "ws_CO_11", account: LiveFixture.accountRef(order: order11), at: at(13, 1, 0))
        f.records.append(LiveFixture.callback(receipt: nil, checkout: "ws_CO_11", amount: 30_000, at: at(13, 2, 0), failed: true))
        f.records.append(LiveFixture.statement(.failedPayment, receipt: "TKF0000011", amount: 30_000, at: at(13, 2, 0), account: LiveFixture.accountRef(order: order11)))
    }
}
