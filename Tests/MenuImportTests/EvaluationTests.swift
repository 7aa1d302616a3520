import Foundation
import Testing
import TestSupport
@testable import MenuImport

/// Accuracy of the heuristic structurer against hand-written labels. Prints the per-menu table.
@Suite(.enabled(if: BuiltCommand.isBuilt, "the command is not built"))
struct EvaluationTests {
    /// The ten real menus the structurer was first tuned on (shared/realdata).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: EvaluationSupport.realMenus.path), "real menus not beside this checkout"))
    func realMenusReachTheTarget() throws {
        let cases = try EvaluationSupport.realCases()
        let results = try EvaluationSupport.runAll(cases)
        let (table, total) = EvaluationSupport.table(results, title: "Real menus (labelled pages)")
        print(table)
        #expect(cases.count >= 6, "at least six labelled real menus")
        #expect(total.f1 >= 0.85, "overall F1 \(total.f1) on the labelled real menus")
        for r in results {
            #expect(r.unprinted.isEmpty, "\(r.name): prices not printed on the page: \(r.unprinted)")
            if r.currencyFromPage, let expected = r.expectedCurrency {
                #expect(r.currency == expected, "\(r.name): currency")
            }
        }
    }

    /// The corpus's development split: menus from the field the structurer may be tuned on.
    @Test func corpusDevelopmentSplit() throws {
        try corpus("dev", f1: Self.floors.devF1, categories: Self.floors.devCategories)
    }

    /// The corpus's held-out split: never looked at while changing the structurer; its score is
    /// the fair guess for menus of new kinds.
    @Test func corpusHeldOutSplit() throws {
        try corpus("holdout", f1: Self.floors.holdoutF1, categories: Self.floors.holdoutCategories)
    }

    /// What the corpus scored when last measured, less a margin: a change that reads real menus
    /// worse fails here. (The issue's targets, F1 0.90 and categories 0.85 on held-out menus, are
    /// reported in docs/menu-import.md, not asserted.)
    static let floors = (devF1: 0.60, devCategories: 0.65, holdoutF1: 0.43, holdoutCategories: 0.50)

    func corpus(_ split: String, f1: Double, categories: Double) throws {
        let cases = try EvaluationSupport.corpusCases(split)
        #expect(cases.count >= 10, "the \(split) split has \(cases.count) menus")
        let results = try EvaluationSupport.runAll(cases)
        let (table, total) = EvaluationSupport.table(results, title: "Corpus, \(split) split")
        print(table)
        #expect(total.f1 >= f1, "F1 \(total.f1) on the \(split) split")
        #expect(total.categoryAccuracy >= categories, "category accuracy \(total.categoryAccuracy) on the \(split) split")
        for r in results {
            // the held-out split's items are never named, even here
            #expect(r.unprinted.isEmpty, "\(r.name): \(r.unprinted.count) prices not printed on the page\(split == "holdout" ? "" : ": \(r.unprinted)")")
        }
    }

    @Test func sampleMenusReachTheTarget() throws {
        let cases = try EvaluationSupport.sampleCases()
        #expect(cases.count == 6)
        let results = try EvaluationSupport.runAll(cases)
        let (table, total) = EvaluationSupport.table(results, title: "Sample menus")
        print(table)
        #expect(total.f1 >= 0.95, "overall F1 \(total.f1) on the sample menus")
        for r in results {
            #expect(r.unprinted.isEmpty, "\(r.name): prices not printed on the page: \(r.unprinted)")
            if let expected = r.expectedCurrency { #expect(r.currency == expected, "\(r.name): currency") }
        }
    }

    @Test func scoreCountsNameAndEveryPrice() {
        let label = MenuLabel(pages: [1], items: [
            .init(name: "Margherita", priceCents: 900, sizes: [.init(value: "Large", priceCents: 1500)]),
            .init(name: "Crème brûlée", priceCents: 650),
            .init(name: "Soup of the day", priceCents: nil),
        ])
        func item(_ name: String, _ price: Int64?, _ large: Int64? = nil, page: Int = 1) -> MenuItemDraft {
            MenuItemDraft(category: "", name: name, priceCents: price,
                          options: large.map { [MenuOption(name: "Size", choices: [.init(value: "S", priceDeltaCents: 0), .init(value: "L", priceDeltaCents: $0 - price!)])] } ?? [],
                          confidence: 1, source: ItemSource(page: page, bbox: [0, 0, 0, 0]))
        }
        // right name, folded; all prices
        let good = Evaluation.score(expected: label.items, pages: label.pages,
                                    actual: [item("MARGHERITA", 900, 1500), item("creme  brulee.", 650), item("Soup of the Day", nil), item("Other page", 100, page: 2)])
        #expect(good.truePositives == 3 && good.falsePositives == 0 && good.falseNegatives == 0)
        #expect(good.f1 == 1)
        // a missing size price or a wrong price is a miss and an extra
        let bad = Evaluation.score(expected: label.items, pages: label.pages, actual: [item("Margherita", 900), item("Crème brûlée", 600)])
        #expect(bad.truePositives == 0 && bad.falsePositives == 2 && bad.falseNegatives == 3)
        #expect(bad.f1 == 0)
    }

    @Test func printedPriceCheckFindsAPlantedPrice() {
        let text = "Margherita 8,50 € Pizza 12.900 Tea 3"
        func doc(_ s: String) -> TextDocument {
            TextDocument(file: "x.pdf", sha256: "", pages: [TextPage(number: 1, width: 100, height: 100,
                glyphs: s.unicodeScalars.map { Glyph(scalar: $0, x0: 0, y0: 0, x1: 1, y1: 1, font: 0) }, imageOnly: false)], fonts: [])
        }
        func menu(_ prices: [Int64], currency: String = "EUR") -> MenuDocument {
            MenuDocument(source: .init(file: "x.pdf", sha256: "", pages: 1), structurer: "heuristic", currency: currency,
                         items: prices.map { MenuItemDraft(category: "", name: "x", priceCents: $0, confidence: 1, source: .init(page: 1, bbox: [0, 0, 0, 0])) }, questions: [])
        }
        #expect(Evaluation.pricesNotPrinted(menu([850, 300]), in: doc(text)).isEmpty)
        #expect(Evaluation.pricesNotPrinted(menu([12900], currency: "CLP"), in: doc(text)).isEmpty)
        // planted: 9.50 and 8.00 are not on the page (8 is only part of 8,50)
        #expect(Evaluation.pricesNotPrinted(menu([950]), in: doc(text)).count == 1)
        #expect(Evaluation.pricesNotPrinted(menu([800]), in: doc(text)).count == 1)
    }
}
