import Foundation
import Testing
import TestSupport
@testable import MenuImport
import Samples

/// Accuracy on menus of the sample kinds the structurer was never tuned on: each sample layout
/// printed with other dishes, headings, descriptions, prices and marks (`SampleMenus.unseen`).
struct UnseenMenusTests {
    static let seeds: [UInt64] = [1, 2, 3]

    @Test func unseenMenusOfTheSampleKindsReachTheTarget() throws {
        let scratch = try TemporaryFolder("unseen-menus")
        let dir = scratch.url
        var cases: [EvaluationSupport.Case] = []
        for seed in Self.seeds {
            for menu in SampleMenus.unseen(seed: seed) {
                let pdf = dir.appendingPathComponent(menu.name + ".pdf")
                try Data(menu.pdf()).write(to: pdf)
                cases.append(.init(name: menu.name, pdf: pdf, label: try MenuLabel.decode(Data(menu.expectedJSON()))))
            }
        }
        let results = try EvaluationSupport.runAll(cases)
        let (table, total) = EvaluationSupport.table(results, title: "Unseen menus of the sample kinds (seeds \(Self.seeds))")
        print(table)
        #expect(cases.count == 6 * Self.seeds.count)
        #expect(total.f1 >= 0.95, "overall F1 \(total.f1) on menus of the sample kinds never seen")
        for r in results {
            #expect(r.unprinted.isEmpty, "\(r.name): prices not printed on the page: \(r.unprinted)")
            if let expected = r.expectedCurrency { #expect(r.currency == expected, "\(r.name): currency") }
        }
    }

    /// The unseen menus really are other menus: no dish name of a sample is on them, and a seed
    /// always gives the same bytes.
    @Test func unseenMenusShareNoDishWithTheSamples() {
        let sampleNames = Set(SampleMenus.all.flatMap { $0.expected.items.map(\.name) })
        for menu in Self.seeds.flatMap(SampleMenus.unseen(seed:)) {
            #expect(Set(menu.expected.items.map(\.name)).isDisjoint(with: sampleNames), "\(menu.name)")
        }
        #expect(SampleMenus.unseen(seed: 2).map { $0.pdf() } == SampleMenus.unseen(seed: 2).map { $0.pdf() })
    }
}
