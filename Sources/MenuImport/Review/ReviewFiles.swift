import BackofficeCore
import Foundation
import Output

/// `menu review`: the owner's two files for one staged import.
///
/// - `review.html`, self-contained (inline CSS, no script): flagged items first, each beside a crop
///   of the page region it was read from (rendered from the PDF the import recorded, when it is
///   still there unchanged).
/// - `review.csv`: one row per item for the owner to fill in (`decision`: keep, fix or drop) and
///   hand back to `menu apply`. Outside text is defused exactly as the reports do (`CSVWriter`).
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
    ]

    /// Builds both files. `renderCrops: false` leaves the crops out (the PDF is not opened).
    public static func make(for staged: StagedImport, venueName: String? = nil, renderCrops: Bool = true) throws(Failure) -> ReviewFiles {
        var crops: [Int: String] = [:]
        var notice: String?
        if renderCrops {
            (crops, notice) = Self.crops(for: staged)
        }
        let html = try ReviewPage.render(staged, venueName: venueName, crops: crops, notice: notice)
        return ReviewFiles(html: html, csv: csvBytes(staged), cropNotice: notice)
    }

    /// Writes `review.html` and `review.csv` into `directory` (created if missing). Returns their paths.
    @discardableResult
    public func write(to directory: URL) throws(Failure) -> (html: String, csv: String) {
        let html = directory.appendingPathComponent("review.html")
        let csvURL = directory.appendingPathComponent("review.csv")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure.cantCreate(path: directory.path, reason: "the folder cannot be created (\(error.localizedDescription))")
        }
        for (url, data) in [(html, Data(self.html.utf8)), (csvURL, Data(csv))] {
            do {
                try data.write(to: url, options: .atomic)
            } catch {
                throw Failure.cantCreate(path: url.path, reason: error.localizedDescription)
            }
        }
        return (html.path, csvURL.path)
    }

    /// `review.csv`: UTF-8 with a BOM, CRLF, every text cell defused.
    public static func csvBytes(_ staged: StagedImport) -> [UInt8] {
        var writer = CSVWriter(header: csvColumns)
        let exponent = staged.currencyExponent
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
            ])
        }
        return writer.drain()
    }

    static func confidenceText(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        let hundredths = Int((min(max(value, 0), 1) * 100).rounded())
        return hundredths == 100 ? "1.00" : "0." + (hundredths < 10 ? "0" : "") + String(hundredths)
    }

    /// PNG data URIs by item seq, or a sentence saying why there are none.
    static func crops(for staged: StagedImport) -> ([Int: String], String?) {
        let path = staged.pdfPath
        guard FileManager.default.fileExists(atPath: path) else {
            return ([:], "The menu PDF is no longer at \(path), so the page crops are left out; the items below are as read.")
        }
        guard let file = try? PDFFile.load(path), file.sha256 == staged.sha256 else {
            return ([:], "The file at \(path) has changed since the import (its SHA-256 differs), so the page crops are left out; the items below are as read from the original.")
        }
        let renderer: PDFRenderer
        do {
            renderer = try PDFRenderer(file: file)   // the bytes just hashed, not read again
        } catch {
            return ([:], "The menu PDF at \(path) could not be opened (\(error.message)), so the page crops are left out.")
        }
        var crops: [Int: String] = [:]
        for item in staged.items {
            if let png = renderer.renderPNG(page: item.draft.source.page, bbox: item.draft.source.bbox) {
                crops[item.seq] = "data:image/png;base64," + Data(png).base64EncodedString()
            }
        }
        return (crops, nil)
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
