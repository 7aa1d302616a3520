import BackofficeCore
import Foundation

/// Prices no dish on this menu plausibly costs: a typo (`950` typed for `9.50`), a phone number or a
/// year read as a price. Such a price is asked about (the flag `absurd_price`) before it is published.
///
///     let absurd = AbsurdPrices.find(items, currency: "EUR")   // [seq: "the price 950.00 EUR is …"]
///
/// A price is absurd when it is more than 20 times the median of the other priced items of its
/// category, or above the currency's ceiling (about 1,000 US dollars' worth). Every price of the
/// item counts (the lowest and each size).
public enum AbsurdPrices {
    public static let medianFactor: Int64 = 20

    /// The most a single dish costs, in major units, for the currencies menus here come in.
    /// Currencies not listed have no ceiling (the median rule still applies).
    static let ceilings: [String: Int64] = [
        "USD": 1_000, "EUR": 1_000, "GBP": 1_000, "CHF": 1_000, "CAD": 1_500, "AUD": 1_500, "NZD": 1_500,
        "KES": 150_000, "TZS": 2_500_000, "UGX": 4_000_000, "NGN": 1_500_000, "ZAR": 20_000, "GHS": 15_000,
        "INR": 80_000, "BRL": 5_000, "ARS": 1_000_000, "CLP": 1_000_000, "COP": 4_000_000, "MXN": 20_000,
        "TRY": 40_000, "SEK": 10_000, "NOK": 10_000, "DKK": 7_000, "PLN": 4_000, "CZK": 25_000, "HUF": 400_000,
        "JPY": 150_000, "BHD": 400, "AED": 4_000, "SAR": 4_000,
    ]

    /// The ceiling in minor units, or nil when the currency has none.
    public static func ceiling(currency: String) -> Int64? {
        guard let major = ceilings[currency.uppercased()] else { return nil }
        let exponent = Currency(code: currency)?.exponent ?? 2
        var minor = major
        for _ in 0..<exponent { minor *= 10 }
        return minor
    }

    /// One item as the check sees it.
    public struct Entry: Sendable {
        public var seq: Int
        public var category: String
        public var prices: [Int64]
        public init(seq: Int, category: String, prices: [Int64]) { self.seq = seq; self.category = category; self.prices = prices }
        public init(seq: Int, draft: MenuItemDraft) {
            var prices: [Int64] = []
            if let base = draft.priceCents {
                prices.append(base)
                for choice in draft.options.first?.choices ?? [] where choice.priceDeltaCents > 0 { prices.append(base + choice.priceDeltaCents) }
            }
            self.init(seq: seq, category: draft.category, prices: prices)
        }
    }

    /// seq → why its price is absurd, in plain words.
    public static func find(_ entries: [Entry], currency: String) -> [Int: String] {
        let exponent = Currency(code: currency)?.exponent ?? 2
        func money(_ v: Int64) -> String { MoneyText.format(v, exponent: exponent) + " " + currency }
        let ceiling = ceiling(currency: currency)
        var byCategory: [String: [Entry]] = [:]
        for e in entries where !e.prices.isEmpty { byCategory[TextRules.fold(e.category), default: []].append(e) }
        var out: [Int: String] = [:]
        for e in entries {
            guard let highest = e.prices.max() else { continue }
            if let ceiling, highest > ceiling {
                out[e.seq] = "the price \(money(highest)) is above \(money(ceiling)), more than any dish costs; is it a typo?"
                continue
            }
            let others = (byCategory[TextRules.fold(e.category)] ?? []).filter { $0.seq != e.seq }.compactMap { $0.prices.min() }
            guard let median = median(others), median > 0 else { continue }
            if highest > median * medianFactor {
                out[e.seq] = "the price \(money(highest)) is more than \(medianFactor) times the usual \(money(median)) of \(e.category.isEmpty ? "its category" : "'\(e.category)'"); is it a typo?"
            }
        }
        return out
    }

    /// The lower median (no averaging, so it stays in whole minor units).
    static func median(_ values: [Int64]) -> Int64? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[(sorted.count - 1) / 2]
    }
}
