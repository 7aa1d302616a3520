import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
import Logging

/// What a recorded run produced.
public struct ReconcileOutcome: Sendable {
    public var runId: String
    public var result: ReconcileResult
    /// 0 when nothing needs a person, 1 when there are findings.
    public var status: ExitStatus { result.exceptions.isEmpty ? .ok : .needsAttention }
}

/// Reads the inputs, reads the live records in one snapshot, matches, records the run.
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
        var summaries: [InputSummary] = []
        var records: [ProviderRecord] = []
        // Each file is parsed on a worker while the one before it is taken in here: two files at a
        // time at most, taken in file order, so the records and the first error are as if read one
        // by one.
        let read = self.read
        func start(_ i: Int) -> Background<Result<ParsedInput, Failure>>? {
            guard i < files.count else { return nil }
            let file = files[i]
            return Background {
                do throws(Failure) { return .success(try read(file)) } catch { return .failure(error) }
            }
        }
        var pending = start(0)
        for i in files.indices {
            let next = start(i + 1)
            let parsed: ParsedInput
            switch pending!.value {
            case .success(let value): parsed = value
            case .failure(let failure):
                _ = next?.value   // not left running past the job
                throw failure
            }
            pending = next
            logger.debug("read \(parsed.file): \(parsed.kind.rawValue), \(parsed.rows) rows")
            summaries.append(InputSummary(parsed))
            records.append(contentsOf: parsed.records)
        }
        let period = Period.resolve(from: from, to: to, records: records, now: clock.now)
        let options = MatchOptions(period: period, venue: venue)
        // Grouping the records needs no database: it runs on a second core while the snapshot is read.
        let groups = Background { [records] in RecordGroups(records) }
        logger.info("reading the database for \(period.from.iso) to \(period.to.iso)")
        let snapshot: LiveSnapshot
        do {
            snapshot = try database.read { db in
                try LiveSnapshot.load(db, records: records, period: period, venueFilter: venue)
            }
        } catch {
            _ = groups.value   // not left running past the job
            throw error
        }
        logger.info("matching \(records.count) provider records against \(snapshot.payments.count) payment rows")
        let result = Matcher.match(snapshot: snapshot, records: records, groups: groups.value, inputs: summaries, options: options)
        let runId = clock.runId
        logger.info("recording run \(runId): \(result.matched) matched, \(result.exceptions.count) exceptions")
        try recorder.record(result, runId: runId, command: command, startedAt: clock.now)
        return ReconcileOutcome(runId: runId, result: result)
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
