import BackofficeCore
import Foundation
import GRDB
import Logging
import Testing
import TestSupport
@testable import Reconcile

/// The nightly flow: new files only, reports after the commit, files moved after that, one at a time.
@Suite struct NightlyTests {
    /// This test's folder (a suite is made afresh for every test), removed when the test ends.
    let scratch: TemporaryFolder

    init() throws { scratch = try TemporaryFolder("inbox") }

    /// An inbox in the test's folder holding `files`.
    func inbox(_ files: [String]) throws -> String {
        let dir = scratch.file("inbox").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in files { try Data(name.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent(name)) }
        return dir
    }

    /// Reads a file named after an input kind as the fixture's records of that kind.
    func nightly(_ w: CleanWorld, inbox: String) -> NightlyJob {
        var job = ReconcileJob(database: w.f.live, clock: RunClock(now: Timestamp(iso: "2026-11-08T02:00:00Z")!, suffix: "n1ght1"), logger: Logger(label: "test"))
        let records = w.f.records
        job.read = { (path: String) throws(Failure) -> ParsedInput in
            let name = (path as NSString).lastPathComponent
            guard let kind = InputKind(rawValue: (name as NSString).deletingPathExtension) else {
                throw Failure.badInput(file: path, reason: "not a known kind")
            }
            let mine = records.filter { $0.inputKind == kind }
            return ParsedInput(file: name, kind: kind, sha256: SHA256Digest.hex(Array(name.utf8)), rows: mine.count, records: mine)
        }
        var n = NightlyJob(inbox: inbox, job: job)
        n.lockWait = 0.3
        n.staleAfterDays = 7   // the world's exports end 2026-11-05, three days before its night
        return n
    }

    let names = ["stripe_payments.csv", "stripe_balance.csv", "mpesa_statement.csv", "daraja_stk_callbacks.log"]

    @Test func consumesNewFilesAfterTheCommitAndTheReports() throws {
        let w = try CleanWorld()
        let dir = try inbox(names)
        let n = nightly(w, inbox: dir)
        var reportedRun: String?
        let outcome = try n.run { (runId: String) throws(Failure) -> [String] in
            // the run is committed when the reports are written, and nothing has moved yet
            let status = try? w.f.queue.read { db in try String.fetchOne(db, sql: "SELECT status FROM batch_runs WHERE id = ?", arguments: [runId]) }
            #expect(status == "committed")
            #expect(FileManager.default.fileExists(atPath: dir + "/stripe_payments.csv"))
            reportedRun = runId
            return ["report.html"]
        }
        #expect(reportedRun == "20261108T020000Z-n1ght1")
        #expect(outcome.status == .ok && outcome.reports == ["report.html"])
        #expect(outcome.moved.count == 4)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }.sorted()
        #expect(left == ["processed"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/processed").sorted() == names.sorted())

        // nothing new: exit 0 and no run
        let again = try n.run { (_: String) throws(Failure) -> [String] in Issue.record("no reports for an empty night"); return [] }
        #expect(again.run == nil && again.status == .ok)
        #expect(again.exportCheck?.exceptions.isEmpty == true)
        #expect(again.previousRun?.id == "20261108T020000Z-n1ght1")

        // a week later with nothing new: both providers' exports are missing (exit 1)
        var late = n
        late.job.clock = RunClock(now: Timestamp(iso: "2026-11-15T02:00:00Z")!, suffix: "n1ght2")
        let stale = try late.run { (_: String) throws(Failure) -> [String] in [] }
        #expect(stale.status == .needsAttention)
        #expect(stale.exportCheck?.exceptions.map(\.kind) == [.missingExport, .missingExport])
        #expect(stale.exportCheck?.exceptions.compactMap(\.provider) == [.stripe, .mpesa])
    }

    @Test func aFileAlreadyProcessedIsSkipped() throws {
        let w = try CleanWorld()
        let dir = try inbox(names)
        try FileManager.default.createDirectory(atPath: dir + "/processed", withIntermediateDirectories: true)
        try Data("stripe_balance.csv".utf8).write(to: URL(fileURLWithPath: dir + "/processed/stripe_balance.csv"))
        let outcome = try nightly(w, inbox: dir).run { (_: String) throws(Failure) -> [String] in [] }
        #expect(outcome.alreadyProcessed.map { ($0 as NSString).lastPathComponent } == ["stripe_balance.csv"])
        #expect(outcome.run?.result.inputs.map(\.file).sorted() == ["daraja_stk_callbacks.log", "mpesa_statement.csv", "stripe_payments.csv"])
    }

    @Test func filesStayWhenTheReportsFail() throws {
        let w = try CleanWorld()
        let dir = try inbox(names)
        #expect(throws: Failure.self) {
            _ = try nightly(w, inbox: dir).run { (_: String) throws(Failure) -> [String] in throw Failure.cantCreate(path: "reports", reason: "disk full") }
        }
        #expect(FileManager.default.fileExists(atPath: dir + "/stripe_payments.csv"))
    }

    @Test func aSecondNightlyWhileTheFirstHoldsTheLockExits75() throws {
        let w = try CleanWorld()
        let dir = try inbox(names)
        let held = try InboxLock(path: dir + "/" + NightlyJob.lockFileName, wait: 0)
        do {
            _ = try nightly(w, inbox: dir).run { (_: String) throws(Failure) -> [String] in [] }
            Issue.record("expected 75")
        } catch {
            #expect(error.status == .tempFail)
            #expect(error.message.contains("Another nightly run"))
        }
        withExtendedLifetime(held) {}
        #expect(FileManager.default.fileExists(atPath: dir + "/stripe_payments.csv"))
    }

    @Test func aMissingInboxIs66() throws {
        let w = try CleanWorld()
        do {
            _ = try nightly(w, inbox: "/nonexistent/inbox").inboxFiles()
            Issue.record("expected 66")
        } catch {
            #expect(error.status == .noInput)
        }
    }
}
