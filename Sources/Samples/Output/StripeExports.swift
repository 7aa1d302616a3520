import BackofficeCore
import Foundation

/// One Stripe charge as both exports show it.
struct StripeCharge {
    enum Status: String { case paid = "Paid", refunded = "Refunded", failed = "Failed" }

    var chargeId: String
    var paymentIntent: String
    var cardId: String
    var created: Timestamp
    var amount: Int64
    /// Lower-case ISO code, as Stripe writes it.
    var currency: String
    var status: Status
    var amountRefunded: Int64 = 0
    var refundedAt: Timestamp?
    var description: String
    var statementDescriptor: String
    var customerId: String
    var customerDescription: String
    var customerEmail: String
    var orderId: String = ""
    var venueId: String
    var purpose: String
    var credits: String = ""

    /// 2.9 % + 30 minor units, rounded half up; nothing for a failed charge.
    var fee: Int64 { status == .failed ? 0 : (amount * 29 + 500) / 1000 + 30 }
}

/// Writes `unified_payments.csv` (the Dashboard Payments export) and
/// `balance_change_from_activity.itemized.csv` (the itemized balance report), row by row.
final class StripeExports {
    static let paymentsHeader = [
        "id", "Created date (UTC)", "Amount", "Amount Refunded", "Currency", "Captured", "Converted Amount",
        "Converted Amount Refunded", "Converted Currency", "Description", "Fee", "Mode", "PaymentIntent ID",
        "Payment Source Type", "Refunded date (UTC)", "Statement Descriptor", "Status", "Seller Message", "Taxes On Fee",
        "Card ID", "Customer ID", "Customer Description", "Customer Email", "Invoice ID", "order_id (metadata)",
        "venue_id (metadata)", "purpose (metadata)", "credits (metadata)",
    ]
    static let balanceHeader = [
        "balance_transaction_id", "created_utc", "available_on_utc", "currency", "gross", "fee", "net",
        "reporting_category", "source_id", "description", "customer_facing_amount", "customer_facing_currency",
        "automatic_payout_id", "automatic_payout_effective_at_utc", "charge_id", "payment_intent_id",
        "charge_created_utc", "payment_method_type", "payment_metadata[order_id]", "payment_metadata[venue_id]",
        "payment_metadata[purpose]", "payment_metadata[credits]",
    ]

    static let paymentsPath = "exports/stripe/unified_payments.csv"
    static let balancePath = "exports/stripe/balance_change_from_activity.itemized.csv"

    private let payments: ByteWriter
    private let balance: ByteWriter
    private(set) var paymentRows = 0
    private(set) var balanceRows = 0

    init(folder: URL) throws(Failure) {
        payments = try ByteWriter(url: folder.appendingPathComponent(Self.paymentsPath), displayPath: Self.paymentsPath)
        balance = try ByteWriter(url: folder.appendingPathComponent(Self.balancePath), displayPath: Self.balancePath)
        payments.csvFields(Self.paymentsHeader)
        payments.endLine()
        balance.csvFields(Self.balanceHeader)
        balance.endLine()
    }

    static func money(_ minor: Int64) -> String { MoneyText.format(minor, exponent: 2) }
    static func time(_ t: Timestamp) -> String { t.formatted(utcOffsetSeconds: 0) }

    /// The charge's row in the Payments export.
    func writePaymentRow(_ c: StripeCharge) {
        let w = payments
        let failed = c.status == .failed
        w.csvField(c.chargeId)
        w.csvField(Self.time(c.created))
        w.csvField(Self.money(c.amount))
        w.csvField(Self.money(c.amountRefunded))
        w.csvField(c.currency)
        w.csvField(failed ? "false" : "true")
        w.csvField(Self.money(failed ? 0 : c.amount))
        w.csvField(Self.money(c.amountRefunded))
        w.csvField(c.currency)
        w.csvField(c.description)
        w.csvField(Self.money(c.fee))
        w.csvField("Live")
        w.csvField(c.paymentIntent)
        w.csvField("card")
        w.csvField(c.refundedAt.map(Self.time) ?? "")
        w.csvField(c.statementDescriptor)
        w.csvField(c.status.rawValue)
        w.csvField(failed ? "The bank did not return any further details with this decline." : "Payment complete.")
        w.csvField("0.00")
        w.csvField(c.cardId)
        w.csvField(c.customerId)
        w.csvField(c.customerDescription)
        w.csvField(c.customerEmail)
        w.csvField("")
        w.csvField(c.orderId)
        w.csvField(c.venueId)
        w.csvField(c.purpose)
        w.csvField(c.credits)
        w.endLine()
        paymentRows += 1
    }

    /// The charge's `charge` row in the balance report; returns its net.
    @discardableResult
    func writeChargeBalanceRow(_ c: StripeCharge, transactionId: String, payout: PayoutRef?) -> Int64 {
        let net = c.amount - c.fee
        writeBalanceRow(transactionId: transactionId, created: c.created, currency: c.currency, gross: c.amount, fee: c.fee,
                        category: "charge", sourceId: c.chargeId, description: c.description,
                        customerFacing: c.amount, payout: payout, charge: c)
        return net
    }

    /// A `refund` row (gross negative) for a refund of `amount` of the charge; returns its net.
    @discardableResult
    func writeRefundBalanceRow(_ c: StripeCharge, refundId: String, transactionId: String, at time: Timestamp, amount: Int64, payout: PayoutRef?) -> Int64 {
        writeBalanceRow(transactionId: transactionId, created: time, currency: c.currency, gross: -amount, fee: 0,
                        category: "refund", sourceId: refundId, description: "REFUND FOR CHARGE (\(c.description))",
                        customerFacing: -amount, payout: payout, charge: c)
        return -amount
    }

    /// The row of a payout itself: gross and net are minus the amount sent to the bank.
    func writePayoutRow(transactionId: String, payoutId: String, created: Timestamp, arrival: Timestamp, currency: String, amount: Int64) {
        let w = balance
        w.csvField(transactionId)
        w.csvField(Self.time(created))
        w.csvField(Self.time(created))
        w.csvField(currency)
        w.csvField(Self.money(-amount))
        w.csvField("0.00")
        w.csvField(Self.money(-amount))
        w.csvField("payout")
        w.csvField(payoutId)
        w.csvField("STRIPE PAYOUT")
        w.csvField("")
        w.csvField("")
        w.csvField("")
        w.csvField(Self.time(arrival))
        for _ in 0..<8 { w.csvField("") }
        w.endLine()
        balanceRows += 1
    }

    struct PayoutRef {
        var id: String
        var effectiveAt: Timestamp
    }

    private func writeBalanceRow(transactionId: String, created: Timestamp, currency: String, gross: Int64, fee: Int64,
                                 category: String, sourceId: String, description: String, customerFacing: Int64,
                                 payout: PayoutRef?, charge c: StripeCharge) {
        let w = balance
        let availableOn = Timestamp(seconds: (created.dayNumber + 1) * 86_400)
        w.csvField(transactionId)
        w.csvField(Self.time(created))
        w.csvField(Self.time(availableOn))
        w.csvField(currency)
        w.csvField(Self.money(gross))
        w.csvField(Self.money(fee))
        w.csvField(Self.money(gross - fee))
        w.csvField(category)
        w.csvField(sourceId)
        w.csvField(description)
        w.csvField(Self.money(customerFacing))
        w.csvField(c.currency)
        w.csvField(payout?.id ?? "")
        w.csvField(payout.map { Self.time($0.effectiveAt) } ?? "")
        w.csvField(c.chargeId)
        w.csvField(c.paymentIntent)
        w.csvField(Self.time(c.created))
        w.csvField("card")
        w.csvField(c.orderId)
        w.csvField(c.venueId)
        w.csvField(c.purpose)
        w.csvField(c.credits)
        w.endLine()
        balanceRows += 1
    }

    func close() throws(Failure) {
        try payments.close()
        try balance.close()
    }
}
