import BackofficeCore

/// The plain sentences of findings: amounts by `MoneyText.format`, the venue's name and the order's
/// number and day where known.
struct Describer {
    let snapshot: LiveSnapshot

    static func money(_ minor: Int64, _ code: String) -> String {
        if let currency = Currency(code: code) { return MoneyText.format(minor, currency) }
        return MoneyText.format(minor, exponent: 2) + " " + code.uppercased()
    }

    static func providerName(_ p: Provider) -> String { p == .stripe ? "Stripe" : "M-PESA" }

    /// What the provider said of a failed attempt, for a detail: "result code 1032, 'Request
    /// cancelled by user'" from a Daraja callback, "status Cancelled" from a statement or an export;
    /// nil when the record says nothing.
    static func attemptStatus(_ r: ProviderRecord) -> String? {
        guard let status = r.providerStatus, !status.isEmpty else { return nil }
        if r.inputKind == .darajaCallbacks {
            return "result code \(status)" + (r.description.map { ", '\($0)'" } ?? "")
        }
        return "status \(status)"
    }

    func venueName(_ id: String?) -> String {
        guard let id else { return "an unknown venue" }
        return snapshot.venues[id]?.name ?? "venue \(id)"
    }

    /// "order 17 of Corner Bistro on 2026-11-03"
    static func orderText(number: Int64?, venue: String, created: Timestamp?) -> String {
        guard let number else { return "an order of \(venue)" }
        return "order \(number) of \(venue)" + (created.map { " on \($0.isoDate)" } ?? "")
    }

    /// What a payment row pays for, in words.
    func target(payment p: LivePayment) -> String {
        let venue = venueName(p.venueId)
        switch p.purpose {
        case "order": return Self.orderText(number: p.orderNumber, venue: venue, created: p.orderCreatedAt)
        case "invoice": return "invoice \(p.invoiceId ?? "?") of \(venue)"
        case "credits": return (p.credits.map { "a \($0)-credit pack" } ?? "a credit pack") + " for \(venue)"
        default: return "a payment of \(venue)"
        }
    }

    /// What an unmatched provider transaction seems to pay for, from its metadata or A/C No.
    func target(orderId: String?, invoiceId: String?, account: String?, venueId: String?, payments: [LivePayment],
                index: PaymentIndex, purpose: String? = nil, credits: String? = nil) -> String? {
        if let orderId {
            if let p = index.anyByOrder(orderId) {
                let row = payments[Int(p)]
                return Self.orderText(number: row.orderNumber, venue: venueName(row.venueId), created: row.orderCreatedAt)
            }
            if let o = snapshot.orders[orderId] {
                return Self.orderText(number: o.number, venue: venueName(o.venueId), created: o.createdAt)
            }
            return "order \(orderId)" + (venueId.map { " of \(venueName($0))" } ?? "") + " (not in the database)"
        }
        if let invoiceId { return "invoice \(invoiceId)" + (venueId.map { " of \(venueName($0))" } ?? "") }
        if purpose == "credits", let venueId {
            return (credits.map { "a \($0)-credit pack" } ?? "a credit pack") + " for \(venueName(venueId))"
        }
        if let venueId { return "a payment to \(venueName(venueId))" }
        return nil
    }

    func charged(provider: Provider, amount: Int64, currency: String, target: String) -> String {
        "\(provider == .stripe ? "Stripe charged" : "M-PESA received") \(Self.money(amount, currency)) for \(target)"
    }

    /// `accountIssued`: the account reference names an order or invoice the database knows.
    func unrecorded(provider: Provider, amount: Int64, currency: String, target: String?, ref: String, account: String?,
                    accountIssued: Bool = true) -> String {
        switch provider {
        case .stripe:
            return "Stripe took \(Self.money(amount, currency))\(target.map { " for \($0)" } ?? "") (\(ref)), and no payment row records it."
        case .mpesa:
            let acc = account.map { " with account \($0)" + (accountIssued ? "" : ", an account reference nobody issued") } ?? ""
            if let target {
                return "M-PESA received \(Self.money(amount, currency)) for \(target) (receipt \(ref)\(acc)), and no payment row records it."
            }
            guard account != nil else {
                // a callback carries no account reference: nothing to say about one
                return "M-PESA received \(Self.money(amount, currency)) (receipt \(ref)), and no payment row records it."
            }
            return "M-PESA received \(Self.money(amount, currency)) (receipt \(ref)\(acc)) for an account reference nobody issued, and no payment row records it."
        }
    }

    func duplicate(provider: Provider, amount: Int64, currency: String, target: String?, ref: String, paidBy: String?) -> String {
        let what = target ?? "a target already paid"
        let earlier = paidBy.map { " by \($0)" } ?? ""
        return "\(Self.providerName(provider)) took \(Self.money(amount, currency)) a second time for \(what) (\(ref)); it was already paid\(earlier)."
    }

    func statusLost(provider: Provider, amount: Int64, currency: String, target: String, ref: String, rowStatus: String, viaAccount: Bool) -> String {
        let why = viaAccount ? " (the callback never came)" : ""
        return "\(charged(provider: provider, amount: amount, currency: currency, target: target)) (\(ref)), but the payment row is still \(rowStatus)\(why)."
    }

    func refund(provider: Provider, refunded: Int64, amount: Int64, currency: String, target: String, payment: LivePayment) -> String {
        let verb = provider == .stripe ? "refunded" : "reversed"
        let shows = payment.purpose == "order" ? "the order as \(payment.orderPaymentStatus ?? "paid") and the payment as \(payment.status)" : "the payment as \(payment.status)"
        return "\(Self.providerName(provider)) \(verb) \(Self.money(refunded, currency)) of the \(Self.money(amount, currency)) paid for \(target), but the database still shows \(shows)."
    }
}
