import BackofficeCore
import GRDB

/// The credit ledger checks, from one scan of `credit_transactions` and one of `orders`.
///
/// Nothing here depends on the provider records, so a run reads it while the exports are still
/// being parsed: the ledger is summed per venue, per UTC day and kind, and the period's sums are
/// taken from those days once the period is known. A period runs from one midnight to another,
/// except at a bound given by `--from`/`--to`: the days holding those instants (`cuts`) are split
/// there, so every sum stays exact.
struct CreditScan {
    /// `purchase` rows by `stripe_payment_id` (all time).
    var purchases: [String: PurchaseSum] = [:]
    /// Orders (of the venue, when filtered) whose `order_charge` rows are not what their status
    /// needs, whenever created; `orderChargeChecks(in:)` keeps the period's.
    var problemOrders: [OrderChargeCheck] = []
    /// Per venue: the ledger's sums by day (split at the cuts), and the rows no day could be
    /// read for (an unreadable `created_at`: counted in the total only).
    var ledger: [IdKey: [Int64: LedgerSums]] = [:]
    /// The instants the days are split at (`--from`/`--to` as given).
    let cuts: [Timestamp]

    struct Charges {
        var rows = 0
        var credits: Int64 = 0
        mutating func add(_ amount: Int64) throws {
            rows += 1
            try addChecked(amount, to: &credits)
        }
    }

    struct LedgerSums {
        enum Kind { case purchase, orderCharge, menuImport, bonus, refund }
        var bonus: Int64 = 0, purchases: Int64 = 0, orderCharges: Int64 = 0
        var menuImports: Int64 = 0, refunds: Int64 = 0, total: Int64 = 0

        mutating func add(_ amount: Int64, _ kind: Kind?) throws {
            try addChecked(amount, to: &total)
            guard let kind else { return }
            switch kind {
            case .purchase: try addChecked(amount, to: &purchases)
            case .orderCharge: try addChecked(amount, to: &orderCharges)
            case .menuImport: try addChecked(amount, to: &menuImports)
            case .bonus: try addChecked(amount, to: &bonus)
            case .refund: try addChecked(amount, to: &refunds)
            }
        }

        mutating func add(_ other: LedgerSums) throws {
            try addChecked(other.bonus, to: &bonus); try addChecked(other.purchases, to: &purchases)
            try addChecked(other.orderCharges, to: &orderCharges); try addChecked(other.menuImports, to: &menuImports)
            try addChecked(other.refunds, to: &refunds); try addChecked(other.total, to: &total)
        }
    }

    /// The bucket of an instant: its day, and on which side of each cut it lies.
    private func bucket(_ seconds: Int64) -> Int64 {
        var key = Timestamp(seconds: seconds).dayNumber << 2
        for (i, cut) in cuts.enumerated() where seconds >= cut.seconds { key |= 1 << Int64(i) }
        return key
    }

    /// The bucket for rows whose time could not be read.
    private static let unknownTime = Int64.min

    /// Whether the rows of `bucket` come before `bound`, which is a cut or a midnight.
    private func isBefore(_ bucket: Int64, _ bound: Timestamp) -> Bool {
        if let i = cuts.firstIndex(of: bound) { return bucket & (1 << Int64(i)) == 0 }
        return bucket >> 2 < bound.dayNumber
    }

    /// Reads the credit ledger and the orders' charges in the one snapshot `db`: `cuts` are the
    /// `--from`/`--to` instants given (at most two), `venue` the `--venue` filter.
    static func read(_ db: Database, cuts: [Timestamp], venue: String?) throws -> CreditScan {
        try read(SnapshotReads(.one(db)), bounds: RowidBounds(db), cuts: cuts, venue: venue)
    }

    /// Reads the credit ledger's rows up to `bounds.credits`, then the orders' up to
    /// `bounds.orders`, in `reads`' chunks. The ledger only ever gains rows, so the rows up to
    /// the bound read the same in every chunk: the sums are exactly those of the moment the
    /// bounds were fixed. An order's status can change between chunks; `settle` decides the
    /// problem orders again in the closing read.
    ///
    /// An amount that overflows a sum is a data error, as SQLite's SUM would have made it.
    static func read(_ reads: SnapshotReads, bounds: RowidBounds, cuts: [Timestamp], venue: String?) throws -> CreditScan {
        precondition(cuts.count <= 2, "at most --from and --to")
        var scan = CreditScan(cuts: cuts)
        // `order_charge` rows by order: most rows are order charges, so the map is sized once from
        // the largest rowid (never less than the row count), not rehashed a dozen times as it
        // grows. It is only needed for the orders scan, and freed when it is done.
        var charges = IdMap<Charges>(capacity: RowidBounds.capacity(bounds.credits))
        try reads.scan("credit_transactions", """
            SELECT venue_id, type, amount, order_id, stripe_payment_id, unixepoch(created_at), rowid
            FROM credit_transactions WHERE rowid >= ? AND rowid <= ? ORDER BY rowid
            """, rowid: 6, range: bounds.credits) { rows in
            let amount = rows.int64(2)
            let type: LedgerSums.Kind? =
                rows.textEquals(1, "order_charge") ? .orderCharge : rows.textEquals(1, "purchase") ? .purchase
                : rows.textEquals(1, "bonus") ? .bonus : rows.textEquals(1, "menu_import") ? .menuImport
                : rows.textEquals(1, "refund") ? .refund : nil
            let day = rows.isNull(5) ? unknownTime : scan.bucket(rows.int64(5))
            try scan.ledger[IdKey(rows.bytes(0)), default: [:]][day, default: LedgerSums()].add(amount, type)
            if type == .orderCharge, !rows.isNull(3) {
                try charges.update(rows.bytes(3), default: Charges()) { try $0.add(amount) }
            } else if type == .purchase, let payment = rows.text(4) {
                try scan.purchases[payment, default: PurchaseSum(rows: 0, credits: 0)].add(amount)
            }
        }
        scan.problemOrders = try problemOrders(reads, range: bounds.orders, charges: charges, venue: venue)
        return scan
    }

    static let orderCheckColumns = "id, status, approved_at IS NOT NULL, venue_id, order_number, unixepoch(created_at)"

    /// Orders (of the venue, when filtered) whose `order_charge` rows are not what their status
    /// needs: none for an approved or completed order (or a cancelled one that was approved), or
    /// more than one for any order.
    private static func problemOrders(_ reads: SnapshotReads, range: ClosedRange<Int64>?, charges: IdMap<Charges>, venue: String?) throws -> [OrderChargeCheck] {
        var sql = "SELECT \(orderCheckColumns), rowid FROM orders WHERE "
        var arguments = StatementArguments()
        if let venue {
            sql += "venue_id = ? AND "
            arguments = [venue]
        }
        var checks: [OrderChargeCheck] = []
        try reads.scan("orders", sql + "rowid >= ? AND rowid <= ? ORDER BY rowid", rowid: 6, range: range, arguments: arguments) { rows in
            if let check = check(rows, charges: charges[rows.bytes(0)] ?? Charges()) { checks.append(check) }
        }
        return checks
    }

    /// The check of the order on the current row of an `orderCheckColumns` query, given its
    /// charges; nil when they are what its status needs.
    private static func check(_ rows: SQLiteRows, charges found: Charges) -> OrderChargeCheck? {
        guard found.rows != 1 else { return nil }
        let needsCharge = rows.textEquals(1, "approved") || rows.textEquals(1, "completed")
            || (rows.textEquals(1, "cancelled") && rows.bool(2))
        guard (found.rows == 0 && needsCharge) || found.rows > 1 else { return nil }
        return OrderChargeCheck(
            orderId: rows.text(0) ?? "", venueId: rows.text(3) ?? "", orderNumber: rows.int64(4),
            createdAt: rows.optionalInt64(5).map { Timestamp(seconds: $0) }, status: rows.text(1) ?? "",
            charges: found.rows, chargedCredits: found.credits)
    }

    /// The closing read's part: the ledger rows appended since `bounds` was fixed (their
    /// purchases join `purchases`), and each problem order decided again on its row as it is now
    /// and all its charges. An order read in a chunk after it was approved, whose charge was
    /// appended after the bound, is no problem; one still uncharged now is. Returns the
    /// PaymentIntents whose purchase rows were appended.
    @discardableResult
    mutating func settle(_ db: Database, bounds: RowidBounds) throws -> Set<String> {
        var appended: [String: Charges] = [:]
        var grown = Set<String>()
        let rows = try SQLiteRows(db, sql: "SELECT type, amount, order_id, stripe_payment_id FROM credit_transactions WHERE rowid > ?",
                                  arguments: [RowidBounds.after(bounds.credits)])
        while try rows.next() {
            if rows.textEquals(0, "order_charge"), let order = rows.text(2) {
                try appended[order, default: Charges()].add(rows.int64(1))
            } else if rows.textEquals(0, "purchase"), let payment = rows.text(3) {
                try purchases[payment, default: PurchaseSum(rows: 0, credits: 0)].add(rows.int64(1))
                grown.insert(payment)
            }
        }
        guard !problemOrders.isEmpty else { return grown }
        let statement = try db.makeStatement(sql: "SELECT \(Self.orderCheckColumns) FROM orders WHERE id = ?")
        problemOrders = try problemOrders.compactMap { old in
            var charges = Charges(rows: old.charges, credits: old.chargedCredits)
            if let more = appended[old.orderId] {
                charges.rows += more.rows
                try addChecked(more.credits, to: &charges.credits)
            }
            let now = try SQLiteRows(statement, arguments: [old.orderId])
            defer { now.reset() }
            return try now.next() ? Self.check(now, charges: charges) : nil
        }
        return grown
    }

    /// The problem orders created in `period` (an order whose time cannot be read is in none).
    func orderChargeChecks(in period: Period) -> [OrderChargeCheck] {
        problemOrders.filter { check in check.createdAt.map(period.contains) ?? false }
    }

    /// Every venue's ledger row for `period`, in venue id order (the venue filter applied).
    /// Each bound of `period` is one of the cuts or a midnight (as `Period.resolve` makes them).
    func ledgerRows(venues: [String: LiveVenue], venueFilter: String?, period: Period) throws -> [CreditLedgerRow] {
        try venues.values.sorted(by: { $0.id < $1.id }).compactMap { venue in
            if let venueFilter, venue.id != venueFilter { return nil }
            var opening: Int64 = 0, inPeriod = LedgerSums(), total: Int64 = 0
            for (bucket, sums) in ledger[IdKey(venue.id)] ?? [:] {
                try addChecked(sums.total, to: &total)
                guard bucket != Self.unknownTime else { continue }
                if isBefore(bucket, period.from) {
                    try addChecked(sums.total, to: &opening)
                } else if isBefore(bucket, period.to) {
                    try inPeriod.add(sums)
                }
            }
            return CreditLedgerRow(
                venueId: venue.id, venueName: venue.name, opening: opening, bonus: inPeriod.bonus, purchases: inPeriod.purchases,
                orderCharges: inPeriod.orderCharges, menuImports: inPeriod.menuImports, refunds: inPeriod.refunds,
                creditsRemaining: venue.creditsRemaining, ledgerTotal: total)
        }
    }
}

extension PurchaseSum {
    mutating func add(_ amount: Int64) throws {
        rows += 1
        try addChecked(amount, to: &credits)
    }
}

/// `sum += amount`; an overflow is a data error, as it was for SQLite's SUM.
private func addChecked(_ amount: Int64, to sum: inout Int64) throws {
    let (result, overflow) = sum.addingReportingOverflow(amount)
    if overflow {
        throw Failure.dataError("The credit ledger's amounts add up past what a 64-bit integer holds; credit_transactions holds impossible amounts.")
    }
    sum = result
}
