import BackofficeCore
import Foundation
import GRDB
import LiveDatabase

/// A finding as stored, for `findings` and the report.
public struct StoredFinding: Sendable, Hashable {
    public var exception: ReconcileException
    public var status: FindingStatus
    public var stateChangedAt: Timestamp
    /// The last note a person left (resolve or reopen), and who.
    public var note: String?
    public var by: String?
}

/// The findings ledger in `batch_findings` and its history in `batch_finding_events`
/// (CLI.md, "Findings over time"; the rule is written out in docs/reconciliation.md).
///
/// Every change of state appends an event (who, when, note); the current row is what the events
/// add up to. The work is per finding, never per match.
public enum FindingsBook {
    // MARK: - a run's findings

    /// Folds a run's findings into the ledger, inside the transaction that commits the run.
    ///
    /// New findings open; findings seen again keep their id, first run and state (a person's
    /// `resolved` stands), a cleared one opens again; open findings the run covered
    /// (`coverage`) and did not see are cleared. `coverage` nil (a nightly check of the exports'
    /// arrival) clears nothing.
    static func record(_ db: Database, runId: String, at now: Timestamp, exceptions: [ReconcileException], ids: [String],
                       coverage: RunCoverage?, venueFilter: String?, by: String) throws -> FindingsUpdate {
        var known: [String: (state: FindingState, firstRun: String, firstAt: Timestamp, kind: String, provider: String?, venue: String?, at: Timestamp?)] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT id, state, first_seen_run, first_seen_at, kind, provider, venue_id, occurred_at FROM batch_findings
            """)
        while let r = try rows.next() {
            known[r[0]] = (FindingState(rawValue: r[1]) ?? .open, r[2], Timestamp(iso: r[3] as String) ?? now, r[4], r[5], r[6],
                           (r[7] as String?).flatMap { Timestamp(iso: $0) })
        }
        var update = FindingsUpdate()
        var seen = Set<String>()
        let insert = try db.cachedStatement(sql: """
            INSERT INTO batch_findings (id, kind, provider, venue_id, occurred_at, amount_cents, expected_cents, currency, refs, detail,
                                        state, first_seen_run, first_seen_at, last_seen_run, last_seen_at, state_changed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)
            """)
        let seenAgain = try db.cachedStatement(sql: """
            UPDATE batch_findings SET occurred_at = ?, amount_cents = ?, expected_cents = ?, currency = ?, refs = ?, detail = ?,
                                      last_seen_run = ?, last_seen_at = ?,
                                      state = CASE state WHEN 'cleared' THEN 'open' ELSE state END,
                                      state_changed_at = CASE state WHEN 'cleared' THEN ? ELSE state_changed_at END
            WHERE id = ?
            """)
        for (e, id) in zip(exceptions, ids) {
            seen.insert(id)
            if let k = known[id] {
                try seenAgain.execute(arguments: [e.occurredAt?.iso, e.amountCents, e.expectedCents, e.currency, e.refs.json, e.detail,
                                                  runId, now.iso, now.iso, id])
                var state = k.state
                if state == .cleared {
                    state = .open
                    try appendEvent(db, id, at: now, event: "reappeared", state: .open, runId: runId, by: by, note: nil)
                }
                update.statuses.append(FindingStatus(id: id, state: state, firstSeen: k.firstRun, firstSeenAt: k.firstAt, lastSeen: runId, lastSeenAt: now))
            } else {
                try insert.execute(arguments: [id, e.kind.rawValue, e.provider?.rawValue, e.venueId, e.occurredAt?.iso, e.amountCents,
                                               e.expectedCents, e.currency, e.refs.json, e.detail, runId, now.iso, runId, now.iso, now.iso])
                try appendEvent(db, id, at: now, event: "opened", state: .open, runId: runId, by: by, note: nil)
                update.opened.append(id)
                update.statuses.append(FindingStatus(id: id, state: .open, firstSeen: runId, firstSeenAt: now, lastSeen: runId, lastSeenAt: now))
            }
        }
        if let coverage {
            let clear = try db.cachedStatement(sql: "UPDATE batch_findings SET state = 'cleared', state_changed_at = ? WHERE id = ? AND state = 'open'")
            for (id, k) in known.sorted(by: { $0.key < $1.key }) where k.state == .open && !seen.contains(id) {
                guard let kind = ExceptionKind(rawValue: k.kind),
                      coverage.covers(kind: kind, provider: k.provider.flatMap(Provider.init(rawValue:)), venueId: k.venue, occurredAt: k.at)
                else { continue }
                try clear.execute(arguments: [now.iso, id])
                try appendEvent(db, id, at: now, event: "cleared", state: .cleared, runId: runId, by: by,
                                note: "not seen again by a run that covered it")
                update.cleared.append(id)
            }
        }
        for i in update.statuses.indices { update.statuses[i].ageDays = update.statuses[i].ageDays(at: now) }
        update.openAfter = try openCount(db, venue: venueFilter)
        return update
    }

    /// Open findings, of one venue when given.
    static func openCount(_ db: Database, venue: String?) throws -> Int {
        if let venue {
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM batch_findings WHERE state = 'open' AND venue_id = ?", arguments: [venue]) ?? 0
        }
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM batch_findings WHERE state = 'open'") ?? 0
    }

    private static func appendEvent(_ db: Database, _ id: String, at: Timestamp, event: String, state: FindingState,
                                    runId: String?, by: String?, note: String?) throws {
        let seq = (try Int.fetchOne(db, sql: "SELECT max(seq) FROM batch_finding_events WHERE finding_id = ?", arguments: [id]) ?? 0) + 1
        try db.execute(sql: """
            INSERT INTO batch_finding_events (finding_id, seq, at, event, state, run_id, by, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, seq, at.iso, event, state.rawValue, runId, by, note])
    }

    // MARK: - reading

    /// Findings, newest state first within kind order; filters as `backoffice findings` takes them.
    public static func list(_ db: Database, state: FindingState?, venue: String?, kind: ExceptionKind?) throws -> [StoredFinding] {
        guard try db.tableExists("batch_findings") else { return [] }
        var sql = """
            SELECT f.*, (SELECT note FROM batch_finding_events e WHERE e.finding_id = f.id AND e.run_id IS NULL ORDER BY seq DESC LIMIT 1) AS person_note,
                        (SELECT by FROM batch_finding_events e WHERE e.finding_id = f.id AND e.run_id IS NULL ORDER BY seq DESC LIMIT 1) AS person
            FROM batch_findings f WHERE 1 = 1
            """
        var arguments: StatementArguments = []
        if let state { sql += " AND f.state = ?"; arguments += [state.rawValue] }
        if let venue { sql += " AND f.venue_id = ?"; arguments += [venue] }
        if let kind { sql += " AND f.kind = ?"; arguments += [kind.rawValue] }
        let found = try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap(stored)
        return found.sorted { a, b in
            if a.exception.kind != b.exception.kind { return a.exception.kind < b.exception.kind }
            return ReconcileException.ordered(a.exception, b.exception)
        }
    }

    static func stored(_ r: Row) -> StoredFinding? {
        guard let kind = ExceptionKind(rawValue: r["kind"]), let state = FindingState(rawValue: r["state"]) else { return nil }
        let refsText: String = r["refs"]
        let refs = (try? JSONDecoder().decode(Refs.self, from: Data(refsText.utf8))) ?? Refs()
        let exception = ReconcileException(
            kind: kind, provider: (r["provider"] as String?).flatMap(Provider.init(rawValue:)), venueId: r["venue_id"],
            amountCents: r["amount_cents"], expectedCents: r["expected_cents"], currency: r["currency"], refs: refs,
            detail: r["detail"], occurredAt: (r["occurred_at"] as String?).flatMap { Timestamp(iso: $0) })
        let epoch = Timestamp(seconds: 0)
        let status = FindingStatus(
            id: r["id"], state: state, firstSeen: r["first_seen_run"], firstSeenAt: Timestamp(iso: r["first_seen_at"] as String) ?? epoch,
            lastSeen: r["last_seen_run"], lastSeenAt: Timestamp(iso: r["last_seen_at"] as String) ?? epoch)
        return StoredFinding(exception: exception, status: status,
                             stateChangedAt: Timestamp(iso: r["state_changed_at"] as String) ?? epoch,
                             note: r["person_note"], by: r["person"])
    }

    // MARK: - a person's changes

    /// Sets `ids` to `resolved` (with a note) or back to `open`, each change appended to the
    /// history. Unknown ids are refused (64) before anything changes; an id already in the state
    /// asked for is left as it is and reported.
    public static func change(_ database: LiveDatabase, ids: [String], to state: FindingState, note: String?, by: String,
                              at now: Timestamp) throws(Failure) -> (changed: [String], unchanged: [String]) {
        let queue = try database.writer()
        try database.migrate(queue)
        var changed: [String] = [], unchanged: [String] = []
        do {
            try queue.inTransaction(.immediate) { db in
                var current: [String: FindingState] = [:]
                for id in ids {
                    guard let s = try String.fetchOne(db, sql: "SELECT state FROM batch_findings WHERE id = ?", arguments: [id]) else {
                        throw Failure.usage("No finding \(id) (backoffice findings --state all lists them); nothing was changed.")
                    }
                    current[id] = FindingState(rawValue: s) ?? .open
                }
                for id in ids where !changed.contains(id) && !unchanged.contains(id) {
                    if current[id] == state { unchanged.append(id); continue }
                    try db.execute(sql: "UPDATE batch_findings SET state = ?, state_changed_at = ? WHERE id = ?",
                                   arguments: [state.rawValue, now.iso, id])
                    try appendEvent(db, id, at: now, event: state == .resolved ? "resolved" : "reopened", state: state,
                                    runId: nil, by: by, note: note)
                    changed.append(id)
                }
                return .commit
            }
            return (changed, unchanged)
        } catch {
            throw database.mapError(error)
        }
    }
}

// MARK: - exports that stopped arriving

extension FindingsBook {
    /// The last committed run of `command`, if any: its id and when it finished.
    public static func lastRun(_ database: LiveDatabase, command: String) throws(Failure) -> (id: String, at: String)? {
        try database.read { db in
            guard try db.tableExists("batch_runs") else { return nil }
            return try Row.fetchOne(db, sql: """
                SELECT id, COALESCE(finished_at, started_at) FROM batch_runs WHERE status = 'committed' AND command = ?
                ORDER BY COALESCE(finished_at, started_at) DESC, id DESC LIMIT 1
                """, arguments: [command]).map { ($0[0], $0[1]) }
        }
    }

    /// `missing_export` findings for each provider, and each venue, whose exports have not arrived
    /// for longer than `staleAfterDays`, recorded in the ledger as check `checkId` (a nightly's own id).
    ///
    /// A provider is expected once the database holds a payment of it or a run has read its data;
    /// its exports last arrived when the newest data a committed run read of it ends (the end of
    /// that run's coverage of it). A provider expected and never read is stale at once. A venue is
    /// checked per provider only while the provider as a whole is not stale (`waitingPayments`).
    ///
    /// What is stale is read first, in short reads; only the ledger's update takes the write lock.
    public static func checkExports(_ database: LiveDatabase, at now: Timestamp, staleAfterDays: Int, checkId: String,
                                    by: String) throws(Failure) -> (exceptions: [ReconcileException], update: FindingsUpdate) {
        let queue = try database.writer()
        try database.migrate(queue)
        var stale = try staleExports(database, at: now, staleAfterDays: staleAfterDays)
        var update = FindingsUpdate()
        do {
            try queue.inTransaction(.immediate) { db in
                update = try record(db, runId: checkId, at: now, exceptions: stale, ids: FindingKey.ids(stale), coverage: nil,
                                    venueFilter: nil, by: by)
                return .commit
            }
        } catch {
            throw database.mapError(error)
        }
        for i in stale.indices where i < update.statuses.count { stale[i].finding = update.statuses[i] }
        return (stale, update)
    }

    /// The `missing_export` findings as of `now`: per provider, either the provider's or its stale
    /// venues' (by name, then id).
    static func staleExports(_ database: LiveDatabase, at now: Timestamp, staleAfterDays: Int) throws(Failure) -> [ReconcileException] {
        let limit = Int64(staleAfterDays) * 86400
        struct Arrival { var provider: Provider; var inDatabase: Bool; var last: Timestamp?; var venuesFollowedFrom: Timestamp? }
        let arrivals = try database.read { db in
            try [Provider.stripe, .mpesa].map { provider in
                func instant(_ sql: String) throws -> Timestamp? {
                    try String.fetchOne(db, sql: sql, arguments: [provider.rawValue]).flatMap { Timestamp(iso: $0) }
                }
                return Arrival(
                    provider: provider,
                    inDatabase: try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM payments WHERE provider = ?)", arguments: [provider.rawValue]) ?? false,
                    last: try instant("""
                        SELECT max(c.covered_to) FROM batch_run_coverage c JOIN batch_runs r ON r.id = c.run_id
                        WHERE r.status = 'committed' AND c.provider = ?
                        """),
                    venuesFollowedFrom: try instant("""
                        SELECT min(c.covered_from) FROM batch_run_venue_coverage c JOIN batch_runs r ON r.id = c.run_id
                        WHERE r.status = 'committed' AND c.provider = ?
                        """))
            }
        }
        // the providers whose exports arrive: are every venue's in them?
        var followed: [Provider: Timestamp] = [:]
        for a in arrivals {
            if let last = a.last, now.seconds - last.seconds <= limit, let from = a.venuesFollowedFrom { followed[a.provider] = from }
        }
        let waiting = try waitingPayments(database, followedFrom: followed, at: now)
        var stale: [ReconcileException] = []
        for a in arrivals where a.inDatabase || a.last != nil {
            let name = Describer.providerName(a.provider)
            let detail: String
            if let last = a.last {
                guard now.seconds - last.seconds > limit else {
                    stale += waiting.values.filter { $0.provider == a.provider && $0.isStale(at: now, staleAfterDays: staleAfterDays) }
                        .sorted { ($0.name, $0.venueId) < ($1.name, $1.venueId) }
                        .map { $0.finding(at: now, staleAfterDays: staleAfterDays) }
                    continue
                }
                detail = "No \(name) export newer than \(last.adding(seconds: -1).isoDate) has arrived (\((now.seconds - last.seconds) / 86400) days before this check, the limit is \(staleAfterDays)), so \(name) money since then is not being reconciled."
            } else {
                detail = "The database holds \(name) payments, but no \(name) export has ever been reconciled, so they are not being checked."
            }
            stale.append(ReconcileException(kind: .missingExport, provider: a.provider, venueId: nil, amountCents: nil, expectedCents: nil,
                                            currency: nil, refs: Refs(), detail: detail, occurredAt: a.last))
        }
        return stale
    }

    /// Per venue and provider of `followedFrom`, the payments no export has shown yet.
    ///
    /// A venue's exports of a provider last arrived where the newest records of it that a committed
    /// run attributed to the venue end (`batch_run_venue_coverage`). Its payments of the provider
    /// that are not FAILED or EXPIRED (SUCCESS, REFUNDED, and INITIATED, which may hide money whose
    /// callback was lost) dated from then on, up to `now`, are waiting for an export; a venue never
    /// covered waits with its payments dated from `followedFrom` (the start of the earliest venue
    /// coverage of the provider: before it nothing followed venues, and older payments are not
    /// held against the venue). The venue's status does not matter: a paused venue takes no new
    /// payments, and money a paused or suspended venue did take still needs its export.
    ///
    /// The payments are read `rows` rowids at a time, each chunk a short read of its own: one read
    /// of the whole table would keep the live writer waiting in rollback-journal mode.
    static func waitingPayments(_ database: LiveDatabase, followedFrom: [Provider: Timestamp], at now: Timestamp,
                                rows chunk: Int64 = 50_000) throws(Failure) -> [VenueProvider: VenueStaleness] {
        guard !followedFrom.isEmpty else { return [:] }
        let queue = try database.reader()
        var waiting: [VenueProvider: VenueStaleness] = [:]
        var from: Int64 = 0
        while true {
            let more: Bool
            do {
                more = try queue.read { db in
                    for (provider, followed) in followedFrom.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                        let rows = try Row.fetchCursor(db, sql: """
                            WITH covered AS (
                                SELECT c.venue_id, max(c.covered_to) AS covered_to FROM batch_run_venue_coverage c JOIN batch_runs r ON r.id = c.run_id
                                WHERE r.status = 'committed' AND c.provider = ? GROUP BY c.venue_id)
                            SELECT p.venue_id, v.name, v.status, covered.covered_to, unixepoch(p.created_at), p.amount_cents, upper(p.currency)
                            FROM payments p
                            JOIN venues v ON v.id = p.venue_id
                            LEFT JOIN covered ON covered.venue_id = p.venue_id
                            WHERE p.rowid > ? AND p.rowid <= ? AND p.provider = ? AND p.status NOT IN ('FAILED', 'EXPIRED')
                              AND unixepoch(p.created_at) >= unixepoch(COALESCE(covered.covered_to, ?)) AND unixepoch(p.created_at) <= ?
                            """, arguments: [provider.rawValue, from, from + chunk, provider.rawValue, followed.iso, now.seconds])
                        while let r = try rows.next() {
                            let key = VenueProvider(venueId: r[0], provider: provider)
                            let at = Timestamp(seconds: r[4])
                            var w = waiting[key] ?? VenueStaleness(venueId: key.venueId, provider: provider, name: r[1], status: r[2],
                                                                   lastCovered: (r[3] as String?).flatMap { Timestamp(iso: $0) }, firstWaiting: at)
                            guard w.add(amount: r[5], currency: r[6], at: at) else {
                                throw Failure.dataError("The \(Describer.providerName(provider)) payments of venue \(key.venueId) since its last export add up to more than a 64-bit amount can hold; check the payments rows' amount_cents.")
                            }
                            waiting[key] = w
                        }
                    }
                    return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM payments WHERE rowid > ?)", arguments: [from + chunk]) ?? false
                }
            } catch {
                throw database.mapError(error)
            }
            if !more { return waiting }
            from += chunk
        }
    }
}

/// One venue's payments of a provider that no export has shown yet, and the rule that makes
/// them a `missing_export` finding.
///
///     var w = VenueStaleness(venueId: "v1", provider: .mpesa, name: "Corner Bistro", status: "active", lastCovered: end, firstWaiting: t)
///     w.isStale(at: now, staleAfterDays: 2)   // the first waiting payment is more than 2 days old
public struct VenueStaleness: Sendable, Hashable {
    public var venueId: String
    public var provider: Provider
    public var name: String
    /// `venues.status`: named in the sentence when it is not active.
    public var status: String
    /// The end of the newest records a committed run attributed to the venue; nil if none ever.
    public var lastCovered: Timestamp?
    /// The first payment dated from `lastCovered` on (or since venues were first followed).
    public var firstWaiting: Timestamp
    /// Payments waiting, and their sum per currency (minor units, checked).
    public var count = 0
    public var amounts: [String: Int64] = [:]

    public init(venueId: String, provider: Provider, name: String, status: String, lastCovered: Timestamp?, firstWaiting: Timestamp) {
        self.venueId = venueId; self.provider = provider; self.name = name; self.status = status
        self.lastCovered = lastCovered; self.firstWaiting = firstWaiting
    }

    /// Adds a waiting payment; false when the sum would overflow.
    public mutating func add(amount: Int64, currency: String, at: Timestamp) -> Bool {
        let (sum, overflow) = amounts[currency, default: 0].addingReportingOverflow(amount)
        if overflow { return false }
        amounts[currency] = sum
        count += 1
        if at < firstWaiting { firstWaiting = at }
        return true
    }

    /// Stale when the first payment no export has shown waited more than `staleAfterDays` days:
    /// a venue that took nothing since its last export is never stale, however long ago that was.
    public func isStale(at now: Timestamp, staleAfterDays: Int) -> Bool {
        count > 0 && now.seconds - firstWaiting.seconds > Int64(staleAfterDays) * 86400
    }

    /// The finding: provider and venue set, one sentence naming the venue, where its exports stop,
    /// how long, the limit, and the payments not being reconciled (count and sum per currency).
    public func finding(at now: Timestamp, staleAfterDays: Int) -> ReconcileException {
        let p = Describer.providerName(provider)
        let days = (now.seconds - firstWaiting.seconds) / 86400
        let money = amounts.sorted { $0.key < $1.key }.map { code, minor in
            Currency(code: code).map { MoneyText.grouped(minor, $0) } ?? MoneyText.grouped(minor, exponent: 2) + " " + code
        }.joined(separator: " and ")
        let venue = "\(name) (venue \(venueId)\(status == "active" ? "" : ", \(status)"))"
        let payments = count == 1 ? "1 \(p) payment" : "\(count) \(p) payments"
        let stop = lastCovered.map { "No \(p) export newer than \($0.adding(seconds: -1).isoDate) shows \(venue), though \(p) exports still arrive: its \(payments) since then" }
            ?? "No \(p) export has ever shown \(venue), though \(p) exports arrive: its \(payments)"
        let detail = "\(stop), \(money), the first on \(firstWaiting.isoDate) (\(days) days before this check, the limit is \(staleAfterDays)), \(count == 1 ? "is" : "are") not being reconciled."
        // no amount_cents: a missing export is about files, not money (the report does not sum it, and
        // the payments it names are findings of their own once an export shows or misses them)
        return ReconcileException(kind: .missingExport, provider: provider, venueId: venueId, amountCents: nil, expectedCents: nil,
                                  currency: nil, refs: Refs(venueId: venueId), detail: detail, occurredAt: lastCovered ?? firstWaiting)
    }
}
