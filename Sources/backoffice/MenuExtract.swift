import ArgumentParser
import BackofficeCore
import Foundation
import MenuImport
import Samples

/// `backoffice menu extract FILE.pdf [--structurer heuristic|llm] [--currency ISO] [--json]`
struct MenuExtract: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Print the items read from a menu PDF; touches no database.",
        discussion: "Exit codes: 0 read; 64 bad usage or missing LLM settings; 65 the file is not a readable PDF (empty, another format, encrypted, damaged, or a scan without text); 66 the file does not exist.\n\nExample: backoffice menu extract menu.pdf --json"
    )

    enum StructurerChoice: String, ExpressibleByArgument, CaseIterable {
        case heuristic, llm, auto
    }

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The menu PDF.")
    var file: String

    @Option(help: "How lines become items: heuristic (no network), llm, or auto (the layout reading, the model where it is unsure). Default: auto when BACKOFFICE_LLM_* is set, else heuristic.")
    var structurer: StructurerChoice?

    @Option(help: "When the LLM endpoint stays down: 'heuristic' uses the layout reading instead of failing (exit 69).")
    var fallback: String?

    @Option(help: "ISO 4217 code of the menu's prices (default: read from the menu).")
    var currency: String?

    @Option(name: .customLong("ocr-lang"), help: "Tesseract languages for scanned pages, such as eng, spa or deu+eng (default: $BACKOFFICE_OCR_LANG, else found from the first scanned page).")
    var ocrLang: String?

    @Flag(help: "Print the items JSON on stdout.")
    var json = false

    /// Debugging the structurer: every extracted line with its box and font, instead of items.
    @Flag(help: .hidden)
    var words = false

    /// Benchmarking: writes FILE as a sample menu of this many pages and exits.
    @Option(help: .hidden)
    var writeLongSample: Int?

    func run() throws {
        try runReporting { () throws -> ExitStatus in
            if let fallback, fallback != "heuristic" { throw Failure.usage("--fallback can only be heuristic, not '\(fallback)'.") }
            let chosen = structurer ?? StructurerChoice(rawValue: MenuPipeline.structurerName(nil, environment: ProcessInfo.processInfo.environment)) ?? .heuristic
            return try Self.perform(file: file, structurer: chosen, fallback: fallback == "heuristic", currency: currency, ocrLang: ocrLang, json: json, words: words,
                             writeLongSample: writeLongSample)
        }
    }

    static func perform(file: String, structurer: StructurerChoice, fallback: Bool = false, currency: String?, ocrLang: String?, json: Bool, words: Bool,
                        writeLongSample: Int?) throws -> ExitStatus {
        if let pages = writeLongSample {
            guard pages > 0 else { throw Failure.usage("--write-long-sample needs a page count above 0.") }
            try SampleMenus.writeLongMenu(pages: pages, to: URL(fileURLWithPath: file))
            return .ok
        }
        var code: String?
        if let currency {
            guard let parsed = Currency(code: currency) else {
                throw Failure.usage("--currency '\(currency)' is not an ISO 4217 code; give three letters such as EUR, USD or KES.")
            }
            code = parsed.code
        }
        // the structurer first: missing LLM settings are a usage error before any work
        let ledger = MemoryLLMLedger()
        let structuring = try MenuPipeline.structurer(named: structurer.rawValue, file: file, ledger: ledger, fallbackToLayout: fallback)

        let document = try MenuPipeline.extract(PDFFile.load(file), languages: MenuPipeline.ocrLanguages(ocrLang))
        if words {
            FileHandle.standardOutput.write(Data(TerminalText.neutralised(document.linesListing()).utf8))
            return .ok
        }

        let menu: MenuDocument
        do {
            menu = try structuring.structure(document, currency: code)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure.software("the \(structuring.name) structurer failed: \(error)")
        }
        if !ledger.calls.isEmpty, let configuration = try? LLMConfiguration(environment: ProcessInfo.processInfo.environment) {
            FileHandle.standardError.write(Data("backoffice: \(LLMUsageSummary(records: ledger.calls, prices: configuration.prices).sentence(model: configuration.model))\n".utf8))
        }
        if json {
            // the same bytes as JSONEncoder's pretty, sorted output, written without its reflection
            printOut(menu.prettyJSON())
        } else {
            printOut(Self.summary(menu))
        }
        return menu.needsAPerson ? .needsAttention : .ok
    }

    static func summary(_ menu: MenuDocument) -> String {
        var out = "\(menu.source.file): \(menu.source.pages) page(s), \(menu.items.count) item(s), \(menu.currency), \(menu.structurer) structurer\n"
        var category: String?
        let currency = Currency(code: menu.currency) ?? .EUR
        for item in menu.items {
            if item.category != category {
                category = item.category
                out += "\n\(item.category)\n"
            }
            let price = item.priceCents.map { MoneyText.format($0, currency) } ?? "no price"
            out += "  \(item.name)  \(price)"
            for option in item.options {
                out += "  [" + option.choices.map { "\($0.value) +\(MoneyText.format($0.priceDeltaCents, currency))" }.joined(separator: ", ") + "]"
            }
            if !item.flags.isEmpty { out += "  (" + item.flags.map(\.rawValue).joined(separator: ", ") + ")" }
            out += "\n"
        }
        for question in menu.questions { out += "? \(question)\n" }
        return out
    }
}
