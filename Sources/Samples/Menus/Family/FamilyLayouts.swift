/// The family's layouts in the order the tables list them; each is defined beside its drawing.
extension FamilyLayout {
    static let all: [FamilyLayout] = [
        .boxedGrid, .priceTable, .inlineSizes, .ornamentHeadings, .numbered, .descriptionAbove,
        .descriptionBelowGrey, .priceFirst, .priceAfterDescription, .headingPrice, .pageBreak, .twoColumns,
        .threeColumns, .dotLeaders, .bareNumbers, .centered, .inlineDescription, .priceAfterName,
    ]
}

extension FamilyFlow {
    /// Every section of `menu` in turn: `heading` draws its heading, `dish` each of its dishes,
    /// `gap` after it; then the finished PDF.
    mutating func draw(_ menu: SampleMenu, gap: Double = 6, heading: (inout FamilyFlow, SampleSection) -> Void,
                       dish: (inout FamilyFlow, SampleItem) -> Void) -> PDFWriter {
        for section in menu.sections {
            heading(&self, section)
            for item in section.items { dish(&self, item) }
            y += gap
        }
        return finish()
    }

    /// `lines` one under the other, `step` apart, from `x` (or centred on it).
    mutating func lines(_ lines: [String], x: Double, font: PDFFont, size: Double, step: Double,
                        color: PDFColor = .grey, centered: Bool = false) {
        for line in lines {
            if centered { page.textCentered(line, center: x, y: y + size, font: font, size: size, color: color) }
            else { page.text(line, x: x, y: y + size, font: font, size: size, color: color) }
            y += step
        }
    }

    /// A dish's row: the name from `x` (default: the column's left), the price right-aligned to the
    /// column (when given), the description's lines under the name.
    mutating func dish(_ name: String, price: String?, font: PDFFont, size: Double, priceFont: PDFFont? = nil,
                       description: String?, descriptionFont: PDFFont, descriptionSize: Double,
                       descriptionColor: PDFColor = .grey, x: Double? = nil, after: Double = 7) {
        let x = x ?? left
        let wrapped = Self.lines(description, width: right - x - 60, font: descriptionFont, size: descriptionSize)
        _ = reserve(size * 1.3 + Double(wrapped.count) * descriptionSize * 1.3 + after)
        page.text(name, x: x, y: y + size, font: font, size: size)
        if let price { page.textRight(price, right: right, y: y + size, font: priceFont ?? font, size: size) }
        y += size * 1.3
        lines(wrapped, x: x, font: descriptionFont, size: descriptionSize, step: descriptionSize * 1.3, color: descriptionColor)
        y += after
    }

    /// A heading of `size` in the accent colour, with room for the first dish under it.
    mutating func heading(_ text: String, font: PDFFont, size: Double, centered: Bool = false, rule: Bool = false) {
        _ = reserve(size * 2.2 + 40)
        if centered { page.textCentered(text, center: center, y: y + size, font: font, size: size, color: accent) }
        else { page.text(text, x: left, y: y + size, font: font, size: size, color: accent) }
        if rule { page.rule(x0: left, x1: right, y: y + size + 4, color: accent) }
        y += size * 2.2
    }
}
