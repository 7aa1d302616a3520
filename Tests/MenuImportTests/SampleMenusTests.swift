import BackofficeCore
import Foundation
import MenuImport
import Samples
import Testing
import TestSupport

/// The committed sample menus (samples/menus) are what the writer makes, byte for byte, and each
/// one's expected items can be found in its own text.
@Suite struct SampleMenusTests {
    static let packageRoot = BuiltCommand.packageRoot
    static let committed = packageRoot.appendingPathComponent("samples/menus")

    @Test func regeneratingGivesTheCommittedBytes() throws {
        // BACKOFFICE_WRITE_SAMPLE_MENUS=1 swift test --filter SampleMenusTests rewrites them after a change.
        if ProcessInfo.processInfo.environment["BACKOFFICE_WRITE_SAMPLE_MENUS"] == "1" {
            _ = try SampleMenus.write(into: Self.committed)
        }
        let scratch = try TemporaryFolder("sample-menus")
        let folder = scratch.file("menus")
        let written = try SampleMenus.write(into: folder)
        #expect(written.count >= 6)
        for pdf in written {
            let json = folder.appendingPathComponent(pdf.deletingPathExtension().lastPathComponent + ".expected.json")
            for file in [pdf, json] {
                let fresh = try Data(contentsOf: file)
                let kept = try? Data(contentsOf: Self.committed.appendingPathComponent(file.lastPathComponent))
                #expect(kept == fresh, "samples/menus/\(file.lastPathComponent) differs from what the writer makes now")
            }
        }
    }

    @Test func twoRunsGiveTheSameBytes() {
        for menu in SampleMenus.all {
            #expect(menu.pdf() == menu.pdf())
        }
        #expect(SampleMenus.longMenu(pages: 3) == SampleMenus.longMenu(pages: 3))
    }

    @Test func expectedJSONHasTheContractShape() throws {
        for menu in SampleMenus.all {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(menu.expectedJSON())) as? [String: Any])
            #expect(object["currency"] as? String == menu.currency)
            let items = try #require(object["items"] as? [[String: Any]])
            #expect(!items.isEmpty)
            for item in items {
                #expect(item["category"] is String)
                #expect(item["name"] is String)
                #expect(item["price_cents"] is Int)
                #expect(item["sizes"] is [[String: Any]])
            }
        }
    }

    @Test func layoutsCoverTheCasesTheBriefNames() {
        let all = SampleMenus.all
        #expect(Set(all.map(\.currency)).isSuperset(of: ["EUR", "USD", "KES"]))
        let sizes = all.flatMap { $0.expected.items.flatMap { $0.sizes.map(\.value) } }
        #expect(sizes.contains("Medium") && sizes.contains("33 cl"))
        // A blank cell: an item with fewer sizes than its section's columns.
        #expect(all.contains { $0.expected.items.contains { !$0.sizes.isEmpty && $0.sizes.count < 3 } })
        #expect(all.contains { $0.expected.items.contains { $0.dietaryTags.contains("gluten_free") } })
    }

    /// Every expected name and price text is in the extracted text of its menu: the samples are
    /// readable, and the expectations are not about text that is not there.
    @Test func expectedItemsAreInTheExtractedText() throws {
        let scratch = try TemporaryFolder("sample-menus")
        let folder = scratch.file("menus")
        let pdfs = try SampleMenus.write(into: folder)
        for (menu, url) in zip(SampleMenus.all, pdfs) {
            let document = try PDFExtractor.read(path: url.path)
            let text = document.pages.flatMap { $0.lines().map(\.text) }.joined(separator: "\n")
            for item in menu.expected.items {
                #expect(text.contains(item.name), "\(menu.name): '\(item.name)' not in the text")
                if let description = item.description, description.count < 40 {
                    #expect(text.contains(description), "\(menu.name): '\(description)' not in the text")
                }
            }
        }
    }
}
