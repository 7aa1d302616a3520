import Foundation
import TestSupport
@testable import MenuImport

/// Where the evaluation's files are: labels beside the tests, real menus in the shared folder.
enum EvaluationSupport {
    static var packageRoot: URL {
        BuiltCommand.packageRoot
    }
    static var labelsFolder: URL { packageRoot.appendingPathComponent("Tests/MenuImportTests/Labels") }
    static var realMenus: URL { packageRoot.appendingPathComponent("../shared/realdata/menus").standardized }
    static var sampleMenus: URL { packageRoot.appendingPathComponent("samples/menus") }
    /// The real-menu corpus: `menus/*.pdf`, labels in `labels/dev` (tuned on) and `labels/holdout`
    /// (never looked at while changing the structurer).
    static var corpus: URL { packageRoot.appendingPathComponent("Tests/Corpus") }

    /// Labelled menus of the corpus in one split (`dev` or `holdout`).
    static func corpusCases(_ split: String) throws -> [Case] {
        let folder = corpus.appendingPathComponent("labels/\(split)")
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        // EVAL_SKIP_SCANS=1 leaves out the menus whose names say they are scans (a quick look while working)
        let skipScans = ProcessInfo.processInfo.environment["EVAL_SKIP_SCANS"] != nil
        return try files.filter { $0.pathExtension == "json" && !(skipScans && ($0.lastPathComponent.contains("scan") || $0.lastPathComponent.contains("image_only") || $0.lastPathComponent.contains("photo"))) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }.map { url in
            let label = try MenuLabel.decode(Data(contentsOf: url))
            let pdf = corpus.appendingPathComponent("menus/" + (label.file ?? url.deletingPathExtension().lastPathComponent + ".pdf"))
            return Case(name: url.deletingPathExtension().lastPathComponent, pdf: pdf, label: label)
        }
    }

    struct Case {
        var name: String
        var pdf: URL
        var label: MenuLabel
    }

    /// Label files whose PDF is present.
    static func realCases() throws -> [Case] {
        let files = (try? FileManager.default.contentsOfDirectory(at: labelsFolder, includingPropertiesForKeys: nil)) ?? []
        return try files.filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }.compactMap { url in
            let label = try MenuLabel.decode(Data(contentsOf: url))
            let pdf = realMenus.appendingPathComponent(label.file ?? url.deletingPathExtension().lastPathComponent + ".pdf")
            guard FileManager.default.fileExists(atPath: pdf.path) else { return nil }
            return Case(name: url.deletingPathExtension().lastPathComponent, pdf: pdf, label: label)
        }
    }

    /// The project's sample menus: `samples/menus/X.pdf` with `X.expected.json`.
    static func sampleCases() throws -> [Case] {
        let files = (try? FileManager.default.contentsOfDirectory(at: sampleMenus, includingPropertiesForKeys: nil)) ?? []
        return try files.filter { $0.lastPathComponent.hasSuffix(".expected.json") }.sorted { $0.lastPathComponent < $1.lastPathComponent }.compactMap { url in
            let stem = String(url.lastPathComponent.dropLast(".expected.json".count))
            let pdf = sampleMenus.appendingPathComponent(stem + ".pdf")
            guard FileManager.default.fileExists(atPath: pdf.path) else { return nil }
            return Case(name: stem, pdf: pdf, label: try MenuLabel.decode(Data(contentsOf: url)))
        }
    }

    struct Result {
        var name: String
        var score: Evaluation.Score
        var unprinted: [String]
        var currency: String
        var expectedCurrency: String?
        var currencyFromPage: Bool
    }

    /// Every case, two at a time (one process each), results in the cases' order.
    static func runAll(_ cases: [Case]) throws -> [Result] {
        let results = ResultSlots(count: cases.count)
        DispatchQueue.concurrentPerform(iterations: cases.count) { i in
            results.set(i, Swift.Result { try run(cases[i]) })
        }
        return try results.values.map { try $0!.get() }
    }

    /// The menu as the built command reads it (`menu extract --json`), scored against its label.
    static func run(_ c: Case) throws -> Result {
        let document = try PDFExtractor.read(path: c.pdf.path)
        let run = try BuiltCommand.run(["menu", "extract", c.pdf.path, "--json"])
        let menu: MenuDocument
        switch run.status {
        case 0, 1: menu = try JSONDecoder().decode(MenuDocument.self, from: Data(run.stdout.utf8))
        // a menu the command refuses (a scan it cannot read) scores as no items: every label missed
        case 65: menu = MenuDocument(source: .init(file: c.pdf.lastPathComponent, sha256: "", pages: document.pages.count),
                                     structurer: "none", currency: c.label.currency ?? "", items: [], questions: [])
        default: throw EvaluationError(message: "\(c.name): menu extract exited \(run.status): \(run.stderr)")
        }
        return Result(name: c.name, score: Evaluation.score(label: c.label, menu: menu),
                      unprinted: Evaluation.pricesNotPrinted(menu, in: document), currency: menu.currency,
                      expectedCurrency: c.label.currency, currencyFromPage: c.label.currencyFromPage ?? true)
    }

    static func table(_ results: [Result], title: String) -> (String, Evaluation.Score) {
        var out = "\n\(title)\n"
        var total = Evaluation.Score()
        for r in results {
            let cur = r.expectedCurrency.map { $0 == r.currency ? "  \(r.currency)" : "  \(r.currency) (label \($0))" } ?? "  \(r.currency)"
            out += Evaluation.row(r.name, r.score) + cur + "\n"
            total = total + r.score
        }
        out += Evaluation.row("OVERALL (micro)", total) + "\n"
        let macro = results.isEmpty ? 0 : results.map(\.score.f1).reduce(0, +) / Double(results.count)
        out += "macro F1 \(String(format: "%.3f", macro)), category accuracy \(String(format: "%.3f", total.categoryAccuracy))\n"
        // the held-out split's items are never listed: it must stay unseen while the structurer changes
        if ProcessInfo.processInfo.environment["EVAL_VERBOSE"] != nil && !title.contains("holdout") {
            for r in results {
                for m in r.score.missed { out += "  \(r.name) MISSED \(m)\n" }
                for e in r.score.extra { out += "  \(r.name) EXTRA  \(e)\n" }
                for w in r.score.wrongCategories { out += "  \(r.name) CATEGORY \(w)\n" }
            }
        }
        return (out, total)
    }
}

struct EvaluationError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Results filled in from several threads.
final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Swift.Result<EvaluationSupport.Result, any Error>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Swift.Result<EvaluationSupport.Result, any Error>) { lock.withLock { slots[i] = value } }
    var values: [Swift.Result<EvaluationSupport.Result, any Error>?] { lock.withLock { slots } }
}
