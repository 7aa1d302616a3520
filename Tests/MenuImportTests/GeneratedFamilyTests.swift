import Foundation
import Testing
import TestSupport
@testable import MenuImport
import Samples

/// Accuracy on the generated family (`SampleMenus.family`): layouts none of the samples has, in six
/// languages, filled from word lists the structurer was never tuned on. Tuning seeds may be looked
/// at item by item (`EVAL_VERBOSE=1`); the held-out seeds only ever print their totals.
struct GeneratedFamilyTests {
    static let tuningSeeds: [UInt64] = [1, 2]
    static let heldOutSeeds: [UInt64] = [11, 12, 13]

    /// What the family scored when last measured, less a margin (docs/menu-import.md has the figures).
    static let floors = (tuningF1: 0.98, tuningCategories: 0.98, heldOutF1: 0.98, heldOutCategories: 0.98)

    @Test(.enabled(if: BuiltCommand.isBuilt, "the command is not built"))
    func tuningSeeds() throws {
        try family(Self.tuningSeeds, title: "Generated family, tuning seeds \(Self.tuningSeeds)",
                   f1: Self.floors.tuningF1, categories: Self.floors.tuningCategories)
    }

    @Test(.enabled(if: BuiltCommand.isBuilt, "the command is not built"))
    func heldOutSeeds() throws {
        // "holdout" in the title keeps the table from listing any item, even with EVAL_VERBOSE
        try family(Self.heldOutSeeds, title: "Generated family, holdout seeds \(Self.heldOutSeeds)",
                   f1: Self.floors.heldOutF1, categories: Self.floors.heldOutCategories)
    }

    func family(_ seeds: [UInt64], title: String, f1: Double, categories: Double) throws {
        let scratch = try TemporaryFolder("generated-family")
        // BACKOFFICE_WRITE_FAMILY=DIR keeps the tuning seeds' menus there, to look at (never the held-out ones)
        let keep = ProcessInfo.processInfo.environment["BACKOFFICE_WRITE_FAMILY"].flatMap { title.contains("holdout") ? nil : URL(fileURLWithPath: $0) }
        var cases: [EvaluationSupport.Case] = []
        for seed in seeds {
            for menu in SampleMenus.family(seed: seed) {
                let pdf = (keep ?? scratch.url).appendingPathComponent(menu.name + ".pdf")
                if let keep { try Data(menu.expectedJSON()).write(to: keep.appendingPathComponent(menu.name + ".expected.json")) }
                try Data(menu.pdf()).write(to: pdf)
                cases.append(.init(name: menu.name, pdf: pdf, label: try MenuLabel.decode(Data(menu.expectedJSON()))))
            }
        }
        let results = try EvaluationSupport.runAll(cases)
        let (table, total) = EvaluationSupport.table(results, title: title)
        print(table)
        #expect(cases.count == SampleMenus.familyLayouts.count * seeds.count)
        #expect(total.f1 >= f1, "overall F1 \(total.f1) on the generated family")
        #expect(total.categoryAccuracy >= categories, "category accuracy \(total.categoryAccuracy) on the generated family")
        for r in results {
            #expect(r.score.truePositives + r.score.falsePositives > 0, "\(r.name) yields no item")
        }
    }

    /// At least 15 layouts; no dish of the family's word lists is on a sample or in the unseen
    /// menus' pool; every menu has dishes; a seed always gives the same bytes.
    @Test func theFamilyIsNewAndWhole() {
        #expect(SampleMenus.familyLayouts.count >= 15)
        let fold = { (s: String) in TextRules.fold(s) }
        let known = Set((SampleMenus.all.flatMap { $0.expected.items.map(\.name) } + SampleMenus.unseenDishNames).map(fold))
        let shared = SampleMenus.familyDishNames.filter { known.contains(fold($0)) }
        #expect(shared.isEmpty, "dishes also on the samples or in the unseen pool: \(shared)")
        for seed in Self.tuningSeeds + Self.heldOutSeeds {
            let menus = SampleMenus.family(seed: seed)
            // names are `family_<layout>_<language>_s<seed>`
            let languages = Set(menus.map { $0.name.split(separator: "_").dropLast().last ?? "" })
            #expect(languages.count >= 5, "seed \(seed) prints \(languages.sorted())")
            for menu in menus { #expect(menu.expected.items.count >= 6, "\(menu.name) has \(menu.expected.items.count) dishes") }
        }
        #expect(SampleMenus.family(seed: 12).map { $0.pdf() } == SampleMenus.family(seed: 12).map { $0.pdf() })
    }
}
