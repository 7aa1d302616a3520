import BackofficeCore
import Foundation

/// Reads a menu PDF for the structurer: the text layer through poppler, and every page without
/// one (a scan) drawn at 300 dpi and read by OCR.
///
///     let document = try MenuReader(ocr: TesseractOCR(languages: "eng")).read(PDFFile.load("menu.pdf"))
public struct MenuReader: Sendable {
    public var ocr: TesseractOCR
    public var dpi: Double
    /// Pick the OCR language from the first scanned page (read in English first) when the
    /// caller named none.
    public var guessLanguage: Bool

    public init(ocr: TesseractOCR = TesseractOCR(), dpi: Double = 300, guessLanguage: Bool = false) {
        self.ocr = ocr; self.dpi = dpi; self.guessLanguage = guessLanguage
    }

    /// The document with its scanned pages read by OCR. 65 when no page has any text to read;
    /// 69 when a page needs OCR and Tesseract is missing or fails.
    public func read(_ file: PDFFile) throws(Failure) -> TextDocument {
        var document = try PDFExtractor.read(file)
        let scans = document.pages.indices.filter { document.pages[$0].imageOnly }
        if !scans.isEmpty {
            let renderer = try PDFRenderer(file: file)
            var ocr = self.ocr
            var languageSettled = !guessLanguage
            for i in scans {
                let page = document.pages[i]
                guard let png = renderer.renderPagePNG(page: page.number, dpi: dpi) else { continue }
                var words = try ocr.words(png: png, dpi: dpi, page: page.number, file: file.path)
                if !languageSettled, !words.isEmpty {
                    languageSettled = true
                    // the page read in English says which language it is; read it again in that one
                    if let language = OCRLanguage.guess(words.map(\.text)), language != "eng",
                       OCRLanguage.installed(executable: ocr.executable).contains(language) {
                        ocr.languages = language + "+eng"
                        words = try ocr.words(png: png, dpi: dpi, page: page.number, file: file.path)
                    }
                }
                document.pages[i] = OCRLayout.page(number: page.number, width: page.width, height: page.height,
                                                   words: words, fonts: &document.fonts)
            }
        }
        try document.requireText()
        return document
    }
}
