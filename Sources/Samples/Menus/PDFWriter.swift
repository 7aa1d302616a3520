/// A tiny PDF writer for sample menus: pages of text in the standard-14 fonts (WinAnsiEncoding,
/// so `€` is byte 0x80), filled rectangles, grey images. The same input gives the same bytes
/// (no dates, no random ids), so the committed samples can be checked by regenerating them.
///
///     var pdf = PDFWriter()
///     var page = PDFPage(width: 595, height: 842)
///     page.text("Margherita", x: 72, y: 100, font: .helveticaBold, size: 12)
///     page.textRight("9,00 €", right: 523, y: 100, font: .helvetica, size: 12)
///     pdf.add(page)
///     let bytes = pdf.bytes()
///
/// Coordinates are PDF points with the origin at the page's top-left, `y` being the text's baseline
/// (the writer flips them into PDF space).
public struct PDFWriter: Sendable {
    public private(set) var pages: [PDFPage] = []
    public var title: String

    public init(title: String = "Menu") { self.title = title }

    public mutating func add(_ page: PDFPage) { pages.append(page) }

    /// The whole file.
    public func bytes() -> [UInt8] {
        var out = PDFBytes()
        out.append("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n")  // the binary comment marks the file as binary
        var offsets: [Int] = []
        func begin(_ number: Int) {
            precondition(number == offsets.count + 1)
            offsets.append(out.count)
            out.append("\(number) 0 obj\n")
        }
        // 1 catalog, 2 page tree, 3 info, 4... fonts, then per page: page, content, images.
        let fonts = PDFFont.allCases
        let fontBase = 4
        var next = fontBase + fonts.count
        var pageObjects: [(page: Int, content: Int, images: [Int])] = []
        for page in pages {
            let images = page.images.indices.map { next + 2 + $0 }
            pageObjects.append((next, next + 1, images))
            next += 2 + images.count
        }

        begin(1); out.append("<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
        begin(2)
        out.append("<< /Type /Pages /Count \(pages.count) /Kids [")
        out.append(pageObjects.map { "\($0.page) 0 R" }.joined(separator: " "))
        out.append("] >>\nendobj\n")
        begin(3)
        out.append("<< /Title ")
        out.appendLiteral(title)
        out.append(" /Producer (backoffice sample menus) >>\nendobj\n")
        for (i, font) in fonts.enumerated() {
            begin(fontBase + i)
            out.append("<< /Type /Font /Subtype /Type1 /BaseFont /\(font.baseFont) /Encoding /WinAnsiEncoding")
            out.append(" /FirstChar 32 /LastChar 255 /Widths [")
            out.append(font.widths.map(String.init).joined(separator: " "))
            out.append("] >>\nendobj\n")
        }
        let fontResources = fonts.enumerated().map { "/\($0.element.resourceName) \(fontBase + $0.offset) 0 R" }.joined(separator: " ")
        for (page, objects) in zip(pages, pageObjects) {
            begin(objects.page)
            out.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(PDFNumber.format(page.width)) \(PDFNumber.format(page.height))]")
            out.append(" /Resources << /Font << \(fontResources) >>")
            if !objects.images.isEmpty {
                out.append(" /XObject << ")
                out.append(objects.images.enumerated().map { "/Im\($0.offset + 1) \($0.element) 0 R" }.joined(separator: " "))
                out.append(" >>")
            }
            out.append(" >> /Contents \(objects.content) 0 R >>\nendobj\n")
            begin(objects.content)
            out.append("<< /Length \(page.content.count) >>\nstream\n")
            out.append(page.content)
            out.append("\nendstream\nendobj\n")
            for (image, number) in zip(page.images, objects.images) {
                begin(number)
                out.append("<< /Type /XObject /Subtype /Image /Width \(image.width) /Height \(image.height)")
                out.append(" /ColorSpace /DeviceGray /BitsPerComponent 8 /Length \(image.pixels.count) >>\nstream\n")
                out.append(image.pixels)
                out.append("\nendstream\nendobj\n")
            }
        }
        let xref = out.count
        out.append("xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n")
        for offset in offsets {
            let digits = String(offset)
            out.append(String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n")
        }
        out.append("trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R /Info 3 0 R >>\nstartxref\n\(xref)\n%%EOF\n")
        return out.bytes
    }
}

/// The standard-14 fonts the writer offers (no embedding; every reader has them).
public enum PDFFont: Int, CaseIterable, Sendable {
    case helvetica, helveticaBold, helveticaOblique, timesRoman, timesBold, timesItalic

    public var baseFont: String {
        switch self {
        case .helvetica: "Helvetica"
        case .helveticaBold: "Helvetica-Bold"
        case .helveticaOblique: "Helvetica-Oblique"
        case .timesRoman: "Times-Roman"
        case .timesBold: "Times-Bold"
        case .timesItalic: "Times-Italic"
        }
    }

    var resourceName: String { "F\(rawValue + 1)" }

    /// 1/1000 em per WinAnsi code 32...255. Oblique and italic are measured as their upright
    /// cut (close enough for layout; the same widths go into the file).
    var widths: [UInt16] {
        switch self {
        case .helvetica, .helveticaOblique: StandardFontMetrics.helvetica
        case .helveticaBold: StandardFontMetrics.helveticaBold
        case .timesRoman, .timesItalic: StandardFontMetrics.timesRoman
        case .timesBold: StandardFontMetrics.timesBold
        }
    }

    /// The width of `text` set at `size` points.
    public func width(_ text: String, size: Double) -> Double {
        let table = widths
        var total = 0
        for byte in WinAnsi.encode(text) where byte >= 32 {
            total += Int(table[Int(byte) - 32])
        }
        return Double(total) * size / 1000
    }
}

/// An RGB colour, 0...255 per channel.
public struct PDFColor: Sendable, Equatable {
    public var red: UInt8, green: UInt8, blue: UInt8
    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) { self.red = red; self.green = green; self.blue = blue }
    public static let black = PDFColor(0, 0, 0)
    public static let white = PDFColor(255, 255, 255)
    public static let grey = PDFColor(110, 110, 110)

    var operands: String {
        [red, green, blue].map { PDFNumber.format(Double($0) / 255, places: 3) }.joined(separator: " ")
    }
}

/// One page: its size and drawing operations, top-left coordinates.
public struct PDFPage: Sendable {
    public var width: Double
    public var height: Double
    var content = PDFBytes()
    var images: [(width: Int, height: Int, pixels: [UInt8])] = []

    /// A4 by default.
    public init(width: Double = 595, height: Double = 842) { self.width = width; self.height = height }

    /// Draws `text` with its baseline at `y` from the top, starting at `x`.
    public mutating func text(_ text: String, x: Double, y: Double, font: PDFFont, size: Double, color: PDFColor = .black) {
        content.append("BT \(color.operands) rg /\(font.resourceName) \(PDFNumber.format(size)) Tf ")
        content.append("1 0 0 1 \(PDFNumber.format(x)) \(PDFNumber.format(height - y)) Tm ")
        content.appendLiteral(text)
        content.append(" Tj ET\n")
    }

    /// Draws `text` so that it ends at `right`; returns where it starts.
    @discardableResult
    public mutating func textRight(_ text: String, right: Double, y: Double, font: PDFFont, size: Double, color: PDFColor = .black) -> Double {
        let x = right - font.width(text, size: size)
        self.text(text, x: x, y: y, font: font, size: size, color: color)
        return x
    }

    /// Draws `text` centred on `center`.
    public mutating func textCentered(_ text: String, center: Double, y: Double, font: PDFFont, size: Double, color: PDFColor = .black) {
        self.text(text, x: center - font.width(text, size: size) / 2, y: y, font: font, size: size, color: color)
    }

    /// `name.......price`: the name from `left`, the price ending at `right`, dots between, as one
    /// run of text the way word processors set leaders.
    public mutating func leader(_ name: String, price: String, left: Double, right: Double, y: Double,
                                font: PDFFont, size: Double, color: PDFColor = .black) {
        let dot = font.width(".", size: size)
        let space = font.width(" ", size: size)
        let room = right - left - font.width(name, size: size) - font.width(price, size: size) - space
        let dots = max(3, Int(room / dot))
        text(name + String(repeating: ".", count: dots) + " " + price, x: left, y: y, font: font, size: size, color: color)
    }

    /// A filled rectangle; `y` is its top edge.
    public mutating func rect(x: Double, y: Double, width: Double, height h: Double, color: PDFColor) {
        content.append("\(color.operands) rg \(PDFNumber.format(x)) \(PDFNumber.format(height - y - h)) ")
        content.append("\(PDFNumber.format(width)) \(PDFNumber.format(h)) re f\n")
    }

    /// The outline of a rectangle (a box around a section); `y` is its top edge.
    public mutating func box(x: Double, y: Double, width: Double, height h: Double, color: PDFColor, lineWidth: Double = 0.8) {
        content.append("\(color.operands) RG \(PDFNumber.format(lineWidth)) w \(PDFNumber.format(x)) \(PDFNumber.format(height - y - h)) ")
        content.append("\(PDFNumber.format(width)) \(PDFNumber.format(h)) re S\n")
    }

    /// A horizontal rule from `x0` to `x1` at `y` from the top.
    public mutating func rule(x0: Double, x1: Double, y: Double, color: PDFColor, lineWidth: Double = 0.6) {
        content.append("\(color.operands) RG \(PDFNumber.format(lineWidth)) w \(PDFNumber.format(x0)) \(PDFNumber.format(height - y)) m ")
        content.append("\(PDFNumber.format(x1)) \(PDFNumber.format(height - y)) l S\n")
    }

    /// A grey image (8 bits a pixel, `pixels.count == columns * rows`) drawn into the box.
    public mutating func image(columns: Int, rows: Int, pixels: [UInt8], x: Double, y: Double, width: Double, height h: Double) {
        precondition(pixels.count == columns * rows)
        images.append((columns, rows, pixels))
        content.append("q \(PDFNumber.format(width)) 0 0 \(PDFNumber.format(h)) \(PDFNumber.format(x)) \(PDFNumber.format(height - y - h)) cm /Im\(images.count) Do Q\n")
    }

    /// Splits `text` into lines no wider than `width`, at spaces.
    public static func wrap(_ text: String, width: Double, font: PDFFont, size: Double) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if !current.isEmpty && font.width(candidate, size: size) > width {
                lines.append(current)
                current = String(word)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}

/// Unicode to WinAnsiEncoding (Windows-1252) bytes; characters it lacks become `?`.
public enum WinAnsi {
    private static let high: [Unicode.Scalar: UInt8] = [
        "\u{20AC}": 0x80, "\u{201A}": 0x82, "\u{0192}": 0x83, "\u{201E}": 0x84, "\u{2026}": 0x85,
        "\u{2020}": 0x86, "\u{2021}": 0x87, "\u{02C6}": 0x88, "\u{2030}": 0x89, "\u{0160}": 0x8A,
        "\u{2039}": 0x8B, "\u{0152}": 0x8C, "\u{017D}": 0x8E, "\u{2018}": 0x91, "\u{2019}": 0x92,
        "\u{201C}": 0x93, "\u{201D}": 0x94, "\u{2022}": 0x95, "\u{2013}": 0x96, "\u{2014}": 0x97,
        "\u{02DC}": 0x98, "\u{2122}": 0x99, "\u{0161}": 0x9A, "\u{203A}": 0x9B, "\u{0153}": 0x9C,
        "\u{017E}": 0x9E, "\u{0178}": 0x9F,
    ]

    public static func encode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if (v >= 0x20 && v < 0x7F) || (v >= 0xA0 && v <= 0xFF) {
                out.append(UInt8(v))
            } else if let byte = high[scalar] {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "?"))
            }
        }
        return out
    }
}

/// Numbers as PDF writes them: at most `places` decimals, no exponent, no trailing zeros.
enum PDFNumber {
    static func format(_ value: Double, places: Int = 2) -> String {
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((value * Double(scale)).rounded())
        let negative = scaled < 0
        let magnitude = abs(scaled)
        var text = String(magnitude / scale)
        var fraction = magnitude % scale
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: places - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
            fraction = 0
        }
        return negative && magnitude != 0 ? "-" + text : text
    }
}

/// A growing byte buffer with PDF string helpers.
struct PDFBytes: Sendable {
    var bytes: [UInt8] = []
    var count: Int { bytes.count }

    mutating func append(_ text: String) {
        // Only the header's binary comment has scalars above 0x7F; they are written as single bytes.
        for scalar in text.unicodeScalars { bytes.append(UInt8(truncatingIfNeeded: scalar.value)) }
    }

    mutating func append(_ other: PDFBytes) { bytes += other.bytes }
    mutating func append(_ raw: [UInt8]) { bytes += raw }

    /// `(text)` in WinAnsi, with `(`, `)`, `\` escaped and bytes above 0x7E as octal escapes, so
    /// content streams stay 7-bit.
    mutating func appendLiteral(_ text: String) {
        bytes.append(UInt8(ascii: "("))
        for byte in WinAnsi.encode(text) {
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x7F...:
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(UInt8(ascii: "0") + (byte >> 6))
                bytes.append(UInt8(ascii: "0") + ((byte >> 3) & 7))
                bytes.append(UInt8(ascii: "0") + (byte & 7))
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: ")"))
    }
}
