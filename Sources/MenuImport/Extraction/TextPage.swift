/// What extraction reads from one PDF page: every character with its rectangle and font.
/// Coordinates are PDF points with the origin at the page's top-left (as `bbox` in the contract).
public struct TextPage: Sendable, Equatable {
    /// 1-based.
    public var number: Int
    public var width: Double
    public var height: Double
    public var glyphs: [Glyph]
    /// The page shows images but has no text layer (a scan).
    public var imageOnly: Bool
    /// The glyphs were read from the page's image by OCR.
    public var ocr: Bool
    /// Boxes (`[x0, y0, x1, y1]`) of the words OCR was unsure of.
    public var uncertain: [[Double]]

    public init(number: Int, width: Double, height: Double, glyphs: [Glyph], imageOnly: Bool,
                ocr: Bool = false, uncertain: [[Double]] = []) {
        self.number = number; self.width = width; self.height = height
        self.glyphs = glyphs; self.imageOnly = imageOnly; self.ocr = ocr; self.uncertain = uncertain
    }
}

public struct Glyph: Sendable, Equatable {
    /// One Unicode scalar as poppler reports it (may be a space or a line break).
    public var scalar: Unicode.Scalar
    public var x0: Double
    public var y0: Double
    public var x1: Double
    public var y1: Double
    /// Index into `TextDocument.fonts`.
    public var font: Int

    public init(scalar: Unicode.Scalar, x0: Double, y0: Double, x1: Double, y1: Double, font: Int) {
        self.scalar = scalar; self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1; self.font = font
    }
}

public struct FontStyle: Sendable, Hashable {
    public var name: String
    public var size: Double
    public var bold: Bool
    public var italic: Bool
    /// 0...255 each.
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8
    /// Poppler saw an underline under the run.
    public var underlined: Bool = false

    public init(name: String, size: Double, bold: Bool, italic: Bool, red: UInt8, green: UInt8, blue: UInt8,
                underlined: Bool = false) {
        self.name = name; self.size = size; self.bold = bold; self.italic = italic
        self.red = red; self.green = green; self.blue = blue; self.underlined = underlined
    }
}

/// A whole PDF, read.
public struct TextDocument: Sendable, Equatable {
    public var file: String
    public var sha256: String
    public var pages: [TextPage]
    public var fonts: [FontStyle]

    public init(file: String, sha256: String, pages: [TextPage], fonts: [FontStyle]) {
        self.file = file; self.sha256 = sha256; self.pages = pages; self.fonts = fonts
    }
}

extension Unicode.Scalar {
    /// Whether the scalar is white space (a space, a tab, a line break, a no-break space).
    var isWhiteSpace: Bool { properties.isWhitespace }
}
