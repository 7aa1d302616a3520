import BackofficeCore

/// Where a finding stands: open until a person resolves it or a later run that covered it no
/// longer sees it (cleared).
public enum FindingState: String, Sendable, Hashable, Codable, CaseIterable {
    case open, resolved, cleared
}

/// A finding as the findings ledger knows it: its stable id, state and history in runs.
public struct FindingStatus: Sendable, Hashable {
    public var id: String
    public var state: FindingState
    /// The run (or nightly check) that saw it first, and when.
    public var firstSeen: String
    public var firstSeenAt: Timestamp
    public var lastSeen: String
    public var lastSeenAt: Timestamp
    /// `ageDays(at:)` as of the run that reported it (or of `findings`).
    public var ageDays = 0

    public init(id: String, state: FindingState, firstSeen: String, firstSeenAt: Timestamp, lastSeen: String, lastSeenAt: Timestamp) {
        self.id = id; self.state = state; self.firstSeen = firstSeen; self.firstSeenAt = firstSeenAt
        self.lastSeen = lastSeen; self.lastSeenAt = lastSeenAt
    }

    /// Whole UTC days from the day it was first seen to the day of `now` (0: new today).
    public func ageDays(at now: Timestamp) -> Int {
        max(0, Int(now.dayNumber - firstSeenAt.dayNumber))
    }
}

/// What one run (or nightly check) did to the findings ledger.
public struct FindingsUpdate: Sendable, Hashable {
    /// The status of each of the run's findings, in the run's order.
    public var statuses: [FindingStatus] = []
    /// Findings seen for the first time.
    public var opened: [String] = []
    /// Open findings this run covered and no longer saw.
    public var cleared: [String] = []
    /// Findings a person had not closed that are open after the run, within its venue filter
    /// (this run's and those its inputs did not cover).
    public var openAfter = 0
    public init() {}
}

/// The stable id of a finding: a fingerprint of its kind and the references that name the
/// problem, so two runs that see the same problem give it the same id.
///
///     FindingKey.id(exception)   // "F-3f9a2c01b2d4"
///
/// The key references are the ones every input that tells of the problem carries:
/// - about a payment row (mismatches, refunds, credit packs, missing provider payments): the row's id;
/// - money with no row of its own (unrecorded or duplicate payments): the provider's transaction
///   (Stripe PaymentIntent, else charge; M-PESA receipt, else CheckoutRequestID);
/// - ledger findings: the order, or the venue for a balance drift; payouts: the payout id;
/// - `missing_export`: the provider and the venue, if any.
/// Amounts and sentences are not part of it: a drift that grows is still the same drift.
public enum FindingKey {
    public static func key(_ e: ReconcileException) -> String {
        let r = e.refs
        func transaction() -> String {
            let ref: String?
            switch e.provider {
            case .stripe?: ref = r.providerRef ?? r.chargeId ?? r.mpesaReceipt
            case .mpesa?: ref = r.mpesaReceipt ?? r.providerRef ?? r.chargeId
            case nil: ref = r.providerRef ?? r.mpesaReceipt ?? r.chargeId
            }
            if let ref { return "tx=\(ref)" }
            // no reference at all (an id-less export row): what the row itself says
            return "at=\(e.occurredAt?.iso ?? "")|amount=\(e.amountCents.map(String.init) ?? "")|currency=\(e.currency ?? "")|venue=\(e.venueId ?? "")"
        }
        switch e.kind {
        case .unrecordedPayment, .duplicatePayment:
            return transaction()
        case .creditBalanceDrift:
            return "venue=\(e.venueId ?? r.venueId ?? "")"
        case .orderChargeMissing, .orderChargeDuplicate:
            return "order=\(r.orderId ?? "")"
        case .payoutMismatch:
            return "payout=\(r.payoutId ?? transaction())"
        case .missingExport:
            return "provider=\(e.provider?.rawValue ?? "")|venue=\(e.venueId ?? "")"
        case .missingProviderPayment, .amountMismatch, .currencyMismatch, .statusMismatch, .targetStatusMismatch,
             .unrecordedRefund, .creditsNotGranted, .creditsAmountMismatch:
            return r.paymentId.map { "payment=\($0)" } ?? transaction()
        }
    }

    public static func id(_ e: ReconcileException) -> String {
        let digest = SHA256Digest.hex(Array("finding v1|\(e.kind.rawValue)|\(key(e))".utf8))
        return "F-" + digest.prefix(12)
    }

    /// The ids of a run's findings, in order. Two findings of one run with one key (which the
    /// rules should not produce) keep apart as `F-…-2`, `F-…-3`, in the run's deterministic order.
    public static func ids(_ exceptions: [ReconcileException]) -> [String] {
        var seen: [String: Int] = [:]
        return exceptions.map { e in
            let id = self.id(e)
            let n = (seen[id] ?? 0) + 1
            seen[id] = n
            return n == 1 ? id : "\(id)-\(n)"
        }
    }
}
