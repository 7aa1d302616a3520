import Output
import BackofficeCore
import Foundation
import GRDB

/// A committed reconciliation run, as the report reads it from the `batch_*` tables.
struct RunHeader: Sendable {
    var id: String
    var command: String
    var startedAt: String
    var finishedAt: String?
    var periodFrom: String
    var periodTo: String
    var venueId: String?
    var matched: Int64
}

struct InputRecord: Sendable {
    var file: String
    var kind: String
    var sha256: String
    var rows: Int64
}

struct ExceptionRecord: Sendable {
    var seq: Int64
    var kind: String
    var provider: String?
    var venueId: String?
    var venueName: String?
    var customer: String?
    var amount: Int64?
    var expected: Int64?
    var unit: AmountUnit
    var refs: [(key: String, value: String)]
    var detail: String
    /// Its place in the findings ledger (nil for a run recorded before the ledger existed).
    var findingId: String?
    /// open, resolved or cleared; a finding the ledger does not know is open.
    var state: String = "open"
    var firstSeen: String?
    /// Whole days from first seen to the run's day.
    var ageDays: Int = 0
    /// First seen by the run reported on.
    var isNew = true
    /// When its state last changed (for "resolved or cleared since the last report").
    var stateChangedAt: String?

    /// What is at stake: the gap for kinds that compare two amounts, else the amount concerned.
    var atStake: Int64 {
        switch ExceptionKind(rawValue: kind) {
        case .amountMismatch?, .payoutMismatch?, .creditsAmountMismatch?, .creditBalanceDrift?,
             .creditsNotGranted?, .orderChargeMissing?, .orderChargeDuplicate?:
            if let amount, let expected {
                let (gap, overflow) = amount.subtractingReportingOverflow(expected)
                return overflow ? Int64.max : (gap == Int64.min ? Int64.max : abs(gap))
            }
        default: break
        }
        let value = amount ?? expected ?? 0
        return value == Int64.min ? Int64.max : abs(value)
    }

    /// `provider_ref=pi_1; order_id=…`, keys in the contract's order.
    var refsText: String { refs.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
}

struct DailyRecord: Sendable {
    var day: String
    /// The time zone `day` is counted in (the venue's; UTC for runs recorded before venues' days).
    var timezone: String
    var venueId: String
    var venueName: String
    var provider: String
    var currency: Currency
    var payments: Int64
    var gross: Int64
    var fees: Int64
    var refunds: Int64
    var net: Int64
}

struct PayoutRecord: Sendable {
    var payoutId: String
    var currency: Currency
    var paidAt: String?
    var amount: Int64
    var transactions: Int64
    var transactionsNet: Int64
    var difference: Int64
}

struct LedgerRecord: Sendable {
    var venueId: String
    var venueName: String
    var opening: Int64
    var bonus: Int64
    var purchases: Int64
    var orderCharges: Int64
    var menuImports: Int64
    var refunds: Int64
    var closing: Int64
    var creditsRemaining: Int64
    var drift: Int64
}

struct MatchRecord: Sendable {
    var occurredAt: String?
    var provider: String
    var venueId: String?
    var venueName: String?
    var purpose: String?
    var orderId: String?
    var orderNumber: Int64?
    var invoiceId: String?
    var customer: String?
    var providerRef: String?
    var chargeId: String?
    var mpesaReceipt: String?
    var paymentId: String?
    var payoutId: String?
    var currency: Currency
    var amount: Int64
    var fee: Int64?
    var description: String?
}

/// Reads one run. Every read happens inside the caller's `Database` access, so in one snapshot.
enum RunStore {
    /// The run to report on: `runId`, or the latest committed one.
    static func selectRun(_ db: Database, runId: String?, databasePath: String) throws -> RunHeader {
        guard try db.tableExists("batch_runs") else {
            throw Failure(.noInput, "No reconciliation run yet in \(databasePath); run backoffice reconcile first.")
        }
        let row: Row?
        if let runId {
            row = try Row.fetchOne(db, sql: "SELECT * FROM batch_runs WHERE id = ? AND status = 'committed'", arguments: [runId])
            if row == nil {
                let recent = try String.fetchAll(db, sql: """
                    SELECT id FROM batch_runs WHERE status = 'committed'
                    ORDER BY COALESCE(finished_at, started_at) DESC, id DESC LIMIT 5
                    """)
                let list = recent.isEmpty
                    ? "there is no committed run at all; run backoffice reconcile first"
                    : "the latest committed runs are \(recent.joined(separator: ", ")) (backoffice report --latest reports on the newest)"
                throw Failure(.noInput, "No committed reconciliation run '\(runId)' in \(databasePath): \(list).")
            }
        } else {
            row = try Row.fetchOne(db, sql: """
                SELECT * FROM batch_runs WHERE status = 'committed'
                ORDER BY COALESCE(finished_at, started_at) DESC, started_at DESC, id DESC LIMIT 1
                """)
            if row == nil {
                throw Failure(.noInput, "No reconciliation run yet in \(databasePath); run backoffice reconcile first.")
            }
        }
        let r = row!
        return RunHeader(id: r["id"], command: r["command"], startedAt: r["started_at"], finishedAt: r["finished_at"],
                         periodFrom: r["period_from"], periodTo: r["period_to"], venueId: r["venue_id"], matched: r["matched"])
    }

    static func inputs(_ db: Database, run: String) throws -> [InputRecord] {
        try Row.fetchAll(db, sql: "SELECT file, kind, sha256, rows FROM batch_run_inputs WHERE run_id = ? ORDER BY position", arguments: [run]).map {
            InputRecord(file: $0["file"], kind: $0["kind"], sha256: $0["sha256"], rows: $0["rows"])
        }
    }

    static func exceptions(_ db: Database, run: String) throws -> [ExceptionRecord] {
        // One query: the venue by the finding's venue (or the one its refs name), the customer by the
        // order's customer, else by the invoice's name. Refs that are not JSON name nothing.
        let rows = try Row.fetchAll(db, sql: """
            WITH j AS (
                SELECT *, CASE WHEN json_valid(refs) THEN refs END AS json_refs FROM batch_exceptions WHERE run_id = ?),
            e AS (
                SELECT *, json_extract(json_refs, '$.order_id') AS ref_order, json_extract(json_refs, '$.invoice_id') AS ref_invoice,
                          COALESCE(venue_id, json_extract(json_refs, '$.venue_id')) AS any_venue
                FROM j)
            SELECT e.*, v.name AS venue_name, COALESCE(c.name, i.customer_name) AS customer
            FROM e
            LEFT JOIN venues v ON v.id = e.any_venue
            LEFT JOIN orders o ON o.id = e.ref_order
            LEFT JOIN customers c ON c.id = o.customer_id
            LEFT JOIN invoices i ON i.id = e.ref_invoice
            ORDER BY e.seq
            """, arguments: [run])
        let records = rows.map { r in
            ExceptionRecord(
                seq: r["seq"], kind: r["kind"], provider: r["provider"], venueId: r["any_venue"], venueName: r["venue_name"],
                customer: r["customer"], amount: r["amount_cents"], expected: r["expected_cents"],
                unit: AmountUnit(code: r["currency"]), refs: parseRefs(r["refs"]), detail: r["detail"],
                findingId: r.hasColumn("finding_id") ? r["finding_id"] : nil)
        }
        // Grouped by kind in the contract's order; within a kind, as the run wrote them.
        return byKind(records)
    }

    /// Grouped by kind in the contract's order; within a kind, in the order given.
    static func byKind(_ records: [ExceptionRecord]) -> [ExceptionRecord] {
        records.enumerated().sorted {
            let (a, b) = (ExceptionKinds.rank($0.element.kind), ExceptionKinds.rank($1.element.kind))
            if a != b { return a < b }
            if $0.element.kind != $1.element.kind { return $0.element.kind < $1.element.kind }
            return $0.offset < $1.offset
        }.map(\.element)
    }

    /// The findings the report shows: the run's own (with their ledger state) and every finding
    /// still open that the run did not see (within its venue filter): a finding is never dropped
    /// because a later run's inputs did not cover it.
    static func findings(_ db: Database, run: RunHeader) throws -> [ExceptionRecord] {
        var records = try exceptions(db, run: run.id)
        guard try db.tableExists("batch_findings") else { return records }
        let runDay = Timestamp(iso: run.startedAt)?.dayNumber ?? 0
        func age(_ firstSeenAt: String?) -> Int {
            guard let t = firstSeenAt.flatMap({ Timestamp(iso: $0) }) else { return 0 }
            return max(0, Int(runDay - t.dayNumber))
        }
        let ledger = try Row.fetchAll(db, sql: """
            SELECT f.id, f.state, f.first_seen_run, f.first_seen_at, f.state_changed_at FROM batch_findings f
            JOIN batch_exceptions e ON e.finding_id = f.id WHERE e.run_id = ?
            """, arguments: [run.id])
        var known: [String: Row] = [:]
        for r in ledger { known[r["id"]] = r }
        var seenIds = Set<String>()
        for i in records.indices {
            guard let id = records[i].findingId else { continue }
            seenIds.insert(id)
            if let r = known[id] {
                records[i].state = r["state"]
                records[i].firstSeen = r["first_seen_run"]
                records[i].ageDays = age(r["first_seen_at"])
                records[i].isNew = records[i].firstSeen == run.id
                records[i].stateChangedAt = r["state_changed_at"]
            }
        }
        var sql = """
            SELECT f.*, v.name AS venue_name, COALESCE(c.name, i.customer_name) AS customer
            FROM batch_findings f
            LEFT JOIN venues v ON v.id = f.venue_id
            LEFT JOIN orders o ON o.id = CASE WHEN json_valid(f.refs) THEN json_extract(f.refs, '$.order_id') END
            LEFT JOIN customers c ON c.id = o.customer_id
            LEFT JOIN invoices i ON i.id = CASE WHEN json_valid(f.refs) THEN json_extract(f.refs, '$.invoice_id') END
            WHERE f.state = 'open' AND f.first_seen_at <= ?
            """
        var arguments: StatementArguments = [run.finishedAt ?? run.startedAt]
        if let venue = run.venueId { sql += " AND f.venue_id = ?"; arguments += [venue] }
        for r in try Row.fetchAll(db, sql: sql + " ORDER BY f.id", arguments: arguments) where !seenIds.contains(r["id"]) {
            records.append(ExceptionRecord(
                seq: Int64(records.count), kind: r["kind"], provider: r["provider"], venueId: r["venue_id"], venueName: r["venue_name"],
                customer: r["customer"], amount: r["amount_cents"], expected: r["expected_cents"], unit: AmountUnit(code: r["currency"]),
                refs: parseRefs(r["refs"]), detail: r["detail"], findingId: r["id"], state: "open", firstSeen: r["first_seen_run"],
                ageDays: age(r["first_seen_at"]), isNew: false, stateChangedAt: r["state_changed_at"]))
        }
        return byKind(records)
    }

    /// Findings resolved or cleared between the previous committed run and this one.
    static func closedSince(_ db: Database, run: RunHeader) throws -> [ExceptionRecord] {
        guard try db.tableExists("batch_findings") else { return [] }
        let end = run.finishedAt ?? run.startedAt
        let previous = try String.fetchOne(db, sql: """
            SELECT COALESCE(finished_at, started_at) FROM batch_runs WHERE status = 'committed' AND id <> ?
              AND COALESCE(finished_at, started_at) < ? ORDER BY COALESCE(finished_at, started_at) DESC LIMIT 1
            """, arguments: [run.id, end]) ?? ""
        var sql = """
            SELECT f.*, v.name AS venue_name FROM batch_findings f LEFT JOIN venues v ON v.id = f.venue_id
            WHERE f.state IN ('resolved', 'cleared') AND f.state_changed_at > ? AND f.state_changed_at <= ?
            """
        var arguments: StatementArguments = [previous, end]
        if let venue = run.venueId { sql += " AND f.venue_id = ?"; arguments += [venue] }
        return try Row.fetchAll(db, sql: sql + " ORDER BY f.kind, f.id", arguments: arguments).map { r in
            ExceptionRecord(seq: 0, kind: r["kind"], provider: r["provider"], venueId: r["venue_id"], venueName: r["venue_name"],
                            customer: nil, amount: r["amount_cents"], expected: r["expected_cents"], unit: AmountUnit(code: r["currency"]),
                            refs: parseRefs(r["refs"]), detail: r["detail"], findingId: r["id"], state: r["state"],
                            firstSeen: r["first_seen_run"], isNew: false, stateChangedAt: r["state_changed_at"])
        }
    }

    /// The refs JSON object (as the recorder writes it, `Refs.json`) as pairs in the contract's
    /// order; text that is not such an object is kept whole.
    static func parseRefs(_ text: String?) -> [(key: String, value: String)] {
        guard let text, !text.isEmpty else { return [] }
        guard let refs = try? JSONDecoder().decode(Refs.self, from: Data(text.utf8)) else {
            return [(key: "refs", value: text)]
        }
        return refs.pairs.map { (key: $0.0, value: $0.1) }
    }

    static func daily(_ db: Database, run: String) throws -> [DailyRecord] {
        try Row.fetchAll(db, sql: """
            SELECT d.*, COALESCE(v.name, d.venue_id) AS venue_name FROM batch_daily_takings d
            LEFT JOIN venues v ON v.id = d.venue_id
            WHERE d.run_id = ? ORDER BY d.day, venue_name, d.venue_id, d.provider, d.currency
            """, arguments: [run]).map { r in
            DailyRecord(day: r["day"], timezone: r["timezone"] ?? "UTC", venueId: r["venue_id"], venueName: r["venue_name"], provider: r["provider"],
                        currency: try currency(r["currency"]), payments: r["payments"], gross: r["gross_cents"],
                        fees: r["fee_cents"], refunds: r["refund_cents"], net: r["net_cents"])
        }
    }

    static func payouts(_ db: Database, run: String) throws -> [PayoutRecord] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM batch_payouts WHERE run_id = ? ORDER BY paid_at, payout_id
            """, arguments: [run]).map { r in
            PayoutRecord(payoutId: r["payout_id"], currency: try currency(r["currency"]), paidAt: r["paid_at"],
                         amount: r["amount_cents"], transactions: r["transactions"],
                         transactionsNet: r["transactions_net_cents"], difference: r["difference_cents"])
        }
    }

    static func ledger(_ db: Database, run: String) throws -> [LedgerRecord] {
        try Row.fetchAll(db, sql: """
            SELECT l.*, COALESCE(v.name, l.venue_name) AS display_name FROM batch_credit_ledger l
            LEFT JOIN venues v ON v.id = l.venue_id
            WHERE l.run_id = ? ORDER BY display_name, l.venue_id
            """, arguments: [run]).map { r in
            LedgerRecord(venueId: r["venue_id"], venueName: r["display_name"], opening: r["opening"], bonus: r["bonus"],
                         purchases: r["purchases"], orderCharges: r["order_charges"], menuImports: r["menu_imports"],
                         refunds: r["refunds"], closing: r["closing"], creditsRemaining: r["credits_remaining"], drift: r["drift"])
        }
    }

    /// The query behind the matches (a test checks its plan has no per-row sub-query): each with
    /// its venue's name, order number and customer, the customer by the order's customer row,
    /// else by the invoice the match names; `invoiceCustomers` gives the rest.
    static let matchesSQL = """
            SELECT m.*, v.name AS venue_name, o.order_number AS order_number,
                   COALESCE(c.name, i.customer_name) AS customer
            FROM batch_matches m
            LEFT JOIN venues v ON v.id = m.venue_id
            LEFT JOIN orders o ON o.id = m.order_id
            LEFT JOIN customers c ON c.id = o.customer_id
            LEFT JOIN invoices i ON i.id = m.invoice_id
            WHERE m.run_id = ? ORDER BY m.seq
            """

    /// The name on each order's first invoice, for matches whose order has no customer row. One
    /// grouped pass over the invoices, read once: `invoices.order_id` has no index, a look-up per
    /// match scanned every invoice for every match (hours at a million orders), and the grouped
    /// pass joined into each chunk of matches was done again for every chunk.
    static func invoiceCustomers(_ db: Database) throws -> [String: String?] {
        var names: [String: String?] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT order_id, customer_name, MIN(rowid) FROM invoices WHERE order_id IS NOT NULL GROUP BY order_id")
        while let r = try cursor.next() { names[r[0]] = .some(r[1]) }
        return names
    }

    /// Streams the run's matches with venue and customer names, in the order the run wrote them.
    static func forEachMatch(_ db: Database, run: String, _ body: (MatchRecord) throws -> Void) throws {
        let customers = try invoiceCustomers(db)
        let cursor = try Row.fetchCursor(db, sql: matchesSQL, arguments: [run])
        while let r = try cursor.next() { try body(match(r, customers)) }
    }

    /// The run's matches after `seq` (exclusive), with their seq, in order: a chunk for one short
    /// read transaction, at most `limit` of them and cut short once it has read for `time`.
    /// `complete` is true once the last match was read.
    static func matches(_ db: Database, run: String, after seq: Int64, limit: Int, time: Duration, customers: [String: String?]) throws
        -> (matches: [(Int64, MatchRecord)], complete: Bool) {
        let sql = matchesSQL.replacingOccurrences(of: "WHERE m.run_id = ? ORDER BY m.seq", with: "WHERE m.run_id = ? AND m.seq > ? ORDER BY m.seq LIMIT ?")
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: [run, seq, limit + 1])
        let clock = ContinuousClock(), start = clock.now
        var out: [(Int64, MatchRecord)] = []
        while let r = try cursor.next() {
            if out.count == limit || (out.count & 63 == 63 && clock.now - start > time) { return (out, false) }
            out.append((r["seq"], try match(r, customers)))
        }
        return (out, true)
    }

    private static func match(_ r: Row, _ invoiceCustomers: [String: String?]) throws -> MatchRecord {
            try MatchRecord(
                occurredAt: r["occurred_at"], provider: r["provider"], venueId: r["venue_id"], venueName: r["venue_name"],
                purpose: r["purpose"], orderId: r["order_id"], orderNumber: r["order_number"], invoiceId: r["invoice_id"],
                customer: r["customer"] ?? (r["order_id"] as String?).flatMap { invoiceCustomers[$0] } ?? nil,
                providerRef: r["provider_ref"], chargeId: r["charge_id"],
                mpesaReceipt: r["mpesa_receipt"], paymentId: r["payment_id"], payoutId: r["payout_id"],
                currency: try currency(r["currency"]), amount: r["amount_cents"], fee: r["fee_cents"],
                description: r["description"])
    }

    private static func currency(_ code: String) throws -> Currency {
        guard let c = Currency(code: code) else {
            throw Failure.dataError("The run's tables hold '\(code)', which is not a currency code.")
        }
        return c
    }
}
