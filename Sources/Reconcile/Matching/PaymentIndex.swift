/// The payment rows by the keys provider records name them by, built once while the snapshot is
/// read and then used both to decide which extra rows to look up and by the matcher.
///
/// Indexes hold positions in `LiveSnapshot.payments`; where several rows share a key the first
/// one added wins (lists keep them all, in order).
struct PaymentIndex: Sendable {
    var stripeByPI: [String: Int32] = [:]
    var mpesaByReceipt: [String: Int32] = [:]
    var mpesaByCheckout: [String: Int32] = [:]
    /// M-PESA rows with no receipt yet, by upper-cased A/C No.
    var pendingByAccount: [String: [Int32]] = [:]
    /// The first SUCCESS/REFUNDED row by order id and by upper-cased A/C No. (M-PESA).
    var paidByAccount: [String: Int32] = [:]
    /// By order id: the first row and the first SUCCESS/REFUNDED row, in one map so that each
    /// row's order id is hashed once.
    private var byOrder: [String: OrderRows] = [:]
    private struct OrderRows {
        var any: Int32
        var paid: Int32   // -1: none
    }
    var anyByAccount: [String: Int32] = [:]
    /// Upper-cased ids of invoices with a SUCCESS/REFUNDED row.
    var paidByInvoice: Set<String> = []
    /// Receipts and A/C Nos. (upper-cased) carried by Stripe rows: rare, but they count as
    /// "loaded" when deciding what to look up, as any row's do.
    var otherReceipts: Set<String> = []
    var otherAccounts: Set<String> = []
    /// Rows indexed so far (the matcher checks it still covers the snapshot's payments).
    private(set) var count = 0

    init() {}

    /// An index whose order map is sized for `expectedRows` rows, so they are not rehashed as
    /// they grow: nearly every row pays for an order. (The per-provider maps hold a part of the
    /// rows each; sizing them for all would cost memory.)
    init(expectedRows: Int) {
        byOrder.reserveCapacity(expectedRows)
    }

    init(_ payments: [LivePayment]) {
        for p in payments { add(p) }
    }

    /// Indexes the row that is `payments[count]`.
    mutating func add(_ p: LivePayment) {
        let idx = Int32(count)
        count += 1
        let paid = p.status == "SUCCESS" || p.status == "REFUNDED"
        switch p.provider {
        case .stripe:
            if let ref = p.providerRef { keepFirst(&stripeByPI, ref, idx) }
            if let r = p.mpesaReceipt { otherReceipts.insert(r) }
            if let a = p.accountRef { otherAccounts.insert(a.uppercased()) }
        case .mpesa:
            if let r = p.mpesaReceipt { keepFirst(&mpesaByReceipt, r, idx) }
            if let c = p.providerRef { keepFirst(&mpesaByCheckout, c, idx) }
            if let a = p.accountRef?.uppercased() {
                if p.mpesaReceipt == nil { pendingByAccount[a, default: []].append(idx) }
                if paid { keepFirst(&paidByAccount, a, idx) }
                keepFirst(&anyByAccount, a, idx)
            }
        }
        if let o = p.orderId {
            update(&byOrder[o, default: OrderRows(any: idx, paid: paid ? idx : -1)]) { rows in
                if paid, rows.paid < 0 { rows.paid = idx }
            }
        }
        if let inv = p.invoiceId, paid { paidByInvoice.insert(inv.uppercased()) }
    }

    // What some loaded row already carries (any provider), for the lookups of rows outside the window.
    func hasPaymentIntent(_ pi: String) -> Bool { stripeByPI[pi] != nil }
    func hasCheckout(_ c: String) -> Bool { mpesaByCheckout[c] != nil }
    func hasReceipt(_ r: String) -> Bool { mpesaByReceipt[r] != nil || otherReceipts.contains(r) }
    func hasAccount(_ upper: String) -> Bool { anyByAccount[upper] != nil || otherAccounts.contains(upper) }
    func hasOrder(_ o: String) -> Bool { byOrder[o] != nil }

    /// The first row for order `o`, and the first that paid for it.
    func anyByOrder(_ o: String) -> Int32? { byOrder[o]?.any }
    func paidByOrder(_ o: String) -> Int32? { byOrder[o].flatMap { $0.paid >= 0 ? $0.paid : nil } }
}

/// Changes a map's value in place (through the `default:` subscript, hashing the key once).
@inline(__always)
private func update<Value>(_ value: inout Value, _ change: (inout Value) -> Void) { change(&value) }

/// `map[key] = value` unless `key` is there already, hashing the key once: the `default:`
/// subscript's modify accessor inserts the default only when the key is absent.
@inline(__always)
private func keepFirst(_ map: inout [String: Int32], _ key: String, _ value: Int32) {
    func touch(_: inout Int32) {}
    touch(&map[key, default: value])
}
