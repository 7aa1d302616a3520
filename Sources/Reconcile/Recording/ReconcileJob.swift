import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
import Logging

/// What a recorded run produced.
public struct ReconcileOutcome: Sendable {
    public var runId: String
    public var result: ReconcileResult
    /// 0 when nothing needs a person; 1 when findings are open after the run (its own, and
    /// older ones its inputs did not cover), or when its inputs held no provider data for the
    /// period (never an all-clear).
    public var status: ExitStatus {
        if result.coverage?.coversNoProviderData == true { return .needsAttention }
        if let findings = result.findings { return findings.openAfter > 0 ? .needsAttention : .ok }
        return result.exceptions.isEmpty ? .ok : .needsAttention
    }
}

/// Reads the inputs, reads the live records (in short chunks that agree), matches, records the run.
///
///     let job = ReconcileJob(database: live, clock: .system(), logger: logger)
///     let outcome = try job.run(paths: ["exports/"], from: nil, to: nil, venue: nil, command: "reconcile")
///
/// The readers are parameters so tests can hand in `ParsedInput` values directly.
public struct ReconcileJob {
    public var database: LiveDatabase
    public var clock: RunClock
    public var logger: Logger
    public var expand: ([String]) throws(Failure) -> [String] = { (paths: [String]) throws(Failure) -> [String] in try InputReader.expand(paths) }
    /// Called on a worker thread (the next file is read while the current one is taken in).
    public var read: @Sendable (String) throws(Failure) -> ParsedInput = { (path: String) throws(Failure) -> ParsedInput in try InputReader.read(path: path) }
    /// How the run is recorded (chunk size, the test hooks).
    public var recorder: RunRecorder
    /// How the live snapshot is read: chunks of short read transactions (their limits; tests
    /// write between chunks through its hook).
    var reading = ChunkedReading()

    public init(database: LiveDatabase, clock: RunClock, logger: Logger) {
        self.database = database
        self.clock = clock
        self.logger = logger
        self.recorder = RunRecorder(database: database)
    }

    /// Checks that every path given exists (66 otherwise), then expands folders into files.
    public func files(for paths: [String]) throws(Failure) -> [String] {
        guard !paths.isEmpty else {
            throw Failure.usage("No input given: name the export files or folders to reconcile, e.g. backoffice reconcile exports/.")
        }
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            throw Failure.noInput(path: "The input \(path)", reason: "does not exist (check the path)")
        }
        let files = try expand(paths)
        guard !files.isEmpty else {
            throw Failure.noInput(path: "The inputs \(paths.joined(separator: ", "))", reason: "hold no files to reconcile")
        }
        return files
    }

    /// Reads `files`, matches and records. `files` are already expanded (see `files(for:)`).
    public func run(files: [String], from: Timestamp?, to: Timestamp?, venue: String?, command: String) throws(Failure) -> ReconcileOutcome {
        try checkArguments(from: from, to: to, venue: venue)
        // The inputs are parsed first and the database read after, in short chunks: a read
        // transaction open during the parse, or one long read, would hold the live file's shared
        // lock (rollback-journal mode) or pin its WAL (WAL mode) for as long as it lasts, and the
        // live writer would wait. `LiveSnapshot.read` says how the chunks are made to agree.
        var summaries: [InputSummary] = []
        var records: [ProviderRecord] = []
        try readInputs(files, summaries: &summaries, records: &records)
        try MoneyBound.check(records)
        let period = Period.resolve(from: from, to: to, records: records, now: clock.now)
        let options = MatchOptions(period: period, venue: venue)
        let coverage = RunCoverage(records: records, period: period, venue: venue)
        let cuts = [from, to].compactMap { $0 }
        try LiveSnapshot.checkPaymentRows(database)
        logger.info("reading the database for \(period.from.iso) to \(period.to.iso)")
        // Grouping the records needs no database: it runs beside the read.
        let grouping = Background { [records] in RecordGroups(records) }
        let snapshot: LiveSnapshot
        do throws(Failure) {
            let reads = SnapshotReads(.short(try database.reader()), reading)
            do {
                snapshot = try LiveSnapshot.read(reads, cuts: cuts, records: records, period: period, venueFilter: venue)
            } catch {
                throw database.mapError(error)
            }
        } catch {
            _ = grouping.value   // not left running past the job
            throw error
        }
        let groups = grouping.value
        if snapshot.liveWriterSeen { recorder.turns.liveWriterWasSeen() }
        // The clean matches are recorded here while the matcher, on a thread of its own, goes on to
        // the rest (refunds, payouts, the ledger, the takings); then the rest is recorded and the
        // run committed.
        let runId = clock.runId
        logger.info("matching \(records.count) provider records against \(snapshot.payments.count) payment rows, recording run \(runId)")
        let stream = MatchStream()
        let matching = Background { [summaries, records] in
            var result = Matcher.match(snapshot: snapshot, records: records, groups: groups, inputs: summaries, options: options, stream: stream)
            var covered = coverage
            covered.venues = result.venueCoverage
            result.coverage = covered
            return result
        }
        let recorded: RunRecorder.Recorded
        do throws(Failure) {
            recorded = try recorder.record(streaming: stream, records: records, payments: snapshot.payments, inputs: summaries, period: period,
                                           venue: venue, runId: runId, command: command, startedAt: clock.now) { matching.value }
        } catch {
            _ = matching.value   // not left running past the job
            throw error
        }
        var result = matching.value
        result.findings = recorded.findings
        for i in result.exceptions.indices where i < recorded.findings.statuses.count {
            result.exceptions[i].finding = recorded.findings.statuses[i]
        }
        logger.info("recorded run \(runId): \(result.matched) matched, \(result.exceptions.count) exceptions")
        return ReconcileOutcome(runId: runId, result: result)
    }

    /// The checks on `--from`, `--to` and `--venue` that need no input: an inverted or empty
    /// period, and a venue the database does not know, are 64 naming them.
    public func checkArguments(from: Timestamp?, to: Timestamp?, venue: String?) throws(Failure) {
        if let from, let to, to <= from {
            throw Failure.usage("--to \(to.iso) is not after --from \(from.iso): the period would be empty; give an end later than the start.")
        }
        guard let venue else { return }
        let known = try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM venues WHERE id = ?)", arguments: [venue]) ?? false
        }
        if !known {
            throw Failure.usage("--venue \(venue) is not a venue in \(database.path); check the id (sqlite3 \(database.path) 'SELECT id, name FROM venues' lists them).")
        }
    }

    /// Parses `files` in order into `summaries` and `records`. Each file is parsed on a worker
    /// while the one before it is taken in here: two files at a time at most, taken in file
    /// order, so the records and the first error are as if read one by one. The records array
    /// is sized once for all of them, so it is not copied as it grows.
    private func readInputs(_ files: [String], summaries: inout [InputSummary], records: inout [ProviderRecord]) throws(Failure) {
        let read = self.read
        func start(_ i: Int) -> Background<Result<ParsedInput, Failure>>? {
            guard i < files.count else { return nil }
            let file = files[i]
            return Background {
                do throws(Failure) { return .success(try read(file)) } catch { return .failure(error) }
            }
        }
        var parsed: [[ProviderRecord]] = []
        var pending = start(0)
        for i in files.indices {
            let next = start(i + 1)
            let input: ParsedInput
            switch pending!.value {
            case .success(let value): input = value
            case .failure(let failure):
                _ = next?.value   // not left running past the job
                throw failure
            }
            pending = next
            logger.debug("read \(input.file): \(input.kind.rawValue), \(input.rows) rows")
            summaries.append(InputSummary(input))
            parsed.append(input.records)
        }
        records.reserveCapacity(parsed.reduce(0) { $0 + $1.count })
        for i in parsed.indices {
            records.append(contentsOf: parsed[i])
            parsed[i] = []
        }
    }

    /// `files(for:)` then `run(files:…)`.
    public func run(paths: [String], from: Timestamp?, to: Timestamp?, venue: String?, command: String = "reconcile") throws(Failure) -> ReconcileOutcome {
        try run(files: try files(for: paths), from: from, to: to, venue: venue, command: command)
    }
}

/// A value computed on a thread of its own; `value` waits for it.
final class Background<Value: Sendable>: @unchecked Sendable {
    // Written once by the worker before `done` is signalled, read only after waiting on it.
    private var result: Value?
    private let done = DispatchSemaphore(value: 0)

    /// A thread of its own rather than Dispatch's pool: the readers wait on pool work (hashing),
    /// and a pool thread blocked in such a wait starved it for up to a second.
    init(_ work: @escaping @Sendable () -> Value) {
        let thread = Thread {
            self.result = work()
            self.done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The value, waiting for it the first time (called from one thread, the one that made this).
    var value: Value {
        if !waited {
            done.wait()
            waited = true
        }
        return result!
    }
    private var waited = false
}
