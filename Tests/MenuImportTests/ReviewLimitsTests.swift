import BackofficeCore
import GRDB
import MenuImport
import Testing

/// Issue #18: a sheet of thousands of malformed rows is refused with a bounded message.
struct ReviewLimitsTests {
    @Test func aSheetOfManyBadRowsListsTheFirstFewAndCountsTheRest() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        var csv = "seq,decision,category,name,description,price,sizes,dietary_tags,flags,confidence,page,import_id,draft\n"
        for i in 0..<5000 { csv += "\(i + 1),nope,Pizzas,X,,1.00,,,,0.9,1,\(staged.id),\(staged.draftHash)\n" }
        #expect {
            _ = try ReviewEdits.parse(bytes: Array(csv.utf8), file: "review.csv", staged: staged)
        } throws: { error in
            let message = (error as? Failure)?.message ?? ""
            return message.split(separator: "\n").count <= ReviewEdits.maxListedProblems + 2
                && message.contains("5000 rows") && message.contains("4980 more")
        }
    }
}

/// Issue #18: a venue the live service deleted after the import is a sentence (65), not a
/// foreign-key error (70).
struct PublishDeletedVenueTests {
    @Test func publishingForADeletedVenueIsA65WithASentence() throws {
        let f = try MenuFixture()
        let staged = try f.stage(MenuSample.document(items: Array(MenuSample.items().prefix(2))))
        try f.queue().writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DELETE FROM credit_transactions WHERE venue_id = ?", arguments: [f.venueId])
            try db.execute(sql: "DELETE FROM venues WHERE id = ?", arguments: [f.venueId])
        }
        #expect {
            _ = try MenuPublisher.publish(staged, in: f.live)
        } throws: { error in
            let failure = error as? Failure
            return failure?.status == .dataError && failure?.message.contains("no longer in the live database") == true
        }
        #expect(try f.count("menu_items") == 0)
    }
}
