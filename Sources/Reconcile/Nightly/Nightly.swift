import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on a file, released when the value is closed or the process ends.
public final class InboxLock {
    private let fd: Int32
    public let path: String

    /// Takes the lock, retrying for `wait` seconds; 75 with a sentence if another run holds it.
    public init(path: String, wait: Double) throws(Failure) {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Failure.cantCreate(path: path, reason: String(cString: strerror(errno)))
        }
        let deadline = Date().addingTimeInterval(wait)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno != EWOULDBLOCK && errno != EINTR {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw Failure.cantCreate(path: path, reason: "cannot lock it (\(reason))")
            }
            if Date() >= deadline {
                close(fd)
                throw Failure.tempFail("Another nightly run is working on this inbox (it holds \(path)); nothing was done. Retry when it has finished.")
            }
            usleep(100_000)
        }
        self.fd = fd
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// What `nightly` did.
public struct NightlyOutcome: Sendable {
    /// nil when the inbox had nothing new.
    public var run: ReconcileOutcome?
    /// Report files written.
    public var reports: [String]
    /// Where each consumed file went.
    public var moved: [(from: String, to: String)]
    /// Files skipped because processed/ already holds the same bytes under the same name.
    public var alreadyProcessed: [String]
    /// The check of the exports' arrival: `missing_export` findings, and the ledger after it.
    public var exportCheck: (exceptions: [ReconcileException], update: FindingsUpdate)?
    /// The nightly run before this one (for "nothing new since …").
    public var previousRun: (id: String, at: String)?
    /// 1 when findings are open after the night (the run's, older ones, a missing export).
    public var status: ExitStatus {
        if run?.status == .needsAttention { return .needsAttention }
        return (exportCheck?.update.openAfter ?? 0) > 0 ? .needsAttention : (run?.status ?? .ok)
    }
}

/// `backoffice nightly`: reconcile what is new in the inbox, commit the run, write the reports,
/// then move each consumed file into `INBOX/processed/`.
///
///     let outcome = try NightlyJob(inbox: "/srv/inbox", job: job).run { runId in
///         try Reports.write(runId: runId, into: out)      // plugged in by the integrator
///     }
public struct NightlyJob {
    public static let lockFileName = ".backoffice-nightly.lock"
    public static let processedFolder = "processed"

    public var inbox: String
    public var job: ReconcileJob
    /// Seconds a second nightly waits for the first before giving up with 75.
    public var lockWait: Double = 5
    /// `--stale-after`: days without a provider's exports before a `missing_export` finding.
    public var staleAfterDays = 2

    public init(inbox: String, job: ReconcileJob) {
        self.inbox = inbox
        self.job = job
    }

    /// Files directly in the inbox, not hidden, sorted by name.
    public func inboxFiles() throws(Failure) -> [String] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: inbox, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure.noInput(path: "The inbox \(inbox)", reason: "does not exist or is not a folder")
        }
        let names: [String]
        do {
            names = try fm.contentsOfDirectory(atPath: inbox)
        } catch {
            throw Failure.noInput(path: "The inbox \(inbox)", reason: "cannot be read")
        }
        return names.filter { !$0.hasPrefix(".") }.sorted().compactMap { name in
            let path = (inbox as NSString).appendingPathComponent(name)
            var dir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &dir), !dir.boolValue else { return nil }
            return path
        }
    }

    /// Runs the night. `writeReports` is called with the committed run's id and returns the report
    /// paths; it runs after the commit and before any file moves.
    public func run(writeReports: (String) throws(Failure) -> [String]) throws(Failure) -> NightlyOutcome {
        _ = try inboxFiles()   // 66 for a missing inbox, before any lock file is made
        let lock = try InboxLock(path: (inbox as NSString).appendingPathComponent(Self.lockFileName), wait: lockWait)
        defer { withExtendedLifetime(lock) {} }

        let processed = (inbox as NSString).appendingPathComponent(Self.processedFolder)
        var fresh: [String] = []
        var already: [String] = []
        for file in try inboxFiles() {
            let name = (file as NSString).lastPathComponent
            let done = (processed as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: done), Self.sameBytes(file, done) {
                already.append(file)
            } else {
                fresh.append(file)
            }
        }
        for file in already {
            job.logger.warning("\(file) is already in processed/ with the same content; skipped")
        }
        let previous = try FindingsBook.lastRun(job.database, command: "nightly")
        guard !fresh.isEmpty else {
            let check = try FindingsBook.checkExports(job.database, at: job.clock.now, staleAfterDays: staleAfterDays,
                                                      checkId: job.clock.runId, by: "backoffice nightly")
            return NightlyOutcome(run: nil, reports: [], moved: [], alreadyProcessed: already, exportCheck: check, previousRun: previous)
        }
        let outcome = try job.run(files: fresh, from: nil, to: nil, venue: nil, command: "nightly")
        let check = try FindingsBook.checkExports(job.database, at: job.clock.now, staleAfterDays: staleAfterDays,
                                                  checkId: outcome.runId, by: "backoffice nightly")

        // The run is committed. Where each input will live in processed/ is known now: the run's
        // record names it there, so the reports (the command's closure) and every later report
        // point at the file where it will be; files move only once the reports are written.
        var planned: [(file: String, target: String)] = []
        for file in fresh {
            let name = (file as NSString).lastPathComponent
            var target = (processed as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: target) {
                target = (processed as NSString).appendingPathComponent("\(outcome.runId)-\(name)")
            }
            planned.append((file, target))
        }
        try Self.recordMoves(planned, runId: outcome.runId, database: job.database)
        let reports = try writeReports(outcome.runId)

        do {
            try FileManager.default.createDirectory(atPath: processed, withIntermediateDirectories: true)
        } catch {
            throw Failure.cantCreate(path: processed, reason: "cannot create the folder (run \(outcome.runId) is committed; move the files by hand)")
        }
        var moved: [(String, String)] = []
        for (file, target) in planned {
            do {
                try FileManager.default.moveItem(atPath: file, toPath: target)
            } catch {
                throw Failure.cantCreate(path: target, reason: "cannot move \(file) there (run \(outcome.runId) is committed)")
            }
            moved.append((file, target))
        }
        return NightlyOutcome(run: outcome, reports: reports, moved: moved, alreadyProcessed: already, exportCheck: check, previousRun: previous)
    }

    /// The run's inputs named by the paths they will have in processed/, in one short transaction.
    static func recordMoves(_ planned: [(file: String, target: String)], runId: String, database: LiveDatabase) throws(Failure) {
        let queue = try database.writer()
        do {
            try queue.inTransaction(.immediate) { db in
                for (file, target) in planned {
                    try db.execute(sql: "UPDATE batch_run_inputs SET file = ? WHERE run_id = ? AND file = ?", arguments: [target, runId, file])
                }
                return .commit
            }
        } catch {
            throw database.mapError(error)
        }
    }

    /// Whether two files hold the same bytes; files of different sizes are not read.
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        let fm = FileManager.default
        guard let sa = (try? fm.attributesOfItem(atPath: a))?[.size] as? NSNumber,
              let sb = (try? fm.attributesOfItem(atPath: b))?[.size] as? NSNumber, sa == sb else { return false }
        guard let x = fm.contents(atPath: a), let y = fm.contents(atPath: b) else { return false }
        return x == y
    }
}
