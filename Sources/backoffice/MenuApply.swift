import ArgumentParser
import BackofficeCore
import Foundation
import LiveDatabase
import MenuImport

struct MenuApply: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply the owner's decisions and corrections from review.csv to a staged import.",
        discussion: "decision: keep, fix (the row's fields replace the draft's) or drop; empty keeps an unflagged item and leaves a flagged one undecided. Malformed rows are listed with their line (exit 65) and nothing is applied. Exit 1 while flagged items have no decision.\n\nExample: backoffice menu apply IMPORT_ID --edits review/review.csv --db live.db"
    )

    @Argument(help: "The import id.") var importId: String
    @Option(help: "The filled-in review.csv.") var edits: String
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func run() throws {
        _ = global.logger("menu-apply")
        try runReporting {
            let data = try SafeFile.read(edits)   // a regular file only: never a FIFO, a device or through a link
            let live = try database.open()
            let staged = try StagedImports.load(live, id: importId)
            let rows = try ReviewEdits.parse(bytes: [UInt8](data), file: edits, staged: staged)
            let report = try ReviewEdits.apply(rows, to: staged, in: live)
            for line in report.lines { printOut(line) }
            printOut("Applied \(rows.count) rows: \(report.kept) kept, \(report.fixed) fixed, \(report.dropped) dropped.")
            if !report.undecided.isEmpty {
                printOut("Still undecided (flagged, no decision): " + report.undecided.map { "#\($0)" }.joined(separator: ", "))
            } else {
                printOut("Next: backoffice menu publish \(staged.id) --dry-run")
            }
            return report.exitStatus
        }
    }
}
