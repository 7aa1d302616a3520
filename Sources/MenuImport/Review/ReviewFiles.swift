import BackofficeCore
import Foundation
import Output

/// `menu review`: the owner's two files for one staged import.
///
/// - `review.html`, the place to review: self-contained (inline CSS and a small inline script, no
///   network), flagged items first, each beside a crop of the page region it was read from
///   (rendered from the PDF the import recorded, when it is still there unchanged), editable in
///   place; it saves the owner's decisions as an edits file (JSON) for `menu apply` (`ReviewPage`).
/// - `review.csv`: one row per item for spreadsheet users to fill in (`decision`: keep, fix or
///   drop; a row with an empty seq adds an item) and hand back to `menu apply`. Outside text is
///   defused exactly as the reports do (`CSVWriter`).
///
/// Both carry the import id and the draft's hash (`StagedImport.draftHash`).
///
///     let files = ReviewFiles.make(for: staged)
///     try files.write(to: URL(fileURLWithPath: "review"))
public struct ReviewFiles: Sendable {
    public var html: String
    public var csv: [UInt8]
    /// Why the page crops are missing, if they are.
    public var cropNotice: String?

    public static let csvColumns = [
        "seq", "decision", "category", "name", "description", "price", "sizes", "dietary_tags", "flags", "confidence", "page",
        "why", "import_id", "draft",
    ]

    /// The staged import the files were made for (to tell whether an existing sheet holds decisions).
    public var staged: StagedImport?

    /// Builds both files. `renderCrops: false` leaves the crops out (the PDF is not opened).
    public static func make(for staged: StagedImport, venueName: String? = nil, answers: [String: String] = [:],
                            renderCrops: Bool = true) throws(Failure) -> ReviewFiles {
        var images = Images()
        var notice: String?
        if renderCrops {
            (images, notice) = Self.crops(for: staged)
        }
        let html = try ReviewPage.render(staged, venueName: venueName, crops: images.crops, pages: images.pages, answers: answers, notice: notice)
        return ReviewFiles(html: html, csv: csvBytes(staged), cropNotice: notice, staged: staged)
    }

    /// Where `write` put the files, and what it did not overwrite.
    public struct Written: Sendable {
        public var html: String
        public var csv: String
        /// The existing sheet that holds decisions not yet applied, left as it was.
        public var keptSheet: String?
    }

    /// Writes `review.html` and `review.csv` into `directory` (created if missing). A `review.csv`
    /// there that holds decisions not yet applied is never overwritten unless `force`: the new
    /// sheet goes beside it (`review-2.csv`, …).
    @discardableResult
    public func write(to directory: URL, force: Bool = false) throws(Failure) -> Written {
        let html = directory.appendingPathComponent("review.html")
        var csvURL = directory.appendingPathComponent("review.csv")
        var kept: String?
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure.cantCreate(path: directory.path, reason: "the folder cannot be created (\(error.localizedDescription))")
        }
        if !force, let existing = FileManager.default.contents(atPath: csvURL.path), [UInt8](existing) != csv,
           Self.holdsDecisions([UInt8](existing), staged: staged) {
            kept = csvURL.path
            var n = 2
            while FileManager.default.fileExists(atPath: directory.appendingPathComponent("review-\(n).csv").path) { n += 1 }
            csvURL = directory.appendingPathComponent("review-\(n).csv")
        }
        for (url, data) in [(html, Data(self.html.utf8)), (csvURL, Data(csv))] {
            do {
                try data.write(to: url, options: .atomic)
            } catch {
                throw Failure.cantCreate(path: url.path, reason: error.localizedDescription)
            }
        }
        return Written(html: html.path, csv: csvURL.path, keptSheet: kept)
    }

    /// Whether a sheet holds something `menu apply` would still change: a decision or a fix that
    /// differs from the draft, an added item, or anything that cannot be read (kept, to be safe).
    public static func holdsDecisions(_ bytes: [UInt8], staged: StagedImport?) -> Bool {
        guard let staged, let utf8 = try? SheetText.utf8(bytes, file: "review.csv"),
              let rows = try? ReviewEdits.parse(bytes: utf8, file: "review.csv", staged: staged, checkIdentity: false) else { return true }
        let items = Dictionary(staged.items.map { ($0.seq, $0) }, uniquingKeysWith: { a, _ in a })
        for row in rows {
            guard let seq = row.seq, let item = items[seq] else { return true }
            if let d = row.decision, d != item.decision { return true }
            if row.decision == .fix && row.fields != item.draft { return true }
        }
        return false
    }

    /// `review.csv`: UTF-8 with a BOM, CRLF, every text cell defused.
    public static func csvBytes(_ staged: StagedImport) -> [UInt8] {
        var writer = CSVWriter(header: csvColumns)
        let exponent = staged.currencyExponent
        let hash = staged.draftHash
        for item in staged.items {
            let d = item.draft
            writer.writeRow([
                .integer(Int64(item.seq)),
                .text(item.decision?.rawValue ?? ""),
                .text(d.category),
                .text(d.name),
                .text(d.description),
                d.priceCents.map { .money($0, exponent: exponent) } ?? .empty,
                .text(SizesText.format(d.options.first, base: d.priceCents, exponent: exponent)),
                .text(d.dietaryTags.map(\.rawValue).joined(separator: "|")),
                .text(d.flags.map(\.rawValue).joined(separator: "|")),
                .text(Self.confidenceText(d.confidence)),
                .integer(Int64(d.source.page)),
                .text(d.flags.map { FlagText.explain($0, d, currency: staged.currency) }.joined(separator: " ")),
                .text(staged.id),
                .text(hash),
            ])
        }
        return writer.drain()
    }

    static func confidenceText(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        let hundredths = Int((min(max(value, 0), 1) * 100).rounded())
        return hundredths == 100 ? "1.00" : "0." + (hundredths < 10 ? "0" : "") + String(hundredths)
    }

    /// PNG data URIs: one per item (by seq) and one per page (by page, for adding a missed item).
    struct Images { var crops: [Int: String] = [:]; var pages: [Int: String] = [:] }

    /// The most pages drawn whole into the page (each is about 100 KB).
    static let maxPageImages = 12

    /// The crops and page pictures, or a sentence saying why there are none.
    static func crops(for staged: StagedImport) -> (Images, String?) {
        let path = staged.pdfPath
        guard FileManager.default.fileExists(atPath: path) else {
            return (Images(), "The menu PDF is no longer at \(path), so the page crops are left out; the items below are as read.")
        }
        guard let file = try? PDFFile.load(path), file.sha256 == staged.sha256 else {
            return (Images(), "The file at \(path) has changed since the import (its SHA-256 differs), so the page crops are left out; the items below are as read from the original.")
        }
        let renderer: PDFRenderer
        do {
            renderer = try PDFRenderer(file: file)   // the bytes just hashed, not read again
        } catch {
            return (Images(), "The menu PDF at \(path) could not be opened (\(error.message)), so the page crops are left out.")
        }
        var images = Images()
        func uri(_ png: [UInt8]) -> String { "data:image/png;base64," + Data(png).base64EncodedString() }
        for item in staged.items {
            let source = item.draft.source
            // An item the owner added has no region of its own: its whole page.
            let whole = source.bbox.isEmpty
            // the crop reaches the price cells too: a price column can stand far from the name
            let cells = source.priceCells.map(\.bbox).filter { $0.count == 4 }
            let bbox = whole ? [0, 0, 1e6, 1e6] : cells.reduce(source.bbox) { box, cell in
                [min(box[0], cell[0]), min(box[1], cell[1]), max(box[2], cell[2]), max(box[3], cell[3])]
            }
            if let png = renderer.renderPNG(page: source.page, bbox: bbox, scale: whole ? 1 : 2, margin: whole ? 0 : 12, highlights: cells) {
                images.crops[item.seq] = uri(png)
            }
        }
        for page in 1...max(1, min(renderer.pageCount, Self.maxPageImages)) where page <= renderer.pageCount {
            if let png = renderer.renderPNG(page: page, bbox: [0, 0, 1e6, 1e6], scale: 1, margin: 0) { images.pages[page] = uri(png) }
        }
        return (images, nil)
    }
}

/// The `sizes` column: the first option's choices at their full prices, `Small=9.00|Large=15.00`.
///
/// Only an item's first option (its sizes: S/M/L, glass/bottle) appears in the review; further
/// options are kept as they were read.
public enum SizesText {
    public static func format(_ option: MenuOption?, base: Int64?, exponent: Int) -> String {
        guard let option, !option.choices.isEmpty else { return "" }
        return option.choices.map { choice in
            let name = choice.value.replacingOccurrences(of: "|", with: "/").replacingOccurrences(of: "=", with: "-")
            return name + "=" + MoneyText.format((base ?? 0) + choice.priceDeltaCents, exponent: exponent)
        }.joined(separator: "|")
    }

    /// `[(choice, full price in minor units)]`, or the reason the text is not sizes.
    public static func parse(_ text: String, exponent: Int) -> Result<[(String, Int64)], SizesError> {
        let trimmed = text.trimmed
        guard !trimmed.isEmpty else { return .success([]) }
        var out: [(String, Int64)] = []
        for part in trimmed.split(separator: "|", omittingEmptySubsequences: false) {
            let piece = part.trimmed
            guard let eq = piece.lastIndex(of: "=") else { return .failure(.notSizes(piece)) }
            let name = piece[..<eq].trimmed
            let priceText = piece[piece.index(after: eq)...].trimmed
            guard !name.isEmpty else { return .failure(.notSizes(piece)) }
            guard let cents = PriceText.parse(priceText, exponent: exponent), cents >= 0 else {
                return .failure(.badPrice(name: name, text: priceText))
            }
            out.append((name, cents))
        }
        return .success(out)
    }

    public enum SizesError: Error, Equatable {
        case notSizes(String)
        case badPrice(name: String, text: String)
    }
}

/// A price typed into the review CSV: `9.00`, `9`, or a spreadsheet's `9,00` / `1.200,00`.
enum PriceText {
    static func parse(_ text: String, exponent: Int) -> Int64? {
        let t = text.trimmed
        guard !t.isEmpty else { return nil }
        if let v = try? MoneyText.minorUnits(t, exponent: exponent) { return v }
        return try? MoneyText.minorUnits(t, exponent: exponent, decimalSeparator: UInt8(ascii: ","), groupingSeparator: UInt8(ascii: "."))
    }
}
