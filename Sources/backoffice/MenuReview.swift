import ArgumentParser
import BackofficeCore
import Foundation
import LiveDatabase
import MenuImport

struct MenuReview: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Write review.html (items beside crops of the page) and review.csv (to fill in) for an import.",
        discussion: "Example: backoffice menu review IMPORT_ID --out review --db live.db"
    )

    @Argument(help: "The import id `menu import` printed.") var importId: String
    @Option(help: "Folder for review.html and review.csv.") var out: String = "."
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func run() throws {
        _ = global.logger("menu-review")
        try runReporting {
            let live = try database.open()
            let staged = try StagedImports.load(live, id: importId)
            let venueName = try StagedImports.venueName(live, id: staged.venueId)
            let files = try ReviewFiles.make(for: staged, venueName: venueName)
            let paths = try files.write(to: URL(fileURLWithPath: out))
            if let notice = files.cropNotice {
                printErr("backoffice: \(notice)")
            }
            printOut(paths.html)
            printOut(paths.csv)
            printOut("\(staged.items.count) items, \(staged.flaggedCount) flagged. Fill in the decision column of review.csv, then: backoffice menu apply \(staged.id) --edits \(paths.csv)")
            return .ok
        }
    }
}
