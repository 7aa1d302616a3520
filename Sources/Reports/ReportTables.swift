import Output
import BackofficeCore

/// The report's tables: one spec per CSV file, and the rows built from the run's records. The
/// HTML page shows the same rows (some columns hidden), so CSV, HTML and totals agree.
enum ReportTables {
    typealias C = TableSpec.Column

    static let inputs = TableSpec(file: "inputs.csv", title: "Inputs", columns: [
        C(key: "file", title: "File", wide: true), C(key: "kind", title: "Kind"),
        C(key: "sha256", title: "SHA-256", wide: true), C(key: "rows", title: "Rows", summed: true),
    ], groupBy: nil)

    static func row(_ r: InputRecord) -> [ReportValue] {
        [.text(r.file), .text(r.kind), .text(r.sha256), .integer(r.rows)]
    }

    static let exceptions = TableSpec(file: "exceptions.csv", title: "Exceptions", columns: [
        C(key: "finding_id", title: "Finding"), C(key: "state", title: "State"), C(key: "first_seen", title: "First seen"),
        C(key: "age_days", title: "Age (days)"),
        C(key: "kind", title: "Kind"), C(key: "venue_id", title: "Venue id"), C(key: "venue", title: "Venue"),
        C(key: "customer", title: "Customer"),
        C(key: "amount", title: "Amount"), C(key: "expected", title: "Expected"),
        C(key: "at_stake", title: "At stake", summed: true), C(key: "currency", title: "Currency"),
        C(key: "provider", title: "Provider"), C(key: "refs", title: "References", wide: true),
        C(key: "detail", title: "Detail", wide: true), C(key: "suggested_action", title: "What to do", wide: true),
    ], groupBy: 11)

    static func row(_ e: ExceptionRecord) -> [ReportValue] {
        [.text(e.findingId), .text(e.state), .text(e.firstSeen), .integer(Int64(e.ageDays)), .text(e.kind), .text(e.venueId), .text(e.venueName), .text(e.customer),
         .amount(e.amount, unit: e.unit), .amount(e.expected, unit: e.unit), .amount(e.atStake, unit: e.unit),
         .text(e.unit.label), .text(e.provider), e.refs.isEmpty ? .empty : .text(e.refsText),
         .text(e.detail), .text(ExceptionKinds.suggestedAction(e.kind))]
    }

    static let matches = TableSpec(file: "matches.csv", title: "Matched payments", columns: [
        C(key: "occurred_at", title: "When (UTC)"), C(key: "provider", title: "Provider"),
        C(key: "venue_id", title: "Venue id"), C(key: "venue", title: "Venue"), C(key: "purpose", title: "For"),
        C(key: "order_id", title: "Order id"), C(key: "order_number", title: "Order"),
        C(key: "invoice_id", title: "Invoice"), C(key: "customer", title: "Customer"),
        C(key: "provider_ref", title: "Provider ref"), C(key: "charge_id", title: "Charge"),
        C(key: "mpesa_receipt", title: "Receipt"), C(key: "payment_id", title: "Payment id"),
        C(key: "payout_id", title: "Payout"),
        C(key: "amount", title: "Amount", summed: true), C(key: "fee", title: "Fee", summed: true),
        C(key: "currency", title: "Currency"), C(key: "description", title: "Description", wide: true),
    ], groupBy: 16)

    static func row(_ m: MatchRecord) -> [ReportValue] {
        let unit = AmountUnit.currency(m.currency)
        return [.instant(m.occurredAt), .text(m.provider), .text(m.venueId), .text(m.venueName), .text(m.purpose),
                .text(m.orderId), m.orderNumber.map { .integer($0) } ?? .empty, .text(m.invoiceId), .text(m.customer),
                .text(m.providerRef), .text(m.chargeId), .text(m.mpesaReceipt), .text(m.paymentId), .text(m.payoutId),
                .amount(m.amount, unit: unit), .amount(m.fee, unit: unit), .text(m.currency.code), .text(m.description)]
    }

    static let daily = TableSpec(file: "daily_takings.csv", title: "Daily takings", columns: [
        C(key: "day", title: "Day (the venue's)"), C(key: "timezone", title: "Time zone"), C(key: "venue_id", title: "Venue id"),
        C(key: "venue", title: "Venue"), C(key: "provider", title: "Provider"), C(key: "currency", title: "Currency"),
        C(key: "payments", title: "Payments", summed: true), C(key: "gross", title: "Gross", summed: true),
        C(key: "fees", title: "Fees", summed: true), C(key: "refunds", title: "Refunds", summed: true),
        C(key: "net", title: "Net", summed: true),
    ], groupBy: 5)

    static func row(_ d: DailyRecord) -> [ReportValue] {
        let e = d.currency.exponent
        return [.text(d.day), .text(d.timezone), .text(d.venueId), .text(d.venueName), .text(d.provider), .text(d.currency.code),
                .integer(d.payments), .money(d.gross, exponent: e), .money(d.fees, exponent: e),
                .money(d.refunds, exponent: e), .money(d.net, exponent: e)]
    }

    /// Takings by provider and currency for the summary: the daily rows added up.
    static let providerTotals = TableSpec(file: "", title: "Takings by provider", columns: [
        C(key: "provider", title: "Provider"), C(key: "currency", title: "Currency"),
        C(key: "payments", title: "Payments", summed: true), C(key: "gross", title: "Gross", summed: true),
        C(key: "fees", title: "Fees", summed: true), C(key: "refunds", title: "Refunds", summed: true),
        C(key: "net", title: "Net", summed: true),
    ], groupBy: 1)

    static func providerRows(_ daily: [DailyRecord]) -> [[ReportValue]] {
        var acc: [String: [ReportValue]] = [:]
        var order: [String] = []
        for d in daily {
            let key = d.provider + "\u{0}" + d.currency.code
            let e = d.currency.exponent
            let add: [ReportValue] = [.text(d.provider), .text(d.currency.code), .integer(d.payments),
                                      .money(d.gross, exponent: e), .money(d.fees, exponent: e),
                                      .money(d.refunds, exponent: e), .money(d.net, exponent: e)]
            if let current = acc[key] {
                acc[key] = zip(current, add).enumerated().map { $0.offset < 2 ? $0.element.0 : $0.element.0.adding($0.element.1) }
            } else {
                acc[key] = add
                order.append(key)
            }
        }
        return order.sorted().map { acc[$0]! }
    }

    static let payouts = TableSpec(file: "payouts.csv", title: "Payouts", columns: [
        C(key: "payout_id", title: "Payout"), C(key: "paid_at", title: "Paid (UTC)"), C(key: "currency", title: "Currency"),
        C(key: "amount", title: "Amount", summed: true), C(key: "transactions", title: "Transactions", summed: true),
        C(key: "transactions_net", title: "Transactions net", summed: true),
        C(key: "difference", title: "Difference", summed: true),
    ], groupBy: 2)

    static func row(_ p: PayoutRecord) -> [ReportValue] {
        let e = p.currency.exponent
        return [.text(p.payoutId), .instant(p.paidAt), .text(p.currency.code), .money(p.amount, exponent: e),
                .integer(p.transactions), .money(p.transactionsNet, exponent: e), .money(p.difference, exponent: e)]
    }

    static let ledger = TableSpec(file: "credit_ledger.csv", title: "Credit ledger", columns: [
        C(key: "venue_id", title: "Venue id"), C(key: "venue", title: "Venue"),
        C(key: "opening", title: "Opening", summed: true), C(key: "bonus", title: "Bonus", summed: true),
        C(key: "purchases", title: "Purchases", summed: true), C(key: "order_charges", title: "Order charges", summed: true),
        C(key: "menu_imports", title: "Menu imports", summed: true), C(key: "refunds", title: "Refunds", summed: true),
        C(key: "closing", title: "Closing", summed: true), C(key: "credits_remaining", title: "Balance", summed: true),
        C(key: "drift", title: "Drift", summed: true),
    ], groupBy: nil, labelColumn: 1)

    static func row(_ l: LedgerRecord) -> [ReportValue] {
        [.text(l.venueId), .text(l.venueName), .integer(l.opening), .integer(l.bonus), .integer(l.purchases),
         .integer(l.orderCharges), .integer(l.menuImports), .integer(l.refunds), .integer(l.closing),
         .integer(l.creditsRemaining), .integer(l.drift)]
    }

    /// Findings a person resolved, or a run cleared, since the previous run: `closed_findings.csv`.
    static let closed = TableSpec(file: "closed_findings.csv", title: "Resolved or cleared since the last report", columns: [
        C(key: "finding_id", title: "Finding"), C(key: "state", title: "State"), C(key: "changed_at", title: "When (UTC)"),
        C(key: "kind", title: "Kind"), C(key: "venue", title: "Venue"),
        C(key: "at_stake", title: "At stake", summed: true), C(key: "currency", title: "Currency"),
        C(key: "detail", title: "Detail", wide: true),
    ], groupBy: 6)

    static func closedRow(_ e: ExceptionRecord) -> [ReportValue] {
        [.text(e.findingId), .text(e.state), .instant(e.stateChangedAt), .text(ExceptionKinds.title(e.kind)), .text(e.venueName ?? e.venueId),
         .amount(e.atStake, unit: e.unit), .text(e.unit.label), .text(e.detail)]
    }

    /// The money at stake per currency, for the top of the page: open, new tonight, older and
    /// still open (with the oldest age), closed since the last report.
    static let atStake = TableSpec(file: "", title: "At stake", columns: [
        C(key: "currency", title: "Currency"), C(key: "open", title: "Open at stake"), C(key: "open_count", title: "Open"),
        C(key: "new", title: "New tonight"), C(key: "new_count", title: "New"),
        C(key: "older", title: "Older, still open"), C(key: "older_count", title: "Older"), C(key: "oldest_days", title: "Oldest (days)"),
        C(key: "closed", title: "Resolved or cleared since last report"), C(key: "closed_count", title: "Closed"),
    ], groupBy: 0)

    static func atStakeRows(open: [ExceptionRecord], closed: [ExceptionRecord]) -> [[ReportValue]] {
        struct Sums { var unit: AmountUnit; var open: Int64 = 0, openN: Int64 = 0, new: Int64 = 0, newN: Int64 = 0
                      var older: Int64 = 0, olderN: Int64 = 0, oldest: Int64 = 0, closed: Int64 = 0, closedN: Int64 = 0 }
        var sums: [String: Sums] = [:]
        func add(_ a: Int64, to b: inout Int64) { b = b.addingReportingOverflow(a).overflow ? Int64.max : b + a }
        // a missing export is about files, not money: it is listed under what needs you, not summed here
        for e in open where e.kind != "missing_export" {
            var x = sums[e.unit.label] ?? Sums(unit: e.unit)
            add(e.atStake, to: &x.open); x.openN += 1
            if e.isNew { add(e.atStake, to: &x.new); x.newN += 1 } else {
                add(e.atStake, to: &x.older); x.olderN += 1; x.oldest = max(x.oldest, Int64(e.ageDays))
            }
            sums[e.unit.label] = x
        }
        for e in closed where e.kind != "missing_export" {
            var x = sums[e.unit.label] ?? Sums(unit: e.unit)
            add(e.atStake, to: &x.closed); x.closedN += 1
            sums[e.unit.label] = x
        }
        // currencies first, by code; credits last
        let order = sums.keys.sorted { ($0 == "credits" ? 1 : 0, $0) < ($1 == "credits" ? 1 : 0, $1) }
        return order.map { k in
            let x = sums[k]!
            return [.text(k), .amount(x.open, unit: x.unit), .integer(x.openN), .amount(x.new, unit: x.unit), .integer(x.newN),
                    .amount(x.older, unit: x.unit), .integer(x.olderN), .integer(x.oldest), .amount(x.closed, unit: x.unit), .integer(x.closedN)]
        }
    }

    /// Exceptions by kind for the summary: one row per kind and unit, count and amount at stake.
    static let kinds = TableSpec(file: "", title: "Exceptions by kind", columns: [
        C(key: "kind", title: "Kind"), C(key: "count", title: "Count", summed: true),
        C(key: "at_stake", title: "At stake", summed: true), C(key: "currency", title: "Currency"),
    ], groupBy: 3)

    static func kindRows(_ exceptions: [ExceptionRecord]) -> [[ReportValue]] {
        var order: [String] = []
        var acc: [String: (kind: String, unit: AmountUnit, count: Int64, stake: Int64)] = [:]
        for e in exceptions {
            let key = e.kind + "\u{0}" + e.unit.label
            if acc[key] == nil { order.append(key); acc[key] = (e.kind, e.unit, 0, 0) }
            acc[key]!.count += 1
            acc[key]!.stake += e.atStake
        }
        return order.map { k in
            let a = acc[k]!
            return [.text(ExceptionKinds.title(a.kind)), .integer(a.count), .amount(a.stake, unit: a.unit), .text(a.unit.label)]
        }
    }
}
