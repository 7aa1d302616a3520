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
        discussion: "Exit codes: 0 read; 64 bad usage or missing LLM settings; 65 the file is not a readable PDF (empty, another format, encrypted, damaged, or a scan without text); 66 the file does not exist."
    )

    enum StructurerChoice: String, ExpressibleByArgument, CaseIterable {
        case heuristic, llm
    }

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The menu PDF.")
    var file: String

    @Option(help: "How lines become items: heuristic (default, no network) or llm.")
    var structurer: StructurerChoice = Self.defaultStructurer
    /// The structurer without `--structurer`, for ArgumentParser and for the plain form alike.
    static let defaultStructurer = StructurerChoice.heuristic

    @Option(help: "ISO 4217 code of the menu's prices (default: read from the menu).")
    var currency: String?

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
            try Self.perform(file: file, structurer: structurer, currency: currency, json: json, words: words,
                             writeLongSample: writeLongSample)
        }
    }

    /// `menu extract FILE [--json]` and nothing else (the form scripts and benchmarks run once per
    /// menu): the file and the flag, read without ArgumentParser; nil for any other arguments,
    /// which then go through ArgumentParser as always.
    static func plainArguments(_ arguments: [String]) -> (file: String, json: Bool)? {
        guard arguments.count == 3 || arguments.count == 4, arguments[0] == "menu", arguments[1] == "extract" else { return nil }
        var file: String?
        var json = false
        for argument in arguments.dropFirst(2) {
            if argument == "--json", !json { json = true; continue }
            guard file == nil, !argument.isEmpty, !argument.hasPrefix("-"), argument != "help" else { return nil }
            file = argument
        }
        return file.map { ($0, json) }
    }

    /// Runs the plain form and exits with its status, as ArgumentParser would after `run()`.
    ///
    /// The output and any message are written straight to their file descriptors (no buffer is
    /// left to flush) and this form opens no database, so the process ends with `_exit`: the
    /// libraries' exit handlers (poppler's, glib's, fontconfig's) have nothing to do for it.
    static func runPlain(file: String, json: Bool) -> Never {
        do {
            try runReporting { () throws -> ExitStatus in
                try perform(file: file, structurer: defaultStructurer, currency: nil, json: json, words: false, writeLongSample: nil)
            }
            _exit(0)
        } catch let code as ExitCode {
            _exit(code.rawValue)
        } catch {
            // runReporting turns every error into an ExitCode; this is only a guard
            _exit(ExitStatus.software.rawValue)
        }
    }

    static func perform(file: String, structurer: StructurerChoice, currency: String?, json: Bool, words: Bool,
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
        let structuring = try MenuPipeline.structurer(named: structurer.rawValue)

        let document = try PDFExtractor.read(path: file)
        if words {
            FileHandle.standardOutput.write(Data(document.linesListing().utf8))
            return .ok
        }
        try document.requireTextLayer()

        let menu: MenuDocument
        do {
            menu = try structuring.structure(document, currency: code)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure.software("the \(structuring.name) structurer failed: \(error)")
        }
        if json {
            // the same bytes as JSONEncoder's pretty, sorted output, written without its reflection
            printOut(menu.prettyJSON())
        } else {
            printOut(Self.summary(menu))
        }
        return .ok
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
            if !item.flags.isEmpty { out += "  (" + item.flags.joined(separator: ", ") + ")" }
            out += "\n"
        }
        for question in menu.questions { out += "? \(question)\n" }
        return out
    }
}

extension Backoffice {
    /// The process's entry point (`@main` finds it here): `menu extract FILE [--json]`, run once per
    /// menu by scripts and benchmarks, skips ArgumentParser's command tree, whose reflection cost
    /// about 4 ms of a 1-page run; every other command line is ArgumentParser's, unchanged.
    static func main() {
        if let plain = MenuExtract.plainArguments(Array(CommandLine.arguments.dropFirst())) {
            MenuExtract.runPlain(file: plain.file, json: plain.json)
        }
        main(nil)
    }
}
