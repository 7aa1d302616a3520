import BackofficeCore

/// What `backoffice samples` makes. The same options write the same bytes.
public struct SampleOptions: Sendable, Hashable {
    public var venues: Int
    public var days: Int
    public var ordersPerDay: Int
    public var seed: UInt64
    /// Midnight UTC of the first trading day.
    public var start: Timestamp

    public init(venues: Int = 4, days: Int = 7, ordersPerDay: Int = 30, seed: UInt64 = 1,
                start: Timestamp = Timestamp(iso: "2026-11-01")!) {
        self.venues = venues
        self.days = days
        self.ordersPerDay = ordersPerDay
        self.seed = seed
        self.start = start
    }
}
