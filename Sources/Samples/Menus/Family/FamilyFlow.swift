/// Blocks placed down the columns of a page, then on a new page: where a generated menu's next
/// heading or dish goes. The first page carries the venue's name and address (and, when no price
/// shows a sign, the line saying the currency); every page carries the footer.
///
///     var flow = FamilyFlow(style: style, columns: [(56, 539)])
///     if flow.reserve(30) { /* a new column or page began: repeat the heading? */ }
///     flow.page.text("…", x: flow.left, y: flow.y + 12, font: .helvetica, size: 11)
///     flow.y += 30
///     let pdf = flow.finish()
struct FamilyFlow {
    var style: FamilyStyle
    var columns: [(left: Double, right: Double)]
    var width: Double
    var height: Double
    var page: PDFPage
    var pdf: PDFWriter
    var column = 0
    var y: Double
    var top: Double
    var bottom: Double
    var accent: PDFColor

    init(style: FamilyStyle, columns: [(left: Double, right: Double)], width: Double = 595, height: Double = 842,
         accent: PDFColor = PDFColor(90, 40, 20), titleFont: PDFFont = .timesBold) {
        self.style = style
        self.columns = columns
        self.width = width; self.height = height
        self.accent = accent
        pdf = PDFWriter(title: style.venue)
        page = PDFPage(width: width, height: height)
        page.textCentered(style.venue, center: width / 2, y: 58, font: titleFont, size: 24, color: accent)
        page.textCentered(style.address, center: width / 2, y: 76, font: .helvetica, size: 9, color: .grey)
        top = 36
        bottom = height - 50
        y = 100
        if style.price.needsNote {
            page.textCentered(style.words.pricesIn, center: width / 2, y: 89, font: .helvetica, size: 9, color: .grey)
            y = 110
        }
    }

    var left: Double { columns[column].left }
    var right: Double { columns[column].right }
    var center: Double { (left + right) / 2 }

    /// Makes room for a block `height` tall: the next column, or a new page, when it would not fit.
    /// True when the block moved.
    mutating func reserve(_ height: Double) -> Bool {
        guard y + height > bottom else { return false }
        if column + 1 < columns.count {
            column += 1
        } else {
            newPage()
        }
        y = pageTop
        return true
    }

    /// Where the current page's columns begin.
    var pageTop: Double { pdf.pages.isEmpty ? (style.price.needsNote ? 110 : 100) : top }

    mutating func newPage() {
        footer()
        pdf.add(page)
        page = PDFPage(width: width, height: height)
        column = 0
        y = top
    }

    private mutating func footer() {
        page.textCentered(style.words.footer, center: width / 2, y: height - 22, font: .helvetica, size: 7.5, color: .grey)
    }

    mutating func finish() -> PDFWriter {
        footer()
        pdf.add(page)
        return pdf
    }

    /// The description's lines, wrapped to `width`.
    static func lines(_ description: String?, width: Double, font: PDFFont, size: Double) -> [String] {
        description.map { PDFPage.wrap($0, width: width, font: font, size: size) } ?? []
    }
}
