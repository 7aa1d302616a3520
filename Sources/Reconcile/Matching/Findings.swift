import BackofficeCore

extension Refs {
    /// A stable text for ordering findings.
    var sortKey: String { pairs.map { $0.1 }.joined(separator: "\u{1}") }
}

/// One finding: something a person must look at. A value, like swift-format's `Finding`.
///
/// Money kinds carry `amount_cents` (what the provider says) and `expected_cents` (what the
/// database says) in minor units of `currency`. Credit kinds (`credits_*`, `credit_balance_drift`,
/// `order_charge_*`) carry credits, with `currency` nil.
public struct ReconcileException: Sendable, Hashable {
    public var kind: ExceptionKind
    public var provider: Provider?
    public var venueId: String?
    public var amountCents: Int64?
    public var expectedCents: Int64?
    public var currency: String?
    public var refs: Refs
    /// One plain sentence for the accountant.
    public var detail: String
    /// When the underlying event happened (for ordering); not part of the contract's JSON.
    public var occurredAt: Timestamp?
    /// Its id, state and age in the findings ledger, once the run is recorded.
    public var finding: FindingStatus?

    public init(kind: ExceptionKind, provider: Provider?, venueId: String?, amountCents: Int64?, expectedCents: Int64?,
                currency: String?, refs: Refs, detail: String, occurredAt: Timestamp? = nil) {
        self.kind = kind
        self.provider = provider
        self.venueId = venueId
        self.amountCents = amountCents
        self.expectedCents = expectedCents
        self.currency = currency
        self.refs = refs
        self.detail = detail
        self.occurredAt = occurredAt
    }

    /// The deterministic order of findings: kind (as the contract lists them), venue, time, refs.
    static func ordered(_ a: ReconcileException, _ b: ReconcileException) -> Bool {
        if a.kind != b.kind { return a.kind < b.kind }
        let va = a.venueId ?? "", vb = b.venueId ?? ""
        if va != vb { return va < vb }
        let ta = a.occurredAt?.seconds ?? Int64.min, tb = b.occurredAt?.seconds ?? Int64.min
        if ta != tb { return ta < tb }
        return a.refs.sortKey < b.refs.sortKey
    }
}

/// A provider transaction matched cleanly to a payment row.
public struct MatchRow: Sendable, Hashable {
    public var provider: Provider
    public var providerRef: String?
    public var mpesaReceipt: String?
    public var chargeId: String?
    public var paymentId: String
    public var purpose: String
    public var orderId: String?
    public var invoiceId: String?
    public var venueId: String
    public var amountCents: Int64
    public var feeCents: Int64?
    public var currency: String
    public var occurredAt: Timestamp
    public var payoutId: String?
    /// The provider's free text (untrusted).
    public var description: String?
}

/// Takings per UTC day, venue, provider and currency, from the provider records (each counted once).
/// `venue_id` is empty for money the tool could not attribute to a venue.
public struct DailyTaking: Sendable, Hashable {
    /// The venue's own day (`yyyy-MM-dd` in `timezone`).
    public var day: String
    public var venueId: String
    /// The IANA time zone the day is counted in (`UTC` for money no venue accounts for).
    public var timezone: String = "UTC"
    public var provider: Provider
    public var currency: String
    public var payments: Int
    public var grossCents: Int64
    public var feeCents: Int64
    public var refundCents: Int64
    public var netCents: Int64 { grossCents - feeCents - refundCents }
}

/// A Stripe payout and the transactions the inputs list for it.
public struct PayoutSummary: Sendable, Hashable {
    public var payoutId: String
    public var currency: String
    public var paidAt: Timestamp?
    public var amountCents: Int64
    public var transactions: Int
    public var transactionsNetCents: Int64
    public var differenceCents: Int64 { amountCents - transactionsNetCents }
}

/// A venue's credit ledger over the period.
public struct CreditLedgerRow: Sendable, Hashable {
    public var venueId: String
    public var venueName: String
    /// Ledger sum before the period.
    public var opening: Int64
    public var bonus: Int64
    public var purchases: Int64
    public var orderCharges: Int64
    public var menuImports: Int64
    public var refunds: Int64
    /// Ledger sum at the end of the period.
    public var closing: Int64 { opening + bonus + purchases + orderCharges + menuImports + refunds }
    /// `venues.credits_remaining` when read.
    public var creditsRemaining: Int64
    /// Ledger sum over all time.
    public var ledgerTotal: Int64
    /// `credits_remaining` minus the all-time ledger sum.
    public var drift: Int64 { creditsRemaining - ledgerTotal }
}
