import BackofficeCore

/// The check that makes every sum of provider money safe from overflow.
///
///     try MoneyBound.check(records)     // 65 naming the file and line where the total passed the bound
///
/// Takings, refund totals, payout nets and their differences are sums and differences of the
/// records' amounts, fees and nets. When the sum of their absolute values over all records stays
/// under `limit`, no sum or difference of any subset of them can pass `Int64`: `limit` is a
/// quarter of `Int64.max`, which leaves room for a difference of two such sums and for the
/// live rows' amounts compared against them. A single absurd amount, or many large ones whose
/// total passes it, is a 65 naming the record that crossed the bound, before any sum is taken.
public enum MoneyBound {
    /// 2.3 × 10¹⁸ minor units: far beyond any real takings, far below `Int64.max`.
    public static let limit: Int64 = Int64.max / 4

    public static func check(_ records: [ProviderRecord]) throws(Failure) {
        var total: Int64 = 0
        for r in records {
            for value in [r.amountMinor, r.feeMinor, r.netMinor ?? 0] {
                let magnitude = value == Int64.min ? Int64.max : abs(value)
                let (sum, overflow) = total.addingReportingOverflow(magnitude)
                if overflow || sum > limit {
                    throw Failure.badInput(file: r.source.file, line: r.source.line,
                                           reason: "the amounts read so far add up to more than \(limit) minor units (this row says \(value)); no real export holds that much money. Check the file for a corrupted amount")
                }
                total = sum
            }
        }
    }
}
