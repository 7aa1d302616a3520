import BackofficeCore
import GRDB
import LiveDatabase

// Reading the live records the matcher needs. The values themselves (`LiveSnapshot`,
// `LivePayment`, ...) live in Matching/LiveRecords.swift: matching is pure logic.
extension LiveSnapshot {
    /// The payment columns (0-14). The order's fields are not joined in: joining sent about
    /// 415,000 random lookups into the orders table, three times the cost of scanning it once
    /// (`fillOrders`).
    static let paymentSelect = """
        SELECT p.id, p.venue_id, p.purpose, p.order_id, p.invoice_id, p.provider, p.status, p.amount_cents, p.currency,
               p.provider_ref, p.account_ref, p.mpesa_receipt, p.credits, unixepoch(p.created_at), i.status
        """
    static let paymentFrom = " FROM payments p LEFT JOIN invoices i ON i.id = p.invoice_id"
    static let paymentColumns = paymentSelect + paymentFrom

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
    /// the live writer waiting in rollback-journal mode: at 1M orders, with the live writer busy,
    /// a chunk of 50,000 rowids held the lock up to 54 to 86 ms, one of 20,000 up to 28 to 50).
    static func checkPaymentRows(_ database: LiveDatabase, rows chunk: Int64 = 20_000) throws(Failure) {
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

    /// An order's number, day and payment status, as `fillOrders` gives them to its payments.
    static let orderColumns = "SELECT id, order_number, unixepoch(created_at), payment_status"
    static let orderFields = orderColumns + " FROM orders"

    /// Gives each payment that names an order its order's number, day and payment status.
    ///
    /// One scan of the orders created from `from` on (up to the bound) finds the orders of nearly
    /// all of them (an order is created before it is paid for, and `from` is two days before the
    /// earliest payment read); the few older ones are then read by id.
    static func fillOrders(_ reads: SnapshotReads, payments: inout [LivePayment], orders range: ClosedRange<Int64>?, from: Timestamp) throws {
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
        var found = 0
        try reads.scan("orders of payments", orderColumns + ", rowid FROM orders WHERE created_at >= ? AND rowid >= ? AND rowid <= ? ORDER BY rowid",
                       rowid: 4, range: range, arguments: [from.adding(seconds: -86400).iso]) { scan in
            if let head = first[scan.bytes(0)], !filled[Int(head)] {
                fill(scan, head)
                found += 1
            }
        }
        guard found < first.count else { return }
        // the orders created before the scan's start, by id
        var asked = Set<String>()
        var older: [(order: String, head: Int32)] = []
        for i in payments.indices where !filled[i] {
            guard let order = payments[i].orderId, asked.insert(order).inserted, let head = first[order] else { continue }
            older.append((order, head))
        }
        try reads.each("orders of payments by id", older) { db, item in
            let rows = try SQLiteRows(db.cachedStatement(sql: orderFields + " WHERE id = ?"), arguments: [item.order])
            while try rows.next() { fill(rows, item.head) }
        }
    }

    /// The venues, read in the transaction that fixes the bounds: their `credits_remaining` is
    /// then of the same moment as the ledger rows up to the bound.
    static func readVenues(_ db: Database) throws -> [String: LiveVenue] {
        var venues: [String: LiveVenue] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT id, name, currency, credits_remaining, mpesa_shortcode, timezone FROM venues")
        while let row = try cursor.next() {
            let venue = LiveVenue(id: row[0], name: row[1], currency: row[2], creditsRemaining: row[3], mpesaShortCode: row[4],
                                  timezone: row[5] ?? "UTC")
            venues[venue.id] = venue
        }
        return venues
    }

    /// Reads everything the matcher needs for `records` and `period` in the one snapshot `db`.
    public static func load(_ db: Database, records: [ProviderRecord], period: Period, venueFilter: String?) throws -> LiveSnapshot {
        try read(SnapshotReads(.one(db)), cuts: [period.from, period.to], records: records, period: period, venueFilter: venueFilter)
    }

    /// Reads everything the matcher needs for `records` and `period`, in `reads`' chunks, so that
    /// no finding rests on rows read at different moments.
    ///
    /// The consistency rule (the live service only appends rows and changes statuses; see
    /// docs/SECURITY.md, "Live rows"):
    ///
    /// 1. One short transaction starts the read: it fixes each scanned table's largest rowid and
    ///    reads the venues. Rows appended after it are not scanned (they are newer than anything
    ///    the exports can name, except as step 4 says).
    /// 2. The credit ledger only gains rows, so its rows up to the bound read the same in every
    ///    chunk: the ledger, each venue's total and the venues' balances are exactly those of
    ///    that first transaction.
    /// 3. Rows whose status can change (orders, payments, invoices) are read in chunks, each
    ///    row as it was when its chunk read it. A finding that rests on one such row is the
    ///    finding of that moment. The findings that rest on two rows compare rows read at
    ///    different moments, so the closing transaction reads both again together where they
    ///    disagree, and decides on what it reads: an order whose charges are not what its
    ///    status needs (with the charges appended since), a payment whose order shows another
    ///    state (SUCCESS is `paid`, REFUNDED is `refunded` or `partially_refunded`), a credit
    ///    pack whose purchase rows disagree with it (with the purchases appended since).
    /// 4. The closing transaction also reads the orders and invoices the exports name that no
    ///    payment row carries, and, among the payment rows appended since the bounds, the ones
    ///    carrying a key an export names that no row up to the bound carries: an order marked
    ///    paid by such a row is then seen with it, never as paid twice.
    ///
    /// So every finding is one a single snapshot shows: of the moment a row was read, or of the
    /// closing transaction. A problem that arises while the run reads is left to the next run.
    static func read(_ reads: SnapshotReads, cuts: [Timestamp], records: [ProviderRecord], period: Period, venueFilter: String?) throws -> LiveSnapshot {
        let (bounds, venues, version) = try reads.read { db -> (RowidBounds, [String: LiveVenue], Int64?) in
            (try RowidBounds(db), try readVenues(db), try Int64.fetchOne(db, sql: "PRAGMA data_version"))
        }
        var credits = try CreditScan.read(reads, bounds: bounds, cuts: cuts, venue: venueFilter)
        var snapshot = LiveSnapshot()
        snapshot.venues = venues
        snapshot.ledger = try credits.ledgerRows(venues: venues, venueFilter: venueFilter, period: period)

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
        var index = PaymentIndex(expectedRows: RowidBounds.capacity(bounds.payments))
        var venueIds = SharedTexts()
        func add(_ p: LivePayment) {
            index.add(p)
            snapshot.payments.append(p)
        }
        // Window rows are distinct (one per id); a later lookup cannot return one of them, since
        // it asks only for keys no window row carries.
        try reads.scan("payments", paymentSelect + ", p.rowid" + paymentFrom
                       + " WHERE p.created_at >= ? AND p.created_at < ? AND p.rowid >= ? AND p.rowid <= ? ORDER BY p.rowid",
                       rowid: 15, range: bounds.payments, arguments: [lo.iso, hi.iso]) { rows in
            if let p = try payment(rows, venueIds: &venueIds) { add(p) }
        }

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
            guard !keys.isEmpty, let bound = bounds.payments?.upperBound else { return }
            let sql = paymentColumns + " WHERE " + sql + " AND p.rowid <= ?"
            try reads.each("payment look-ups", keys.sorted()) { db, key in
                let rows = try SQLiteRows(db.cachedStatement(sql: sql), arguments: [key, bound])
                while try rows.next() {
                    if let p = try payment(rows, venueIds: &venueIds), lookedUp.insert(p.id).inserted { add(p) }
                }
            }
        }
        try lookup("p.provider = 'stripe' AND p.provider_ref = ?", wantPI)
        try lookup("p.mpesa_receipt = ?", wantReceipt)
        try lookup("p.provider = 'mpesa' AND p.provider_ref = ?", wantCheckout)
        try fillOrders(reads, payments: &snapshot.payments, orders: bounds.orders, from: lo)

        // the closing transaction (the rule's steps 3 and 4); the rows it may read again are
        // picked out before it, so that it holds only look-ups
        let check = reads.options.closingCheck
        let pairs = check ? snapshot.payments.indices.filter { disagreesWithOrder(snapshot.payments[$0]) } : []
        let packs = check ? snapshot.payments.indices.filter { snapshot.payments[$0].purpose == "credits" } : []
        var changed = false
        try reads.read { db in
            snapshot.liveWriterSeen = try Int64.fetchOne(db, sql: "PRAGMA data_version") != version
            let grown = check ? try credits.settle(db, bounds: bounds) : []
            snapshot.purchases = credits.purchases
            snapshot.orderCharges = credits.orderChargeChecks(in: period)
            if check {
                let appended = try SQLiteRows(db, sql: paymentColumns + " WHERE p.rowid > ?", arguments: [RowidBounds.after(bounds.payments)])
                while try appended.next() {
                    guard let p = try payment(appended, venueIds: &venueIds) else { continue }
                    var named = false
                    if let ref = p.providerRef { named = p.provider == .stripe ? wantPI.contains(ref) : wantCheckout.contains(ref) }
                    if let receipt = p.mpesaReceipt, wantReceipt.contains(receipt) { named = true }
                    if let order = p.orderId, wantOrder.contains(order) { named = true }
                    for ref in [p.accountRef, p.invoiceId] { if let ref, wantAccount.contains(ref.uppercased()) { named = true } }
                    if named, lookedUp.insert(p.id).inserted { add(try withOrder(db, p)) }
                }
            }
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
            guard check else { return }
            // rows read at different moments that disagree, read again together
            let byId = try db.makeStatement(sql: paymentColumns + " WHERE p.id = ?")
            let purchases = snapshot.purchases
            for i in pairs + packs.filter({ disagreesWithPurchases(snapshot.payments[$0], purchases: purchases, grown: grown) }) {
                let rows = try SQLiteRows(byId, arguments: [snapshot.payments[i].id])
                defer { rows.reset() }
                guard try rows.next(), let now = try payment(rows, venueIds: &venueIds) else { continue }
                let again = try withOrder(db, now)
                if again != snapshot.payments[i] {
                    snapshot.payments[i] = again
                    changed = true
                }
            }
        }
        if changed {
            // a row read again may carry another status or a receipt now: the keys are indexed afresh
            index = PaymentIndex(expectedRows: snapshot.payments.count)
            for p in snapshot.payments { index.add(p) }
        }
        snapshot.paymentIndex = index
        return snapshot
    }

    /// `p` with its order's number, day and payment status read in `db`.
    private static func withOrder(_ db: Database, _ p: LivePayment) throws -> LivePayment {
        guard let order = p.orderId else { return p }
        var p = p
        let rows = try SQLiteRows(db.cachedStatement(sql: orderFields + " WHERE id = ?"), arguments: [order])
        defer { rows.reset() }
        if try rows.next() {
            p.orderNumber = rows.int64(1)
            p.orderCreatedAt = rows.optionalInt64(2).map { Timestamp(seconds: $0) }
            p.orderPaymentStatus = rows.text(3)
        }
        return p
    }

    /// Whether order payment `p` and its order, read in different chunks, name different states
    /// (SUCCESS is `paid`; REFUNDED is `refunded` or `partially_refunded`): the closing
    /// transaction reads both again together.
    static func disagreesWithOrder(_ p: LivePayment) -> Bool {
        guard p.purpose == "order", let order = p.orderPaymentStatus else { return false }
        if p.status == "SUCCESS" { return order != "paid" }
        if p.status == "REFUNDED" { return order != "refunded" && order != "partially_refunded" }
        return false
    }

    /// Whether credit pack `p` disagrees with its purchase rows as they are now (`purchases`), or
    /// gained purchase rows since the bounds (`grown`): the closing transaction reads it again.
    static func disagreesWithPurchases(_ p: LivePayment, purchases: [String: PurchaseSum], grown: Set<String>) -> Bool {
        guard p.purpose == "credits", let ref = p.providerRef else { return false }
        if grown.contains(ref) { return true }
        let granted = purchases[ref]
        if p.status == "SUCCESS" { return granted == nil || p.credits.map { $0 != granted?.credits } ?? false }
        return granted != nil && p.status != "REFUNDED"
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

