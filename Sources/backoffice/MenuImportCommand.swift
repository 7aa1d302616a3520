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
            """
    )

    @Argument(help: "The menu PDF.") var file: String
    @Option(help: "The venue whose menu this is (venues.id).") var venue: String
    @Option(help: "How to turn the page text into items: heuristic (default, no network) or llm.")
    var structurer: String = "heuristic"
    @Flag(name: .customLong("use-credits"), help: "Pay 5 credits when the venue has no free menu imports left.")
    var useCredits = false
    @Option(name: .customLong("ocr-lang"), help: "Tesseract languages for scanned pages, such as eng, spa or deu+eng (default: $BACKOFFICE_OCR_LANG, else eng).")
    var ocrLang: String?
    @Flag(help: "Print the items JSON (with import_id) on stdout.") var json = false
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard ["heuristic", "llm"].contains(structurer) else {
            throw ValidationError("--structurer must be heuristic or llm, not '\(structurer)'.")
        }
    }

    func run() throws {
        let logger = global.logger("menu-import")
        try runReporting {
            let live = try database.open()
            let importer = MenuImporter(
                database: live,
                extract: { [languages = try MenuPipeline.ocrLanguages(ocrLang)] file throws(Failure) in try MenuPipeline.extract(file, languages: languages) },
                structurer: try MenuPipeline.structurer(named: structurer),
                logger: logger)
            let outcome = try importer.run(pdfPath: file, venueId: venue, useCredits: useCredits)
            if outcome.reused {
                printErr("backoffice: \(file) was already imported for this venue with the \(structurer) structurer; nothing was charged, this is the existing import \(outcome.importId) (status \(outcome.staged.status.rawValue)).")
            }
            if json {
                printOut(outcome.json())
            } else {
                printOut(outcome.importId)
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
    /// Reads the PDF, its scanned pages by OCR in `languages` (Tesseract's codes, `eng+spa`).
    static func extract(_ file: PDFFile, languages: String) throws(Failure) -> TextDocument {
        try MenuReader(ocr: TesseractOCR(languages: languages)).read(file)
    }

    /// The OCR languages: `--ocr-lang`, else `BACKOFFICE_OCR_LANG`, else English.
    static func ocrLanguages(_ option: String?) throws(Failure) -> String {
        let value = option ?? ProcessInfo.processInfo.environment["BACKOFFICE_OCR_LANG"] ?? "eng"
        guard !value.isEmpty, value.split(separator: "+").allSatisfy({ $0.count >= 3 && $0.allSatisfy { $0.isLetter || $0 == "_" } }) else {
            throw Failure.usage("--ocr-lang '\(value)' is not a list of Tesseract languages; give codes such as eng, spa or deu+eng.")
        }
        return value
    }

    static func structurer(named name: String) throws(Failure) -> any MenuStructuring {
        switch name {
        case "llm":
            return LLMStructurer(configuration: try LLMConfiguration(environment: ProcessInfo.processInfo.environment),
                                 client: RetryingLLMClient(transport: CurlTransport()))
        default:
            return HeuristicStructurer()
        }
    }
}
