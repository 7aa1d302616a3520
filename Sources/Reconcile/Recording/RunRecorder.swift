import BackofficeCore
import Foundation
import GRDB
import LiveDatabase

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The time and the random part of a run id, taken at the edge so tests are deterministic.
public struct RunClock: Sendable {
    public var now: Timestamp
    public var suffix: String

    public init(now: Timestamp, suffix: String) {
        self.now = now
        self.suffix = suffix
    }

    /// The system clock and six random hex digits.
    public static func system() -> RunClock {
        let seconds = Int64(Date().timeIntervalSince1970)
        var rng = SystemRandomNumberGenerator()
        let hex = String(rng.next() & 0xFFFFFF, radix: 16)
        return RunClock(now: Timestamp(seconds: seconds), suffix: String(repeating: "0", count: 6 - hex.count) + hex)
    }

    /// `20261108T020000Z-3f9a2c`: readable, sortable by time, unique.
    public var runId: String {
        let f = now.fields()
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(f.year, 4))\(pad(f.month, 2))\(pad(f.day, 2))T\(pad(f.hour, 2))\(pad(f.minute, 2))\(pad(f.second, 2))Z-\(suffix)"
    }
}

/// Records a run in the `batch_*` tables, whole or not at all, while the live service keeps writing.
///
/// 1. Runs left behind are cleaned up: a `writing` run whose writer process is gone (killed), and
///    `superseded` runs, are deleted in chunks.
/// 2. The run's `batch_runs` row is inserted with status `writing`.
/// 3. Its rows go in chunks of `chunkSize` rows, each chunk one short `BEGIN IMMEDIATE` transaction.
/// 4. One short transaction sets it `committed` and marks the previous committed run with the same
///    fingerprint (same inputs, period and venue) `superseded`.
/// 5. The superseded run's rows are deleted in chunks.
///
/// Readers of runs only look at `committed` ones, so a run is never seen half written.
///
///     var recorder = RunRecorder(database: live)
///     try recorder.record(result, runId: clock.runId, command: "reconcile", startedAt: clock.now)
public struct RunRecorder {
    public let database: LiveDatabase
    /// Rows per write transaction at most.
    public var chunkSize: Int = 2000
    /// How long one write transaction may keep inserting before it commits (the contract allows
    /// about 100 ms of write lock; this leaves room for the commit itself on a slow disk).
    public var chunkTime: Duration = .milliseconds(25)
    /// The process id written in `writer_pid`.
    public var pid: Int32 = getpid()
    /// Whether a process is still running (a `writing` run of a dead process is abandoned).
    public var isAlive: @Sendable (Int32) -> Bool = RunRecorder.processIsAlive
    /// Who a process is beyond its pid (boot id and start time), nil when that cannot be read;
    /// a `writing` run is left alone only while its pid still names the process that wrote it.
    public var processStart: @Sendable (Int32) -> String? = RunRecorder.processStartIdentity
    /// Called after each committed chunk with the number of chunks so far; a test throws here to
    /// play a process killed in the middle of a run.
    public var afterChunk: ((Int) throws(Failure) -> Void)?
    /// Whether a failed run removes what it wrote (false plays a killed process, which cannot).
    public var cleanupOnFailure = true
    /// Whether a live writer commits between the recorder's transactions (then each is followed
    /// by a pause, so the live writer gets its turn: `LiveDatabase.write`).
    let turns = WriteTurns()

    public init(database: LiveDatabase) {
        self.database = database
    }

    @Sendable public static func processIsAlive(_ pid: Int32) -> Bool {
        if pid <= 0 { return false }
        if kill(pid, 0) == 0 { return true }
        return errno == EPERM
    }

    /// `BOOT_ID/STARTTIME` of a process (Linux `/proc`), nil elsewhere or when it is gone.
    @Sendable public static func processStartIdentity(_ pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // fields after the command name: state is field 3, starttime field 22
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19 else { return nil }
        let boot = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return boot + "/" + fields[19]
    }

    /// sha256 of the sorted input hashes, the period and the venue filter.
    public static func fingerprint(inputs: [InputSummary], period: Period, venue: String?) -> String {
        let text = "v1\n" + inputs.map(\.sha256).sorted().joined(separator: "\n") + "\n\(period.from.iso)\n\(period.to.iso)\n\(venue ?? "")"
        return SHA256Digest.hex(Array(text.utf8))
    }

    // MARK: - writing

    /// Records `result` as run `runId` and commits it. Returns the id.
    @discardableResult
    public func record(_ result: ReconcileResult, runId: String, command: String, startedAt: Timestamp, finishedAt: Timestamp? = nil) throws(Failure) -> String {
        let stream = MatchStream()
        stream.send(result.matchPairs)
        stream.close()
        return try record(streaming: stream, records: result.records, payments: result.payments,
                          inputs: result.inputs, period: result.period, venue: result.venueFilter,
                          runId: runId, command: command, startedAt: startedAt, finishedAt: finishedAt) { result }.runId
    }

    /// A recorded run: its id and what it did to the findings ledger.
    public struct Recorded: Sendable {
        public var runId: String
        public var findings: FindingsUpdate
    }

    /// Records a run whose clean matches arrive on `stream` while the matcher is still at work
    /// (on another thread): they are written as they come, then `result()` gives the rest of the
    /// run (its matches the ones streamed), which is written and committed. `records` and
    /// `payments` are the arrays the matches point into. A failure leaves nothing behind, as
    /// for `record(_:…)`; the caller still waits for its matcher.
    ///
    /// The findings ledger (`FindingsBook`) is updated in the transaction that commits the run,
    /// so the run and what it did to the findings are there together or not at all.
    @discardableResult
    public func record(streaming stream: MatchStream, records: [ProviderRecord], payments: [LivePayment],
                       inputs: [InputSummary], period: Period, venue: String?,
                       runId: String, command: String, startedAt: Timestamp, finishedAt: Timestamp? = nil,
                       result: () -> ReconcileResult) throws(Failure) -> Recorded {
        let queue = try database.writer()
        try database.migrate(queue)
        try cleanupStale(queue)
        let fingerprint = Self.fingerprint(inputs: inputs, period: period, venue: venue)
        var findings = FindingsUpdate()
        try write(queue) { db in
            try db.execute(sql: """
                INSERT INTO batch_runs (id, command, status, fingerprint, started_at, period_from, period_to, venue_id, writer_pid, writer_start)
                VALUES (?, ?, 'writing', ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [runId, command, fingerprint, startedAt.iso, period.from.iso, period.to.iso, venue, Int64(pid), processStart(pid)])
        }
        do throws(Failure) {
            var chunks = 0
            var seq = 0
            // whole chunks as the batches come, the rest once the stream ends: a batch's tail
            // waits for the next batch instead of taking a short transaction of its own
            var pending: [MatchPair] = []
            func writePending(all: Bool) throws(Failure) {
                let take = all ? pending.count : pending.count / chunkSize * chunkSize
                guard take > 0 else { return }
                try writeRows([Self.matchRows(Array(pending[..<take]), from: seq, runId: runId, records: records, payments: payments)],
                              queue, chunks: &chunks)
                seq += take
                pending.removeFirst(take)
            }
            while let batch = stream.next() {
                pending += batch
                try writePending(all: false)
            }
            try writePending(all: true)
            let result = result()
            guard result.matched == seq else {
                throw Failure.software("run \(runId): \(seq) matches were recorded but the matcher found \(result.matched)")
            }
            let findingIds = FindingKey.ids(result.exceptions)
            try writeRows(otherRows(result, runId: runId, findingIds: findingIds), queue, chunks: &chunks)
            let coverage = result.coverage ?? RunCoverage(records: records, period: period, venue: venue, venues: result.venueCoverage)
            try writeRows([coverageRows(coverage, runId: runId), venueCoverageRows(coverage, runId: runId)], queue, chunks: &chunks)
            try write(queue) { db in
                try db.execute(sql: "UPDATE batch_runs SET status = 'superseded' WHERE fingerprint = ? AND status = 'committed' AND id <> ?",
                               arguments: [fingerprint, runId])
                try db.execute(sql: """
                    UPDATE batch_runs SET status = 'committed', finished_at = ?, matched = ?, exception_count = ?
                    WHERE id = ? AND status = 'writing'
                    """, arguments: [(finishedAt ?? startedAt).iso, result.matched, result.exceptions.count, runId])
                if db.changesCount != 1 {
                    throw Failure.software("run \(runId) disappeared while it was being written")
                }
                findings = try FindingsBook.record(db, runId: runId, at: finishedAt ?? startedAt, exceptions: result.exceptions,
                                                   ids: findingIds, coverage: coverage, venueFilter: venue, by: "backoffice \(command)")
            }
        } catch {
            if cleanupOnFailure { try? deleteRun(runId, queue) }
            throw error
        }
        // superseded runs are gone from readers' view; remove their rows without holding the lock long
        _ = try? cleanupStale(queue)
        return Recorded(runId: runId, findings: findings)
    }

    /// `batch_run_coverage`: what each provider's inputs spanned.
    func coverageRows(_ coverage: RunCoverage, runId: String) -> TableRows {
        // a run that saw no provider data at all says so with one row 'none' (the report's verdict reads it)
        let spans = coverage.providers.isEmpty
            ? [("none", Period(from: coverage.period.from, to: coverage.period.from))]
            : coverage.providers.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, $0.value) }
        return TableRows(sql: "INSERT INTO batch_run_coverage (run_id, provider, covered_from, covered_to) VALUES (?, ?, ?, ?)",
                         count: spans.count) { i, row in
            row.text(runId); row.text(spans[i].0); row.timestamp(spans[i].1.from); row.timestamp(spans[i].1.to)
        }
    }

    /// `batch_run_venue_coverage`: what the records the run attributed to each venue spanned, per
    /// provider (a venue with none has no row).
    func venueCoverageRows(_ coverage: RunCoverage, runId: String) -> TableRows {
        let spans = coverage.venues.sorted { ($0.key.venueId, $0.key.provider.rawValue) < ($1.key.venueId, $1.key.provider.rawValue) }
        return TableRows(sql: "INSERT INTO batch_run_venue_coverage (run_id, venue_id, provider, covered_from, covered_to) VALUES (?, ?, ?, ?, ?)",
                         count: spans.count) { i, row in
            row.text(runId); row.text(spans[i].key.venueId); row.text(spans[i].key.provider.rawValue)
            row.timestamp(spans[i].value.from); row.timestamp(spans[i].value.to)
        }
    }

    func write(_ queue: DatabaseQueue, _ body: (Database) throws -> Void) throws(Failure) {
        try database.write(queue, turns: turns, body)
    }

    /// A table's rows as an insert statement and a function binding row `i`'s values.
    struct TableRows {
        let sql: String
        let count: Int
        let bind: (Int, inout RowBinder) -> Void
    }

    /// The `batch_matches` rows of `pairs`, numbered from `first`.
    static func matchRows(_ pairs: [MatchPair], from first: Int, runId: String, records: [ProviderRecord], payments: [LivePayment]) -> TableRows {
        TableRows(sql: """
            INSERT INTO batch_matches (run_id, seq, provider, provider_ref, mpesa_receipt, charge_id, payment_id, purpose, order_id,
                                       invoice_id, venue_id, amount_cents, fee_cents, currency, occurred_at, payout_id, description)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, count: pairs.count) { i, row in
            let m = ReconcileResult.matchRow(pairs[i], records: records, payments: payments)
            row.text(runId); row.int(first + i); row.text(m.provider.rawValue); row.text(m.providerRef); row.text(m.mpesaReceipt)
            row.text(m.chargeId); row.text(m.paymentId); row.text(m.purpose); row.text(m.orderId); row.text(m.invoiceId)
            row.text(m.venueId); row.int(m.amountCents); row.int(m.feeCents); row.text(m.currency); row.timestamp(m.occurredAt)
            row.text(m.payoutId); row.text(m.description)
        }
    }

    /// Every table of the run but its matches.
    func otherRows(_ result: ReconcileResult, runId: String, findingIds: [String]) -> [TableRows] {
        let inputs = result.inputs
        let exceptions = result.exceptions
        let takings = result.dailyTakings
        let payouts = result.payouts
        let ledger = result.creditLedger
        return [
            TableRows(sql: "INSERT INTO batch_run_inputs (run_id, position, file, kind, sha256, rows) VALUES (?, ?, ?, ?, ?, ?)",
                      count: inputs.count) { i, row in
                let x = inputs[i]
                row.text(runId); row.int(i); row.text(x.file); row.text(x.kind.rawValue); row.text(x.sha256); row.int(x.rows)
            },
            TableRows(sql: """
                INSERT INTO batch_exceptions (run_id, seq, kind, provider, venue_id, amount_cents, expected_cents, currency, refs, detail, finding_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, count: exceptions.count) { i, row in
                let e = exceptions[i]
                row.text(runId); row.int(i); row.text(e.kind.rawValue); row.text(e.provider?.rawValue); row.text(e.venueId)
                row.int(e.amountCents); row.int(e.expectedCents); row.text(e.currency); row.text(e.refs.json); row.text(e.detail)
                row.text(findingIds[i])
            },
            TableRows(sql: """
                INSERT INTO batch_daily_takings (run_id, day, venue_id, provider, currency, payments, gross_cents, fee_cents, refund_cents, net_cents, timezone)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, count: takings.count) { i, row in
                let t = takings[i]
                row.text(runId); row.text(t.day); row.text(t.venueId); row.text(t.provider.rawValue); row.text(t.currency)
                row.int(t.payments); row.int(t.grossCents); row.int(t.feeCents); row.int(t.refundCents); row.int(t.netCents)
                row.text(t.timezone)
            },
            TableRows(sql: """
                INSERT INTO batch_payouts (run_id, payout_id, currency, paid_at, amount_cents, transactions, transactions_net_cents, difference_cents)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, count: payouts.count) { i, row in
                let p = payouts[i]
                row.text(runId); row.text(p.payoutId); row.text(p.currency); row.timestamp(p.paidAt); row.int(p.amountCents)
                row.int(p.transactions); row.int(p.transactionsNetCents); row.int(p.differenceCents)
            },
            TableRows(sql: """
                INSERT INTO batch_credit_ledger (run_id, venue_id, venue_name, opening, bonus, purchases, order_charges, menu_imports,
                                                 refunds, closing, credits_remaining, drift)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, count: ledger.count) { i, row in
                let l = ledger[i]
                row.text(runId); row.text(l.venueId); row.text(l.venueName); row.int(l.opening); row.int(l.bonus); row.int(l.purchases)
                row.int(l.orderCharges); row.int(l.menuImports); row.int(l.refunds); row.int(l.closing); row.int(l.creditsRemaining)
                row.int(l.drift)
            },
        ]
    }

    /// Writes `tables` as one stream of rows: each transaction takes up to `chunkSize` rows and
    /// ends early once it has held the write lock for `chunkTime`. `chunks` counts the
    /// transactions across calls (for `afterChunk`).
    func writeRows(_ tables: [TableRows], _ queue: DatabaseQueue, chunks: inout Int) throws(Failure) {
        var table = 0, row = 0
        while table < tables.count {
            try write(queue) { db in
                let deadline = ContinuousClock.now + chunkTime
                var budget = chunkSize
                while budget > 0, table < tables.count {
                    let t = tables[table]
                    if row >= t.count { table += 1; row = 0; continue }
                    var binder = RowBinder(try db.cachedStatement(sql: t.sql), in: db)
                    while budget > 0, row < t.count {
                        t.bind(row, &binder)
                        try binder.insert()
                        row += 1
                        budget -= 1
                        // the clock is read every 64 rows: a row takes microseconds
                        if row % 64 == 0, ContinuousClock.now >= deadline { budget = 0 }
                    }
                }
            }
            chunks += 1
            if let afterChunk { try afterChunk(chunks) }
        }
    }

    // MARK: - cleaning up

    /// Primary keys of the run tables, for deleting a run's rows a chunk at a time.
    static let childTables: [(table: String, key: String)] = [
        ("batch_matches", "run_id, seq"),
        ("batch_exceptions", "run_id, seq"),
        ("batch_daily_takings", "run_id, day, venue_id, provider, currency"),
        ("batch_payouts", "run_id, payout_id"),
        ("batch_credit_ledger", "run_id, venue_id"),
        ("batch_run_inputs", "run_id, position"),
        ("batch_run_coverage", "run_id, provider"),
        ("batch_run_venue_coverage", "run_id, venue_id, provider"),
    ]

    /// Deletes superseded runs and `writing` runs whose writer is gone. Returns how many runs it removed.
    @discardableResult
    public func cleanupStale() throws(Failure) -> Int {
        let queue = try database.writer()
        try database.migrate(queue)
        return try cleanupStale(queue)
    }

    @discardableResult
    func cleanupStale(_ queue: DatabaseQueue) throws(Failure) -> Int {
        let stale: [(String, String, Int64?, String?)]
        do {
            stale = try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT id, status, writer_pid, writer_start FROM batch_runs WHERE status IN ('writing', 'superseded') ORDER BY id")
                    .map { ($0[0], $0[1], $0[2], $0[3]) }
            }
        } catch {
            throw database.mapError(error)
        }
        var removed = 0
        for (id, status, writer, started) in stale {
            if status == "writing", let writer {
                let pid = Int32(truncatingIfNeeded: writer)
                // still being written: its pid is alive and (when known) still its writer's
                if isAlive(pid), started == nil || processStart(pid).map({ $0 == started }) ?? true { continue }
            }
            try deleteRun(id, queue, onlyIf: status)
            removed += 1
        }
        return removed
    }

    /// Deletes a run's rows a chunk at a time, then the run itself.
    func deleteRun(_ id: String, _ queue: DatabaseQueue, onlyIf status: String? = nil) throws(Failure) {
        for (table, key) in Self.childTables {
            var more = true
            while more {
                try write(queue) { db in
                    try db.execute(sql: "DELETE FROM \(table) WHERE (\(key)) IN (SELECT \(key) FROM \(table) WHERE run_id = ? LIMIT ?)",
                                   arguments: [id, chunkSize])
                    more = db.changesCount > 0
                }
            }
        }
        try write(queue) { db in
            if let status {
                try db.execute(sql: "DELETE FROM batch_runs WHERE id = ? AND status = ?", arguments: [id, status])
            } else {
                try db.execute(sql: "DELETE FROM batch_runs WHERE id = ? AND status <> 'committed'", arguments: [id])
            }
        }
    }
}
