import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
@testable import MenuImport
import Testing

struct PublishTests {
    /// Staged sample menu with every flagged item decided and the no-price one given a price.
    func reviewed(_ f: MenuFixture, items: [MenuItemDraft] = MenuSample.items()) throws -> StagedImport {
        let staged = try f.stage(MenuSample.document(items: items))
        var rows = try ReviewEdits.parse(bytes: ReviewFiles.csvBytes(staged), file: "review.csv", staged: staged)
        for i in rows.indices {
            if rows[i].fields.priceCents == nil { rows[i].decision = .fix; rows[i].fields.priceCents = 1800 }
            else if staged.items[i].isFlagged { rows[i].decision = .keep }
        }
        _ = try ReviewEdits.apply(rows, to: staged, in: f.live)
        return try StagedImports.load(f.live, id: staged.id)
    }

    @Test func namesMatchWhateverTheirCaseAccentsAndSpacing() {
        #expect(MenuPublisher.key(category: "Pizza", name: "  MARGHERITA  pizza ") == "pizza\u{1F}margherita pizza")
        #expect(MenuPublisher.key(category: "Desserts", name: "Crème brûlée") == MenuPublisher.key(category: "desserts", name: "creme brulee"))
        #expect(MenuPublisher.key(category: "Starters", name: "Garlic Knots (6)") == "starters\u{1F}garlic knots 6")
        #expect(MenuPublisher.key(category: "Mains", name: "Straßenteller") == MenuPublisher.key(category: "Mains", name: "Strassenteller"))
        #expect(MenuPublisher.key(category: "Pizza", name: "Margherita") != MenuPublisher.key(category: "Pizza", name: "Marinara"))
    }

    @Test func theDiffAgainstTheLiveMenu() throws {
        let f = try MenuFixture()
        // unchanged, price changed, no longer on the menu, already unavailable
        try f.insertLiveItem(id: "live-diavola", category: "pizzas", name: "DIAVOLA", price: 1100, description: "Spicy salami", tags: #"["spicy"]"#)
        try f.insertLiveItem(id: "live-marg", category: "Pizzas", name: "Margherita", price: 850, description: "Tomato, mozzarella, basil",
                             options: #"[{"name":"Size","choices":[{"value":"Small","price_delta_cents":0},{"value":"Large","price_delta_cents":600}]}]"#,
                             tags: #"["vegetarian"]"#)
        try f.insertLiveItem(id: "live-old", category: "Starters", name: "Bruschetta", price: 600)
        try f.insertLiveItem(id: "live-gone", category: "Starters", name: "Olives", price: 400, available: false)
        let staged = try reviewed(f)
        let plan = try MenuPublisher.plan(staged, in: f.live)
        #expect(plan.blockers.isEmpty)
        #expect(plan.new.map(\.name) == ["Garlic Knots (6)", "Catch of the day"])
        #expect(plan.changed.map(\.menuItemId) == ["live-marg", "live-diavola"]) // in the menu's order
        #expect(plan.changed[0].changes == [MenuPublisher.FieldChange(field: "price_cents", from: "850", to: "900")])
        let diavola = plan.changed[1].changes.map(\.field)
        #expect(diavola == ["category", "name"]) // display text only; price, description, tags equal
        #expect(plan.removed.map(\.menuItemId) == ["live-old"])
        #expect(plan.unchanged == 0)
        #expect(plan.text.contains("price 8.50 → 9.00"))
        #expect(plan.text.contains("- removed  Starters / Bruschetta"))
    }

    @Test func publishInsertsUpdatesAndSetsUnavailableButNeverDeletes() throws {
        let f = try MenuFixture()
        try f.insertLiveItem(id: "live-marg", category: "Pizzas", name: "Margherita", price: 850)
        try f.insertLiveItem(id: "live-old", category: "Starters", name: "Bruschetta", price: 600)
        try f.insertLiveItem(id: "live-knots", category: "Starters", name: "Garlic knots (6)", price: 550, available: false)
        let staged = try reviewed(f)
        let outcome = try MenuPublisher.publish(staged, in: f.live)
        #expect(outcome.wrote)
        #expect(try f.count("menu_items") == 5) // 3 before + Diavola + Catch of the day

        let rows = try f.queue().read { db in try Row.fetchAll(db, sql: "SELECT * FROM menu_items ORDER BY name") }
        let byName = Dictionary(uniqueKeysWithValues: rows.map { ($0["name"] as String, $0) })
        let marg = try #require(byName["Margherita"])
        #expect(marg["id"] as String == "live-marg")
        #expect(marg["base_price_cents"] as Int64 == 900)
        #expect(marg["available"] as Int == 1)
        let options = try JSONDecoder().decode([MenuOption].self, from: Data((marg["options"] as String).utf8))
        #expect(options == MenuSample.items()[0].options)
        #expect(marg["dietary_tags"] as String == #"["vegetarian"]"#)
        #expect((marg["updated_at"] as String).wholeMatch(of: MenuSample.isoZ) != nil)
        #expect(marg["updated_at"] as String != "2026-10-01T00:00:00Z")

        let old = try #require(byName["Bruschetta"])
        #expect(old["available"] as Int == 0)

        let knots = try #require(byName["Garlic Knots (6)"])
        #expect(knots["id"] as String == "live-knots")
        #expect(knots["available"] as Int == 1) // back on the menu

        let diavola = try #require(byName["Diavola"])
        #expect((diavola["id"] as String).wholeMatch(of: MenuSample.uuidV4) != nil)
        #expect(diavola["venue_id"] as String == f.venueId)
        #expect(diavola["base_price_cents"] as Int64 == 1100)
        #expect(diavola["description"] as String == "Spicy salami")
        #expect(diavola["options"] as String == "[]")
        #expect(diavola["dietary_tags"] as String == #"["spicy"]"#)
        #expect(diavola["available"] as Int == 1)
        #expect((diavola["created_at"] as String).wholeMatch(of: MenuSample.isoZ) != nil)
        #expect(diavola["created_at"] as String == diavola["updated_at"] as String)
        let fish = try #require(byName["Catch of the day"])
        #expect(fish["base_price_cents"] as Int64 == 1800)

        let after = try StagedImports.load(f.live, id: staged.id)
        #expect(after.status == .published)
        #expect(after.publishedAt != nil)
        #expect(after.items.map(\.menuItemId) == ["live-marg", diavola["id"], "live-knots", fish["id"]])
    }

    @Test func publishingTheSameImportTwiceChangesNothingTheSecondTime() throws {
        let f = try MenuFixture()
        try f.insertLiveItem(id: "live-old", category: "Starters", name: "Bruschetta", price: 600)
        let staged = try reviewed(f)
        _ = try MenuPublisher.publish(staged, in: f.live)
        let menu = try f.menuSnapshot()
        let importRow: [String] = try f.queue().read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM batch_menu_imports"))
            return row.columnNames.map { (row[$0] as DatabaseValue).description }
        }
        let again = try StagedImports.load(f.live, id: staged.id)
        let plan = try MenuPublisher.plan(again, in: f.live)
        #expect(plan.isEmpty)
        #expect(plan.unchanged == 4)
        let second = try MenuPublisher.publish(again, in: f.live)
        #expect(!second.wrote)
        #expect(try f.menuSnapshot() == menu)
        let importRowAfter: [String] = try f.queue().read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM batch_menu_imports"))
            return row.columnNames.map { (row[$0] as DatabaseValue).description }
        }
        #expect(importRowAfter == importRow)
    }

    @Test func twoItemsWithTheSameNameStayTiedToTheirOwnRows() throws {
        let f = try MenuFixture()
        var items = Array(MenuSample.items().prefix(2))
        items.append(MenuItemDraft(category: "Pizzas", name: "Margherita", priceCents: 1300, confidence: 0.9, source: ItemSource(page: 2, bbox: [0, 0, 1, 1])))
        let staged = try reviewed(f, items: items)
        _ = try MenuPublisher.publish(staged, in: f.live)
        #expect(try f.count("menu_items") == 3)
        let again = try StagedImports.load(f.live, id: staged.id)
        #expect(try MenuPublisher.plan(again, in: f.live).isEmpty)
        #expect(try MenuPublisher.publish(again, in: f.live).wrote == false)
    }

    @Test func anItemWithoutAPriceBlocksPublishing() throws {
        let f = try MenuFixture()
        try f.insertLiveItem(id: "live-old", category: "Starters", name: "Bruschetta", price: 600)
        let staged = try f.stage()
        var rows = try ReviewEdits.parse(bytes: ReviewFiles.csvBytes(staged), file: "review.csv", staged: staged)
        rows[2].decision = .keep
        rows[3].decision = .keep // no price
        _ = try ReviewEdits.apply(rows, to: staged, in: f.live)
        let reviewed = try StagedImports.load(f.live, id: staged.id)
        let plan = try MenuPublisher.plan(reviewed, in: f.live)
        #expect(plan.blockers == ["#4 Catch of the day has no price"])
        let before = try f.menuSnapshot()
        do {
            _ = try MenuPublisher.publish(reviewed, in: f.live)
            Issue.record("published an item without a price")
        } catch {
            #expect(error.status == .needsAttention)
            #expect(error.message.contains("#4 Catch of the day has no price"))
        }
        #expect(try f.menuSnapshot() == before)
        #expect(try StagedImports.load(f.live, id: staged.id).status == .reviewed)

        // Dropping it unblocks.
        rows[3].decision = .drop
        _ = try ReviewEdits.apply(rows, to: reviewed, in: f.live)
        let outcome = try MenuPublisher.publish(try StagedImports.load(f.live, id: staged.id), in: f.live)
        #expect(outcome.plan.new.count == 3)
    }

    @Test func aFlaggedItemWithoutADecisionBlocksPublishing() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        let plan = try MenuPublisher.plan(staged, in: f.live)
        #expect(plan.blockers == ["#3 Garlic Knots (6) is flagged (ambiguous_price) and has no decision",
                                  "#4 Catch of the day is flagged (no_price) and has no decision"])
        #expect(throws: Failure.self) { try MenuPublisher.publish(staged, in: f.live) }
        #expect(try f.count("menu_items") == 0)
    }

    @Test func aCleanDraftPublishesWithoutReview() throws {
        let f = try MenuFixture()
        let staged = try f.stage(MenuSample.document(items: Array(MenuSample.items().prefix(2))))
        let outcome = try MenuPublisher.publish(staged, in: f.live)
        #expect(outcome.plan.new.count == 2)
        #expect(try f.count("menu_items") == 2)
    }

    @Test func droppedItemsThatWereLiveGoUnavailable() throws {
        let f = try MenuFixture()
        try f.insertLiveItem(id: "live-diavola", category: "Pizzas", name: "Diavola", price: 1100)
        let staged = try f.stage(MenuSample.document(items: Array(MenuSample.items().prefix(2))))
        var rows = try ReviewEdits.parse(bytes: ReviewFiles.csvBytes(staged), file: "review.csv", staged: staged)
        rows[1].decision = .drop
        _ = try ReviewEdits.apply(rows, to: staged, in: f.live)
        let outcome = try MenuPublisher.publish(try StagedImports.load(f.live, id: staged.id), in: f.live)
        #expect(outcome.plan.removed.map(\.menuItemId) == ["live-diavola"])
        #expect(try f.scalar("SELECT available FROM menu_items WHERE id = 'live-diavola'") == 0)
        #expect(try f.count("menu_items") == 2)
    }

    @Test func otherVenuesMenusAreLeftAlone() throws {
        let f = try MenuFixture()
        try f.queue().write { db in
            try db.execute(sql: "INSERT INTO venues (id, name, approval_group_id, created_at, updated_at) VALUES ('other', 'Other', 'g', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')")
            try db.execute(sql: "INSERT INTO menu_items (id, venue_id, category, name, base_price_cents, available, created_at, updated_at) VALUES ('other-1', 'other', 'Pizzas', 'Margherita', 700, 1, '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z')")
        }
        let staged = try f.stage(MenuSample.document(items: Array(MenuSample.items().prefix(2))))
        let outcome = try MenuPublisher.publish(staged, in: f.live)
        #expect(outcome.plan.new.count == 2)
        #expect(outcome.plan.removed.isEmpty)
        #expect(try f.scalar("SELECT base_price_cents FROM menu_items WHERE id = 'other-1'") == 700)
    }
}
