import ArgumentParser
import BackofficeCore
import Foundation
import LiveDatabase

struct Venues: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the venues, newest first: the ids `menu import --venue` and `reconcile --venue` take.",
        discussion: "FREE IMPORTS is how many menu imports the venue has left before they cost credits; MENU ITEMS counts its available items.\n\nExample: backoffice venues --db live.db"
    )
    @Flag(help: "Print the venues as a JSON array on stdout.") var json = false
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func run() throws {
        _ = global.logger("venues")
        try runReporting {
            let live = try database.open()
            let venues = try live.read { db in try Listings.venues(db) }
            if json {
                printOut(try Listing.json(venues))
                return .ok
            }
            guard !venues.isEmpty else {
                printOut("No venues in \(live.path) yet; the live service adds one when a venue signs up.")
                return .ok
            }
            var table = TextTable([.init(title: "VENUE"), .init(title: "NAME"), .init(title: "STATUS"), .init(title: "CURRENCY"),
                                   .init(title: "CREDITS", numeric: true), .init(title: "FREE IMPORTS", numeric: true),
                                   .init(title: "MENU ITEMS", numeric: true), .init(title: "IMPORTS", numeric: true),
                                   .init(title: "CREATED")])
            for venue in venues {
                table.append([venue.id, venue.name, venue.status, venue.currency, String(venue.creditsRemaining),
                              String(venue.freeMenuImportsRemaining), String(venue.menuItems), String(venue.menuImports),
                              Listing.shortInstant(venue.createdAt)])
            }
            printOut(table.text)
            return .ok
        }
    }
}
