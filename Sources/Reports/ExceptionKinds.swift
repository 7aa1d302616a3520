import Output
import BackofficeCore

/// What each exception kind means to a person, and what they should do about it. The switch over
/// the kinds is exhaustive, so a kind added to the contract's list cannot reach a report without
/// its words; a kind this build does not know (from a newer run) gets plain ones.
public enum ExceptionKinds {
    /// A short title for a kind: "Payments nobody recorded".
    public static func title(_ kind: String) -> String {
        ExceptionKind(rawValue: kind).map { words($0).title } ?? kind.replacingUnderscores
    }

    /// One plain sentence saying what the kind means.
    public static func explanation(_ kind: String) -> String {
        ExceptionKind(rawValue: kind).map { words($0).explanation } ?? "The reconciliation reported this finding."
    }

    /// What a person should do about one finding of this kind.
    public static func suggestedAction(_ kind: String) -> String {
        ExceptionKind(rawValue: kind).map { words($0).action } ?? "Look into it and correct the record that is wrong."
    }

    /// Each kind's title, explanation and suggested action, side by side.
    static func words(_ kind: ExceptionKind) -> (title: String, explanation: String, action: String) {
        switch kind {
        case .unrecordedPayment:
            ("Payments nobody recorded",
             "The provider took money from a customer, and no payment in our database accounts for it.",
             "Find the order or invoice this payment was for and record the payment; if nobody ordered, refund the customer.")
        case .missingProviderPayment:
            ("Recorded payments the provider does not show",
             "Our database says these payments succeeded during the period, but no Stripe or M-PESA record shows the money.",
             "Look the payment up in the provider's dashboard; if the money never arrived, mark the payment failed and ask the customer to pay again.")
        case .amountMismatch:
            ("Amounts that differ",
             "The provider's record and our payment row are the same payment, but the amounts differ.",
             "Compare the charge with the order; refund the difference or collect the rest, then correct the payment row.")
        case .currencyMismatch:
            ("Currencies that differ",
             "The provider's record and our payment row are the same payment, but the currencies differ.",
             "Check the currency the customer was charged in; correct the payment row, or refund and charge again in the venue's currency.")
        case .statusMismatch:
            ("Payment status differs from the provider",
             "The provider and our payment row disagree on whether the payment succeeded (a lost M-PESA callback leaves the row INITIATED).",
             "Set the payment to the provider's status: a lost M-PESA callback becomes SUCCESS with its receipt; a cancelled one becomes FAILED.")
        case .targetStatusMismatch:
            ("Paid, but the order or invoice does not say so",
             "The payment succeeded, but the order it paid is not marked paid, or the invoice is not marked PAID.",
             "Mark the order or invoice paid, since the money arrived; if it was cancelled, refund the customer.")
        case .duplicatePayment:
            ("Paid twice",
             "The customer paid more than once for the same order, invoice or credit pack.",
             "Refund the extra payment to the customer.")
        case .unrecordedRefund:
            ("Refunds the database does not show",
             "The provider refunded or reversed a payment (fully or in part), and our database still shows it as paid.",
             "Record the refund: mark the payment REFUNDED and the order refunded or partially refunded.")
        case .creditsNotGranted:
            ("Credit packs paid for but not granted",
             "A venue paid for a credit pack, and no purchase was added to its credit ledger.",
             "Add the purchase of the pack's credits to the venue's ledger, or refund the pack.")
        case .creditsAmountMismatch:
            ("Credit packs granted with the wrong amount",
             "A venue's credit purchase does not match the pack it paid for.",
             "Correct the purchase row to the number of credits in the pack that was paid for.")
        case .creditBalanceDrift:
            ("Credit balances that do not match the ledger",
             "The venue's credit balance differs from the sum of its credit ledger.",
             "Set the venue's credit balance to its ledger sum, or add the ledger row that is missing.")
        case .orderChargeMissing:
            ("Approved orders never charged a credit",
             "The staff approved these orders, but no credit was charged for them.",
             "Add the missing order charge of -1 credit for the order.")
        case .orderChargeDuplicate:
            ("Orders charged a credit more than once",
             "These orders were charged more than one credit.",
             "Give the extra credit back with a refund of +1 credit.")
        case .payoutMismatch:
            ("Payouts that do not add up",
             "A Stripe payout sent to the bank is not the sum of the transactions Stripe lists for it.",
             "Compare the payout with the bank statement and Stripe's payout report, and ask Stripe about the difference.")
        case .missingExport:
            ("Exports that stopped arriving",
             "No new export from this provider (or none showing this venue) has reached the inbox for longer than the nightly job allows, so its money is not being checked.",
             "Check the job or the person that downloads the exports into the inbox (for one venue: its own M-PESA statement or Stripe account), and put the missing files there.")
        }
    }

    /// Sorting position: the contract's order, unknown kinds last.
    static func rank(_ kind: String) -> Int { ExceptionKind(rawValue: kind)?.rank ?? ExceptionKind.allCases.count }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
