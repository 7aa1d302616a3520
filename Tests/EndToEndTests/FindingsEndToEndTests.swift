import BackofficeCore
import Foundation
import TestSupport
import Testing

/// Findings over time, through the built command: three nights on the samples, and the ways a
/// run must refuse to give an all-clear.
@Suite struct FindingsEndToEndTests {
    let scratch: TemporaryFolder
    init() throws { scratch = try TemporaryFolder("findings-e2e") }

    static func run(_ arguments: [String], now: String? = nil) throws -> ProcessResult {
        try BuiltCommand.run(arguments, environment: now.map { ["BACKOFFICE_NOW": $0] } ?? [:])
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The samples: live.db, exports/ and the manifest of what was planted.
    func samples() throws -> (dir: String, db: String, planted: [[String: Any]]) {
        let dir = scratch.path + "/samples"
        let made = try Self.run(["samples", "--out", dir])
        #expect(made.status == 0, "\(made.stderr)")
        let manifest = try Self.json(String(contentsOfFile: dir + "/manifest.json", encoding: .utf8))
        return (dir, dir + "/live.db", try #require(manifest["planted"] as? [[String: Any]]))
    }

    /// Copies every export of the samples into `inbox`, names prefixed (a new night's files).
    func deliver(_ samples: String, to inbox: String, prefix: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        for provider in ["stripe", "mpesa"] {
            for name in try fm.contentsOfDirectory(atPath: "\(samples)/exports/\(provider)") {
                try fm.copyItem(atPath: "\(samples)/exports/\(provider)/\(name)", toPath: "\(inbox)/\(prefix)\(name)")
            }
        }
    }

    func findings(_ db: String, now: String) throws -> [[String: Any]] {
        let r = try Self.run(["findings", "--state", "all", "--json", "--db", db], now: now)
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]], "\(r.stderr)")
    }

    @Test(.timeLimit(.minutes(5))) func threeNightsCarryFindingsUntilFixedResolvedOrCleared() throws {
        let s = try samples()
        let inbox = scratch.path + "/inbox", out = scratch.path + "/reports"
        func planted(_ kind: String) throws -> [String: Any] { try #require(s.planted.first { $0["kind"] as? String == kind }) }
        func ref(_ kind: String, _ key: String) throws -> String { try #require((try planted(kind)["refs"] as? [String: String])?[key]) }

        // night 1: every export; every planted kind is found, all open, new tonight
        try deliver(s.dir, to: inbox, prefix: "")
        let n1 = try Self.run(["nightly", "--inbox", inbox, "--db", s.db, "--out", out, "--json", "--stale-after", "7"], now: "2026-11-08T02:00:00Z")
        #expect(n1.status == 1, "\(n1.stderr)")
        let night1 = try #require(try Self.json(n1.stdout)["exceptions"] as? [[String: Any]])
        #expect(Set(night1.compactMap { $0["kind"] as? String }) == Set(s.planted.compactMap { $0["kind"] as? String }))
        #expect(night1.count == s.planted.count)
        #expect(night1.allSatisfy { $0["state"] as? String == "open" && $0["age_days"] as? Int == 0 })
        let idOf = Dictionary(uniqueKeysWithValues: night1.map { ($0["kind"] as! String, $0["finding_id"] as! String) })

        // night 2: a one-day Stripe export (2026-11-07) only; nothing it did not cover is dropped
        let full = try String(contentsOfFile: s.dir + "/exports/stripe/unified_payments.csv", encoding: .utf8)
        let lines = full.components(separatedBy: "\n")
        let oneDay = ([lines[0]] + lines.dropFirst().filter { $0.contains(",2026-11-07 ") }).joined(separator: "\n") + "\n"
        try oneDay.write(toFile: inbox + "/unified_payments_2026-11-07.csv", atomically: true, encoding: .utf8)
        let n2 = try Self.run(["nightly", "--inbox", inbox, "--db", s.db, "--out", out, "--json", "--stale-after", "7"], now: "2026-11-09T02:00:00Z")
        #expect(n2.status == 1, "\(n2.stderr)")
        let night2 = try Self.json(n2.stdout)
        #expect((night2["findings"] as? [String: Any])?["cleared"] as? [String] == [])
        let after2 = try findings(s.db, now: "2026-11-09T02:00:00Z")
        #expect(after2.count == s.planted.count)
        #expect(after2.allSatisfy { $0["state"] as? String == "open" && $0["age_days"] as? Int == 1 })
        let kes = try #require(after2.first { $0["kind"] as? String == "unrecorded_payment" })
        #expect(kes["amount_cents"] as? Int == 230000 && kes["currency"] as? String == "KES")

        // a person fixes two rows and resolves one finding by hand
        let fix = """
            UPDATE payments SET amount_cents = \(try planted("amount_mismatch")["amount_cents"] as! Int) WHERE id = '\(try ref("amount_mismatch", "payment_id"))';
            UPDATE orders SET payment_status = 'paid' WHERE id = '\(try ref("target_status_mismatch", "order_id"))';
            """
        try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [s.db], stdin: fix)
        let resolved = try Self.run(["findings", "resolve", idOf["duplicate_payment"]!, "--note", "Refunded the second charge in Stripe",
                                     "--by", "Amina", "--db", s.db], now: "2026-11-10T09:00:00Z")
        #expect(resolved.status == 0, "\(resolved.stderr)")
        #expect(resolved.stdout.contains("\(idOf["duplicate_payment"]!) resolved."))

        // night 3: the month's exports again; the two fixed are cleared, the resolved stays resolved,
        // the rest are open with age 3
        try deliver(s.dir, to: inbox, prefix: "night3_")
        let n3 = try Self.run(["nightly", "--inbox", inbox, "--db", s.db, "--out", out, "--json", "--stale-after", "7"], now: "2026-11-11T02:00:00Z")
        #expect(n3.status == 1, "\(n3.stderr)")
        let cleared = try #require((try Self.json(n3.stdout)["findings"] as? [String: Any])?["cleared"] as? [String])
        #expect(Set(cleared) == [idOf["amount_mismatch"]!, idOf["target_status_mismatch"]!])
        let after3 = try findings(s.db, now: "2026-11-11T02:00:00Z")
        #expect(after3.count == s.planted.count)
        for f in after3 {
            let kind = f["kind"] as! String
            #expect(f["finding_id"] as? String == idOf[kind], "\(kind) changed its id")
            #expect(f["first_seen"] as? String == night1.first.flatMap { _ in (try? Self.json(n1.stdout))?["run_id"] as? String })
            #expect(f["age_days"] as? Int == 3)
            switch kind {
            case "amount_mismatch", "target_status_mismatch": #expect(f["state"] as? String == "cleared", "\(kind)")
            case "duplicate_payment":
                #expect(f["state"] as? String == "resolved")
                #expect(f["note"] as? String == "Refunded the second charge in Stripe" && f["by"] as? String == "Amina")
            default: #expect(f["state"] as? String == "open", "\(kind)")
            }
        }
        // the history keeps every change: opened, resolved; cleared by the run
        let history = try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [s.db, "SELECT finding_id || ' ' || event || ' ' || COALESCE(by, '') FROM batch_finding_events ORDER BY finding_id, seq"])
        #expect(history.stdout.contains("\(idOf["duplicate_payment"]!) opened backoffice nightly\n\(idOf["duplicate_payment"]!) resolved Amina"))
        #expect(history.stdout.contains("\(idOf["amount_mismatch"]!) cleared backoffice nightly"))
        // reopening puts it back
        let reopen = try Self.run(["findings", "reopen", idOf["duplicate_payment"]!, "--note", "customer says not refunded", "--db", s.db])
        #expect(reopen.status == 0 && reopen.stdout.contains("open again"))
        let listed = try Self.run(["findings", "--kind", "duplicate_payment", "--db", s.db])
        #expect(listed.status == 1 && listed.stdout.contains(idOf["duplicate_payment"]!))
    }

    @Test func anUnknownVenueIs64NamingIt() throws {
        let s = try samples()
        let r = try Self.run(["reconcile", s.dir + "/exports", "--db", s.db, "--venue", "no-such-venue"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--venue no-such-venue is not a venue in"))
        #expect(r.stdout.isEmpty)
        let f = try Self.run(["findings", "--venue", "no-such-venue", "--db", s.db])
        #expect(f.status == 64 && f.stderr.contains("no-such-venue"))
    }

    @Test func anInvertedPeriodIs64() throws {
        let s = try samples()
        let r = try Self.run(["reconcile", s.dir + "/exports", "--db", s.db, "--from", "2026-11-08", "--to", "2026-11-01"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--to 2026-11-01T00:00:00Z is not after --from 2026-11-08T00:00:00Z"))
    }

    @Test func aBoundInYear9999Is64() throws {
        let s = try samples()
        let r = try Self.run(["reconcile", s.dir + "/exports", "--db", s.db, "--to", "9999-12-31"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--to '9999-12-31' is outside what the data can hold"))
    }

    /// Inputs with content but none of it in the period: never "Exceptions: none" with exit 0.
    @Test func aPeriodTheInputsDoNotCoverIsNeverAnAllClear() throws {
        let s = try samples()
        let r = try Self.run(["reconcile", s.dir + "/exports/stripe", "--db", s.db, "--from", "2027-01-01", "--to", "2027-01-02"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("No provider data for 2027-01-01T00:00:00Z to 2027-01-02T00:00:00Z"))
    }

    /// A provider whose exports stop: after --stale-after days an empty inbox raises missing_export.
    @Test func aStaleProviderRaisesMissingExport() throws {
        let s = try samples()
        let inbox = scratch.path + "/inbox"
        try deliver(s.dir, to: inbox, prefix: "")
        _ = try Self.run(["nightly", "--inbox", inbox, "--db", s.db, "--out", scratch.path + "/reports", "--stale-after", "7"], now: "2026-11-08T02:00:00Z")
        let quiet = try Self.run(["nightly", "--inbox", inbox, "--db", s.db, "--stale-after", "2"], now: "2026-11-09T02:00:00Z")
        #expect(quiet.stdout.contains("Nothing new in \(inbox) since the last nightly run 20261108T020000Z-"))
        #expect(!quiet.stdout.contains("missing_export"))
        let late = try Self.run(["nightly", "--inbox", inbox, "--db", s.db, "--stale-after", "2"], now: "2026-11-10T06:00:00Z")
        #expect(late.status == 1)
        #expect(late.stdout.contains("missing_export F-"))
        #expect(late.stdout.contains("No Stripe export newer than 2026-11-07 has arrived (2 days before this check, the limit is 2)"))
        #expect(late.stdout.contains("No M-PESA export newer than 2026-11-07 has arrived"))
    }

    /// The rows of an export that fall on one of `days` (UTC dates), its header (and a statement's
    /// preamble) kept: a Stripe Payments export by `Created date (UTC)`, an M-PESA statement by
    /// `Completion Time` (East Africa Time).
    static func rows(of file: String, on days: Set<String>) throws -> String {
        let lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n")
        let statement = lines.contains { $0.hasPrefix("Receipt No.,") }
        var out: [String] = [], inRows = false
        for (i, line) in lines.enumerated() {
            if !inRows {
                out.append(line)
                inRows = statement ? line.hasPrefix("Receipt No.,") : i == 0
                continue
            }
            let fields = line.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count > 2 else { continue }
            if days.contains(statement ? utcDay(eastAfrica: String(fields[1])) : String(fields[1].prefix(10))) { out.append(line) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// `04-11-2026 01:30:00` or `2026-11-04 01:30:00` in East Africa Time (UTC+3) -> `2026-11-03`.
    static func utcDay(eastAfrica text: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(secondsFromGMT: 3 * 3600)
        f.dateFormat = text.dropFirst(2).first == "-" ? "dd-MM-yyyy HH:mm:ss" : "yyyy-MM-dd HH:mm:ss"
        guard let date = f.date(from: text) else { return "" }
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: date)
    }

    /// Issue #14, a venue's exports: venue B's M-PESA statement stops being delivered while venue
    /// A's (and Stripe's) keep coming and the database keeps taking B's payments. Past
    /// --stale-after days nightly names B (exit 1), `findings --venue B` lists it, and the first
    /// export that shows B again clears it.
    @Test(.timeLimit(.minutes(5))) func aVenueWhoseExportsStopRaisesMissingExportUntilTheyArrive() throws {
        let s = try samples()
        let inbox = scratch.path + "/inbox", out = scratch.path + "/reports"
        let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")
        let statements = try FileManager.default.contentsOfDirectory(atPath: s.dir + "/exports/mpesa").filter { $0.hasPrefix("statement_") }.sorted()
        // the two venues paid by M-PESA, each with statements of its own short code
        let codes = Array(Set(statements.map { String($0.split(separator: "_")[1]) })).sorted()
        try #require(codes.count == 2)
        func venue(_ code: String) throws -> (id: String, name: String) {
            let r = try runProcess(sqlite3, [s.db, "SELECT id || '|' || name FROM venues WHERE mpesa_shortcode = '\(code)'"])
            let parts = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").map(String.init)
            try #require(parts.count == 2, "\(r.stdout)")
            return (parts[0], parts[1])
        }
        let a = try venue(codes[0]), b = try venue(codes[1])
        func deliver(_ night: String, days: Set<String>, statementsOf: [String]) throws {
            try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
            try Self.rows(of: s.dir + "/exports/stripe/unified_payments.csv", on: days)
                .write(toFile: "\(inbox)/\(night)_unified_payments.csv", atomically: true, encoding: .utf8)
            for name in statements where statementsOf.contains(where: { name.hasPrefix("statement_\($0)_") }) {
                try Self.rows(of: s.dir + "/exports/mpesa/" + name, on: days).write(toFile: "\(inbox)/\(night)_\(name)", atomically: true, encoding: .utf8)
            }
        }
        func nightly(_ now: String, json: Bool = false) throws -> ProcessResult {
            try Self.run(["nightly", "--inbox", inbox, "--db", s.db, "--out", out, "--stale-after", "2"] + (json ? ["--json"] : []), now: now)
        }
        func exportFindings(of venue: String, state: String = "all") throws -> [[String: Any]] {
            let r = try Self.run(["findings", "--venue", venue, "--kind", "missing_export", "--state", state, "--json", "--db", s.db])
            return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]], "\(r.stderr)")
        }

        // night 1: both venues' statements up to 2026-11-03; nights 2 and 3: venue A's only
        try deliver("n1", days: ["2026-11-01", "2026-11-02", "2026-11-03"], statementsOf: codes)
        #expect(try nightly("2026-11-04T02:00:00Z").status == 1)   // the planted findings
        try deliver("n2", days: ["2026-11-04"], statementsOf: [codes[0]])
        _ = try nightly("2026-11-05T02:00:00Z")
        try deliver("n3", days: ["2026-11-05"], statementsOf: [codes[0]])
        _ = try nightly("2026-11-06T02:00:00Z")
        // B's first payment no export showed (2026-11-04 07:18) has not waited two days yet
        #expect(try exportFindings(of: b.id).isEmpty)

        // a person closes what the runs found (B's payments no statement showed among them)
        let open = try findings(s.db, now: "2026-11-06T03:00:00Z").filter { $0["state"] as? String == "open" }.compactMap { $0["finding_id"] as? String }
        try #require(!open.isEmpty)
        let resolved = try Self.run(["findings", "resolve"] + open + ["--note", "looked at", "--db", s.db], now: "2026-11-06T03:00:00Z")
        #expect(resolved.status == 0, "\(resolved.stderr)")
        let calm = try nightly("2026-11-06T03:00:00Z")
        #expect(calm.status == 0, "\(calm.stdout)")

        // a day later B's exports are more than two days late: that alone needs a person
        let late = try nightly("2026-11-07T02:00:00Z")
        #expect(late.status == 1, "\(late.stdout)")
        let waiting = try runProcess(sqlite3, [s.db, """
            SELECT count(*) || '|' || sum(amount_cents) FROM payments WHERE venue_id = '\(b.id)' AND provider = 'mpesa'
              AND status NOT IN ('FAILED', 'EXPIRED') AND created_at >= '2026-11-04T00:00:00Z' AND created_at <= '2026-11-07T02:00:00Z'
            """]).stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").compactMap { Int64($0) }
        try #require(waiting.count == 2 && waiting[0] > 1)
        let sentence = "No M-PESA export newer than 2026-11-03 shows \(b.name) (venue \(b.id)), though M-PESA exports still arrive: "
            + "its \(waiting[0]) M-PESA payments since then, \(MoneyText.grouped(waiting[1], Currency.KES)), the first on 2026-11-04 "
            + "(2 days before this check, the limit is 2), are not being reconciled."
        #expect(late.stdout.contains("missing_export F-"))
        #expect(late.stdout.contains(sentence), "\(late.stdout)")
        #expect(!late.stdout.contains(a.id) && !late.stdout.contains("No Stripe export"))
        let listed = try exportFindings(of: b.id, state: "open")
        #expect(listed.count == 1)
        #expect(listed.first?["provider"] as? String == "mpesa" && listed.first?["venue_id"] as? String == b.id)
        #expect(listed.first?["detail"] as? String == sentence)
        #expect(try exportFindings(of: a.id).isEmpty)
        let id = try #require(listed.first?["finding_id"] as? String)
        // another run of venue A's statements only covers M-PESA, not B: the finding is not cleared
        try deliver("n4", days: ["2026-11-06"], statementsOf: [codes[0]])
        let onlyA = try nightly("2026-11-07T03:00:00Z", json: true)
        #expect(onlyA.status == 1, "\(onlyA.stderr)")
        #expect((try Self.json(onlyA.stdout)["findings"] as? [String: Any])?["cleared"] as? [String] == [])
        #expect(try exportFindings(of: b.id, state: "open").map { $0["finding_id"] as? String } == [id])

        // B's statements arrive: the run covers B's M-PESA records and clears the finding
        try deliver("n5", days: ["2026-11-04", "2026-11-05", "2026-11-06", "2026-11-07"], statementsOf: codes)
        let arrived = try nightly("2026-11-08T02:00:00Z", json: true)
        #expect(arrived.status == 0 || arrived.status == 1, "\(arrived.stderr)")
        let cleared = try #require((try Self.json(arrived.stdout)["findings"] as? [String: Any])?["cleared"] as? [String])
        #expect(cleared.contains(id))
        #expect(try exportFindings(of: b.id).map { $0["state"] as? String } == ["cleared"])
    }
}
