import BackofficeCore

/// What each exception kind means to a person, and what they should do about it. The switches are
/// exhaustive, so a kind added to the contract's list cannot reach a report without its words; a
/// kind this build does not know (from a newer run) gets plain ones.
public enum ExceptionKinds {
    /// A short title for a kind: "Unrecorded payment".
    public static func title(_ kind: String) -> String {
        let fallback = kind.replacingUnderscores
        guard let known = ExceptionKind(rawValue: kind) else { return fallback }
        switch known {
        case .unrecordedPayment: return "Payments nobody recorded"
        case .missingProviderPayment: return "Recorded payments the provider does not show"
        case .amountMismatch: return "Amounts that differ"
        case .currencyMismatch: return "Currencies that differ"
        case .statusMismatch: return "Payment status differs from the provider"
        case .targetStatusMismatch: return "Paid, but the order or invoice does not say so"
        case .duplicatePayment: return "Paid twice"
        case .unrecordedRefund: return "Refunds the database does not show"
        case .creditsNotGranted: return "Credit packs paid for but not granted"
        case .creditsAmountMismatch: return "Credit packs granted with the wrong amount"
        case .creditBalanceDrift: return "Credit balances that do not match the ledger"
        case .orderChargeMissing: return "Approved orders never charged a credit"
        case .orderChargeDuplicate: return "Orders charged a credit more than once"
        case .payoutMismatch: return "Payouts that do not add up"
        }
    }

    /// One plain sentence saying what the kind means.
    public static func explanation(_ kind: String) -> String {
        let fallback = "The reconciliation reported this finding."
        guard let known = ExceptionKind(rawValue: kind) else { return fallback }
        switch known {
        case .unrecordedPayment: return "The provider took money from a customer, and no payment in our database accounts for it."
        case .missingProviderPayment: return "Our database says these payments succeeded during the period, but no Stripe or M-PESA record shows the money."
        case .amountMismatch: return "The provider's record and our payment row are the same payment, but the amounts differ."
        case .currencyMismatch: return "The provider's record and our payment row are the same payment, but the currencies differ."
        case .statusMismatch: return "The provider and our payment row disagree on whether the payment succeeded (a lost M-PESA callback leaves the row INITIATED)."
        case .targetStatusMismatch: return "The payment succeeded, but the order it paid is not marked paid, or the invoice is not marked PAID."
        case .duplicatePayment: return "The customer paid more than once for the same order, invoice or credit pack."
        case .unrecordedRefund: return "The provider refunded or reversed a payment (fully or in part), and our database still shows it as paid."
        case .creditsNotGranted: return "A venue paid for a credit pack, and no purchase was added to its credit ledger."
        case .creditsAmountMismatch: return "A venue's credit purchase does not match the pack it paid for."
        case .creditBalanceDrift: return "The venue's credit balance differs from the sum of its credit ledger."
        case .orderChargeMissing: return "The staff approved these orders, but no credit was charged for them."
        case .orderChargeDuplicate: return "These orders were charged more than one credit."
        case .payoutMismatch: return "A Stripe payout sent to the bank is not the sum of the transactions Stripe lists for it."
        }
    }

    /// What a person should do about one finding of this kind.
    public static func suggestedAction(_ kind: String) -> String {
        let fallback = "Look into it and correct the record that is wrong."
        guard let known = ExceptionKind(rawValue: kind) else { return fallback }
        switch known {
        case .unrecordedPayment: return "Find the order or invoice this payment was for and record the payment; if nobody ordered, refund the customer."
        case .missingProviderPayment: return "Look the payment up in the provider's dashboard; if the money never arrived, mark the payment failed and ask the customer to pay again."
        case .amountMismatch: return "Compare the charge with the order; refund the difference or collect the rest, then correct the payment row."
        case .currencyMismatch: return "Check the currency the customer was charged in; correct the payment row, or refund and charge again in the venue's currency."
        case .statusMismatch: return "Set the payment to the provider's status: a lost M-PESA callback becomes SUCCESS with its receipt; a cancelled one becomes FAILED."
        case .targetStatusMismatch: return "Mark the order or invoice paid, since the money arrived; if it was cancelled, refund the customer."
        case .duplicatePayment: return "Refund the extra payment to the customer."
        case .unrecordedRefund: return "Record the refund: mark the payment REFUNDED and the order refunded or partially refunded."
        case .creditsNotGranted: return "Add the purchase of the pack's credits to the venue's ledger, or refund the pack."
        case .creditsAmountMismatch: return "Correct the purchase row to the number of credits in the pack that was paid for."
        case .creditBalanceDrift: return "Set the venue's credit balance to its ledger sum, or add the ledger row that is missing."
        case .orderChargeMissing: return "Add the missing order charge of -1 credit for the order."
        case .orderChargeDuplicate: return "Give the extra credit back with a refund of +1 credit."
        case .payoutMismatch: return "Compare the payout with the bank statement and Stripe's payout report, and ask Stripe about the difference."
        }
    }

    /// Sorting position: the contract's order, unknown kinds last.
    static func rank(_ kind: String) -> Int { ExceptionKind(rawValue: kind)?.rank ?? ExceptionKind.allCases.count }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
