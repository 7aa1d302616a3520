import BackofficeCore

/// A venue's records of one provider (the key of `RunCoverage.venues`).
public struct VenueProvider: Sendable, Hashable {
    public var venueId: String
    public var provider: Provider

    public init(venueId: String, provider: Provider) {
        self.venueId = venueId; self.provider = provider
    }
}

/// What a run's inputs covered: which open findings it re-checked (and may clear), and whether
/// it saw any provider data at all.
///
/// A provider's coverage is the span of its records in whole UTC days, within the run's period:
/// a one-day Stripe export covers that day only, whatever the period of the other files. A
/// venue's coverage is the same span of the records the run attributed to that venue
/// (`Matcher`: the payment row it matched, the order or invoice it names, Stripe metadata
/// `venue_id`, the statement's short code).
public struct RunCoverage: Sendable, Hashable {
    public var period: Period
    /// `--venue`: the run covers that venue's findings only.
    public var venue: String?
    /// Each provider whose records fall in the period, with the part of the period they span.
    public var providers: [Provider: Period]
    /// Each venue and provider with records the run attributed to the venue, with the part of the
    /// period they span (`batch_run_venue_coverage`).
    public var venues: [VenueProvider: Period]

    public init(period: Period, venue: String?, providers: [Provider: Period], venues: [VenueProvider: Period] = [:]) {
        self.period = period; self.venue = venue; self.providers = providers; self.venues = venues
    }

    /// The coverage of `records` within `period`; `venues` as the matcher attributed them.
    public init(records: [ProviderRecord], period: Period, venue: String?, venues: [VenueProvider: Period] = [:]) {
        var spans = DaySpans<Provider>()
        for r in records where r.occurredAtKnown { spans.add(r.provider, r.occurredAt) }
        self.init(period: period, venue: venue, providers: spans.periods(within: period), venues: venues)
    }

    /// No provider's records fall in the period: the run checked no money at all.
    public var coversNoProviderData: Bool { providers.isEmpty }

    /// Whether this run re-checked a finding (so not seeing it again clears it):
    /// - the run is not limited to another venue (a `--venue` run covers only that venue's findings);
    /// - a credit balance drift (all-time) is re-checked by every run covering its venue;
    /// - a missing order charge (or a doubled one) by a run whose period holds the order's creation;
    /// - a provider's `missing_export` by any run that brought data of its provider, a venue's by
    ///   any run that brought data of that provider it attributed to the venue;
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
            guard let provider else { return false }
            if let venueId { return venues[VenueProvider(venueId: venueId, provider: provider)] != nil }
            return providers[provider] != nil
        case .unrecordedPayment, .missingProviderPayment, .amountMismatch, .currencyMismatch, .statusMismatch,
             .targetStatusMismatch, .duplicatePayment, .unrecordedRefund, .creditsNotGranted, .creditsAmountMismatch,
             .payoutMismatch:
            guard let provider, let span = providers[provider], let occurredAt else { return false }
            return span.contains(occurredAt)
        }
    }
}

/// The earliest and latest instant seen per key, as whole UTC days within a period: the span a
/// run's records cover, per provider or per venue and provider.
struct DaySpans<Key: Hashable> {
    private var spans: [Key: (lo: Int64, hi: Int64)] = [:]

    mutating func add(_ key: Key, _ at: Timestamp) {
        let s = at.seconds
        if let span = spans[key] {
            if s < span.lo { spans[key]!.lo = s }
            if s > span.hi { spans[key]!.hi = s }
        } else {
            spans[key] = (s, s)
        }
    }

    /// Each key's span in whole days (as the default period: an export of a day covers the day),
    /// cut to `period`; keys whose span falls outside it are left out.
    func periods(within period: Period) -> [Key: Period] {
        var periods: [Key: Period] = [:]
        for (key, span) in spans {
            let from = max(Timestamp(seconds: Timestamp(seconds: span.lo).dayNumber * 86400), period.from)
            let to = min(Timestamp(seconds: (Timestamp(seconds: span.hi).dayNumber + 1) * 86400), period.to)
            if from < to { periods[key] = Period(from: from, to: to) }
        }
        return periods
    }
}
