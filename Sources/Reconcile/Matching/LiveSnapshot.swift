import BackofficeCore
import GRDB
import LiveDatabase

/// A payment row, with the status of the order or invoice it pays for.
public struct LivePayment: Sendable, Hashable {
    public var id: String
    public var venueId: String
    public var purpose: String            // order | invoice | credits
    public var orderId: String?
    public var invoiceId: String?
    public var provider: Provider
    public var status: String             // INITIATED | SUCCESS | FAILED | EXPIRED | REFUNDED
    public var amountCents: Int64
    public var currency: String
    public var providerRef: String?
    public var accountRef: String?
    public var mpesaReceipt: String?
    public var credits: Int64?
    public var createdAt: Timestamp
    /// The order's number, day and payment status (purpose `order`).
    public var orderNumber: Int64?
    public var orderCreatedAt: Timestamp?
    public var orderPaymentStatus: String?
    /// The invoice's status (purpose `invoice`).
    public var invoiceStatus: String?

    public init(id: String, venueId: String, purpose: String, orderId: String? = nil, invoiceId: String? = nil,
                provider: Provider, status: String, amountCents: Int64, currency: String, providerRef: String? = nil,
                accountRef: String? = nil, mpesaReceipt: String? = nil, credits: Int64? = nil, createdAt: Timestamp,
                orderNumber: Int64? = nil, orderCreatedAt: Timestamp? = nil, orderPaymentStatus: String? = nil,
                invoiceStatus: String? = nil) {
        self.id = id
        self.venueId = venueId
        self.purpose = purpose
        self.orderId = orderId
        self.invoiceId = invoiceId
        self.provider = provider
        self.status = status
        self.amountCents = amountCents
        self.currency = currency
        self.providerRef = providerRef
        self.accountRef = accountRef
        self.mpesaReceipt = mpesaReceipt
        self.credits = credits
        self.createdAt = createdAt
        self.orderNumber = orderNumber
        self.orderCreatedAt = orderCreatedAt
        self.orderPaymentStatus = orderPaymentStatus
        self.invoiceStatus = invoiceStatus
    }
}

public struct LiveVenue: Sendable, Hashable {
    public var id: String
    public var name: String
    public var currency: String
    public var creditsRemaining: Int64
    public init(id: String, name: String, currency: String, creditsRemaining: Int64) {
        self.id = id; self.name = name; self.currency = currency; self.creditsRemaining = creditsRemaining
    }
}

public struct LiveOrderInfo: Sendable, Hashable {
    public var id: String
    public var venueId: String
    public var number: Int64
    public var createdAt: Timestamp?
    public var status: String
    public var paymentStatus: String
    public init(id: String, venueId: String, number: Int64, createdAt: Timestamp?, status: String, paymentStatus: String) {
        self.id = id; self.venueId = venueId; self.number = number; self.createdAt = createdAt
        self.status = status; self.paymentStatus = paymentStatus
    }
}

public struct LiveInvoice: Sendable, Hashable {
    public var id: String
    public var venueId: String
    public var status: String
    public var amountCents: Int64
    public var currency: String
    public init(id: String, venueId: String, status: String, amountCents: Int64, currency: String) {
        self.id = id; self.venueId = venueId; self.status = status; self.amountCents = amountCents; self.currency = currency
    }
}

/// An order in the period whose `order_charge` rows are not exactly what its status needs
/// (none for an approved order, or more than one). Found by one SQL aggregate.
public struct OrderChargeCheck: Sendable, Hashable {
    public var orderId: String
    public var venueId: String
    public var orderNumber: Int64
    public var createdAt: Timestamp?
    public var status: String
    /// Number of `order_charge` rows.
    public var charges: Int
    /// Their credits (negative).
    public var chargedCredits: Int64
    public init(orderId: String, venueId: String, orderNumber: Int64, createdAt: Timestamp?, status: String, charges: Int, chargedCredits: Int64) {
        self.orderId = orderId; self.venueId = venueId; self.orderNumber = orderNumber; self.createdAt = createdAt
        self.status = status; self.charges = charges; self.chargedCredits = chargedCredits
    }
}

/// `purchase` rows for one PaymentIntent.
public struct PurchaseSum: Sendable, Hashable {
    public var rows: Int
    public var credits: Int64
    public init(rows: Int, credits: Int64) { self.rows = rows; self.credits = credits }
}

/// The live records the matcher needs, read in one snapshot.
///
/// Payments are read for the period widened by two days on each side (and the span of the
/// provider records), plus any payment a provider record names by PaymentIntent, receipt or
/// CheckoutRequestID outside that window (by index). Ledger checks are SQL aggregates.
public struct LiveSnapshot: Sendable {
    public var venues: [String: LiveVenue]
    public var payments: [LivePayment]
    /// Orders named by provider metadata that no loaded payment row points to.
    public var orders: [String: LiveOrderInfo]
    /// Invoices named by an M-PESA `A/C No.` that no loaded payment row carries, keyed by upper-cased id.
    public var invoices: [String: LiveInvoice]
    /// `purchase` credit rows by `stripe_payment_id`.
    public var purchases: [String: PurchaseSum]
    /// Orders created in the period (venue filter applied) with a missing or duplicated order charge.
    public var orderCharges: [OrderChargeCheck]
    /// Every venue's credit ledger over the period (venue filter applied).
    public var ledger: [CreditLedgerRow]

    public init(venues: [String: LiveVenue] = [:], payments: [LivePayment] = [], orders: [String: LiveOrderInfo] = [:],
                invoices: [String: LiveInvoice] = [:], purchases: [String: PurchaseSum] = [:],
                orderCharges: [OrderChargeCheck] = [], ledger: [CreditLedgerRow] = []) {
        self.venues = venues
        self.payments = payments
        self.orders = orders
        self.invoices = invoices
        self.purchases = purchases
        self.orderCharges = orderCharges
        self.ledger = ledger
    }

    static let paymentColumns = """
        SELECT p.id, p.venue_id, p.purpose, p.order_id, p.invoice_id, p.provider, p.status, p.amount_cents, p.currency,
               p.provider_ref, p.account_ref, p.mpesa_receipt, p.credits, unixepoch(p.created_at),
               o.order_number, unixepoch(o.created_at), o.payment_status, i.status
        FROM payments p
        LEFT JOIN orders o ON o.id = p.order_id
        LEFT JOIN invoices i ON i.id = p.invoice_id
        """

    static func payment(_ row: Row) -> LivePayment? {
        guard let provider = Provider(rawValue: row[5] as String) else { return nil }
        return LivePayment(
            id: row[0], venueId: row[1], purpose: row[2], orderId: row[3], invoiceId: row[4], provider: provider,
            status: row[6], amountCents: row[7], currency: row[8], providerRef: row[9], accountRef: row[10],
            mpesaReceipt: row[11], credits: row[12], createdAt: Timestamp(seconds: (row[13] as Int64?) ?? 0),
            orderNumber: row[14], orderCreatedAt: (row[15] as Int64?).map { Timestamp(seconds: $0) },
            orderPaymentStatus: row[16], invoiceStatus: row[17])
    }

    /// Reads everything the matcher needs for `records` and `period` in the snapshot `db`.
    public static func load(_ db: Database, records: [ProviderRecord], period: Period, venueFilter: String?) throws -> LiveSnapshot {
        var snapshot = LiveSnapshot()
        let from = period.from.iso, to = period.to.iso

        // venues
        let venueCursor = try Row.fetchCursor(db, sql: "SELECT id, name, currency, credits_remaining FROM venues")
        while let row = try venueCursor.next() {
            let venue = LiveVenue(id: row[0], name: row[1], currency: row[2], creditsRemaining: row[3])
            snapshot.venues[venue.id] = venue
        }

        // payments in the widened window
        var lo = period.from, hi = period.to
        for record in records {
            if record.occurredAt < lo { lo = record.occurredAt }
            if record.occurredAt >= hi { hi = record.occurredAt.adding(seconds: 1) }
        }
        lo = lo.adding(seconds: -2 * 86400)
        hi = hi.adding(seconds: 2 * 86400)
        var loadedIds = Set<String>()
        var byPI = Set<String>(), byReceipt = Set<String>(), byCheckout = Set<String>(), accountRefs = Set<String>()
        var orderIds = Set<String>()
        func add(_ p: LivePayment) {
            guard loadedIds.insert(p.id).inserted else { return }
            if let ref = p.providerRef { if p.provider == .stripe { byPI.insert(ref) } else { byCheckout.insert(ref) } }
            if let r = p.mpesaReceipt { byReceipt.insert(r) }
            if let a = p.accountRef { accountRefs.insert(a.uppercased()) }
            if let o = p.orderId { orderIds.insert(o) }
            snapshot.payments.append(p)
        }
        let windowStatement = try db.makeStatement(sql: paymentColumns + " WHERE p.created_at >= ? AND p.created_at < ?")
        let cursor = try Row.fetchCursor(windowStatement, arguments: [lo.iso, hi.iso])
        while let row = try cursor.next() { if let p = payment(row) { add(p) } }

        // payments outside the window that a provider record names
        var wantPI = Set<String>(), wantReceipt = Set<String>(), wantCheckout = Set<String>()
        var wantAccount = Set<String>(), wantOrder = Set<String>()
        for r in records {
            switch r.provider {
            case .stripe:
                if let pi = r.paymentIntent, !byPI.contains(pi) { wantPI.insert(pi) }
                if let rev = r.reversesRef, rev.hasPrefix("pi_"), !byPI.contains(rev) { wantPI.insert(rev) }
                if let order = r.metadata["order_id"], !orderIds.contains(order) { wantOrder.insert(order) }
            case .mpesa:
                if let receipt = r.mpesaReceipt, !byReceipt.contains(receipt) { wantReceipt.insert(receipt) }
                if let rev = r.reversesRef, !byReceipt.contains(rev) { wantReceipt.insert(rev) }
                if let c = r.checkoutRequestId, !byCheckout.contains(c) { wantCheckout.insert(c) }
                if r.event == .payment, let a = r.accountRef?.uppercased(), !a.isEmpty, !accountRefs.contains(a) { wantAccount.insert(a) }
            }
        }
        func lookup(_ sql: String, _ keys: Set<String>) throws {
            guard !keys.isEmpty else { return }
            let statement = try db.makeStatement(sql: paymentColumns + " WHERE " + sql)
            for key in keys.sorted() {
                let c = try Row.fetchCursor(statement, arguments: [key])
                while let row = try c.next() { if let p = payment(row) { add(p) } }
            }
        }
        try lookup("p.provider = 'stripe' AND p.provider_ref = ?", wantPI)
        try lookup("p.mpesa_receipt = ?", wantReceipt)
        try lookup("p.provider = 'mpesa' AND p.provider_ref = ?", wantCheckout)

        // orders named by metadata and not reached through a payment row
        if !wantOrder.isEmpty {
            let statement = try db.makeStatement(sql: "SELECT id, venue_id, order_number, unixepoch(created_at), status, payment_status FROM orders WHERE id = ?")
            for id in wantOrder.sorted() where !orderIds.contains(id) {
                if let row = try Row.fetchOne(statement, arguments: [id]) {
                    snapshot.orders[id] = LiveOrderInfo(id: row[0], venueId: row[1], number: row[2],
                                                        createdAt: (row[3] as Int64?).map { Timestamp(seconds: $0) },
                                                        status: row[4], paymentStatus: row[5])
                }
            }
        }
        // invoices named by an A/C No. nobody's payment row carries
        if !wantAccount.isEmpty {
            let statement = try db.makeStatement(sql: "SELECT id, venue_id, status, amount_cents, currency FROM invoices WHERE id = ? OR id = ?")
            for ref in wantAccount.sorted() {
                if let row = try Row.fetchOne(statement, arguments: [ref, ref.lowercased()]) {
                    snapshot.invoices[ref] = LiveInvoice(id: row[0], venueId: row[1], status: row[2], amountCents: row[3], currency: row[4])
                }
            }
        }

        // credit purchases by PaymentIntent
        let purchaseCursor = try Row.fetchCursor(db, sql: """
            SELECT stripe_payment_id, COUNT(*), SUM(amount) FROM credit_transactions
            WHERE type = 'purchase' AND stripe_payment_id IS NOT NULL GROUP BY stripe_payment_id
            """)
        while let row = try purchaseCursor.next() {
            snapshot.purchases[row[0]] = PurchaseSum(rows: row[1], credits: row[2])
        }

        // order charges: orders created in the period whose charge rows are wrong
        var chargeSQL = """
            WITH charges AS (
                SELECT order_id, COUNT(*) AS n, SUM(amount) AS credits FROM credit_transactions
                WHERE type = 'order_charge' AND order_id IS NOT NULL GROUP BY order_id
            )
            SELECT o.id, o.venue_id, o.order_number, unixepoch(o.created_at), o.status, COALESCE(c.n, 0), COALESCE(c.credits, 0)
            FROM orders o LEFT JOIN charges c ON c.order_id = o.id
            WHERE o.created_at >= ?1 AND o.created_at < ?2
              AND ((COALESCE(c.n, 0) = 0 AND (o.status IN ('approved', 'completed') OR (o.status = 'cancelled' AND o.approved_at IS NOT NULL)))
                   OR COALESCE(c.n, 0) > 1)
            """
        var chargeArgs: StatementArguments = [from, to]
        if let venueFilter {
            chargeSQL += " AND o.venue_id = ?3"
            chargeArgs = [from, to, venueFilter]
        }
        let chargeCursor = try Row.fetchCursor(db, sql: chargeSQL, arguments: chargeArgs)
        while let row = try chargeCursor.next() {
            snapshot.orderCharges.append(OrderChargeCheck(
                orderId: row[0], venueId: row[1], orderNumber: row[2], createdAt: (row[3] as Int64?).map { Timestamp(seconds: $0) },
                status: row[4], charges: row[5], chargedCredits: row[6]))
        }

        // the credit ledger per venue
        let ledgerCursor = try Row.fetchCursor(db, sql: """
            SELECT venue_id,
                   COALESCE(SUM(CASE WHEN created_at < ?1 THEN amount END), 0),
                   COALESCE(SUM(CASE WHEN created_at >= ?1 AND created_at < ?2 AND type = 'bonus' THEN amount END), 0),
                   COALESCE(SUM(CASE WHEN created_at >= ?1 AND created_at < ?2 AND type = 'purchase' THEN amount END), 0),
                   COALESCE(SUM(CASE WHEN created_at >= ?1 AND created_at < ?2 AND type = 'order_charge' THEN amount END), 0),
                   COALESCE(SUM(CASE WHEN created_at >= ?1 AND created_at < ?2 AND type = 'menu_import' THEN amount END), 0),
                   COALESCE(SUM(CASE WHEN created_at >= ?1 AND created_at < ?2 AND type = 'refund' THEN amount END), 0),
                   SUM(amount)
            FROM credit_transactions GROUP BY venue_id
            """, arguments: [from, to])
        var sums: [String: [Int64]] = [:]
        while let row = try ledgerCursor.next() {
            var values: [Int64] = []
            for i in 1...7 { values.append((row[i] as Int64?) ?? 0) }
            sums[row[0]] = values
        }
        for venue in snapshot.venues.values.sorted(by: { $0.id < $1.id }) {
            if let venueFilter, venue.id != venueFilter { continue }
            let s = sums[venue.id] ?? [0, 0, 0, 0, 0, 0, 0]
            snapshot.ledger.append(CreditLedgerRow(
                venueId: venue.id, venueName: venue.name, opening: s[0], bonus: s[1], purchases: s[2], orderCharges: s[3],
                menuImports: s[4], refunds: s[5], creditsRemaining: venue.creditsRemaining, ledgerTotal: s[6]))
        }
        return snapshot
    }
}
