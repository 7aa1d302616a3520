import Foundation
@testable import MenuImport
import Testing

/// `MenuDocument.prettyJSON()` writes what JSONEncoder writes (pretty, sorted keys, slashes as is).
struct MenuJSONTests {
    func encoded(_ menu: MenuDocument) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(menu), as: UTF8.self)
    }

    @Test func awkwardTextAndNumbersMatchTheEncoder() throws {
        let menu = MenuDocument(
            source: .init(file: "dir/menü \"1\".pdf", sha256: String(repeating: "ab", count: 32), pages: 3),
            structurer: "heuristic", currency: "EUR",
            items: [
                MenuItemDraft(category: "Pizza / Pasta", name: "Quote \" back\\slash\ttab\nnew\rret\u{8}\u{C}\u{1}\u{1F}\u{7F} é €",
                              description: nil, priceCents: nil, confidence: 0.05, flags: ["no_price", "low_confidence"],
                              source: ItemSource(page: 1, bbox: [0, -0.0, 72.3, 1e-7])),
                MenuItemDraft(category: "Menu", name: "Margherita", description: "Tomate, Mozzarella", priceCents: 850,
                              options: [MenuOption(name: "Size", choices: [MenuChoice(value: "24cm", priceDeltaCents: 0),
                                                                           MenuChoice(value: "30cm", priceDeltaCents: -150)])],
                              dietaryTags: ["vegetarian"], confidence: 1, flags: [],
                              source: ItemSource(page: 2, bbox: [12345.6, 0.1, 99.99, 1234567890.5])),
            ],
            questions: ["Is '1/2' a price?", ""])
        #expect(menu.prettyJSON() == (try encoded(menu)))
    }

    @Test func anEmptyMenuMatchesTheEncoder() throws {
        let menu = MenuDocument(source: .init(file: "", sha256: "", pages: 0), structurer: "llm", currency: "KES", items: [], questions: [])
        #expect(menu.prettyJSON() == (try encoded(menu)))
    }
}
