import BackofficeCore

/// The payment providers the service takes money through.
public enum Provider: String, Sendable, Hashable, Codable, CaseIterable {
    case stripe
    case mpesa
}

/// The kinds of input file `reconcile` reads, recognised from content.
public enum InputKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Stripe Dashboard Payments export (`id,Created date (UTC),Amount,…`).
    case stripePayments = "stripe_payments"
    /// Stripe itemized balance reports: `balance_change_from_activity.itemized.*` and
    /// `payout_reconciliation.itemized.*`.
    case stripeBalance = "stripe_balance"
    /// M-PESA organisation portal statement (preamble, then `Receipt No.,Completion Time,…`).
    case mpesaStatement = "mpesa_statement"
    /// Daraja STK push callbacks (one object, an array, or objects one after another).
    case darajaCallbacks = "daraja_stk_callbacks"
}

/// Where a record was read: for error messages and for the accountant.
public struct SourceLocation: Sendable, Hashable, Codable {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) { self.file = file; self.line = line }
}

/// What a provider row is, after the reader has interpreted its columns.
public enum ProviderEventKind: String, Sendable, Hashable, Codable {
    /// Money taken from a customer (a Stripe charge or payment; an M-PESA payment in).
    case payment
    /// A payment attempt that did not take money (failed, cancelled, STK ResultCode ≠ 0).
    /// Readers keep these so a payment row marked SUCCESS can be told apart from one nobody saw;
    /// they are never findings on their own.
    case failedPayment
    /// Money given back: a Stripe refund, an M-PESA reversal. `amountMinor` is positive.
    case refund
    /// A Stripe dispute (chargeback) taking money back. `amountMinor` is positive.
    case dispute
    /// A provider fee row on its own (Stripe `fee` category, M-PESA Pay Bill charge rows).
    case fee
    /// A Stripe payout to the bank. `amountMinor` is what was sent (positive).
    case payout
    /// Money leaving the M-PESA account that is not a refund (withdrawal to bank, B2C...).
    case withdrawal
    /// Anything else the file lists (adjustments, transfers): read, counted, not matched.
    case other
}

/// One provider transaction, normalised from any of the four input kinds.
///
/// Money is integer minor units of `currency`. Times are UTC.
public struct ProviderRecord: Sendable, Hashable {
    public var provider: Provider
    public var inputKind: InputKind
    public var event: ProviderEventKind
    /// The provider's own id for this transaction, used to count it once across overlapping
    /// files: a Stripe charge `ch_…`/`py_…`, refund `re_…`, payout `po_…`, balance transaction
    /// `txn_…` when nothing better exists; an M-PESA receipt; a Daraja CheckoutRequestID for
    /// callbacks without a receipt.
    public var dedupKey: String
    /// Stripe PaymentIntent `pi_…` (the live `payments.provider_ref` for Stripe).
    public var paymentIntent: String?
    /// Stripe charge `ch_…`/`py_…`.
    public var chargeId: String?
    /// M-PESA receipt (`Receipt No.`, `MpesaReceiptNumber`).
    public var mpesaReceipt: String?
    /// Daraja `CheckoutRequestID` (the live `payments.provider_ref` for M-PESA).
    public var checkoutRequestId: String?
    /// M-PESA `A/C No.` (the STK AccountReference: an invoice id or `OD` + 8 hex of the order id).
    public var accountRef: String?
    /// For refunds and reversals: the receipt or charge/PaymentIntent of the payment they undo.
    public var reversesRef: String?
    /// Stripe payout `po_…` this transaction was paid out in (`automatic_payout_id`), or, on a
    /// payout row, the payout's own id.
    public var payoutId: String? {
        get { if case .some(let s) = settlement { return s.payoutId }; return nil }
        set { updateSettlement { $0.payoutId = newValue } }
    }
    /// Gross amount, positive for every event kind.
    public var amountMinor: Int64
    /// Already refunded per the provider (Stripe Payments export `Amount Refunded`), positive.
    public var refundedMinor: Int64 {
        get { if case .some(let s) = settlement { return s.refundedMinor }; return 0 }
        set { updateSettlement { $0.refundedMinor = newValue } }
    }
    /// Provider fee in minor units of `feeCurrency` (Stripe), 0 if unknown.
    public var feeMinor: Int64
    public var currency: String
    /// The currency `feeMinor` is in when it is not `currency` (Stripe settlement currency).
    public var feeCurrency: String? {
        get { if case .some(let s) = settlement { return s.feeCurrency }; return nil }
        set { updateSettlement { $0.feeCurrency = newValue } }
    }
    public var occurredAt: Timestamp
    /// Payer phone (M-PESA), digits only; reports mask it.
    public var msisdn: String?
    /// Free text from the provider (Stripe description, M-PESA details). Untrusted.
    public var description: String?
    /// Stripe metadata (`order_id`, `venue_id`, `purpose`, `credits`, …) from `KEY (metadata)` or
    /// `payment_metadata[KEY]` columns. Kept as `metadataEntries`; this builds a dictionary, so
    /// the matcher reads `metadataValue(_:)` instead.
    public var metadata: [String: String] {
        get { Dictionary(metadataEntries.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }) }
        set { metadataEntries = Self.entries(newValue) }
    }
    /// The metadata sorted by key, one entry per key: a dictionary per record cost about twice the
    /// memory, and a million records carry one each.
    var metadataEntries: [MetadataEntry]
    public var source: SourceLocation
    /// Stripe balance reports: the signed change to the balance (`net`, negative for money out), in
    /// `currency`. A payout's transactions are the rows with its `payoutId`; their `netMinor` sums
    /// to the payout's `amountMinor` when all is well. Nil for other inputs.
    public var netMinor: Int64? {
        get { if case .some(let s) = settlement { return s.netMinor }; return nil }
        set { updateSettlement { $0.netMinor = newValue } }
    }
    /// Stripe balance reports: the balance transaction `txn_…` of this row.
    public var balanceTransactionId: String? {
        get { if case .some(let s) = settlement { return s.balanceTransactionId }; return nil }
        set { updateSettlement { $0.balanceTransactionId = newValue } }
    }
    /// The settlement fields above, which most records do not have (only Stripe balance rows, and
    /// refunded or cross-currency charges), kept in a box of their own: a million records then
    /// carry 8 bytes for them instead of 72 (about 65 MB at a million records).
    var settlement: Settlement = .none
    /// The provider's own status or category text, as written (Stripe `Status` or
    /// `reporting_category`, M-PESA `Transaction Status`, Daraja `ResultCode`), for details in reports.
    public var providerStatus: String? = nil
    /// False when the input gave no time for this record (a Daraja callback that failed carries
    /// none; its time comes from the CheckoutRequestID when that has the usual shape, else
    /// `occurredAt` is 1970-01-01). Such records should not widen the period the inputs cover.
    public var occurredAtKnown: Bool = true

    public init(provider: Provider, inputKind: InputKind, event: ProviderEventKind, dedupKey: String,
                paymentIntent: String? = nil, chargeId: String? = nil, mpesaReceipt: String? = nil,
                checkoutRequestId: String? = nil, accountRef: String? = nil, reversesRef: String? = nil,
                payoutId: String? = nil, amountMinor: Int64, refundedMinor: Int64 = 0, feeMinor: Int64 = 0,
                netMinor: Int64? = nil, balanceTransactionId: String? = nil,
                currency: String, feeCurrency: String? = nil, occurredAt: Timestamp, msisdn: String? = nil,
                description: String? = nil, metadata: [String: String] = [:], source: SourceLocation) {
        self.provider = provider
        self.inputKind = inputKind
        self.event = event
        self.dedupKey = dedupKey
        self.paymentIntent = paymentIntent
        self.chargeId = chargeId
        self.mpesaReceipt = mpesaReceipt
        self.checkoutRequestId = checkoutRequestId
        self.accountRef = accountRef
        self.reversesRef = reversesRef
        self.amountMinor = amountMinor
        self.feeMinor = feeMinor
        self.currency = currency
        self.occurredAt = occurredAt
        self.msisdn = msisdn
        self.description = description
        self.metadataEntries = Self.entries(metadata)
        self.source = source
        self.settlement = Settlement(SettlementFields(payoutId: payoutId, feeCurrency: feeCurrency, balanceTransactionId: balanceTransactionId,
                                                      netMinor: netMinor, refundedMinor: refundedMinor))
    }

    /// Changes the settlement fields (one new box).
    mutating func updateSettlement(_ change: (inout SettlementFields) -> Void) {
        var fields = SettlementFields()
        if case .some(let s) = settlement { fields = s }
        change(&fields)
        settlement = Settlement(fields)
    }
}

/// The settlement fields of a record, when it has any (see `ProviderRecord.settlement`).
struct SettlementFields: Sendable, Hashable {
    var payoutId: String?
    var feeCurrency: String?
    var balanceTransactionId: String?
    var netMinor: Int64?
    var refundedMinor: Int64 = 0

    var isEmpty: Bool { self == SettlementFields() }
}

/// `SettlementFields` behind one pointer, or nothing.
enum Settlement: Sendable, Hashable {
    case none
    indirect case some(SettlementFields)

    init(_ fields: SettlementFields) {
        self = fields.isEmpty ? .none : .some(fields)
    }
}

extension ProviderRecord {
    /// The metadata value for `key`, without building the dictionary.
    public func metadataValue(_ key: String) -> String? {
        for entry in metadataEntries where entry.key == key { return entry.value }
        return nil
    }

    static func entries(_ metadata: [String: String]) -> [MetadataEntry] {
        metadata.isEmpty ? [] : metadata.map { MetadataEntry(key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
    }
}

/// One metadata key and its value.
public struct MetadataEntry: Sendable, Hashable {
    public var key: String
    public var value: String
}

/// A file's metadata columns, read into `ProviderRecord.metadataEntries` already in key order.
struct MetadataColumns {
    /// By key, then column order, so a later column of the same key replaces an earlier one
    /// (as assigning them to a dictionary in turn did).
    private let columns: [(key: String, column: Int, slot: Int)]
    private var texts: [Interner]

    init(_ keyed: [(key: String, column: Int)]) {
        columns = keyed.enumerated().map { (key: $1.key, column: $1.column, slot: $0) }
            .sorted { ($0.key, $0.slot) < ($1.key, $1.slot) }
        texts = Array(repeating: Interner(), count: keyed.count)
    }

    /// The non-empty metadata of `row`.
    mutating func entries(_ row: CSVRecord) -> [MetadataEntry] {
        guard !columns.isEmpty else { return [] }
        var entries: [MetadataEntry] = []
        entries.reserveCapacity(columns.count)
        for c in columns {
            guard let value = texts[c.slot].text(row, c.column) else { continue }
            if entries.last?.key == c.key { entries[entries.count - 1].value = value } else { entries.append(MetadataEntry(key: c.key, value: value)) }
        }
        return entries
    }
}

/// One input file, read.
public struct ParsedInput: Sendable {
    public var file: String
    public var kind: InputKind
    public var sha256: String
    /// Data rows in the file (not counting preamble and header).
    public var rows: Int
    public var records: [ProviderRecord]
    /// An M-PESA statement's `Organization Short Code` (the Pay Bill or till number the money went
    /// to: `venues.mpesa_shortcode`), from its preamble.
    public var mpesaShortCode: String?

    public init(file: String, kind: InputKind, sha256: String, rows: Int, records: [ProviderRecord], mpesaShortCode: String? = nil) {
        self.file = file
        self.kind = kind
        self.sha256 = sha256
        self.rows = rows
        self.records = records
        self.mpesaShortCode = mpesaShortCode
    }
}
