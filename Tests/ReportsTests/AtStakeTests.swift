import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
import Reports
import Testing
import TestSupport

@Suite struct AtStakeTests {
    /// This test's folder (a suite is made afresh for every test), removed when the test ends.
    let scratch: TemporaryFolder

    init() throws { scratch = try TemporaryFolder("reports-test") }

    /// A credit finding is worth the gap between what the ledger has and what it should have:
    /// a 500-credit pack never granted puts 500 credits at stake, a missing order charge 1.
    @Test func creditFindingsPutTheGapAtStake() throws {
        let fixture = RunFixture()
        let live = try fixture.make(in: scratch)
        let queue = try live.writer()
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO batch_exceptions (run_id, seq, kind, provider, venue_id, amount_cents, expected_cents, currency, refs, detail) VALUES
                (?, 90, 'credits_not_granted', 'stripe', ?, 0, 500, NULL, '{"provider_ref":"pi_pack"}', 'Paid for 500 credits, none granted.'),
                (?, 91, 'order_charge_missing', NULL, ?, 0, -1, NULL, '{"order_id":"o-1"}', 'Approved, not charged.'),
                (?, 92, 'order_charge_duplicate', NULL, ?, -2, -1, NULL, '{"order_id":"o-2"}', 'Charged twice.')
                """, arguments: [fixture.runId, RunFixture.bistro, fixture.runId, RunFixture.bistro, fixture.runId, RunFixture.bistro])
        }
        let output = try RunReport.write(database: live, runId: fixture.runId, outDir: scratch.file("out"))
        let csv = try String(contentsOf: output.folder.appendingPathComponent("exceptions.csv"), encoding: .utf8)
        var reader = CSVReader(bytes: Array(csv.utf8), file: "exceptions.csv")
        let header = try #require(try reader.readHeader()).strings
        let kind = try #require(header.firstIndex(of: "kind")), stake = try #require(header.firstIndex(of: "at_stake"))
        var stakes: [String: String] = [:]
        while let row = try reader.next() { stakes[row.string(kind)] = row.string(stake) }
        #expect(stakes["credits_not_granted"] == "500")
        #expect(stakes["order_charge_missing"] == "1")
        #expect(stakes["order_charge_duplicate"] == "1")
    }

    /// A venue's missing export (issue #14) is listed under what needs you with its venue, like a
    /// provider's: it says whose exports are missing, never an amount at stake.
    @Test func aVenuesMissingExportIsListedWithItsVenue() throws {
        let fixture = RunFixture()
        let live = try fixture.make(in: scratch)
        let detail = "No M-PESA export newer than 2026-11-04 shows Mama Njeri Kitchen (venue \(RunFixture.kitchen)), though M-PESA exports still arrive."
        try live.writer().write { db in
            try db.execute(sql: """
                INSERT INTO batch_findings (id, kind, provider, venue_id, occurred_at, refs, detail, state, first_seen_run, first_seen_at,
                                            last_seen_run, last_seen_at, state_changed_at) VALUES
                ('F-venue', 'missing_export', 'mpesa', ?, '2026-11-05T00:00:00Z', ?, ?, 'open', ?, '2026-11-08T02:00:00Z', ?, '2026-11-08T02:00:00Z', '2026-11-08T02:00:00Z'),
                ('F-stripe', 'missing_export', 'stripe', NULL, '2026-11-05T00:00:00Z', '{}', 'No Stripe export newer than 2026-11-04 has arrived.', 'open', ?, '2026-11-08T02:00:00Z', ?, '2026-11-08T02:00:00Z', '2026-11-08T02:00:00Z')
                """, arguments: [RunFixture.kitchen, "{\"venue_id\":\"\(RunFixture.kitchen)\"}", detail, fixture.runId, fixture.runId, fixture.runId, fixture.runId])
        }
        let output = try RunReport.write(database: live, runId: fixture.runId, outDir: scratch.file("out"))
        let html = try String(contentsOf: output.folder.appendingPathComponent("report.html"), encoding: .utf8)
        let needs = try #require(html.range(of: "What needs you")).upperBound
        let closed = try #require(html.range(of: "Resolved or cleared since the last report", range: needs..<html.endIndex)).lowerBound
        let section = html[needs..<closed]
        #expect(section.contains("<li id=\"F-venue\"><span class=\"fid\">F-venue</span> · new tonight · M-PESA exports missing · Mama Njeri Kitchen<br>"), "\(section)")
        #expect(section.contains("<li id=\"F-stripe\"><span class=\"fid\">F-stripe</span> · new tonight · Stripe exports missing"))
        #expect(section.contains(detail))
        let csv = try String(contentsOf: output.folder.appendingPathComponent("exceptions.csv"), encoding: .utf8)
        #expect(csv.contains("F-venue,open,\(fixture.runId),0,missing_export,\(RunFixture.kitchen),Mama Njeri Kitchen,"), "\(csv)")
    }
}
