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
}
