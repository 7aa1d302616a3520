/// The exception kinds of the contract (CLI.md), in the order the contract lists them, which is
/// also the order reports list them in. Reconciliation finds them; reports explain them; the sample
/// writer plants them.
public enum ExceptionKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case unrecordedPayment = "unrecorded_payment"
    case missingProviderPayment = "missing_provider_payment"
    case amountMismatch = "amount_mismatch"
    case currencyMismatch = "currency_mismatch"
    case statusMismatch = "status_mismatch"
    case targetStatusMismatch = "target_status_mismatch"
    case duplicatePayment = "duplicate_payment"
    case unrecordedRefund = "unrecorded_refund"
    case creditsNotGranted = "credits_not_granted"
    case creditsAmountMismatch = "credits_amount_mismatch"
    case creditBalanceDrift = "credit_balance_drift"
    case orderChargeMissing = "order_charge_missing"
    case orderChargeDuplicate = "order_charge_duplicate"
    case payoutMismatch = "payout_mismatch"
    /// Raised by `nightly`, not by matching: a provider's (or one venue's) exports stopped arriving.
    case missingExport = "missing_export"

    /// The kinds that matching a set of exports can find (all but `missing_export`, which is about
    /// exports that did not come).
    public static let matchingKinds = allCases.filter { $0 != .missingExport }

    /// Position in the contract's list.
    public var rank: Int { ExceptionKind.allCases.firstIndex(of: self)! }
    public static func < (a: ExceptionKind, b: ExceptionKind) -> Bool { a.rank < b.rank }
}
