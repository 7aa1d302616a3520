import Output
import BackofficeCore

/// A value in a report table, typed so that CSV and HTML show the same thing and totals add up
/// the very values shown. Text is phone-masked on the way out, in CSV and HTML alike.
enum ReportValue: Sendable, Hashable {
    /// Text from outside or from us; defused in CSV, escaped in HTML.
    case text(String)
    /// Minor units shown as decimal major units.
    case money(Int64, exponent: Int)
    /// A count or a number of credits.
    case integer(Int64)
    /// A UTC instant, written as spreadsheets read them: `2026-11-01 06:15:23` (as Stripe's exports do).
    case instant(Timestamp)
    case empty

    static func text(_ s: String?) -> ReportValue { s.map { .text($0) } ?? .empty }
    /// An ISO instant from the database; text that is not one is kept as text.
    static func instant(_ iso: String?) -> ReportValue {
        guard let iso else { return .empty }
        return Timestamp(iso: iso).map { .instant($0) } ?? .text(iso)
    }

    /// `2026-11-01 06:15:23`.
    static func spreadsheetText(_ t: Timestamp) -> String {
        let iso = t.iso   // 2026-11-01T06:15:23Z
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(8))
    }
    /// Money in `unit` (a currency code), or a plain integer when the unit is credits.
    static func amount(_ minor: Int64?, unit: AmountUnit) -> ReportValue {
        guard let minor else { return .empty }
        switch unit {
        case .currency(let c): return .money(minor, exponent: c.exponent)
        case .credits: return .integer(minor)
        }
    }

    var csv: CSVCell {
        switch self {
        case .text(let s): return .text(PhoneMask.maskText(s))
        case .money(let v, let e): return .money(v, exponent: e)
        case .integer(let v): return .integer(v)
        case .instant(let t): return .text(Self.spreadsheetText(t))
        case .empty: return .empty
        }
    }

    /// What a person reads (HTML): the same digits as the CSV, phone numbers masked.
    var display: String {
        switch self {
        case .text(let s): return PhoneMask.maskText(s)
        case .money(let v, let e): return MoneyText.grouped(v, exponent: e)
        case .integer(let v): return String(v)
        case .instant(let t): return Self.spreadsheetText(t)
        case .empty: return ""
        }
    }

    var isNumber: Bool {
        switch self {
        case .money, .integer: return true
        default: return false
        }
    }

    /// The raw number, for totals and for tests (`data-value` in HTML).
    var number: Int64? {
        switch self {
        case .money(let v, _), .integer(let v): return v
        default: return nil
        }
    }

    func adding(_ other: ReportValue) -> ReportValue {
        switch (self, other) {
        case (.empty, _): return other
        case (_, .empty): return self
        case (.money(let a, let e), .money(let b, _)): return .money(a + b, exponent: e)
        case (.integer(let a), .integer(let b)): return .integer(a + b)
        case (.money(let a, let e), .integer(let b)): return .money(a + b, exponent: e)
        case (.integer(let a), .money(let b, let e)): return .money(a + b, exponent: e)
        default: return self
        }
    }
}

/// What an amount counts: money in a currency, or the venues' prepaid credits.
enum AmountUnit: Hashable, Sendable {
    case currency(Currency)
    case credits

    /// A currency code from the database; NULL or empty means credits.
    init(code: String?) {
        if let code, !code.isEmpty, let c = Currency(code: code) { self = .currency(c) } else { self = .credits }
    }

    var label: String {
        switch self {
        case .currency(let c): return c.code
        case .credits: return "credits"
        }
    }
}

/// The shape of one report table: its columns, which of them are summed in the totals foot,
/// and which column groups the totals (one foot row per currency).
struct TableSpec: Sendable {
    struct Column: Sendable {
        var key: String       // CSV header
        var title: String     // HTML header
        var summed: Bool = false
        var wide: Bool = false
    }
    var file: String
    var title: String
    var columns: [Column]
    /// Rows are totalled per distinct value of this column (the currency); nil: one total row.
    var groupBy: Int?
    /// Where the foot row says "Total".
    var labelColumn: Int = 0

    var header: [String] { columns.map(\.key) }
}

/// Adds up a table's summed columns, row by row, per group, in the order groups first appear.
struct TotalsAccumulator: Sendable {
    let spec: TableSpec
    /// The groups in the order they first appeared, with their sums; `index` finds a group's place.
    private(set) var groups: [String] = []
    private(set) var sums: [[ReportValue]] = []
    private var index: [String: Int] = [:]
    private(set) var rowCount = 0

    init(_ spec: TableSpec) { self.spec = spec }

    mutating func add(_ row: [ReportValue]) {
        rowCount += 1
        let key = spec.groupBy.map { row[$0].display } ?? ""
        // one hash per row: the group's place, made on its first row
        let g: Int
        if let known = index[key] {
            g = known
        } else {
            g = sums.count
            index[key] = g
            groups.append(key)
            sums.append(Array(repeating: .empty, count: spec.columns.count))
        }
        // changed in place: a copy of the sums per row cost more than the adding, at a million rows
        for (i, column) in spec.columns.enumerated() where column.summed { sums[g][i] = sums[g][i].adding(row[i]) }
    }

    /// The foot rows: "Total" in the label column, the group's value in the group column, sums elsewhere.
    /// A table with no rows has no foot.
    var footRows: [[ReportValue]] {
        zip(groups, sums).map { key, summed in
            var row = summed
            for (i, column) in spec.columns.enumerated() where !column.summed { row[i] = .empty }
            row[spec.labelColumn] = .text("Total")
            if let g = spec.groupBy { row[g] = .text(key) }
            return row
        }
    }
}
