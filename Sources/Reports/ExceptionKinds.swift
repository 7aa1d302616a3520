/// What each exception kind means to a person, and what they should do about it.
public enum ExceptionKinds {
    /// The contract's kinds, in the order the report lists them.
    public static let ordered: [String] = [
        "unrecorded_payment", "missing_provider_payment", "amount_mismatch", "currency_mismatch",
        "status_mismatch", "target_status_mismatch", "duplicate_payment", "unrecorded_refund",
        "credits_not_granted", "credits_amount_mismatch", "credit_balance_drift",
        "order_charge_missing", "order_charge_duplicate", "payout_mismatch",
    ]

    /// A short title for a kind: "Unrecorded payment".
    public static func title(_ kind: String) -> String {
        switch kind {
        case "unrecorded_payment": return "Payments nobody recorded"
        case "missing_provider_payment": return "Recorded payments the provider does not show"
        case "amount_mismatch": return "Amounts that differ"
        case "currency_mismatch": return "Currencies that differ"
        case "status_mismatch": return "Payment status differs from the provider"
        case "target_status_mismatch": return "Paid, but the order or invoice does not say so"
        case "duplicate_payment": return "Paid twice"
        case "unrecorded_refund": return "Refunds the database does not show"
        case "credits_not_granted": return "Credit packs paid for but not granted"
        case "credits_amount_mismatch": return "Credit packs granted with the wrong amount"
        case "credit_balance_drift": return "Credit balances that do not match the ledger"
        case "order_charge_missing": return "Approved orders never charged a credit"
        case "order_charge_duplicate": return "Orders charged a credit more than once"
        case "payout_mismatch": return "Payouts that do not add up"
        default: return kind.replacingUnderscores
        }
    }

    /// One plain sentence saying what the kind means.
    public static func explanation(_ kind: String) -> String {
        switch kind {
        case "unrecorded_payment": return "The provider took money from a customer, and no payment in our database accounts for it."
        case "missing_provider_payment": return "Our database says these payments succeeded during the period, but no Stripe or M-PESA record shows the money."
        case "amount_mismatch": return "The provider's record and our payment row are the same payment, but the amounts differ."
        case "currency_mismatch": return "The provider's record and our payment row are the same payment, but the currencies differ."
        case "status_mismatch": return "The provider and our payment row disagree on whether the payment succeeded (a lost M-PESA callback leaves the row INITIATED)."
        case "target_status_mismatch": return "The payment succeeded, but the order it paid is not marked paid, or the invoice is not marked PAID."
        case "duplicate_payment": return "The customer paid more than once for the same order, invoice or credit pack."
        case "unrecorded_refund": return "The provider refunded or reversed a payment (fully or in part), and our database still shows it as paid."
        case "credits_not_granted": return "A venue paid for a credit pack, and no purchase was added to its credit ledger."
        case "credits_amount_mismatch": return "A venue's credit purchase does not match the pack it paid for."
        case "credit_balance_drift": return "The venue's credit balance differs from the sum of its credit ledger."
        case "order_charge_missing": return "The staff approved these orders, but no credit was charged for them."
        case "order_charge_duplicate": return "These orders were charged more than one credit."
        case "payout_mismatch": return "A Stripe payout sent to the bank is not the sum of the transactions Stripe lists for it."
        default: return "The reconciliation reported this finding."
        }
    }

    /// What a person should do about one finding of this kind.
    public static func suggestedAction(_ kind: String) -> String {
        switch kind {
        case "unrecorded_payment": return "Find the order or invoice this payment was for and record the payment; if nobody ordered, refund the customer."
        case "missing_provider_payment": return "Look the payment up in the provider's dashboard; if the money never arrived, mark the payment failed and ask the customer to pay again."
        case "amount_mismatch": return "Compare the charge with the order; refund the difference or collect the rest, then correct the payment row."
        case "currency_mismatch": return "Check the currency the customer was charged in; correct the payment row, or refund and charge again in the venue's currency."
        case "status_mismatch": return "Set the payment to the provider's status: a lost M-PESA callback becomes SUCCESS with its receipt; a cancelled one becomes FAILED."
        case "target_status_mismatch": return "Mark the order or invoice paid, since the money arrived; if it was cancelled, refund the customer."
        case "duplicate_payment": return "Refund the extra payment to the customer."
        case "unrecorded_refund": return "Record the refund: mark the payment REFUNDED and the order refunded or partially refunded."
        case "credits_not_granted": return "Add the purchase of the pack's credits to the venue's ledger, or refund the pack."
        case "credits_amount_mismatch": return "Correct the purchase row to the number of credits in the pack that was paid for."
        case "credit_balance_drift": return "Set the venue's credit balance to its ledger sum, or add the ledger row that is missing."
        case "order_charge_missing": return "Add the missing order charge of -1 credit for the order."
        case "order_charge_duplicate": return "Give the extra credit back with a refund of +1 credit."
        case "payout_mismatch": return "Compare the payout with the bank statement and Stripe's payout report, and ask Stripe about the difference."
        default: return "Look into it and correct the record that is wrong."
        }
    }

    /// Sorting position: the contract's order, unknown kinds last by name.
    static func rank(_ kind: String) -> Int { ordered.firstIndex(of: kind) ?? ordered.count }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
