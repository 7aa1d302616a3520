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
///
/// The lock file lives in the inbox, where anyone who delivers exports can write. It is opened
/// with `O_NOFOLLOW` (a link named like it is refused, never followed: its target could be the
/// live database) and `O_NONBLOCK` (a FIFO named like it cannot hang the open); it must then be a
/// regular file with one link (a hard link to another file is refused too). Only then is it
/// truncated and given the process id.
public final class InboxLock {
    private let fd: Int32
    public let path: String

    /// Takes the lock, retrying for `wait` seconds; 75 with a sentence if another run holds it;
    /// 65 when the path is a link, FIFO, device or hard link.
    public init(path: String, wait: Double) throws(Failure) {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0o644)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP { throw Self.refused(path, what: "a symbolic link") }
            throw Failure.cantCreate(path: TerminalText.neutralised(path), reason: String(cString: strerror(code)))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw Failure.cantCreate(path: TerminalText.neutralised(path), reason: "cannot look at it")
        }
        let kind = SafeFile.kind(mode: info.st_mode)
        guard kind == .regular, info.st_nlink == 1 else {
            close(fd)
            throw Self.refused(path, what: kind == .regular ? "a hard link to another file" : kind.phrase)
        }
        let deadline = Date().addingTimeInterval(wait)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno != EWOULDBLOCK && errno != EINTR {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw Failure.cantCreate(path: TerminalText.neutralised(path), reason: "cannot lock it (\(reason))")
            }
            if Date() >= deadline {
                close(fd)
                throw Failure.tempFail("Another nightly run is working on this inbox (it holds \(TerminalText.neutralised(path))); nothing was done. Retry when it has finished.")
            }
            usleep(100_000)
        }
        self.fd = fd
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
    }

    private static func refused(_ path: String, what: String) -> Failure {
        Failure.badInput(file: TerminalText.neutralised(path),
                         reason: "is \(what), not the lock file nightly makes; it was not followed or written and nothing was done. Remove it (someone who can write to the inbox put it there) and run again")
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
    /// `--stale-after`: days without a provider's (or a venue's) exports before a `missing_export` finding.
    public var staleAfterDays = 2

    public init(inbox: String, job: ReconcileJob) {
        self.inbox = inbox
        self.job = job
    }

    /// Files directly in the inbox, not hidden, sorted by name.
    ///
    /// Regular files only, looked at with `lstat`: a symbolic link, FIFO, device or socket is
    /// refused (65, naming it) before anything is read, and so is a `processed` that is not a real
    /// folder. Other folders are left alone.
    public func inboxFiles() throws(Failure) -> [String] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: inbox, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure.noInput(path: "The inbox \(TerminalText.neutralised(inbox))", reason: "does not exist or is not a folder")
        }
        let names: [String]
        do {
            names = try fm.contentsOfDirectory(atPath: inbox)
        } catch {
            throw Failure.noInput(path: "The inbox \(TerminalText.neutralised(inbox))", reason: "cannot be read")
        }
        var files: [String] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = (inbox as NSString).appendingPathComponent(name)
            let kind = SafeFile.kind(atPath: path)
            if name == Self.processedFolder && kind != .directory && kind != .missing {
                throw Failure.badInput(file: TerminalText.neutralised(path), reason: "is \(kind.phrase), not a real folder; nothing was read or moved. Consumed files go only into a real processed/ folder: remove it (nightly makes the folder)")
            }
            switch kind {
            case .regular: files.append(path)
            case .missing, .directory: continue
            default: throw SafeFile.notRegular(path, kind)
            }
        }
        return files
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
            if Self.sameBytes(file, done) {
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
            var taken = stat()
            if lstat(target, &taken) == 0 {   // taken, by a file or a link: never written through
                target = (processed as NSString).appendingPathComponent("\(outcome.runId)-\(name)")
            }
            planned.append((file, target))
        }
        try Self.recordMoves(planned, runId: outcome.runId, database: job.database)
        let reports = try writeReports(outcome.runId)

        let moved = try Self.moveConsumed(planned, inbox: inbox, runId: outcome.runId)
        return NightlyOutcome(run: outcome, reports: reports, moved: moved, alreadyProcessed: already, exportCheck: check, previousRun: previous)
    }

    /// Moves each consumed file into `inbox/processed/` (made when missing), never through a
    /// link: the folder is opened with `O_NOFOLLOW | O_DIRECTORY` and the files are moved with
    /// `renameat` relative to it, so a `processed` swapped for a link mid-way is refused, and an
    /// entry in it is replaced, never written through.
    static func moveConsumed(_ planned: [(file: String, target: String)], inbox: String, runId: String) throws(Failure) -> [(from: String, to: String)] {
        let processed = (inbox as NSString).appendingPathComponent(processedFolder)
        let shown = TerminalText.neutralised(processed)
        let inboxFd = open(inbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard inboxFd >= 0 else {
            throw Failure.cantCreate(path: TerminalText.neutralised(inbox), reason: "cannot open the inbox (run \(runId) is committed; move the files by hand)")
        }
        defer { close(inboxFd) }
        if mkdirat(inboxFd, processedFolder, 0o755) != 0 && errno != EEXIST {
            throw Failure.cantCreate(path: shown, reason: "cannot create the folder (run \(runId) is committed; move the files by hand)")
        }
        let folderFd = openat(inboxFd, processedFolder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard folderFd >= 0 else {
            throw Failure.badInput(file: shown, reason: "is not a real folder (a link or a file); no file was moved through it (run \(runId) is committed; remove it and move the files by hand)")
        }
        defer { close(folderFd) }
        var moved: [(String, String)] = []
        for (file, target) in planned {
            let name = (file as NSString).lastPathComponent
            let targetName = (target as NSString).lastPathComponent
            guard renameat(inboxFd, name, folderFd, targetName) == 0 else {
                throw Failure.cantCreate(path: TerminalText.neutralised(target),
                                         reason: "cannot move \(TerminalText.neutralised(file)) there (\(String(cString: strerror(errno))); run \(runId) is committed)")
            }
            moved.append((file, target))
        }
        return moved
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

    /// Whether two files hold the same bytes; files of different sizes are not read. Both must be
    /// regular files (`lstat`); neither is read through a link.
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard lstat(a, &sa) == 0, lstat(b, &sb) == 0,
              SafeFile.kind(atPath: a) == .regular, SafeFile.kind(atPath: b) == .regular, sa.st_size == sb.st_size else { return false }
        guard let x = try? SafeFile.read(a), let y = try? SafeFile.read(b) else { return false }
        return x == y
    }
}
