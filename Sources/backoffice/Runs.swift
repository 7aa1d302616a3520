import ArgumentParser
import BackofficeCore
import Foundation
import LiveDatabase

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the committed reconciliation runs, newest first: the ids `report --run` takes.",
        discussion: "Example: backoffice runs --limit 5 --db live.db"
    )
    @Option(help: "Show at most this many runs.") var limit: Int = 20
    @Flag(help: "Print the runs as a JSON array on stdout.") var json = false
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1, not \(limit).") }
    }

    func run() throws {
        _ = global.logger("runs")
        try runReporting {
            let live = try database.open()
            // one more than asked, to say whether older runs were left out
            var runs = try live.read { db in try Listings.runs(db, limit: limit + 1) }
            let more = runs.count > limit
            runs = Array(runs.prefix(limit))
            if json {
                printOut(try Listing.json(runs))
                return .ok
            }
            guard !runs.isEmpty else {
                printOut("No runs recorded yet; `backoffice reconcile EXPORTS --db \(live.path)` records one.")
                return .ok
            }
            var table = TextTable([.init(title: "RUN"), .init(title: "COMMAND"), .init(title: "STARTED"),
                                   .init(title: "PERIOD"), .init(title: "VENUE"), .init(title: "INPUTS", numeric: true),
                                   .init(title: "MATCHED", numeric: true), .init(title: "EXCEPTIONS", numeric: true)])
            for run in runs {
                table.append([run.id, run.command, Listing.shortInstant(run.startedAt),
                              Listing.shortInstant(run.periodFrom) + " to " + Listing.shortInstant(run.periodTo),
                              run.venueId ?? "all", String(run.inputs), String(run.matched), String(run.exceptions)])
            }
            printOut(table.text)
            if more {
                let shown = limit == 1 ? "the newest run is" : "the \(limit) newest runs are"
                FileHandle.standardError.write(Data("backoffice: \(shown) shown; --limit N shows more.\n".utf8))
            }
            return .ok
        }
    }
}
