import BackofficeCore
import Foundation
@testable import MenuImport
import Samples
import Testing
import TestSupport

/// How many model calls `--structurer auto` makes against `llm` (one per page with text) on the
/// menus we have: the samples, the unseen menus of the sample kinds, and the real menus (text
/// pages; scans need OCR first and are left to the evaluation). No network: `auto` asks the model
/// exactly on `AutoStructurer.unsurePages`, which needs only the layout reading.
struct LLMAutoCallCountTests {
    struct Count { var menus = 0, llm = 0, auto = 0 }

    func count(_ pdfs: [URL]) throws -> Count {
        var c = Count()
        for pdf in pdfs {
            let document = try PDFExtractor.read(path: pdf.path)
            guard !document.pages.contains(where: \.imageOnly) else { continue }
            let layout = try HeuristicStructurer().structure(document, currency: nil)
            c.menus += 1
            c.llm += document.pages.filter { !PageLines($0).text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.count
            c.auto += AutoStructurer.unsurePages(layout, document: document).count
        }
        return c
    }

    @Test func autoCallsFewerThanLLM() throws {
        let scratch = try TemporaryFolder("auto-calls")
        var unseen: [URL] = []
        for seed: UInt64 in [1, 2, 3] {
            for menu in SampleMenus.unseen(seed: seed) {
                let url = scratch.url.appendingPathComponent("\(seed)-\(menu.name).pdf")
                try Data(menu.pdf()).write(to: url)
                unseen.append(url)
            }
        }
        func pdfs(_ folder: URL) -> [URL] {
            ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
                .filter { $0.pathExtension == "pdf" }.sorted { $0.path < $1.path }
        }
        var rows: [(String, Count)] = [("samples", try count(pdfs(EvaluationSupport.sampleMenus))), ("unseen (seeds 1-3)", try count(unseen))]
        if FileManager.default.fileExists(atPath: EvaluationSupport.realMenus.path) {
            rows.append(("real menus (text pages)", try count(pdfs(EvaluationSupport.realMenus))))
        }
        rows.append(("corpus (text-layer menus)", try count(pdfs(EvaluationSupport.corpus.appendingPathComponent("menus")))))
        print("model calls per import set: set | menus | llm | auto")
        for (name, c) in rows {
            print("\(name) | \(c.menus) | \(c.llm) | \(c.auto)")
            #expect(c.auto <= c.llm)
        }
    }
}
