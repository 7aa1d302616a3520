import BackofficeCore
import GRDB

/// The credit ledger checks, from one scan of `credit_transactions` and one of the period's orders.
///
/// Three SQL aggregates used to read the ledger three times, and grouping 800,000 order charges by
/// order sorted them into a temporary B-tree: most of a large snapshot's time. One pass now sums
/// what the checks need, in dictionaries keyed by id.
struct CreditScan {
    /// `purchase` rows by `stripe_payment_id` (all time).
    var purchases: [String: PurchaseSum] = [:]
    /// `order_charge` rows by `order_id` (all time).
    var charges: [IdKey: Charges] = [:]
    /// Per venue: the ledger over the period and all time.
    var ledger: [IdKey: LedgerSums] = [:]

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
        var opening: Int64 = 0, bonus: Int64 = 0, purchases: Int64 = 0, orderCharges: Int64 = 0
        var menuImports: Int64 = 0, refunds: Int64 = 0, total: Int64 = 0

        mutating func add(_ amount: Int64, _ kind: Kind?, opening before: Bool, inPeriod: Bool) throws {
            try addChecked(amount, to: &total)
            if before { try addChecked(amount, to: &opening) }
            guard inPeriod, let kind else { return }
            switch kind {
            case .purchase: try addChecked(amount, to: &purchases)
            case .orderCharge: try addChecked(amount, to: &orderCharges)
            case .menuImport: try addChecked(amount, to: &menuImports)
            case .bonus: try addChecked(amount, to: &bonus)
            case .refund: try addChecked(amount, to: &refunds)
            }
        }
    }

    /// Sums `credit_transactions` for the period `from`..<`to`.
    ///
    /// The period comparisons are left to SQLite (the same text comparisons as before); an
    /// amount that overflows a sum is a data error, as SQLite's SUM would have made it.
    static func read(_ db: Database, from: String, to: String) throws -> CreditScan {
        var scan = CreditScan()
        // Most rows are order charges: sizing the map once from the largest rowid (an index
        // lookup, and never less than the row count) saves rehashing it a dozen times as it grows.
        if let rows = try Int.fetchOne(db, sql: "SELECT max(rowid) FROM credit_transactions") {
            scan.charges.reserveCapacity(rows)
        }
        let rows = try SQLiteRows(db, sql: """
            SELECT venue_id, type, amount, order_id, stripe_payment_id, created_at < ?1, created_at >= ?1 AND created_at < ?2
            FROM credit_transactions
            """, arguments: [from, to])
        while try rows.next() {
            let amount = rows.int64(2)
            let inPeriod = rows.bool(6)
            let type: LedgerSums.Kind? =
                rows.textEquals(1, "order_charge") ? .orderCharge : rows.textEquals(1, "purchase") ? .purchase
                : rows.textEquals(1, "bonus") ? .bonus : rows.textEquals(1, "menu_import") ? .menuImport
                : rows.textEquals(1, "refund") ? .refund : nil
            try scan.ledger[IdKey(rows.bytes(0)), default: LedgerSums()].add(amount, type, opening: rows.bool(5), inPeriod: inPeriod)
            if type == .orderCharge, !rows.isNull(3) {
                try scan.charges[IdKey(rows.bytes(3)), default: Charges()].add(amount)
            } else if type == .purchase, let payment = rows.text(4) {
                try scan.purchases[payment, default: PurchaseSum(rows: 0, credits: 0)].add(amount)
            }
        }
        return scan
    }


    /// Orders created in the period (and of the venue, when filtered) whose `order_charge` rows
    /// are not what their status needs: none for an approved or completed order (or a cancelled
    /// one that was approved), or more than one for any order.
    func orderChargeChecks(_ db: Database, from: String, to: String, venue: String?) throws -> [OrderChargeCheck] {
        var sql = """
            SELECT id, status, approved_at IS NOT NULL, venue_id, order_number, unixepoch(created_at)
            FROM orders WHERE created_at >= ?1 AND created_at < ?2
            """
        var arguments: StatementArguments = [from, to]
        if let venue {
            sql += " AND venue_id = ?3"
            arguments = [from, to, venue]
        }
        var checks: [OrderChargeCheck] = []
        let rows = try SQLiteRows(db, sql: sql, arguments: arguments)
        while try rows.next() {
            let found = charges[IdKey(rows.bytes(0))] ?? Charges()
            let needsCharge = rows.textEquals(1, "approved") || rows.textEquals(1, "completed")
                || (rows.textEquals(1, "cancelled") && rows.bool(2))
            guard (found.rows == 0 && needsCharge) || found.rows > 1 else { continue }
            checks.append(OrderChargeCheck(
                orderId: rows.text(0) ?? "", venueId: rows.text(3) ?? "", orderNumber: rows.int64(4),
                createdAt: rows.optionalInt64(5).map { Timestamp(seconds: $0) }, status: rows.text(1) ?? "",
                charges: found.rows, chargedCredits: found.credits))
        }
        return checks
    }

    /// Every venue's ledger row, in venue id order (the venue filter applied).
    func ledgerRows(venues: [String: LiveVenue], venueFilter: String?) -> [CreditLedgerRow] {
        venues.values.sorted(by: { $0.id < $1.id }).compactMap { venue in
            if let venueFilter, venue.id != venueFilter { return nil }
            let s = ledger[IdKey(venue.id)] ?? LedgerSums()
            return CreditLedgerRow(
                venueId: venue.id, venueName: venue.name, opening: s.opening, bonus: s.bonus, purchases: s.purchases,
                orderCharges: s.orderCharges, menuImports: s.menuImports, refunds: s.refunds,
                creditsRemaining: venue.creditsRemaining, ledgerTotal: s.total)
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
