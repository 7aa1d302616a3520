import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
@testable import MenuImport
import Testing

struct StagingTests {
    @Test func anImportUsesOneOfTheVenuesFreeParses() throws {
        let f = try MenuFixture(quota: 3)
        let staged = try f.stage()
        #expect(try f.quota == 2)
        #expect(try f.credits == 25)
        #expect(staged.paidWith == "quota")
        #expect(staged.status == .draft)
        #expect(staged.items.count == 4)
        #expect(staged.items.map(\.seq) == [1, 2, 3, 4])
        #expect(staged.items[0].draft == MenuSample.items()[0])
        #expect(staged.questions.count == 1)
        #expect(staged.createdAt.wholeMatch(of: MenuSample.isoZ) != nil)
        #expect(try f.count("credit_transactions") == 1) // the bonus only
    }

    @Test func withNoFreeParsesLeftTheImportIsRefusedAndNothingIsWritten() throws {
        let f = try MenuFixture(quota: 0, credits: 25)
        #expect(throws: Failure.self) { try f.stage() }
        do { _ = try f.stage() } catch let failure as Failure {
            #expect(failure.status == .needsAttention)
            #expect(failure.message.contains("--use-credits"))
        }
        #expect(try f.count("batch_menu_imports") == 0)
        #expect(try f.count("batch_menu_import_items") == 0)
        #expect(try f.quota == 0)
        #expect(try f.credits == 25)
    }

    @Test func useCreditsWritesAMenuImportLedgerRowOfMinusFive() throws {
        let f = try MenuFixture(quota: 0, credits: 25)
        let staged = try f.stage(useCredits: true)
        #expect(staged.paidWith == "credits")
        #expect(try f.credits == 20)
        #expect(try f.quota == 0)
        let rows = try f.queue().read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM credit_transactions WHERE type = 'menu_import'")
        }
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row["amount"] as Int64 == -5)
        #expect(row["venue_id"] as String == f.venueId)
        let id: String = row["id"]
        #expect(id.wholeMatch(of: MenuSample.uuidV4) != nil)
        #expect(staged.creditTransactionId == id)
        let createdAt: String = row["created_at"]
        #expect(createdAt.wholeMatch(of: MenuSample.isoZ) != nil)
        // The ledger still sums to the balance.
        #expect(try f.scalar("SELECT SUM(amount) FROM credit_transactions") == 20)
    }

    @Test func useCreditsPrefersTheFreeQuotaWhileThereIsSome() throws {
        let f = try MenuFixture(quota: 1, credits: 25)
        let staged = try f.stage(useCredits: true)
        #expect(staged.paidWith == "quota")
        #expect(try f.credits == 25)
        #expect(try f.quota == 0)
    }

    @Test func creditsAreNotTakenBelowZero() throws {
        let f = try MenuFixture(quota: 0, credits: 4)
        do {
            _ = try f.stage(useCredits: true)
            Issue.record("an import with 4 credits left was accepted")
        } catch let failure as Failure {
            #expect(failure.status == .needsAttention)
            #expect(failure.message.contains("4 credits"))
        }
        #expect(try f.credits == 4)
        #expect(try f.count("batch_menu_imports") == 0)
        #expect(try f.count("credit_transactions") == 1)
    }

    @Test func exactlyFiveCreditsIsEnough() throws {
        let f = try MenuFixture(quota: 0, credits: 5)
        _ = try f.stage(useCredits: true)
        #expect(try f.credits == 0)
    }

    @Test(arguments: [false, true])
    func aFailureAfterStagingLeavesNeitherTheDraftNorTheCharge(useCredits: Bool) throws {
        let f = try MenuFixture(quota: useCredits ? 0 : 3, credits: 25)
        // The quota step is the last write of the transaction: make it fail.
        try f.queue().write { db in
            try db.execute(sql: "CREATE TRIGGER fail_quota BEFORE UPDATE ON venues BEGIN SELECT RAISE(ABORT, 'planted failure'); END")
        }
        #expect(throws: Failure.self) { try f.stage(useCredits: useCredits) }
        #expect(try f.count("batch_menu_imports") == 0)
        #expect(try f.count("batch_menu_import_items") == 0)
        #expect(try f.count("credit_transactions") == 1)
        #expect(try f.quota == (useCredits ? 0 : 3))
        #expect(try f.credits == 25)
    }

    @Test func reimportingTheSamePDFReturnsTheDraftWithoutReadingOrChargingAgain() throws {
        let f = try MenuFixture(quota: 3)
        let pdf = f.dir.appendingPathComponent("menu.pdf")
        try MenuSample.pdf().write(to: pdf)
        let calls = CallCounter()
        let text = TextDocument(file: "menu.pdf", sha256: "", pages: [], fonts: [])
        let importer = MenuImporter(database: f.live, extract: { _ throws(Failure) in calls.increment(); return text },
                                    structurer: FakeStructurer(document: MenuSample.document()))
        let first = try importer.run(pdfPath: pdf.path, venueId: f.venueId, useCredits: false)
        let second = try importer.run(pdfPath: pdf.path, venueId: f.venueId, useCredits: false)
        #expect(!first.reused)
        #expect(second.reused)
        #expect(first.importId == second.importId)
        #expect(calls.count == 1)
        #expect(try f.quota == 2)
        #expect(try f.count("batch_menu_imports") == 1)
        #expect(try f.count("batch_menu_import_items") == 4)
        // Its sha256 is the file's, its path the absolute one.
        #expect(first.staged.sha256 == (try PDFFile.load(pdf.path).sha256))
        #expect(first.staged.pdfPath == pdf.standardizedFileURL.path)

        // The same file through the other structurer is another import (and charged).
        let llm = MenuImporter(database: f.live, extract: { _ throws(Failure) in text },
                               structurer: FakeStructurer(document: MenuSample.document(structurer: "llm")))
        let third = try llm.run(pdfPath: pdf.path, venueId: f.venueId, useCredits: false)
        #expect(!third.reused)
        #expect(try f.quota == 1)
    }

    @Test func reimportingWithNoQuotaLeftStillReturnsTheExistingDraft() throws {
        let f = try MenuFixture(quota: 1)
        let first = try f.stage()
        #expect(try f.quota == 0)
        let again = try f.stage()
        #expect(again.id == first.id)
        #expect(try f.count("batch_menu_imports") == 1)
    }

    @Test func anUnknownVenueIsBadInput() throws {
        let f = try MenuFixture()
        let pdf = f.dir.appendingPathComponent("menu.pdf")
        try MenuSample.pdf().write(to: pdf)
        let importer = MenuImporter(database: f.live, extract: { _ throws(Failure) in Issue.record("extracted"); throw Failure.software("x") },
                                    structurer: FakeStructurer(document: MenuSample.document()))
        do {
            _ = try importer.run(pdfPath: pdf.path, venueId: "no-such-venue", useCredits: false)
            Issue.record("accepted an unknown venue")
        } catch {
            #expect(error.status == .dataError)
            #expect(error.message.contains("no-such-venue"))
        }
        #expect(try f.count("batch_menu_imports") == 0)
    }

    @Test func aMissingPDFIsNoInput() throws {
        let f = try MenuFixture()
        let importer = MenuImporter(database: f.live, extract: { _ throws(Failure) in throw Failure.software("x") },
                                    structurer: FakeStructurer(document: MenuSample.document()))
        do {
            _ = try importer.run(pdfPath: f.dir.appendingPathComponent("gone.pdf").path, venueId: f.venueId, useCredits: false)
            Issue.record("accepted a missing file")
        } catch {
            #expect(error.status == .noInput)
        }
    }

    @Test func theImportJSONIsTheItemsJSONWithTheImportId() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        let outcome = ImportOutcome(staged: staged, reused: false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.json().utf8)) as? [String: Any])
        #expect(object["import_id"] as? String == staged.id)
        #expect(object["structurer"] as? String == "heuristic")
        #expect((object["items"] as? [Any])?.count == 4)
        let decoded = try JSONDecoder().decode(MenuDocument.self, from: Data(outcome.json().utf8))
        #expect(decoded == MenuSample.document())
        #expect(outcome.exitStatus == .needsAttention)
        #expect(outcome.summary == "4 items, 2 flagged for review, 1 question")
        let clean = try MenuFixture().stage(MenuSample.document(items: Array(MenuSample.items().prefix(2))))
        #expect(ImportOutcome(staged: clean, reused: false).exitStatus == .ok)
    }
}
