import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue #18, the fault suite: `kill -9` at spread points of every command that writes
/// (reconcile, nightly, report, menu import, apply, publish). After each kill the database passes
/// `PRAGMA integrity_check` and shows no partial run or draft; the next run of the same command
/// removes what the killed one left (writing runs, scratch folders) and gives the uninterrupted
/// result.
///
/// `BACKOFFICE_KILL_POINTS` sets the kill points per command (default 9: 54 in all);
/// `scripts/soak-kill` runs many more.
@Suite(.serialized) struct KillPointsEndToEndTests {
    static var points: Int {
        Int(ProcessInfo.processInfo.environment["BACKOFFICE_KILL_POINTS"] ?? "") ?? 9
    }

    let scratch: TemporaryFolder
    var dir: String { scratch.path }

    init() throws {
        scratch = try TemporaryFolder("kill-points")
        let made = try BuiltCommand.run(["samples", "--out", scratch.path, "--days", "2", "--orders-per-day", "20", "--quiet"])
        try #require(made.status == 0, "\(made.stderr)")
        try FileManager.default.copyItem(atPath: dir + "/live.db", toPath: dir + "/pristine.db")
    }

    // MARK: - tools

    func sql(_ db: String, _ query: String) throws -> String {
        let r = try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [db, query])
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func fresh(_ name: String) throws -> String {
        let path = dir + "/" + name
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        try FileManager.default.copyItem(atPath: dir + "/pristine.db", toPath: path)
        return path
    }

    func backoffice(_ arguments: [String], db: String) throws -> ProcessResult {
        try BuiltCommand.run(arguments + ["--db", db], environment: ["BACKOFFICE_NOW": "2026-11-03T02:00:00Z"], in: scratch.url)
    }

    /// Starts the command and kills it with SIGKILL after `delay` seconds; when it had already
    /// finished (a machine less loaded than when the run was timed), tries again with half the
    /// delay, up to four times. True when a kill landed.
    func killed(_ arguments: [String], db: String, after delay: Double) throws -> Bool {
        var delay = delay
        for _ in 0..<4 {
            if try killedOnce(arguments, db: db, after: delay) { return true }
            delay /= 2
        }
        return false
    }

    func killedOnce(_ arguments: [String], db: String, after delay: Double) throws -> Bool {
        let process = Process()
        process.executableURL = BuiltCommand.binary
        process.arguments = arguments + ["--db", db]
        process.currentDirectoryURL = scratch.url
        var env = ProcessInfo.processInfo.environment
        env["BACKOFFICE_DB"] = nil
        env["BACKOFFICE_NOW"] = "2026-11-03T02:00:00Z"
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(useconds_t(delay * 1_000_000))
        let wasRunning = process.isRunning
        if wasRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return wasRunning && process.terminationReason == .uncaughtSignal
    }

    /// `points` delays spread over 90% of `span` seconds (the uninterrupted run's time), jittered
    /// by a fixed seed (the same points each run).
    func delays(_ span: Double, salt: UInt64) -> [Double] {
        let span = span * 0.9
        var state = 0x9E37_79B9_7F4A_7C15 &* (salt + 1)
        return (0..<Self.points).map { i in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let jitter = Double(state >> 11) / Double(1 << 53)
            return span * (Double(i) + jitter) / Double(Self.points)
        }
    }

    func timed(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    /// Integrity, and no partial run visible: a committed run's counts match its rows.
    func expectWhole(_ db: String, _ note: String) throws {
        #expect(try sql(db, "PRAGMA integrity_check") == "ok", "\(note)")
        let partial = try sql(db, """
            SELECT count(*) FROM batch_runs r WHERE r.status = 'committed' AND (
              r.matched <> (SELECT count(*) FROM batch_matches m WHERE m.run_id = r.id) OR
              r.exception_count <> (SELECT count(*) FROM batch_exceptions e WHERE e.run_id = r.id))
            """)
        #expect(partial == "0" || partial.isEmpty, "\(note): a committed run is partial")
    }

    func findings(_ db: String) throws -> String {
        try sql(db, "SELECT id, kind, state FROM batch_findings ORDER BY id")
    }

    func leftovers(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix(".report-") }
    }

    // MARK: - reconcile, nightly, report

    @Test func reconcileKilledAnywhereRecoversToTheSameFindings() throws {
        let args = ["reconcile", "exports", "--json"]
        let clean = try fresh("clean.db")
        var baseline = ""
        let span = try timed { baseline = try backoffice(args, db: clean).stdout }
        let expected = try findings(clean)
        #expect(!expected.isEmpty && baseline.contains("\"exceptions\""))
        let db = try fresh("work.db")
        var kills = 0
        for (i, delay) in delays(span, salt: 1).enumerated() {
            if try killed(args, db: db, after: delay) { kills += 1 }
            try expectWhole(db, "reconcile kill \(i) at \(delay) s")
            let again = try backoffice(args, db: db)
            #expect(again.status == 1, "\(again.stderr)")
            #expect(try findings(db) == expected, "kill \(i) at \(delay) s")
            #expect(try sql(db, "SELECT count(*) FROM batch_runs WHERE status <> 'committed'") == "0")
        }
        #expect(kills >= Self.points / 3, "only \(kills) of the kill points hit a running process")
    }

    @Test func nightlyKilledAnywhereRecoversToTheSameFindingsAndMovesEveryFile() throws {
        func inbox() throws -> String {
            let path = dir + "/inbox"
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            for sub in ["stripe", "mpesa"] {
                for name in try FileManager.default.contentsOfDirectory(atPath: dir + "/exports/" + sub) {
                    try FileManager.default.copyItem(atPath: dir + "/exports/\(sub)/\(name)", toPath: path + "/" + name)
                }
            }
            return path
        }
        let args = { (inbox: String) in ["nightly", "--inbox", inbox, "--out", self.dir + "/nightly-reports", "--quiet"] }
        let clean = try fresh("clean.db")
        let box = try inbox()
        let span = try timed { _ = try backoffice(args(box), db: clean) }
        let expected = try findings(clean)
        let files = try FileManager.default.contentsOfDirectory(atPath: box + "/processed").sorted()
        var kills = 0
        for (i, delay) in delays(span, salt: 2).enumerated() {
            let db = try fresh("work.db")
            let box = try inbox()
            if try killed(args(box), db: db, after: delay) { kills += 1 }
            try expectWhole(db, "nightly kill \(i)")
            let again = try backoffice(args(box), db: db)
            #expect([0, 1].contains(again.status), "\(again.stderr)")
            #expect(try findings(db) == expected, "nightly kill \(i) at \(delay) s")
            let processed = try FileManager.default.contentsOfDirectory(atPath: box + "/processed").sorted()
            #expect(processed.count == files.count, "kill \(i): \(processed)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: box).filter { !$0.hasPrefix(".") } == ["processed"])
            #expect(leftovers(dir + "/nightly-reports").isEmpty)
        }
        #expect(kills >= Self.points / 3)
    }

    @Test func reportKilledAnywhereLeavesNoScratchAfterTheNextRun() throws {
        let db = try fresh("work.db")
        _ = try backoffice(["reconcile", "exports"], db: db)
        let args = ["report", "--latest", "--out", dir + "/rep"]
        let span = try timed { _ = try backoffice(args, db: db) }
        let run = try sql(db, "SELECT id FROM batch_runs WHERE status = 'committed'")
        let folder = dir + "/rep/" + run
        let expected = try Data(contentsOf: URL(fileURLWithPath: folder + "/exceptions.csv"))
        var kills = 0
        for (i, delay) in delays(span, salt: 3).enumerated() {
            if try killed(args, db: db, after: delay) { kills += 1 }
            try expectWhole(db, "report kill \(i)")
            let again = try backoffice(args, db: db)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(leftovers(dir + "/rep").isEmpty, "kill \(i): \(leftovers(dir + "/rep"))")
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/exceptions.csv")) == expected)
        }
        #expect(kills >= Self.points / 3)
    }

    // MARK: - menu import, apply, publish

    @Test func menuImportApplyAndPublishKilledAnywhereRecover() throws {
        let venue = try sql(dir + "/pristine.db", "SELECT id FROM venues WHERE credits_remaining >= 100 ORDER BY id LIMIT 1")
        let pdf = dir + "/menus/single_column_eur.pdf"
        let importArgs = ["menu", "import", pdf, "--venue", venue, "--use-credits"]
        let credits = "SELECT credits_remaining FROM venues WHERE id = '\(venue)'"

        // the uninterrupted path: import, review, apply (every item kept), publish
        let clean = try fresh("clean.db")
        let importSpan = try timed { _ = try backoffice(importArgs, db: clean) }
        let importId = try sql(clean, "SELECT id FROM batch_menu_imports")
        let items = try sql(clean, "SELECT count(*) FROM batch_menu_import_items")
        let creditsAfter = try sql(clean, credits)
        let beforeApply = dir + "/before-apply.db"
        _ = try sql(clean, ".backup '\(beforeApply)'")   // the imported draft, before review and apply
        let review = try backoffice(["menu", "review", importId, "--out", dir + "/rev"], db: clean)
        try #require(review.status == 0, "\(review.stderr)")
        let csv = try String(contentsOfFile: dir + "/rev/review.csv", encoding: .utf8)
        let kept = csv.replacingOccurrences(of: #"\r\n(\d+),,"#, with: "\r\n$1,keep,", options: .regularExpression)
        try kept.write(toFile: dir + "/edits.csv", atomically: true, encoding: .utf8)
        let applyArgs = ["menu", "apply", importId, "--edits", dir + "/edits.csv"]
        let publishArgs = ["menu", "publish", importId]
        let applySpan = try timed { _ = try backoffice(applyArgs, db: clean) }
        let decisions = "SELECT seq, decision, name, price_cents FROM batch_menu_import_items ORDER BY seq"
        let decided = try sql(clean, decisions)
        let publishSpan = try timed { _ = try backoffice(publishArgs, db: clean) }
        let menu = "SELECT category, name, base_price_cents, available FROM menu_items WHERE venue_id = '\(venue)' ORDER BY category, name"
        let published = try sql(clean, menu)
        #expect(!published.isEmpty)

        var kills = 0
        // import: the quota or credits and the draft commit together, or not at all
        for (i, delay) in delays(importSpan, salt: 4).enumerated() {
            let db = try fresh("work.db")
            if try killed(importArgs, db: db, after: delay) { kills += 1 }
            try expectWhole(db, "import kill \(i)")
            let drafts = try sql(db, "SELECT count(*) FROM batch_menu_imports")
            #expect(try sql(db, credits) == (drafts == "1" ? creditsAfter : sql(dir + "/pristine.db", credits)), "import kill \(i): credits and draft disagree")
            if drafts == "1" { #expect(try sql(db, "SELECT count(*) FROM batch_menu_import_items") == items, "import kill \(i): partial draft") }
            let again = try backoffice(importArgs, db: db)
            #expect([0, 1].contains(again.status), "\(again.stderr)")
            #expect(try sql(db, "SELECT count(*) FROM batch_menu_import_items") == items)
            #expect(try sql(db, credits) == creditsAfter, "import kill \(i): charged twice or not at all")
        }
        // apply and publish, from the state just before each
        let menuBefore = try sql(beforeApply, menu)
        for (i, delay) in delays(applySpan, salt: 5).enumerated() {
            let db = dir + "/work.db"
            for suffix in ["-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: db + suffix) }
            try? FileManager.default.removeItem(atPath: db)
            try FileManager.default.copyItem(atPath: beforeApply, toPath: db)
            if try killed(applyArgs, db: db, after: delay) { kills += 1 }
            try expectWhole(db, "apply kill \(i)")
            // killed before its commit, the apply runs again; killed after it, the file now belongs
            // to an older draft and is refused (65), as a second apply always is
            let again = try backoffice(applyArgs, db: db)
            #expect([0, 1].contains(again.status) || (again.status == 65 && again.stderr.contains("older draft")), "\(again.stderr)")
            #expect(try sql(db, decisions) == decided, "apply kill \(i)")
            if i % 2 == 0 {
                // publish killed on top of it, then again
                if try killed(publishArgs, db: db, after: publishSpan * Double(i + 1) / Double(Self.points + 1)) { kills += 1 }
                try expectWhole(db, "publish kill \(i)")
                let rows = try sql(db, menu)
                #expect(rows == menuBefore || rows == published, "publish kill \(i): a partial menu is live")
                let republished = try backoffice(publishArgs, db: db)
                #expect(republished.status == 0, "\(republished.stderr)")
                #expect(try sql(db, menu) == published, "publish kill \(i)")
            }
        }
        #expect(kills >= Self.points)
    }
}
