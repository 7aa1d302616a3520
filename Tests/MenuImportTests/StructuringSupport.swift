@testable import MenuImport

/// Builds synthetic pages: each text line becomes glyphs half a font size wide, spaces included.
struct PageBuilder {
    var fonts: [FontStyle] = [
        FontStyle(name: "Body", size: 10, bold: false, italic: false, red: 0, green: 0, blue: 0),
        FontStyle(name: "Body-Bold", size: 10, bold: true, italic: false, red: 0, green: 0, blue: 0),
        FontStyle(name: "Title", size: 16, bold: true, italic: false, red: 0, green: 0, blue: 0),
        FontStyle(name: "Small", size: 7, bold: false, italic: false, red: 0, green: 0, blue: 0),
    ]
    var glyphs: [Glyph] = []

    static let body = 0, bold = 1, title = 2, small = 3

    /// `text` starting at `x`, top at `y`; `tracking` adds space between letters (letter-spaced type).
    mutating func text(_ text: String, x: Double, y: Double, font: Int = PageBuilder.body, tracking: Double = 0) {
        let size = fonts[font].size
        var cx = x
        for s in text.unicodeScalars {
            let w = s == " " ? size * 0.3 : size * 0.5
            glyphs.append(Glyph(scalar: s, x0: cx, y0: y, x1: cx + w, y1: y + size * 1.2, font: font))
            cx += w + tracking
        }
    }

    /// `text` ending at `right` (right-aligned prices).
    mutating func right(_ text: String, right: Double, y: Double, font: Int = PageBuilder.body) {
        let size = fonts[font].size
        let width = text.unicodeScalars.reduce(0.0) { $0 + ($1 == " " ? size * 0.3 : size * 0.5) }
        self.text(text, x: right - width, y: y, font: font)
    }

    func page(_ number: Int = 1) -> TextPage {
        TextPage(number: number, width: 595, height: 842, glyphs: glyphs, imageOnly: false)
    }

    func document(pages: [TextPage]? = nil) -> TextDocument {
        TextDocument(file: "test.pdf", sha256: "", pages: pages ?? [page()], fonts: fonts)
    }
}

extension PageBuilder {
    /// What the heuristic structurer reads on the built page.
    func structured(currency: String? = nil) throws -> MenuDocument {
        try HeuristicStructurer().structure(document(), currency: currency)
    }
}

extension MenuDocument {
    /// The first item of that name.
    func item(_ name: String) -> MenuItemDraft? { items.first { $0.name == name } }
}
