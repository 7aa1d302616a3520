import ArgumentParser
import BackofficeCore
import Foundation
import LiveDatabase

extension MenuImportState: ExpressibleByArgument {}

struct MenuImports: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imports",
        abstract: "List the staged menu imports, newest first: the ids `menu review`, `apply` and `publish` take.",
        discussion: "A draft waits for review; applied has the owner's edits (menu apply); published is live.\n\nExample: backoffice menu imports --state draft --db live.db"
    )
    @Option(help: "Only this venue's imports (venues.id).") var venue: String?
    @Option(help: "Only imports in this state: draft, applied or published.") var state: MenuImportState?
    @Flag(help: "Print the imports as a JSON array on stdout.") var json = false
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func run() throws {
        _ = global.logger("menu-imports")
        try runReporting {
            let live = try database.open()
            let imports = try live.read { db in try Listings.menuImports(db, venue: venue, state: state) }
            if json {
                printOut(try Listing.json(imports))
                return .ok
            }
            guard !imports.isEmpty else {
                if venue != nil || state != nil {
                    let filters = [venue.map { "of venue \($0)" }, state.map { "in state \($0.rawValue)" }].compactMap { $0 }
                    printOut("No menu imports \(filters.joined(separator: " ")); `backoffice menu imports` without filters lists them all.")
                } else {
                    printOut("No menu imports yet; `backoffice menu import FILE.pdf --venue ID --db \(live.path)` stages one.")
                }
                return .ok
            }
            var table = TextTable([.init(title: "IMPORT"), .init(title: "VENUE"), .init(title: "STATE"),
                                   .init(title: "ITEMS", numeric: true), .init(title: "FLAGGED", numeric: true),
                                   .init(title: "CREATED"), .init(title: "FILE")])
            for entry in imports {
                table.append([entry.id, entry.venueName ?? entry.venueId, entry.state.rawValue, String(entry.items),
                              String(entry.flagged), Listing.shortInstant(entry.createdAt), entry.file])
            }
            printOut(table.text)
            return .ok
        }
    }
}
