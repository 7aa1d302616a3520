import BackofficeCore
import GRDB
import LiveDatabase

// Reading the live records the matcher needs, in one snapshot. The values themselves
// (`LiveSnapshot`, `LivePayment`, ...) live in Matching/LiveRecords.swift: matching is pure logic.
extension LiveSnapshot {
    /// The payment columns. The order's fields are not joined in: joining sent about 415,000
    /// random lookups into the orders table, three times the cost of scanning it once
    /// (`fillOrders`).
    static let paymentColumns = """
        SELECT p.id, p.venue_id, p.purpose, p.order_id, p.invoice_id, p.provider, p.status, p.amount_cents, p.currency,
               p.provider_ref, p.account_ref, p.mpesa_receipt, p.credits, unixepoch(p.created_at), i.status
        FROM payments p
        LEFT JOIN invoices i ON i.id = p.invoice_id
        """

    /// The payment on the current row of a `paymentColumns` query; nil for an unknown provider.
    static func payment(_ row: SQLiteRows, venueIds: inout SharedTexts) throws(Failure) -> LivePayment? {
        // a REAL 1700.5 would read as 1700, a created_at that is no instant as 1970: never silently
        if !row.isInteger(7) || row.isNull(13) {
            throw brokenRow(id: row.text(0) ?? "?", amountType: row.isInteger(7) ? nil : row.typeName(7), createdAt: row.isNull(13) ? "not an instant" : nil)
        }
        let provider: Provider
        if row.textEquals(5, "stripe") { provider = .stripe } else if row.textEquals(5, "mpesa") { provider = .mpesa } else { return nil }
        return LivePayment(
            id: row.text(0) ?? "", venueId: venueIds.text(row, 1) ?? "", purpose: row.text(2) ?? "", orderId: row.text(3), invoiceId: row.text(4),
            provider: provider, status: row.text(6) ?? "", amountCents: row.int64(7), currency: row.text(8) ?? "",
            providerRef: row.text(9), accountRef: row.text(10), mpesaReceipt: row.text(11), credits: row.optionalInt64(12),
            createdAt: Timestamp(seconds: row.optionalInt64(13) ?? 0), invoiceStatus: row.text(14))
    }

    /// The payment rows the schema's rules say cannot be: an amount that is not an integer (a REAL
    /// 1700.5 would be read as 1700) or a `created_at` that is not an ISO instant (it would fall
    /// outside every period by text comparison and be dropped without a word). 65 naming the row.
    ///
    /// Every row is looked at, so the check reads the whole table: in chunks of `rows` rowids,
    /// each in a short read transaction of its own, before the run's snapshot (a long read keeps
    /// the live writer waiting in rollback-journal mode).
    static func checkPaymentRows(_ database: LiveDatabase, rows chunk: Int64 = 50_000) throws(Failure) {
        let queue = try database.reader()
        var from: Int64 = 0
        while true {
            let found: (id: String, type: String, createdAt: String?)?
            let more: Bool
            do {
                (found, more) = try queue.read { db in
                    let rows = try SQLiteRows(db, sql: """
                        SELECT id, typeof(amount_cents), created_at FROM payments
                        WHERE rowid > ? AND rowid <= ?
                          AND (typeof(amount_cents) <> 'integer'
                               OR created_at NOT GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9][T ][0-2][0-9]:[0-5][0-9]*')
                        LIMIT 1
                        """, arguments: [from, from + chunk])
                    let found = try rows.next() ? (rows.text(0) ?? "?", rows.text(1) ?? "null", rows.text(2)) : nil
                    let more = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM payments WHERE rowid > ?)", arguments: [from + chunk]) ?? false
                    return (found, more)
                }
            } catch {
                throw database.mapError(error)
            }
            if let found {
                throw brokenRow(id: found.id, amountType: found.type == "integer" ? nil : found.type,
                                createdAt: found.type == "integer" ? "'\(found.createdAt ?? "NULL")' is not an ISO instant" : nil)
            }
            if !more { return }
            from += chunk
        }
    }

    static func brokenRow(id: String, amountType: String?, createdAt: String?) -> Failure {
        let what = amountType.map { "amount_cents is \($0), not an integer number of minor units" } ?? "created_at \(createdAt ?? "")"
        return Failure.dataError("The live database's payments row \(id) breaks the schema's rules: \(what); it was not read as something it is not. Fix the row (the live service wrote it), then run again.")
    }

    /// Gives each payment that names an order its order's number, day and payment status.
    ///
    /// One scan of the orders created from `from` on finds the orders of nearly all of them (an
    /// order is created before it is paid for, and `from` is two days before the earliest
    /// payment read); the few older ones are then read by id.
    static func fillOrders(_ db: Database, payments: inout [LivePayment], from: Timestamp) throws {
        // payment positions by order id, several payments of one order chained through `next`
        var first = IdMap<Int32>(capacity: payments.count)
        var next = [Int32](repeating: -1, count: payments.count)
        for i in payments.indices {
            guard let order = payments[i].orderId else { continue }
            first.update(order, default: -1) { head in
                next[i] = head
                head = Int32(i)
            }
        }
        guard !first.isEmpty else { return }
        var filled = [Bool](repeating: false, count: payments.count)
        var statuses = SharedTexts()
        func fill(_ rows: SQLiteRows, _ head: Int32) {
            let number = rows.int64(1), created = rows.optionalInt64(2).map { Timestamp(seconds: $0) }
            let status = statuses.text(rows, 3)
            var i = head
            while i >= 0 {
                payments[Int(i)].orderNumber = number
                payments[Int(i)].orderCreatedAt = created
                payments[Int(i)].orderPaymentStatus = status
                filled[Int(i)] = true
                i = next[Int(i)]
            }
        }
        let scan = try SQLiteRows(db, sql: "SELECT id, order_number, unixepoch(created_at), payment_status FROM orders WHERE created_at >= ?",
                                  arguments: [from.adding(seconds: -86400).iso])
        var found = 0
        while try scan.next() {
            if let head = first[scan.bytes(0)], !filled[Int(head)] {
                fill(scan, head)
                found += 1
            }
        }
        guard found < first.count else { return }
        // the orders created before the scan's start, by id
        let byId = try db.makeStatement(sql: "SELECT id, order_number, unixepoch(created_at), payment_status FROM orders WHERE id = ?")
        var asked = Set<String>()
        for i in payments.indices where !filled[i] {
            guard let order = payments[i].orderId, asked.insert(order).inserted, let head = first[order] else { continue }
            let rows = try SQLiteRows(byId, arguments: [order])
            while try rows.next() { fill(rows, head) }
        }
    }

    /// Reads everything the matcher needs for `records` and `period` in the snapshot `db`.
    public static func load(_ db: Database, records: [ProviderRecord], period: Period, venueFilter: String?) throws -> LiveSnapshot {
        let credits = try CreditScan.read(db, cuts: [period.from, period.to], venue: venueFilter)
        return try load(db, credits: credits, records: records, period: period, venueFilter: venueFilter)
    }

    /// The rest of the snapshot, once the provider records are known: `credits` was read earlier
    /// in the same snapshot `db` (see `ReconcileJob`), its cuts `period`'s bounds where they are
    /// not midnights.
    static func load(_ db: Database, credits: CreditScan, records: [ProviderRecord], period: Period, venueFilter: String?) throws -> LiveSnapshot {
        var snapshot = LiveSnapshot()

        // venues
        let venueCursor = try Row.fetchCursor(db, sql: "SELECT id, name, currency, credits_remaining, mpesa_shortcode, timezone FROM venues")
        while let row = try venueCursor.next() {
            let venue = LiveVenue(id: row[0], name: row[1], currency: row[2], creditsRemaining: row[3], mpesaShortCode: row[4],
                                  timezone: row[5] ?? "UTC")
            snapshot.venues[venue.id] = venue
        }
        snapshot.purchases = credits.purchases
        snapshot.orderCharges = credits.orderChargeChecks(in: period)
        snapshot.ledger = try credits.ledgerRows(venues: snapshot.venues, venueFilter: venueFilter, period: period)

        // payments in the widened window
        // (a record whose time is unknown, a failed callback's, says nothing about the window: its
        // 1970 would have read every payment and order; its row is looked up by key below)
        var lo = period.from, hi = period.to
        for record in records where record.occurredAtKnown {
            if record.occurredAt < lo { lo = record.occurredAt }
            if record.occurredAt >= hi { hi = record.occurredAt.adding(seconds: 1) }
        }
        lo = lo.adding(seconds: -2 * 86400)
        hi = hi.adding(seconds: 2 * 86400)
        // the largest rowid is an index lookup, and never less than the number of rows
        let expectedRows = try Int.fetchOne(db, sql: "SELECT max(rowid) FROM payments") ?? 0
        var index = PaymentIndex(expectedRows: expectedRows)
        var venueIds = SharedTexts()
        func add(_ p: LivePayment) {
            index.add(p)
            snapshot.payments.append(p)
        }
        // Window rows are distinct (one per id); a later lookup cannot return one of them, since
        // it asks only for keys no window row carries.
        let window = try SQLiteRows(db, sql: paymentColumns + " WHERE p.created_at >= ? AND p.created_at < ?", arguments: [lo.iso, hi.iso])
        while try window.next() { if let p = try payment(window, venueIds: &venueIds) { add(p) } }

        // payments outside the window that a provider record names
        var wantPI = Set<String>(), wantReceipt = Set<String>(), wantCheckout = Set<String>()
        var wantAccount = Set<String>(), wantOrder = Set<String>()
        for r in records {
            switch r.provider {
            // A record whose payment row is already loaded needs nothing more: its order's or
            // invoice's fields come with that row (most records; this halves the look-ups here).
            case .stripe:
                var loaded = false
                if let pi = r.paymentIntent {
                    if index.hasPaymentIntent(pi) { loaded = true } else { wantPI.insert(pi) }
                }
                if let rev = r.reversesRef, rev.hasPrefix("pi_"), !index.hasPaymentIntent(rev) { wantPI.insert(rev) }
                if !loaded, let order = r.metadataValue("order_id"), !index.hasOrder(order) { wantOrder.insert(order) }
            case .mpesa:
                var loaded = false
                // A record's own receipt names a payment row only for money in (or a failed try),
                // or a charge that names nothing else: the matcher never looks up the receipts of
                // charges, reversals and withdrawals, which are most statement rows that are not
                // payments.
                if let receipt = r.mpesaReceipt, r.event == .payment || r.event == .failedPayment || (r.event == .fee && r.reversesRef == nil) {
                    if index.mpesaByReceipt[receipt] != nil { loaded = true } else if !index.otherReceipts.contains(receipt) { wantReceipt.insert(receipt) }
                }
                if let rev = r.reversesRef, !index.hasReceipt(rev) { wantReceipt.insert(rev) }
                if !loaded, let c = r.checkoutRequestId {
                    if index.hasCheckout(c) { loaded = true } else { wantCheckout.insert(c) }
                }
                if !loaded, r.event == .payment, let a = r.accountRef?.uppercased(), !a.isEmpty, !index.hasAccount(a) { wantAccount.insert(a) }
            }
        }
        // Two lookups can name the same row (its PaymentIntent and its receipt): it is added once.
        var lookedUp = Set<String>()
        func lookup(_ sql: String, _ keys: Set<String>) throws {
            guard !keys.isEmpty else { return }
            let statement = try db.makeStatement(sql: paymentColumns + " WHERE " + sql)
            for key in keys.sorted() {
                let rows = try SQLiteRows(statement, arguments: [key])
                while try rows.next() {
                    if let p = try payment(rows, venueIds: &venueIds), lookedUp.insert(p.id).inserted { add(p) }
                }
            }
        }
        try lookup("p.provider = 'stripe' AND p.provider_ref = ?", wantPI)
        try lookup("p.mpesa_receipt = ?", wantReceipt)
        try lookup("p.provider = 'mpesa' AND p.provider_ref = ?", wantCheckout)

        // orders named by metadata and not reached through a payment row
        if !wantOrder.isEmpty {
            let statement = try db.makeStatement(sql: "SELECT id, venue_id, order_number, unixepoch(created_at), status, payment_status FROM orders WHERE id = ?")
            for id in wantOrder.sorted() where !index.hasOrder(id) {
                if let row = try Row.fetchOne(statement, arguments: [id]) {
                    snapshot.orders[id] = LiveOrderInfo(id: row[0], venueId: row[1], number: row[2],
                                                        createdAt: (row[3] as Int64?).map { Timestamp(seconds: $0) },
                                                        status: row[4], paymentStatus: row[5])
                }
            }
        }
        // invoices named by an A/C No. nobody's payment row carries
        if !wantAccount.isEmpty {
            let statement = try db.makeStatement(sql: "SELECT id, venue_id, status, amount_cents, currency FROM invoices WHERE id = ? OR id = ?")
            for ref in wantAccount.sorted() {
                if let row = try Row.fetchOne(statement, arguments: [ref, ref.lowercased()]) {
                    snapshot.invoices[ref] = LiveInvoice(id: row[0], venueId: row[1], status: row[2], amountCents: row[3], currency: row[4])
                }
            }
        }

        try fillOrders(db, payments: &snapshot.payments, from: lo)
        snapshot.paymentIndex = index
        return snapshot
    }
}

/// Column texts that repeat across many rows (a payment's venue id), kept as one String each: a
/// million payment rows name a few hundred venues, and a String per row would cost an allocation.
struct SharedTexts {
    private var texts: [IdKey: String] = [:]

    /// The text of `column` on the current row, nil for NULL.
    mutating func text(_ row: SQLiteRows, _ column: Int32) -> String? {
        guard !row.isNull(column) else { return nil }
        let bytes = row.bytes(column)
        let key = IdKey(bytes)
        if let text = texts[key] { return text }
        let text = String(decoding: bytes, as: UTF8.self)
        texts[key] = text
        return text
    }
}

