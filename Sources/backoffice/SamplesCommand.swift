import ArgumentParser
import BackofficeCore
import Foundation
import Samples

struct SamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "Write a consistent sample live database, provider exports and menu PDFs (deterministic for a seed)."
    )

    @Option(help: "Folder to write into (created if missing).")
    var out: String

    @Option(help: "Number of venues.")
    var venues: Int = 4

    @Option(help: "Number of days of trading.")
    var days: Int = 7

    @Option(name: .customLong("orders-per-day"), help: "Orders per venue per day.")
    var ordersPerDay: Int = 30

    @Option(help: "Random seed: the same seed writes the same bytes.")
    var seed: UInt64 = 1

    @Option(help: "First trading day, UTC (YYYY-MM-DD).")
    var start: String = "2026-11-01"

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard venues >= 1, days >= 1, ordersPerDay >= 1 else {
            throw ValidationError("--venues, --days and --orders-per-day must be at least 1.")
        }
        guard Timestamp(iso: start) != nil else { throw ValidationError("--start must be a date like 2026-11-01.") }
    }

    func run() throws {
        let logger = global.logger("samples")
        try runReporting {
            let options = SampleOptions(venues: venues, days: days, ordersPerDay: ordersPerDay, seed: seed, start: Timestamp(iso: start)!)
            let manifest = try SampleGenerator.generate(options, into: URL(fileURLWithPath: out), logger: logger)
            printOut(manifest.summary)
            return .ok
        }
    }
}
