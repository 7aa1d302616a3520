import BackofficeCore
import Foundation

/// Reads a menu PDF for the structurer: the text layer through poppler, and every page without
/// one (a scan) drawn at 300 dpi and read by OCR.
///
///     let document = try MenuReader(ocr: TesseractOCR(languages: "eng")).read(PDFFile.load("menu.pdf"))
public struct MenuReader: Sendable {
    public var ocr: TesseractOCR
    public var dpi: Double

    public init(ocr: TesseractOCR = TesseractOCR(), dpi: Double = 300) {
        self.ocr = ocr; self.dpi = dpi
    }

    /// The document with its scanned pages read by OCR. 65 when no page has any text to read;
    /// 69 when a page needs OCR and Tesseract is missing or fails.
    public func read(_ file: PDFFile) throws(Failure) -> TextDocument {
        var document = try PDFExtractor.read(file)
        let scans = document.pages.indices.filter { document.pages[$0].imageOnly }
        if !scans.isEmpty {
            let renderer = try PDFRenderer(file: file)
            for i in scans {
                let page = document.pages[i]
                guard let png = renderer.renderPagePNG(page: page.number, dpi: dpi) else { continue }
                let words = try ocr.words(png: png, dpi: dpi, page: page.number, file: file.path)
                document.pages[i] = OCRLayout.page(number: page.number, width: page.width, height: page.height,
                                                   words: words, fonts: &document.fonts)
            }
        }
        try document.requireText()
        return document
    }
}
