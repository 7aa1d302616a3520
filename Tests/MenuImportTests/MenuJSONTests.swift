import Foundation
@testable import MenuImport
import Testing

/// The items JSON: the contract's keys, `null` for an absent description or price, enums as their
/// contract names, and a round trip through JSONDecoder.
struct MenuJSONTests {
    @Test func contractShapeAndRoundTrip() throws {
        let menu = MenuDocument(
            source: .init(file: "dir/menü \"1\".pdf", sha256: String(repeating: "ab", count: 32), pages: 3),
            structurer: "heuristic", currency: "EUR",
            items: [
                MenuItemDraft(category: "Pizza / Pasta", name: "Quote \" tab\t é €", description: nil, priceCents: nil,
                              confidence: 0.05, flags: [.noPrice, .lowConfidence], source: ItemSource(page: 1, bbox: [0, 0, 72.3, 10])),
                MenuItemDraft(category: "Menu", name: "Margherita", description: "Tomate, Mozzarella", priceCents: 850,
                              options: [MenuOption(name: "Size", choices: [MenuChoice(value: "24cm", priceDeltaCents: 0),
                                                                           MenuChoice(value: "30cm", priceDeltaCents: 150)])],
                              dietaryTags: [.vegetarian, .glutenFree], confidence: 1, flags: [],
                              source: ItemSource(page: 2, bbox: [1, 2, 3, 4])),
            ],
            questions: ["Is '1/2' a price?"])
        let text = menu.prettyJSON()
        #expect(text.contains(#""description" : null"#))
        #expect(text.contains(#""price_cents" : null"#))
        #expect(text.contains(#""flags" : ["#) && text.contains(#""no_price""#) && text.contains(#""gluten_free""#))
        #expect(text.contains(#""price_delta_cents" : 150"#))
        #expect(text.contains("Pizza / Pasta"))   // slashes as they are
        let back = try JSONDecoder().decode(MenuDocument.self, from: Data(text.utf8))
        #expect(back == menu)
    }
}
