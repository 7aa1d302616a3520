/// Every reference the tool knows for a finding or a match: the contract's exception `refs`.
/// Reconciliation reports them; the sample generator lists them for what it planted.
public struct Refs: Sendable, Hashable, Codable {
    public var providerRef: String?
    public var mpesaReceipt: String?
    public var paymentId: String?
    public var orderId: String?
    public var invoiceId: String?
    public var venueId: String?
    public var payoutId: String?
    public var chargeId: String?

    public init(providerRef: String? = nil, mpesaReceipt: String? = nil, paymentId: String? = nil, orderId: String? = nil,
                invoiceId: String? = nil, venueId: String? = nil, payoutId: String? = nil, chargeId: String? = nil) {
        self.providerRef = providerRef
        self.mpesaReceipt = mpesaReceipt
        self.paymentId = paymentId
        self.orderId = orderId
        self.invoiceId = invoiceId
        self.venueId = venueId
        self.payoutId = payoutId
        self.chargeId = chargeId
    }

    enum CodingKeys: String, CodingKey {
        case providerRef = "provider_ref"
        case mpesaReceipt = "mpesa_receipt"
        case paymentId = "payment_id"
        case orderId = "order_id"
        case invoiceId = "invoice_id"
        case venueId = "venue_id"
        case payoutId = "payout_id"
        case chargeId = "charge_id"
    }

    /// The known refs as (name, value) pairs in the contract's order.
    public var pairs: [(String, String)] {
        var out: [(String, String)] = []
        if let providerRef { out.append(("provider_ref", providerRef)) }
        if let mpesaReceipt { out.append(("mpesa_receipt", mpesaReceipt)) }
        if let paymentId { out.append(("payment_id", paymentId)) }
        if let orderId { out.append(("order_id", orderId)) }
        if let invoiceId { out.append(("invoice_id", invoiceId)) }
        if let venueId { out.append(("venue_id", venueId)) }
        if let payoutId { out.append(("payout_id", payoutId)) }
        if let chargeId { out.append(("charge_id", chargeId)) }
        return out
    }

    /// A JSON object of the known refs, keys in the contract's order.
    public var json: String {
        "{" + pairs.map { JSONText.string($0.0) + ":" + JSONText.string($0.1) }.joined(separator: ",") + "}"
    }
}
