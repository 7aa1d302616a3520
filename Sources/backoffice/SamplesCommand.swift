import ArgumentParser
import BackofficeCore
import Foundation
import Samples

struct SamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "Write a consistent sample live database and provider exports (deterministic for a seed).",
        discussion: """
        Writes DIR/live.db, DIR/exports/stripe/*.csv, DIR/exports/mpesa/statement_<shortcode>_{a,b}.csv, \
        DIR/exports/mpesa/stk_callbacks.log and DIR/manifest.json. Unless --clean, one case of each \
        reconciliation exception kind is planted and listed in the manifest.

        Example: backoffice samples --out /tmp/samples --seed 7
        """
    )

    @Option(help: "Folder to write into (created if missing).")
    var out: String

    @Option(help: "Number of venues (about half paid by card in USD, half by M-PESA in KES).")
    var venues: Int = 4

    @Option(help: "Number of days of trading.")
    var days: Int = 7

    @Option(name: .customLong("orders-per-day"), help: "Orders per venue per day.")
    var ordersPerDay: Int = 30

    @Option(help: "Random seed: the same seed writes the same bytes.")
    var seed: UInt64 = 1

    @Option(help: "First trading day, UTC (YYYY-MM-DD).")
    var start: String = "2026-11-01"

    @Flag(help: "Plant no discrepancies: the exports and the database reconcile.")
    var clean = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard venues >= 1, days >= 1, ordersPerDay >= 1 else {
            throw ValidationError("--venues, --days and --orders-per-day must be at least 1.")
        }
        guard start.utf8.count == 10, Timestamp(iso: start) != nil else {
            throw ValidationError("--start must be a date like 2026-11-01.")
        }
    }

    func run() throws {
        let logger = global.logger("samples")
        try runReporting {
            let options = SampleOptions(venues: venues, days: days, ordersPerDay: ordersPerDay, seed: seed,
                                        start: Timestamp(iso: start)!, plantDiscrepancies: !clean)
            let folder = URL(fileURLWithPath: out)
            let manifest = try SampleGenerator.generate(options, into: folder, logger: logger)
            printOut("Samples written to \(folder.path):\n" + manifest.summary)
            return .ok
        }
    }
}
