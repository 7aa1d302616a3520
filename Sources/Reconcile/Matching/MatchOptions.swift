import BackofficeCore

/// A half-open span of UTC time, `[from, to)`.
public struct Period: Sendable, Hashable {
    public var from: Timestamp
    public var to: Timestamp
    public init(from: Timestamp, to: Timestamp) { self.from = from; self.to = to }
    public func contains(_ t: Timestamp) -> Bool { t >= from && t < to }

    /// The contract's default: from the start of the UTC day of the earliest provider record to the
    /// start of the day after the latest, narrowed or widened by `from`/`to` when given.
    /// With no records at all, the day of `now`.
    public static func resolve(from: Timestamp?, to: Timestamp?, records: [ProviderRecord], now: Timestamp) -> Period {
        var earliest: Timestamp?, latest: Timestamp?
        for r in records where r.occurredAtKnown {
            if earliest == nil || r.occurredAt < earliest! { earliest = r.occurredAt }
            if latest == nil || r.occurredAt > latest! { latest = r.occurredAt }
        }
        let startOfDay = { (t: Timestamp) in Timestamp(seconds: t.dayNumber * 86400) }
        let defaultFrom = startOfDay(earliest ?? now)
        let defaultTo = startOfDay(latest ?? now).adding(seconds: 86400)
        let f = from ?? defaultFrom
        var t = to ?? defaultTo
        if t < f { t = f }
        return Period(from: f, to: t)
    }

    /// 9999-01-01T00:00:00Z: no bound at or past it.
    public static let latestBound = Timestamp(seconds: Timestamp.daysFromCivil(year: 9999, month: 1, day: 1) * 86400)

    /// Parses a `--from`/`--to` value: a UTC date (`2026-11-01`, midnight) or an instant
    /// (`2026-11-01T06:00:00Z`).
    public static func parseBound(_ text: String, flag: String) throws(Failure) -> Timestamp {
        guard let t = Timestamp(iso: text.trimmingSpaces) else {
            throw Failure.usage("\(flag) '\(text)' is not a date: give a UTC date like 2026-11-01 or an instant like 2026-11-01T06:00:00Z.")
        }
        // The database's timestamps are ISO text with four-digit years, and a period's end is a
        // day past its last record: a bound in year 9999 or later (or before 1970) holds no data.
        guard t >= Timestamp(seconds: 0), t < latestBound else {
            throw Failure.usage("\(flag) '\(text)' is outside what the data can hold: give a date between 1970-01-01 and 9998-12-31.")
        }
        return t
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

/// What to reconcile: the period the database records are expected in, and an optional venue.
public struct MatchOptions: Sendable, Hashable {
    public var period: Period
    /// `--venue`: only this venue's records and findings.
    public var venue: String?
    public init(period: Period, venue: String? = nil) { self.period = period; self.venue = venue }
}

/// What the run read from one input file (the records themselves go to the matcher separately).
public struct InputSummary: Sendable, Hashable {
    public var file: String
    public var kind: InputKind
    public var sha256: String
    public var rows: Int
    /// An M-PESA statement's short code (see `ParsedInput.mpesaShortCode`); not recorded.
    public var mpesaShortCode: String?
    public init(file: String, kind: InputKind, sha256: String, rows: Int, mpesaShortCode: String? = nil) {
        self.file = file; self.kind = kind; self.sha256 = sha256; self.rows = rows; self.mpesaShortCode = mpesaShortCode
    }
    public init(_ input: ParsedInput) {
        self.init(file: input.file, kind: input.kind, sha256: input.sha256, rows: input.rows, mpesaShortCode: input.mpesaShortCode)
    }
}
