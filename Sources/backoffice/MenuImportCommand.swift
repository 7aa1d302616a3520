import ArgumentParser
import BackofficeCore
import Foundation
import LiveDatabase
import MenuImport

struct MenuImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read a menu PDF and stage its items as a draft for the venue's review.",
        discussion: """
            Uses one of the venue's free menu imports; with none left it is refused (exit 1) unless \
            --use-credits, which pays 5 credits. Importing the same PDF again with the same structurer \
            charges nothing and prints the existing import's id. An unknown --venue is bad input (exit 65). \
            Exit 1 when items are flagged for review, 0 otherwise.

            Example: backoffice menu import menu.pdf --venue VENUE_ID --db live.db
            """
    )

    @Argument(help: "The menu PDF.") var file: String
    @Option(help: "The venue whose menu this is (venues.id).") var venue: String
    @Option(help: "How to turn the page text into items: heuristic (no network), llm, or auto (the layout reading, the model where it is unsure). Default: auto when BACKOFFICE_LLM_* is set, else heuristic.")
    var structurer: String?
    @Flag(name: .customLong("no-cache"), help: "Call the model again for pages it has read before.")
    var noCache = false
    @Option(help: "When the venue's monthly LLM token budget is spent or the endpoint stays down: 'heuristic' uses the layout reading instead of failing (exit 69).")
    var fallback: String?
    @Flag(name: .customLong("use-credits"), help: "Pay 5 credits when the venue has no free menu imports left.")
    var useCredits = false
    @Option(name: .customLong("ocr-lang"), help: "Tesseract languages for scanned pages, such as eng, spa or deu+eng (default: $BACKOFFICE_OCR_LANG, else found from the first scanned page).")
    var ocrLang: String?
    @Flag(help: "Print the items JSON (with import_id) on stdout.") var json = false
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let structurer, !["heuristic", "llm", "auto"].contains(structurer) {
            throw ValidationError("--structurer must be heuristic, llm or auto, not '\(structurer)'.")
        }
        if let fallback, fallback != "heuristic" {
            throw ValidationError("--fallback can only be heuristic, not '\(fallback)'.")
        }
    }

    func run() throws {
        let logger = global.logger("menu-import")
        try runReporting {
            let live = try database.open()
            let environment = ProcessInfo.processInfo.environment
            let chosen = MenuPipeline.structurerName(structurer, environment: environment)
            var ledger: DatabaseLLMLedger?
            if chosen != "heuristic" {
                try live.migrate()
                let configuration = try LLMConfiguration(environment: environment)
                ledger = try DatabaseLLMLedger(database: live, venueId: venue, monthlyTokens: configuration.monthlyTokens)
            }
            let importer = MenuImporter(
                database: live,
                extract: { [languages = try MenuPipeline.ocrLanguages(ocrLang)] file throws(Failure) in try MenuPipeline.extract(file, languages: languages) },
                structurer: try MenuPipeline.structurer(named: chosen, file: file, ledger: ledger, useCache: !noCache, fallbackToLayout: fallback == "heuristic"),
                logger: logger)
            let outcome: ImportOutcome
            do {
                outcome = try importer.run(pdfPath: file, venueId: venue, useCredits: useCredits)
            } catch {
                if let ledger, !ledger.calls.isEmpty, let configuration = try? LLMConfiguration(environment: environment) {
                    FileHandle.standardError.write(Data("backoffice: \(LLMUsageSummary(records: ledger.calls, prices: configuration.prices).sentence(model: configuration.model))\n".utf8))
                }
                throw error
            }
            if outcome.reused {
                printErr("backoffice: \(file) was already imported for this venue with the \(chosen) structurer; nothing was charged, this is the existing import \(outcome.importId) (status \(outcome.staged.status.rawValue)).")
            }
            var usageLine: String?
            if let ledger, let configuration = try? LLMConfiguration(environment: environment) {
                try ledger.attach(importId: outcome.importId)
                // nothing to say when no page needed the model (a re-import, or auto sure everywhere)
                if !ledger.calls.isEmpty {
                    usageLine = LLMUsageSummary(records: ledger.calls, prices: configuration.prices).sentence(model: configuration.model)
                }
            }
            if json {
                printOut(outcome.json())
                if let usageLine { FileHandle.standardError.write(Data("backoffice: \(usageLine)\n".utf8)) }
            } else {
                printOut(outcome.importId)
                if let usageLine { printOut(usageLine) }
                let paid = outcome.reused ? "" : (outcome.staged.paidWith == "credits" ? " Paid with \(MenuImporter.creditCost) credits." : " Used one of the venue's free menu imports.")
                printOut("Import \(outcome.importId): \(outcome.summary).\(paid)")
                if outcome.staged.flaggedCount > 0 {
                    printOut("Next: backoffice menu review \(outcome.importId)")
                }
            }
            return outcome.exitStatus
        }
    }
}

/// The extractor and the structurers the import uses.
enum MenuPipeline {
    /// Reads the PDF, its scanned pages by OCR in `languages` (Tesseract's codes, `eng+spa`);
    /// nil: the language read from the first scanned page.
    static func extract(_ file: PDFFile, languages: String?) throws(Failure) -> TextDocument {
        try MenuReader(ocr: TesseractOCR(languages: languages ?? "eng"), guessLanguage: languages == nil).read(file)
    }

    /// The OCR languages: `--ocr-lang`, else `BACKOFFICE_OCR_LANG`, else nil (found from the page).
    static func ocrLanguages(_ option: String?) throws(Failure) -> String? {
        guard let value = option ?? ProcessInfo.processInfo.environment["BACKOFFICE_OCR_LANG"] else { return nil }
        guard !value.isEmpty, value.split(separator: "+").allSatisfy({ $0.count >= 3 && $0.allSatisfy { $0.isLetter || $0 == "_" } }) else {
            throw Failure.usage("--ocr-lang '\(value)' is not a list of Tesseract languages; give codes such as eng, spa or deu+eng.")
        }
        return value
    }

    /// `--structurer`, else `auto` when an LLM is configured, else `heuristic`.
    static func structurerName(_ option: String?, environment: [String: String]) -> String {
        option ?? (LLMConfiguration.isConfigured(environment) ? "auto" : "heuristic")
    }

    /// The structurer called `name`; `llm` and `auto` read `BACKOFFICE_LLM_*` (64 naming what is
    /// missing). `file`: the PDF, drawn page by page for a vision model.
    static func structurer(named name: String, file: String? = nil, ledger: (any LLMLedger)? = nil, useCache: Bool = true,
                           fallbackToLayout: Bool = false) throws(Failure) -> any MenuStructuring {
        switch name {
        case "llm", "auto":
            let configuration = try LLMConfiguration(environment: ProcessInfo.processInfo.environment)
            var pageImage: (@Sendable (Int) -> Data?)?
            if configuration.vision, let file { pageImage = LLMStructurer.pageImages(pdfPath: file) }
            let llm = LLMStructurer(configuration: configuration,
                                    client: RetryingLLMClient(transport: CurlTransport(timeout: configuration.timeout)),
                                    ledger: ledger ?? MemoryLLMLedger(monthlyTokens: nil), useCache: useCache,
                                    fallbackToLayout: fallbackToLayout, pageImage: pageImage)
            return name == "llm" ? llm : AutoStructurer(llm: llm)
        default:
            return HeuristicStructurer()
        }
    }
}
