import BackofficeCore

/// What `backoffice samples` makes. The same options write the same bytes.
public struct SampleOptions: Sendable, Hashable {
    public var venues: Int
    public var days: Int
    public var ordersPerDay: Int
    public var seed: UInt64
    /// Midnight UTC of the first trading day.
    public var start: Timestamp
    /// Plant one case of each reconciliation exception kind (`false`: `--clean`, data that reconciles).
    public var plantDiscrepancies: Bool

    public init(venues: Int = 4, days: Int = 7, ordersPerDay: Int = 30, seed: UInt64 = 1,
                start: Timestamp = Timestamp(iso: "2026-11-01")!, plantDiscrepancies: Bool = true) {
        self.venues = venues
        self.days = days
        self.ordersPerDay = ordersPerDay
        self.seed = seed
        self.start = start
        self.plantDiscrepancies = plantDiscrepancies
    }

    /// Largest values accepted, to keep a typo from filling the disk.
    public static let maxVenues = 10_000
    public static let maxDays = 3_660
    public static let maxOrdersPerDay = 10_000
    public static let maxTotalOrders = 20_000_000

    /// Checks the options; a bad one is a usage failure (exit 64) with a sentence saying which.
    public func validate() throws(Failure) {
        guard venues >= 1, venues <= Self.maxVenues else {
            throw Failure.usage("--venues must be between 1 and \(Self.maxVenues) (got \(venues)).")
        }
        guard days >= 1, days <= Self.maxDays else {
            throw Failure.usage("--days must be between 1 and \(Self.maxDays) (got \(days)).")
        }
        guard ordersPerDay >= 1, ordersPerDay <= Self.maxOrdersPerDay else {
            throw Failure.usage("--orders-per-day must be between 1 and \(Self.maxOrdersPerDay) (got \(ordersPerDay)).")
        }
        guard venues * days * ordersPerDay <= Self.maxTotalOrders else {
            throw Failure.usage("--venues x --days x --orders-per-day is \(venues * days * ordersPerDay) orders; at most \(Self.maxTotalOrders) are supported.")
        }
        guard start.seconds % 86_400 == 0 else {
            throw Failure.usage("--start must be a date (midnight UTC), like 2026-11-01.")
        }
        let year = start.fields().year
        guard year >= 2000, year <= 2099 else {
            throw Failure.usage("--start must be a date between 2000 and 2099 (got \(start.isoDate)).")
        }
    }

    /// Midnight UTC after the last trading day.
    public var end: Timestamp { start.adding(seconds: Int64(days) * 86_400) }
}
