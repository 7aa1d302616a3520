import ArgumentParser
import BackofficeCore
import Foundation
import LiveDatabase
import MenuImport

struct MenuReview: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Write review.html (review and correct the items in a browser) and review.csv (for a spreadsheet) for an import.",
        discussion: "The page saves the owner's decisions as an edits file for `menu apply`. A review.csv that holds decisions not yet applied is never overwritten: the new sheet is written beside it (review-2.csv), unless --force.\n\nExample: backoffice menu review IMPORT_ID --out review --db live.db"
    )

    @Argument(help: "The import id `menu import` printed.") var importId: String
    @Option(help: "Folder for review.html and review.csv.") var out: String = "."
    @Flag(help: "Overwrite a review.csv that holds decisions not yet applied.") var force = false
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func run() throws {
        _ = global.logger("menu-review")
        try runReporting {
            let live = try database.open()
            let staged = try StagedImports.load(live, id: importId)
            let venueName = try StagedImports.venueName(live, id: staged.venueId)
            let answers = try StagedImports.answers(live, id: staged.id)
            let files = try ReviewFiles.make(for: staged, venueName: venueName, answers: answers)
            let paths = try files.write(to: URL(fileURLWithPath: out), force: force)
            if let notice = files.cropNotice {
                printErr("backoffice: \(notice)")
            }
            if let kept = paths.keptSheet {
                FileHandle.standardError.write(Data("backoffice: \(kept) holds decisions that were not applied, so it was left as it is and the new sheet is \(paths.csv); apply the old one first (`menu apply \(staged.id) --edits \(kept)`), or use --force to overwrite it.\n".utf8))
            }
            printOut(paths.html)
            printOut(paths.csv)
            printOut("\(staged.items.count) items, \(staged.flaggedCount) flagged. Open review.html in a browser, correct and decide there, press Save decisions, then: backoffice menu apply \(staged.id) --edits THE_SAVED_FILE (or fill in \(paths.csv) and give that).")
            return .ok
        }
    }
}
