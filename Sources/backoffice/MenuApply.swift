import ArgumentParser
import BackofficeCore
import Foundation
import LiveDatabase
import MenuImport

struct MenuApply: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply the owner's decisions and corrections (the edits file review.html saved, or review.csv) to a staged import.",
        discussion: "decision: keep, fix (the row's fields replace the draft's) or drop; empty keeps an unflagged item and leaves a flagged one undecided. A file for another import or an older draft is refused (exit 65), and so is text that cannot be decoded (UTF-8, UTF-16 and Windows-1252 are read). Malformed rows are listed with their line (exit 65) and nothing is applied. Exit 1 while flagged items have no decision.\n\nExample: backoffice menu apply IMPORT_ID --edits menu-edits-1a2b3c4d-5e6f7a8b.json --db live.db"
    )

    @Argument(help: "The import id.") var importId: String
    @Option(help: "The edits file the review page saved, or the filled-in review.csv.") var edits: String
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func run() throws {
        _ = global.logger("menu-apply")
        try runReporting {
            let data = try SafeFile.read(edits)   // a regular file only: never a FIFO, a device or through a link
            let live = try database.open()
            let staged = try StagedImports.load(live, id: importId)
            let parsed = try ReviewEdits.read(bytes: [UInt8](data), file: edits, staged: staged)
            let report = try ReviewEdits.apply(parsed, to: staged, in: live)
            for line in report.lines { printOut(line) }
            printOut("Applied \(parsed.rows.count) rows: \(report.kept) kept, \(report.fixed) fixed, \(report.dropped) dropped, \(report.added) added, \(report.answered) answer\(report.answered == 1 ? "" : "s").")
            if !report.undecided.isEmpty {
                printOut("Still undecided (flagged, no decision): " + report.undecided.map { "#\($0)" }.joined(separator: ", ") + ". Next: backoffice menu review \(staged.id)")
            } else {
                printOut("Next: backoffice menu publish \(staged.id) --dry-run")
            }
            return report.exitStatus
        }
    }
}
