import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue #18: whoever can write to the inbox must not be able to harm the live database, hang the
/// night or read files through it. Each test plants one hostile thing next to a good export and
/// expects a sentence and 65, with nothing followed, read, written or moved.
@Suite struct HostileInboxEndToEndTests {
    let scratch: TemporaryFolder
    let db: String
    let inbox: String

    init() throws {
        scratch = try TemporaryFolder("hostile-inbox")
        db = try ReconcileEndToEndTests.database(in: scratch.path, sql: ReconcileEndToEndTests.cleanSQL)
        inbox = scratch.path + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try ReconcileEndToEndTests.paymentsExport(amount: "20.50").write(toFile: inbox + "/unified_payments.csv", atomically: true, encoding: .utf8)
    }

    /// `nightly` on the inbox, killed after `limit` seconds (a hang fails the test, not the suite).
    func nightly(limit: TimeInterval = 30) throws -> Ran {
        var env = ProcessInfo.processInfo.environment
        env["BACKOFFICE_DB"] = nil
        return try Self.bounded(["nightly", "--inbox", inbox, "--db", db, "--out", scratch.path + "/reports"], environment: env, limit: limit)
    }

    /// Runs the built command and SIGKILLs it after `limit` seconds. (A process blocked opening
    /// a FIFO outlived the harness's SIGTERM watchdog by ten minutes when the fix was reverted.)
    /// What a bounded run did.
    struct Ran {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func bounded(_ arguments: [String], environment: [String: String], limit: TimeInterval) throws -> Ran {
        let scratch = try TemporaryFolder("bounded")
        let out = scratch.file("out"), err = scratch.file("err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = BuiltCommand.binary
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(limit)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return Ran(status: process.terminationStatus,
                             stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                             stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    func committedRuns() throws -> String {
        let r = try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [db, "SELECT count(*) FROM batch_runs"])
        return r.status == 0 ? r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : "0"
    }

    func expectRefused(_ r: Ran, mentioning words: String) throws {
        #expect(r.status == 65, "\(r.status): \(r.stderr)")
        #expect(r.stderr.contains(words), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "one sentence: \(r.stderr)")
        #expect(try committedRuns() == "0")
        #expect(FileManager.default.fileExists(atPath: inbox + "/unified_payments.csv"), "nothing moved")
    }

    @Test func aLinkNamedLikeTheLockIsNeverFollowedOrWritten() throws {
        let victim = scratch.path + "/victim.db"
        try FileManager.default.copyItem(atPath: db, toPath: victim)
        let before = try Data(contentsOf: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: inbox + "/.backoffice-nightly.lock", withDestinationPath: victim)
        let r = try nightly()
        try expectRefused(r, mentioning: "symbolic link")
        #expect(try Data(contentsOf: URL(fileURLWithPath: victim)) == before, "the link's target was written")
    }

    @Test func aHardLinkNamedLikeTheLockIsRefused() throws {
        let victim = scratch.path + "/victim.txt"
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: victim))
        #expect(link(victim, inbox + "/.backoffice-nightly.lock") == 0)
        let r = try nightly()
        try expectRefused(r, mentioning: "hard link")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
    }

    @Test func aFIFOInTheInboxIsRefusedAtOnce() throws {
        #expect(mkfifo(inbox + "/stripe.csv", 0o644) == 0)
        let started = Date()
        let r = try nightly(limit: 20)
        #expect(Date().timeIntervalSince(started) < 15, "nightly hung on a FIFO")
        try expectRefused(r, mentioning: "FIFO")
    }

    @Test func aLinkToAnEndlessDeviceIsNotRead() throws {
        try FileManager.default.createSymbolicLink(atPath: inbox + "/zero.csv", withDestinationPath: "/dev/zero")
        let started = Date()
        let r = try nightly(limit: 20)
        #expect(Date().timeIntervalSince(started) < 15)
        try expectRefused(r, mentioning: "symbolic link")
    }

    @Test func aLinkToAGoodExportIsNotReadEither() throws {
        let outside = scratch.path + "/outside.csv"
        try ReconcileEndToEndTests.paymentsExport(amount: "20.50").write(toFile: outside, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: inbox + "/unified_payments.csv")
        try FileManager.default.createSymbolicLink(atPath: inbox + "/unified_payments.csv", withDestinationPath: outside)
        let r = try nightly()
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("symbolic link"))
        #expect(FileManager.default.fileExists(atPath: outside))
    }

    @Test func aProcessedLinkIsRefusedBeforeTheRun() throws {
        let elsewhere = scratch.path + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: inbox + "/processed", withDestinationPath: elsewhere)
        let r = try nightly()
        try expectRefused(r, mentioning: "not a real folder")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
    }

    @Test func aFileTooLargeIsRefusedWithASentence() throws {
        var env = ProcessInfo.processInfo.environment
        env["BACKOFFICE_DB"] = nil
        env["BACKOFFICE_MAX_INPUT_MB"] = "1"
        let big = String(repeating: ReconcileEndToEndTests.paymentsExport(amount: "20.50").split(separator: "\n")[1] + "\n", count: 12_000)
        try (ReconcileEndToEndTests.paymentsExport(amount: "20.50") + big).write(toFile: inbox + "/big.csv", atomically: true, encoding: .utf8)
        let r = try Self.bounded(["nightly", "--inbox", inbox, "--db", db, "--out", scratch.path + "/reports"], environment: env, limit: 60)
        try expectRefused(r, mentioning: "the limit for one input file")
    }

    @Test func controlCharactersInANameNeverReachTheTerminal() throws {
        let name = "evil\u{1B}]0;owned\u{07}\u{1B}[2J.csv"
        try Data("not an export\n".utf8).write(to: URL(fileURLWithPath: inbox + "/" + name))
        let r = try nightly()
        #expect(r.status == 65)
        #expect(!r.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "raw escape on stderr")
        #expect(r.stderr.contains("evil\\u001B]0;owned\\u0007"), "\(r.stderr)")
    }

    @Test func amountsWhoseSumPassesInt64AreA65NamingTheRow() throws {
        let header = ReconcileEndToEndTests.paymentsExport(amount: "20.50").split(separator: "\n")[0]
        let row = ReconcileEndToEndTests.paymentsExport(amount: "50000000000000000.00").split(separator: "\n")[1]
        let second = row.replacingOccurrences(of: "ch_3Q1", with: "ch_3Q2").replacingOccurrences(of: "pi_3Q1", with: "pi_3Q2")
        let file = scratch.path + "/huge.csv"
        try "\(header)\n\(row)\n\(second)\n".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try BuiltCommand.run(["reconcile", file, "--db", db])
        #expect(r.status == 65, "\(r.status): \(r.stderr)")
        #expect(r.stderr.contains("huge.csv, line"), "\(r.stderr)")
        #expect(try committedRuns() == "0")
    }

    /// A live row the schema's rules forbid is a 65 naming it: never read as 2050 or dropped.
    @Test(arguments: ["UPDATE payments SET amount_cents = 2050.5", "UPDATE payments SET created_at = '03/11/2026 09:02'"])
    func aLiveRowThatBreaksTheSchemaIsA65(_ update: String) throws {
        _ = try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [db, update])
        let r = try BuiltCommand.run(["reconcile", inbox + "/unified_payments.csv", "--db", db])
        #expect(r.status == 65, "\(r.status): \(r.stderr)")
        #expect(r.stderr.contains("payments row p1"), "\(r.stderr)")
    }
}
