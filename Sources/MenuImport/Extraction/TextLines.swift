/// One line of text as poppler laid it out: the glyphs between two line breaks.
///
///     for line in page.lines() { print(line.text, line.x0, line.y0, document.fonts[line.font].bold) }
///
/// Lines follow poppler's reading order (block by block, so a column's lines come together).
/// A line ends at poppler's `\n`, or where two non-space glyphs follow each other without poppler's
/// space yet sit on different rows, far apart, or out of order: poppler's text glues some blocks
/// together without a separator.
public struct TextLine: Sendable, Equatable {
    public var page: Int
    /// Indices into `TextPage.glyphs`, the line break excluded.
    public var glyphs: Range<Int>
    public var text: String
    /// PDF points, origin top-left.
    public var x0: Double
    public var y0: Double
    public var x1: Double
    public var y1: Double
    /// The font most of the line's non-space glyphs use (index into `TextDocument.fonts`).
    public var font: Int

    public init(page: Int, glyphs: Range<Int>, text: String, x0: Double, y0: Double, x1: Double, y1: Double, font: Int) {
        self.page = page; self.glyphs = glyphs; self.text = text
        self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1; self.font = font
    }
}

extension TextPage {
    /// The page's lines, in poppler's order; lines of only spaces are left out.
    public func lines() -> [TextLine] {
        var result: [TextLine] = []
        var start = 0
        var i = 0
        func close(_ end: Int) {
            if let line = makeLine(start..<end) { result.append(line) }
        }
        while i < glyphs.count {
            let g = glyphs[i]
            if g.scalar == "\n" || g.scalar == "\r" {
                close(i)
                start = i + 1
            } else if i > start, startsNewRow(after: glyphs[i - 1], next: g) {
                close(i)
                start = i
            }
            i += 1
        }
        close(glyphs.count)
        return result
    }

    private func startsNewRow(after previous: Glyph, next: Glyph) -> Bool {
        if previous.scalar.isWhiteSpace || next.scalar.isWhiteSpace { return false }
        let height = max(previous.y1 - previous.y0, 1)
        let below = next.y0 >= previous.y1 - 0.2 * height
        let above = next.y1 <= previous.y0 + 0.2 * height
        // Two blocks glued with no space between them: a wide gap, or a step back to the left.
        let gap = next.x0 - previous.x1 > 1.5 * height
        let back = next.x1 < previous.x0 - 0.5 * height
        return below || above || gap || back
    }

    private func makeLine(_ range: Range<Int>) -> TextLine? {
        var scalars = String.UnicodeScalarView()
        var x0 = Double.infinity, y0 = Double.infinity, x1 = -Double.infinity, y1 = -Double.infinity
        var counts: [Int: Int] = [:]
        for g in glyphs[range] {
            scalars.append(g.scalar)
            if g.scalar.isWhiteSpace { continue }
            x0 = min(x0, g.x0); y0 = min(y0, g.y0); x1 = max(x1, g.x1); y1 = max(y1, g.y1)
            counts[g.font, default: 0] += 1
        }
        guard let font = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key else {
            return nil
        }
        return TextLine(page: number, glyphs: range, text: String(scalars), x0: x0, y0: y0, x1: x1, y1: y1, font: font)
    }
}

extension TextDocument {
    /// Every line with its box and font, one per row, for developing the structurer
    /// (`backoffice menu extract FILE --words`):
    ///
    ///     p1 [ 72.0  90.3 210.5 102.3] Helvetica-Bold 12.0 bold #000000 | Margherita
    public func linesListing() -> String {
        var out = ""
        for page in pages {
            out += "page \(page.number) \(format(page.width)) x \(format(page.height)) pt"
            out += page.imageOnly ? ", image only (no text layer)\n" : "\n"
            for line in page.lines() {
                let font = fonts.indices.contains(line.font) ? fonts[line.font] : nil
                out += "p\(page.number) [\(pad(line.x0)) \(pad(line.y0)) \(pad(line.x1)) \(pad(line.y1))] "
                if let font {
                    out += "\(font.name.isEmpty ? "?" : font.name) \(format(font.size))"
                    if font.bold { out += " bold" }
                    if font.italic { out += " italic" }
                    if font.underlined { out += " underlined" }
                    out += " #" + hex(font.red) + hex(font.green) + hex(font.blue)
                }
                out += " | " + line.text + "\n"
            }
        }
        return out
    }

    private func format(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        let whole = Int(tenths / 10)
        let fraction = Int(abs(tenths).truncatingRemainder(dividingBy: 10))
        return (tenths < 0 && whole == 0 ? "-" : "") + "\(whole).\(fraction)"
    }

    private func pad(_ value: Double) -> String {
        let text = format(value)
        return String(repeating: " ", count: max(0, 6 - text.count)) + text
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
