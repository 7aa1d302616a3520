import BackofficeCore

/// What a run's inputs covered: which open findings it re-checked (and may clear), and whether
/// it saw any provider data at all.
///
/// A provider's coverage is the span of its records in whole UTC days, within the run's period:
/// a one-day Stripe export covers that day only, whatever the period of the other files.
public struct RunCoverage: Sendable, Hashable {
    public var period: Period
    /// `--venue`: the run covers that venue's findings only.
    public var venue: String?
    /// Each provider whose records fall in the period, with the part of the period they span.
    public var providers: [Provider: Period]

    public init(period: Period, venue: String?, providers: [Provider: Period]) {
        self.period = period; self.venue = venue; self.providers = providers
    }

    /// The coverage of `records` within `period`.
    public init(records: [ProviderRecord], period: Period, venue: String?) {
        var spans: [Provider: (lo: Int64, hi: Int64)] = [:]
        for r in records where r.occurredAtKnown {
            let s = r.occurredAt.seconds
            if let span = spans[r.provider] {
                if s < span.lo { spans[r.provider]!.lo = s }
                if s > span.hi { spans[r.provider]!.hi = s }
            } else {
                spans[r.provider] = (s, s)
            }
        }
        var providers: [Provider: Period] = [:]
        for (provider, span) in spans {
            // whole days, as the default period: an export of a day covers the day
            let from = max(Timestamp(seconds: Timestamp(seconds: span.lo).dayNumber * 86400), period.from)
            let to = min(Timestamp(seconds: (Timestamp(seconds: span.hi).dayNumber + 1) * 86400), period.to)
            if from < to { providers[provider] = Period(from: from, to: to) }
        }
        self.init(period: period, venue: venue, providers: providers)
    }

    /// No provider's records fall in the period: the run checked no money at all.
    public var coversNoProviderData: Bool { providers.isEmpty }

    /// Whether this run re-checked a finding (so not seeing it again clears it):
    /// - the run is not limited to another venue (a `--venue` run covers only that venue's findings);
    /// - a credit balance drift (all-time) is re-checked by every run covering its venue;
    /// - a missing order charge (or a doubled one) by a run whose period holds the order's creation;
    /// - `missing_export` by any run that brought data of its provider;
    /// - every other finding (money, payouts) by a run whose inputs of the finding's provider span
    ///   the instant it is about.
    public func covers(kind: ExceptionKind, provider: Provider?, venueId: String?, occurredAt: Timestamp?) -> Bool {
        if let venue, venueId != venue { return false }
        switch kind {
        case .creditBalanceDrift:
            return true
        case .orderChargeMissing, .orderChargeDuplicate:
            return occurredAt.map(period.contains) ?? false
        case .missingExport:
            return provider.map { providers[$0] != nil } ?? false
        case .unrecordedPayment, .missingProviderPayment, .amountMismatch, .currencyMismatch, .statusMismatch,
             .targetStatusMismatch, .duplicatePayment, .unrecordedRefund, .creditsNotGranted, .creditsAmountMismatch,
             .payoutMismatch:
            guard let provider, let span = providers[provider], let occurredAt else { return false }
            return span.contains(occurredAt)
        }
    }
}
