import BackofficeCore

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
    /// The M-PESA Pay Bill or till number the venue is paid through.
    public var mpesaShortCode: String?
    /// IANA name of the venue's time zone (`Africa/Nairobi`): its days for takings.
    public var timezone: String
    public init(id: String, name: String, currency: String, creditsRemaining: Int64, mpesaShortCode: String? = nil, timezone: String = "UTC") {
        self.id = id; self.name = name; self.currency = currency; self.creditsRemaining = creditsRemaining
        self.mpesaShortCode = mpesaShortCode; self.timezone = timezone
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
/// (none for an approved order, or more than one). Found by `CreditScan`.
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
/// CheckoutRequestID outside that window (by index). The ledger checks come from `CreditScan`,
/// read earlier in the same snapshot.
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
    /// The payments by key, built while they were read; `load` fills it, the matcher builds it
    /// itself when it is absent or no longer covers `payments`.
    var paymentIndex: PaymentIndex?
    /// Another connection (the live service) committed while the snapshot was read in chunks:
    /// the run's writes leave it its turn from the first (`WriteTurns`).
    var liveWriterSeen = false

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
}
