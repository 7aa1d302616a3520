import Foundation
import TestSupport
import Testing

@Suite struct DemoEndToEnd {
    /// The README's first command ends in `backoffice demo`: it must run every job on its own samples,
    /// with no network and no settings, and say where the outputs are.
    @Test func demoRunsEveryJobAndSaysWhereTheOutputsAre() throws {
        let scratch = try TemporaryFolder("demo")
        let dir = scratch.url
        let result = try BuiltCommand.run(["demo", "--out", dir.path, "--quiet"],
                                          environment: ["BACKOFFICE_DB": "", "OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": ""])
        #expect(result.status == 0, "\(result.stderr)")
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: dir.appendingPathComponent("samples/live.db").path))
        #expect(fm.fileExists(atPath: dir.appendingPathComponent("menu-review/review.html").path))
        #expect(fm.fileExists(atPath: dir.appendingPathComponent("menu-review/review.csv").path))
        let runs = try fm.contentsOfDirectory(atPath: dir.appendingPathComponent("reports").path)
        #expect(runs.count == 1)
        let html = dir.appendingPathComponent("reports/\(runs[0])/report.html")
        #expect(fm.fileExists(atPath: html.path))
        #expect(result.stdout.contains(html.path))
        // every planted kind is found by the nightly run the demo makes
        for kind in ["unrecorded_payment", "missing_provider_payment", "amount_mismatch", "currency_mismatch",
                     "status_mismatch", "target_status_mismatch", "duplicate_payment", "unrecorded_refund",
                     "credits_not_granted", "credits_amount_mismatch", "credit_balance_drift",
                     "order_charge_missing", "order_charge_duplicate", "payout_mismatch"] {
            #expect(result.stdout.contains("1 × \(kind)"), "\(kind) not reported by the demo")
        }
        // the inbox was consumed only after the run committed
        let processed = try fm.contentsOfDirectory(atPath: dir.appendingPathComponent("inbox/processed").path)
        #expect(processed.count == 7)
        // a second demo into the same folder starts afresh
        let again = try BuiltCommand.run(["demo", "--out", dir.path, "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try fm.contentsOfDirectory(atPath: dir.appendingPathComponent("reports").path).count == 1)
    }
}
