import BackofficeCore
import Foundation
import GRDB
import Logging
import Testing
@testable import Reconcile

/// Runs recorded whole or not at all; the same inputs twice add nothing.
@Suite struct RecordingTests {
    let at = LiveFixture.at

    /// A job that reads the fixture's records as if from files, with a fixed clock.
    func job(_ f: LiveFixture, suffix: String, records: [ProviderRecord]? = nil) -> ReconcileJob {
        var job = ReconcileJob(database: f.live, clock: RunClock(now: Timestamp(iso: "2026-11-08T02:00:00Z")!, suffix: suffix),
                               logger: Logger(label: "test"))
        let all = records ?? f.records
        job.expand = { (paths: [String]) throws(Failure) -> [String] in paths }
        job.read = { (path: String) throws(Failure) -> ParsedInput in
            let kind = InputKind(rawValue: path)!
            let mine = all.filter { $0.inputKind == kind }
            return ParsedInput(file: path, kind: kind, sha256: SHA256Digest.hex(Array(path.utf8)), rows: mine.count, records: mine)
        }
        job.recorder.chunkSize = 3
        return job
    }

    func files(_ f: LiveFixture) -> [String] {
        InputKind.allCases.filter { k in f.records.contains { $0.inputKind == k } }.map(\.rawValue)
    }

    func count(_ f: LiveFixture, _ sql: String) throws -> Int {
        try f.queue.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    func plantAmountMismatch(_ w: CleanWorld) throws {
        let order = try w.f.order(w.bistro, number: 17, total: 2050, at: at(19, 0, 0))
        try w.f.payment(w.bistro, order: order, amount: 2050, ref: "pi_17", at: at(19, 1, 0))
        w.f.records.append(LiveFixture.exportCharge(ch: "ch_17", pi: "pi_17", amount: 2600, at: at(19, 2, 0)))
    }

    @Test func runIdIsReadableAndCarriesTheClock() {
        let clock = RunClock(now: Timestamp(iso: "2026-11-08T02:00:00Z")!, suffix: "3f9a2c")
        #expect(clock.runId == "20261108T020000Z-3f9a2c")
        let system = RunClock.system().runId
        #expect(system.count == "20261108T020000Z-3f9a2c".count)
    }

    @Test func aRunIsRecordedWholeAndCommitted() throws {
        let w = try CleanWorld()
        try plantAmountMismatch(w)
        let outcome = try job(w.f, suffix: "000001").run(files: files(w.f), from: nil, to: nil, venue: nil, command: "reconcile")
        #expect(outcome.runId == "20261108T020000Z-000001")
        #expect(outcome.status == .needsAttention)
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_runs WHERE status = 'committed'") == 1)
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_exceptions") == 1)
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_matches") == outcome.result.matched)
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_run_inputs") == 4)
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_payouts") == 1)
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_credit_ledger") == 2)
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_daily_takings") == outcome.result.dailyTakings.count)
        // what the run covered per venue, with the run: the bistro's Stripe and the kitchen's M-PESA records
        let venues = try w.f.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT venue_id, provider, covered_from, covered_to FROM batch_run_venue_coverage ORDER BY provider")
                .map { "\($0[0] as String) \($0[1] as String) \($0[2] as String) \($0[3] as String)" }
        }
        #expect(venues == ["\(w.kitchen) mpesa 2026-11-03T00:00:00Z 2026-11-04T00:00:00Z", "\(w.bistro) stripe 2026-11-03T00:00:00Z 2026-11-04T00:00:00Z"])
        let row = try #require(try w.f.queue.read { db in try Row.fetchOne(db, sql: "SELECT matched, exception_count, refs, kind FROM batch_runs JOIN batch_exceptions ON run_id = id") })
        #expect(row[0] as Int == outcome.result.matched && row[1] as Int == 1)
        #expect(row[3] as String == "amount_mismatch")
        let refs = try JSONSerialization.jsonObject(with: Data((row[2] as String).utf8)) as? [String: String]
        #expect(refs?["provider_ref"] == "pi_17" && refs?["charge_id"] == "ch_17")
    }

    @Test func theSameInputsTwiceGiveTheSameFindingsAndNoDuplicateRows() throws {
        let w = try CleanWorld()
        try plantAmountMismatch(w)
        let first = try job(w.f, suffix: "000001").run(files: files(w.f), from: nil, to: nil, venue: nil, command: "reconcile")
        let tables = ["batch_matches", "batch_exceptions", "batch_daily_takings", "batch_payouts", "batch_credit_ledger", "batch_run_inputs"]
        let before = try tables.map { try count(w.f, "SELECT COUNT(*) FROM \($0)") }
        let second = try job(w.f, suffix: "000002").run(files: files(w.f), from: nil, to: nil, venue: nil, command: "reconcile")
        // the same findings, one finding each: same id and first run; the second run is their last
        func withoutLastSeen(_ e: [ReconcileException]) -> [ReconcileException] {
            e.map { var e = $0; e.finding?.lastSeen = ""; return e }
        }
        #expect(withoutLastSeen(first.result.exceptions) == withoutLastSeen(second.result.exceptions))
        #expect(second.result.exceptions.allSatisfy { $0.finding?.firstSeen == first.runId && $0.finding?.lastSeen == second.runId })
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_findings") == first.result.exceptions.count)
        let after = try tables.map { try count(w.f, "SELECT COUNT(*) FROM \($0)") }
        #expect(before == after)
        let runs = try w.f.queue.read { db in try Row.fetchAll(db, sql: "SELECT id, status FROM batch_runs ORDER BY id").map { "\($0[0] as String) \($0[1] as String)" } }
        #expect(runs == ["20261108T020000Z-000002 committed"])
    }

    @Test func aKilledRunLeavesNoCommittedRunAndTheNextRunLeavesNoOrphans() throws {
        let w = try CleanWorld()
        try plantAmountMismatch(w)
        var killed = job(w.f, suffix: "00dead")
        killed.recorder.pid = 999_999
        killed.recorder.cleanupOnFailure = false    // a killed process cannot clean up after itself
        killed.recorder.afterChunk = { (n: Int) throws(Failure) in
            if n == 2 { throw Failure.software("killed") }
        }
        #expect(throws: Failure.self) { try killed.run(files: files(w.f), from: nil, to: nil, venue: nil, command: "reconcile") }
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_runs WHERE status = 'committed'") == 0)
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_runs WHERE status = 'writing'") == 1)
        // rows of the killed run were left behind (the matches go first)
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_matches") + count(w.f, "SELECT COUNT(*) FROM batch_run_inputs") > 0)

        var next = job(w.f, suffix: "000002")
        next.recorder.isAlive = { pid in pid != 999_999 }
        _ = try next.run(files: files(w.f), from: nil, to: nil, venue: nil, command: "reconcile")
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_runs") == 1)
        for table in ["batch_matches", "batch_exceptions", "batch_daily_takings", "batch_payouts", "batch_credit_ledger", "batch_run_inputs",
                      "batch_run_coverage", "batch_run_venue_coverage"] {
            #expect(try count(w.f, "SELECT COUNT(*) FROM \(table) WHERE run_id <> '20261108T020000Z-000002'") == 0, "\(table)")
        }
    }

    /// Killed after its venue coverage was written and before the commit: nobody reads that
    /// coverage (the run is not committed), and the next run removes it with the rest.
    @Test func aRunKilledAfterItsVenueCoverageLeavesNoCoverageBehind() throws {
        let w = try CleanWorld()
        var killed = job(w.f, suffix: "00dead")
        killed.recorder.pid = 999_999
        killed.recorder.cleanupOnFailure = false
        let queue = w.f.queue
        killed.recorder.afterChunk = { (_: Int) throws(Failure) in
            let written = (try? queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM batch_run_venue_coverage") }) ?? 0
            if written > 0 { throw Failure.software("killed") }
        }
        #expect(throws: Failure.self) { try killed.run(files: files(w.f), from: nil, to: nil, venue: nil, command: "reconcile") }
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_runs WHERE status = 'committed'") == 0)
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_run_venue_coverage") > 0)
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_findings") == 0)

        var next = job(w.f, suffix: "000002")
        next.recorder.isAlive = { pid in pid != 999_999 }
        _ = try next.run(files: files(w.f), from: nil, to: nil, venue: nil, command: "reconcile")
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_run_venue_coverage WHERE run_id = '20261108T020000Z-00dead'") == 0)
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_run_venue_coverage WHERE run_id = '20261108T020000Z-000002'") == 2)
    }

    @Test func aFailedRunCleansUpAfterItself() throws {
        let w = try CleanWorld()
        var failing = job(w.f, suffix: "000009")
        failing.recorder.afterChunk = { (n: Int) throws(Failure) in
            if n == 3 { throw Failure.tempFail("locked") }
        }
        #expect(throws: Failure.self) { try failing.run(files: files(w.f), from: nil, to: nil, venue: nil, command: "reconcile") }
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_runs") == 0)
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_matches") == 0)
    }

    @Test func aRunBeingWrittenByALiveProcessIsLeftAlone() throws {
        let w = try CleanWorld()
        var other = job(w.f, suffix: "0ther0")
        other.recorder.cleanupOnFailure = false
        other.recorder.afterChunk = { (n: Int) throws(Failure) in if n == 1 { throw Failure.software("paused") } }
        _ = try? other.run(files: files(w.f), from: nil, to: nil, venue: nil, command: "reconcile")
        // its writer_pid is this (live) test process
        _ = try job(w.f, suffix: "000003").run(files: files(w.f), from: nil, to: nil, venue: nil, command: "reconcile")
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_runs WHERE status = 'writing'") == 1)
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_runs WHERE status = 'committed'") == 1)
    }

    /// Issue #18: a killed run whose pid now belongs to another live process was never cleaned.
    @Test func aRunWhosePidWasReusedIsCleaned() throws {
        let w = try CleanWorld()
        var killed = job(w.f, suffix: "0reuse")
        killed.recorder.processStart = { _ in "an-earlier-boot/12345" }   // the writer that was killed
        killed.recorder.cleanupOnFailure = false
        killed.recorder.afterChunk = { (n: Int) throws(Failure) in if n == 1 { throw Failure.software("killed") } }
        _ = try? killed.run(files: files(w.f), from: nil, to: nil, venue: nil, command: "reconcile")
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_runs WHERE status = 'writing'") == 1)
        // its writer_pid is this live test process, which is not the process that wrote it
        _ = try job(w.f, suffix: "000005").run(files: files(w.f), from: nil, to: nil, venue: nil, command: "reconcile")
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_runs WHERE status = 'writing'") == 0)
        #expect(try count(w.f, "SELECT COUNT(*) FROM batch_runs WHERE status = 'committed'") == 1)
    }

    @Test func missingInputIs66AndNoInputIs64() throws {
        let w = try CleanWorld()
        let j = job(w.f, suffix: "000004")
        #expect(throws: Failure(.usage, "No input given: name the export files or folders to reconcile, e.g. backoffice reconcile exports/.")) {
            _ = try j.files(for: [])
        }
        do {
            _ = try j.files(for: ["/nonexistent/stripe.csv"])
            Issue.record("expected a failure")
        } catch {
            #expect(error.status == .noInput)
            #expect(error.message.contains("/nonexistent/stripe.csv"))
        }
    }

    @Test func jsonHasTheContractShape() throws {
        let w = try CleanWorld()
        try plantAmountMismatch(w)
        let outcome = try job(w.f, suffix: "00json").run(files: files(w.f), from: nil, to: nil, venue: nil, command: "reconcile")
        let text = ResultOutput.json(runId: outcome.runId, result: outcome.result)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["run_id", "period", "inputs", "matched", "exceptions", "coverage", "findings"])
        #expect(object["run_id"] as? String == "20261108T020000Z-00json")
        #expect(object["period"] as? [String: String] == ["from": "2026-11-03T00:00:00Z", "to": "2026-11-05T00:00:00Z"])
        let inputs = try #require(object["inputs"] as? [[String: Any]])
        #expect(inputs.count == 4)
        #expect(Set(inputs[0].keys) == ["file", "kind", "sha256", "rows"])
        #expect(object["matched"] as? Int == outcome.result.matched)
        let exceptions = try #require(object["exceptions"] as? [[String: Any]])
        #expect(exceptions.count == 1)
        let e = exceptions[0]
        #expect(Set(e.keys) == ["kind", "provider", "venue_id", "amount_cents", "expected_cents", "currency", "refs", "detail",
                                "finding_id", "state", "first_seen", "age_days"])
        #expect(e["state"] as? String == "open" && e["first_seen"] as? String == outcome.runId && e["age_days"] as? Int == 0)
        #expect((e["finding_id"] as? String)?.hasPrefix("F-") == true)
        #expect(e["kind"] as? String == "amount_mismatch" && e["provider"] as? String == "stripe")
        #expect(e["amount_cents"] as? Int == 2600 && e["expected_cents"] as? Int == 2050 && e["currency"] as? String == "USD")
        #expect((e["refs"] as? [String: String])?["provider_ref"] == "pi_17")
        #expect(e["detail"] as? String == "Stripe charged 26.00 USD for order 17 of Corner Bistro on 2026-11-03; the payment row says 20.50 USD.")

        let summary = ResultOutput.summary(runId: outcome.runId, result: outcome.result)
        #expect(summary.contains("amount_mismatch: 1"))
        #expect(summary.contains("Run: 20261108T020000Z-00json"))
    }
}
