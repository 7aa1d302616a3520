import BackofficeCore
import Foundation
import MenuImport
import Samples
import Testing
import TestSupport

/// Files the extraction tests write and read, in a folder of their own, removed when the last copy
/// of the value goes.
struct Scratch {
    private let temporary: TemporaryFolder
    var folder: URL { temporary.url }

    init() throws { temporary = try TemporaryFolder("extraction") }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }
}

enum Fixtures {
    static let packageRoot = BuiltCommand.packageRoot
    /// `<package root>/../shared/realdata/menus`, when this machine has it.
    static let realMenus: URL? = {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/realdata/menus")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()

    static func realMenu(_ name: String) -> String? {
        realMenus.map { $0.appendingPathComponent(name).path }
    }

    static func sample(_ name: String) -> SampleMenu { SampleMenus.all.first { $0.name == name }! }

    /// Where `text` starts on the page: the glyph run spelling it.
    static func find(_ text: String, in page: TextPage) -> ArraySlice<Glyph>? {
        let needle = Array(text.unicodeScalars)
        let glyphs = page.glyphs
        guard glyphs.count >= needle.count else { return nil }
        for start in 0...(glyphs.count - needle.count) where glyphs[start].scalar == needle[0] {
            if (0..<needle.count).allSatisfy({ glyphs[start + $0].scalar == needle[$0] }) {
                return glyphs[start..<(start + needle.count)]
            }
        }
        return nil
    }
}

@Suite struct ExtractionTests {
    // MARK: The writer's samples: known text at known places

    @Test func sampleTextSitsWhereTheWriterPutIt() throws {
        let scratch = try Scratch()
        let path = try scratch.write(Fixtures.sample("single_column_eur").pdf(), "single.pdf")
        let document = try PDFExtractor.read(path: path)
        #expect(document.pages.count == 1)
        let page = document.pages[0]
        #expect(page.width == 595 && page.height == 842)
        #expect(!page.imageOnly)

        // "Antipasti": Helvetica-Bold 15 at x 56, baseline 165 from the top (top-left origin).
        let heading = try #require(Fixtures.find("Antipasti", in: page))
        let first = heading.first!, last = heading.last!
        #expect(abs(first.x0 - 56) < 0.5)
        #expect(first.y0 < 165 && first.y1 > 165 && first.y1 < 170)
        #expect(last.x1 > first.x0 && heading.allSatisfy { abs($0.y0 - first.y0) < 0.01 })
        let style = document.fonts[first.font]
        #expect(style.name == "Helvetica-Bold" && style.bold && !style.italic)
        #expect(style.size == 15)
        #expect(style.red == 128 && style.green == 28 && style.blue == 28)

        // A right-aligned price ends at 539, and the € (WinAnsi 0x80) comes back as U+20AC.
        let price = try #require(Fixtures.find("6,50 €", in: page))
        #expect(abs(price.last!.x1 - 539) < 0.5)
        #expect(document.fonts[price.first!.font].name == "Helvetica")
        #expect(!document.fonts[price.first!.font].bold)

        // Descriptions are Helvetica-Oblique: italic, not bold, grey.
        let description = try #require(Fixtures.find("Toasted country bread", in: page))
        let italic = document.fonts[description.first!.font]
        #expect(italic.italic && !italic.bold && italic.size == 9 && italic.red == 110)

        #expect(document.sha256.count == 64)
        #expect(document.file == path)
    }

    @Test func everyGlyphHasAFontAndABoxOnThePage() throws {
        let scratch = try Scratch()
        for menu in SampleMenus.all {
            let document = try PDFExtractor.read(path: try scratch.write(menu.pdf(), menu.name + ".pdf"))
            for page in document.pages {
                #expect(!page.glyphs.isEmpty)
                for glyph in page.glyphs {
                    #expect(document.fonts.indices.contains(glyph.font))
                    #expect(glyph.x0 <= glyph.x1 && glyph.y0 <= glyph.y1)
                    #expect(glyph.x0 >= 0 && glyph.x1 <= page.width && glyph.y0 >= 0 && glyph.y1 <= page.height)
                }
            }
        }
    }

    @Test func linesFollowTheRows() throws {
        let scratch = try Scratch()
        let path = try scratch.write(Fixtures.sample("dotted_leaders_aud").pdf(), "leaders.pdf")
        let lines = try PDFExtractor.read(path: path).pages[0].lines()
        let fries = try #require(lines.first { $0.text.hasPrefix("French Fries") })
        #expect(fries.text.hasSuffix(" 6.00") && fries.text.contains("......"))
        #expect(abs(fries.x0 - 72) < 0.5)
        #expect(lines.contains { $0.text == "Snacks" })
    }

    @Test func twoPageSampleKeepsPagesApart() throws {
        let scratch = try Scratch()
        let path = try scratch.write(Fixtures.sample("nairobi_kes").pdf(), "kes.pdf")
        let document = try PDFExtractor.read(path: path)
        #expect(document.pages.map(\.number) == [1, 2])
        #expect(Fixtures.find("Ksh 250", in: document.pages[0]) != nil)
        #expect(Fixtures.find("950/=", in: document.pages[0]) != nil)
        #expect(Fixtures.find("Dawa", in: document.pages[1]) != nil)
        #expect(document.imageOnlyPages.isEmpty)
        try document.requireText()
    }

    @Test func longMenuReadsEveryPage() throws {
        let scratch = try Scratch()
        let path = try scratch.write(SampleMenus.longMenu(pages: 12), "long.pdf")
        let document = try PDFExtractor.read(path: path)
        #expect(document.pages.count == 12)
        #expect(document.pages.allSatisfy { $0.glyphs.count > 500 })
        // Fonts are shared across pages, not repeated per page.
        #expect(document.fonts.count < 10)
    }

    @Test func documentsReadOnSeveralThreadsAtOnce() async throws {
        let scratch = try Scratch()
        let paths = try SampleMenus.all.map { try scratch.write($0.pdf(), $0.name + ".pdf") }
        let alone = try paths.map { try PDFExtractor.read(path: $0) }
        let together = try await withThrowingTaskGroup(of: (Int, TextDocument).self) { group in
            for (i, path) in paths.enumerated() {
                group.addTask { (i, try PDFExtractor.read(path: path)) }
            }
            var out = [TextDocument?](repeating: nil, count: paths.count)
            for try await (i, document) in group { out[i] = document }
            return out
        }
        #expect(together == alone)
    }

    @Test func readingOnSeveralThreadsGivesTheSameDocument() throws {
        let scratch = try Scratch()
        var paths = [try scratch.write(SampleMenus.longMenu(pages: 9), "long.pdf")]
        for name in ["de_castello_pizza_canva_24_30cm.pdf", "de_koelnerhof_speisekarte_single_column.pdf", "fr_goldengate_bar_carte_3_sizes.pdf"] {
            if let path = Fixtures.realMenu(name) { paths.append(path) }
        }
        for path in paths {
            let alone = try PDFExtractor.read(path: path, maxThreads: 1)
            for threads in [2, 3, 4] {
                #expect(try PDFExtractor.read(path: path, maxThreads: threads) == alone, "\(path) on \(threads) threads")
            }
        }
    }

    // MARK: Font names

    @Test func boldAndItalicComeFromTheFontName() {
        let cases: [(String, Bool, Bool)] = [
            ("Helvetica", false, false), ("Helvetica-Bold", true, false), ("Helvetica-Oblique", false, true),
            ("Times-BoldItalic", true, true), ("Arial,Bold", true, false), ("Arial-BoldMT", true, false),
            ("MyriadPro-SemiboldIt", true, true), ("MinionPro-It", false, true), ("Montserrat-Black", true, false),
            ("Lato-Heavy", true, false), ("SouvenirITCbyBT-Demi", true, false), ("Barlow-SemiBold", true, false),
            ("BookAntiqua", false, false), ("ComicSansMS", false, false), ("Calibri-BoldItalic", true, true),
        ]
        for (name, bold, italic) in cases {
            let style = FontStyle.weightAndSlant(name)
            #expect(style.bold == bold, "\(name) bold")
            #expect(style.italic == italic, "\(name) italic")
        }
        #expect(FontStyle.baseName("ABCDEF+Helvetica-Bold") == "Helvetica-Bold")
        #expect(FontStyle.baseName("Helvetica+Bold") == "Helvetica+Bold")
    }

    // MARK: Files that are not readable menus

    @Test func missingFileIs66() {
        let failure = #expect(throws: Failure.self) { try PDFExtractor.read(path: "/nonexistent/menu.pdf") }
        #expect(failure?.status == .noInput)
        #expect(failure?.message.contains("/nonexistent/menu.pdf") == true)
    }

    @Test func folderIs66() throws {
        let scratch = try Scratch()
        let failure = #expect(throws: Failure.self) { try PDFExtractor.read(path: scratch.folder.path) }
        #expect(failure?.status == .noInput)
        #expect(failure?.message.contains("folder") == true)
    }

    @Test(arguments: BrokenKind.allCases)
    func brokenFilesAre65WithASentence(_ kind: BrokenKind) throws {
        let scratch = try Scratch()
        let path = try #require(try kind.write(in: scratch), "qpdf makes the encrypted file")
        let failure = #expect(throws: Failure.self) { try PDFExtractor.read(path: path) }
        #expect(failure?.status == .dataError)
        let message = failure?.message ?? ""
        #expect(message.hasPrefix(path + ": "))
        #expect(message.lowercased().contains(kind.expectedWords), "\(kind): \(message)")
    }

    @Test func imageOnlyPageIsFoundAsAScan() throws {
        let scratch = try Scratch()
        let path = try scratch.write(SampleMenus.imageOnlyMenu(), "scan.pdf")
        let document = try PDFExtractor.read(path: path)
        #expect(document.pages.count == 1)
        #expect(document.pages[0].imageOnly && document.pages[0].glyphs.isEmpty)
        #expect(document.imageOnlyPages == [1])
    }

    /// A picture without words: OCR reads nothing, and that is a 65 with a sentence, not an empty menu.
    @Test(.enabled(if: TesseractOCR.find() != nil, "tesseract is not installed (scripts/deps installs it)"))
    func scanWithoutWordsIs65() throws {
        let scratch = try Scratch()
        let path = try scratch.write(SampleMenus.imageOnlyMenu(), "scan.pdf")
        let failure = #expect(throws: Failure.self) { try MenuReader().read(PDFFile.load(path)) }
        #expect(failure?.status == .dataError)
        #expect(failure?.message == "\(path): no text could be read on any page, neither from a text layer nor by OCR (is it a photo without words, or blank?).")
    }

    /// A sample menu printed as an image (a scan of a known menu): OCR and the structurer read
    /// its items, each flagged `ocr`.
    @Test(.enabled(if: TesseractOCR.find() != nil, "tesseract is not installed (scripts/deps installs it)"))
    func scannedSampleMenuIsReadByOCR() throws {
        let scratch = try Scratch()
        let sample = Fixtures.sample("single_column_eur")
        let text = try scratch.write(sample.pdf(), "text.pdf")
        let grey = try #require(try PDFRenderer(path: text).renderPageGrey(page: 1, dpi: 300))
        var pdf = PDFWriter(title: "Scanned menu")
        var page = PDFPage()
        page.image(columns: grey.columns, rows: grey.rows, pixels: grey.pixels, x: 0, y: 0, width: page.width, height: page.height)
        pdf.add(page)
        let scan = try scratch.write(pdf.bytes(), "scan.pdf")
        let document = try MenuReader().read(PDFFile.load(scan))
        #expect(document.pages[0].ocr)
        let menu = try HeuristicStructurer().structure(document, currency: nil)
        #expect(menu.items.allSatisfy { $0.flags.contains(.ocr) })
        let score = Evaluation.score(label: try MenuLabel.decode(Data(sample.expectedJSON())), menu: menu)
        #expect(score.f1 >= 0.8, "F1 \(score.f1) on a scan of \(sample.name): missed \(score.missed), extra \(score.extra)")
    }

    @Test func blankPageIsNotAScan() throws {
        let scratch = try Scratch()
        var pdf = PDFWriter()
        pdf.add(PDFPage())
        let document = try PDFExtractor.read(path: try scratch.write(pdf.bytes(), "blank.pdf"))
        #expect(!document.pages[0].imageOnly)
        #expect(throws: Failure.self) { try document.requireText() }
    }

    // MARK: Real menus from the field (skipped where /work/shared/realdata is absent)

    @Test(.enabled(if: Fixtures.realMenus != nil, "real menus not beside this checkout"))
    func everyRealMenuReads() throws {
        let folder = try #require(Fixtures.realMenus)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".pdf") }.sorted()
        #expect(names.count >= 12)
        for name in names {
            let document = try PDFExtractor.read(path: folder.appendingPathComponent(name).path)
            #expect(!document.pages.isEmpty, "\(name)")
            for page in document.pages {
                #expect(page.width > 0 && page.height > 0)
                #expect(page.glyphs.allSatisfy { document.fonts.indices.contains($0.font) && $0.x0 <= $0.x1 && $0.y0 <= $0.y1 })
            }
            if name.contains("image_only") {
                #expect(document.pages.allSatisfy { $0.imageOnly }, "\(name) should be all scans")
                #expect(!document.hasText)
            } else {
                #expect(document.imageOnlyPages.isEmpty, "\(name) has text on every page")
                #expect(document.hasText, "\(name)")
            }
        }
    }

    @Test(.enabled(if: Fixtures.realMenus != nil, "real menus not beside this checkout"))
    func realMenuPagesAndTextAsPublished() throws {
        let expectations: [(file: String, pages: Int, text: String)] = [
            ("en_in_bharath_cafe_image_only.pdf", 7, ""),
            ("es_pizzas_coria_image_only_pmg_sizes.pdf", 1, ""),
            ("de_castello_pizza_canva_24_30cm.pdf", 15, "MARGHERITA"),
            ("de_koelnerhof_speisekarte_single_column.pdf", 8, "6,20 €"),
            ("de_zum_loewen_abholkarte_allergen_codes.pdf", 8, "14,90 €"),
            ("en_au_carlos_cantina_multicol_tags.pdf", 2, "$28"),
            ("en_au_colors_indian_dotted_leaders_half_full.pdf", 2, "French Fries"),
            ("fr_goldengate_bar_carte_3_sizes.pdf", 6, "33 cl"),
            ("es_cl_cantina_pelicano_carta_clp.pdf", 2, "12.900"),
            ("en_be_fosdem_bar_latex_euro_glyph.pdf", 2, "2.50e"),
            ("en_us_dumpling_room_inline_prices.pdf", 2, "– $7.5"),
            ("en_au_amici_dinner_5col_size_rows.pdf", 1, "N/A"),
        ]
        for expectation in expectations {
            let path = try #require(Fixtures.realMenu(expectation.file))
            let document = try PDFExtractor.read(path: path)
            #expect(document.pages.count == expectation.pages, "\(expectation.file)")
            if !expectation.text.isEmpty {
                #expect(document.pages.contains { Fixtures.find(expectation.text, in: $0) != nil }, "\(expectation.file): \(expectation.text)")
            }
        }
    }

    @Test(.enabled(if: Fixtures.realMenus != nil, "real menus not beside this checkout"))
    func realMenuGlyphsAgreeWithPdftotext() throws {
        // "Wedges" on page 1 of the Colors menu: pdftotext -bbox gives xMin 19.1172, yMin 77.1077
        // (top-left origin, points), so poppler-glib's rectangles need no flipping.
        let path = try #require(Fixtures.realMenu("en_au_colors_indian_dotted_leaders_half_full.pdf"))
        let page = try PDFExtractor.read(path: path).pages[0]
        let wedges = try #require(Fixtures.find("Wedges", in: page))
        #expect(abs(wedges.first!.x0 - 19.1172) < 0.05)
        #expect(abs(wedges.first!.y0 - 77.1077) < 0.05)
        #expect(abs(wedges.last!.x1 - 64.9812) < 0.05)
    }
}

/// The kinds of broken file a venue owner might upload, each written fresh by the test.
enum BrokenKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case empty, pngRenamed, textRenamed, truncated, encrypted, damaged

    var description: String { rawValue }

    /// Words the failure's sentence must contain.
    var expectedWords: String {
        switch self {
        case .empty: "empty"
        case .pngRenamed: "not a pdf (it is a png image)"
        case .textRenamed: "not a pdf"
        case .truncated: "cut short"
        case .encrypted: "encrypted; export it again without a password"
        case .damaged: "damaged"
        }
    }

    func write(in scratch: Scratch) throws -> String? {
        let sample = SampleMenus.all[0].pdf()
        switch self {
        case .empty:
            return try scratch.write([], "empty.pdf")
        case .pngRenamed:
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [UInt8](repeating: 0, count: 17)
            return try scratch.write(png, "photo.pdf")
        case .textRenamed:
            return try scratch.write(Array("Margherita 9.00\nDiavola 11.00\n".utf8), "notes.pdf")
        case .truncated:
            return try scratch.write(Array(sample.prefix(sample.count / 2)), "half.pdf")
        case .damaged:
            // Header and end marker intact, nothing sensible between.
            return try scratch.write(Array("%PDF-1.4\n".utf8) + [UInt8](repeating: 0x41, count: 2000) + Array("\n%%EOF\n".utf8), "garbage.pdf")
        case .encrypted:
            let qpdf = ["/usr/bin/qpdf", "/usr/local/bin/qpdf"].first { FileManager.default.isExecutableFile(atPath: $0) }
            guard let qpdf else { return nil }
            let plain = try scratch.write(sample, "plain.pdf")
            let locked = scratch.folder.appendingPathComponent("locked.pdf").path
            let run = try runProcess(URL(fileURLWithPath: qpdf), ["--encrypt", "u", "o", "256", "--", plain, locked])
            return run.status == 0 ? locked : nil
        }
    }
}
