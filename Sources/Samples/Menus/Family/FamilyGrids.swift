/// Layouts of the family that set dishes in a grid: boxed sections, a table of price columns,
/// sizes on the dish's row.
extension FamilyLayout {
    /// Sections in outlined boxes, two across, two or three rows; headings centred in the box
    /// (capitals on some seeds).
    static let boxedGrid = FamilyLayout(name: "boxed_grid", exercises: "sections in outlined boxes, two across (2x2 or 3x2)",
                                 sections: 4...6, items: 3...4, descriptions: 40) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(40, 555)], accent: PDFColor(20, 70, 90), titleFont: .helveticaBold)
        let rows = (menu.sections.count + 1) / 2
        let top = flow.y + 6, gap = 14.0
        let cellWidth = (515 - gap) / 2
        let cellHeight = (flow.bottom - top - gap * Double(rows - 1)) / Double(rows)
        var index = 0
        return flow.draw(menu, gap: 0, heading: { flow, section in
            let x = 40 + Double(index % 2) * (cellWidth + gap), boxTop = top + Double(index / 2) * (cellHeight + gap)
            index += 1
            flow.page.box(x: x, y: boxTop, width: cellWidth, height: cellHeight, color: flow.accent)
            let heading = style.variant % 2 == 0 ? section.name.uppercased() : section.name
            flow.page.textCentered(heading, center: x + cellWidth / 2, y: boxTop + 22, font: .helveticaBold, size: 12, color: flow.accent)
            flow.columns = [(x + 12, x + cellWidth - 12)]
            flow.y = boxTop + 34
        }) { flow, item in
            flow.dish(item.name, price: style.text(item.price!), font: .helvetica, size: 10, priceFont: .helveticaBold,
                      description: item.description, descriptionFont: .helveticaOblique, descriptionSize: 8)
        }
    }

    /// A table: size labels over two or three price columns (once at the top, or on every section's band),
    /// sections on shaded bands, a rule under every row; a size a dish is not sold in is left blank
    /// or dashed.
    static let priceTable = FamilyLayout(name: "price_table", exercises: "a table with two or three price columns under size labels (once or per section), blank or dashed cells, row rules",
                                 sections: 3...4, items: 3...5, descriptions: 30, sizes: 2...3) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(56, 539)], accent: PDFColor(60, 60, 110))
        let labels = menu.sections.first?.items.first?.sizes.map(\.label) ?? []
        let rights: [Double] = labels.count == 2 ? [459, 539] : [399, 469, 539]
        let once = style.variant % 2 == 0
        let dash = style.variant >= 2
        func labelRow(_ flow: inout FamilyFlow, _ y: Double) {
            for (label, right) in zip(labels, rights) {
                flow.page.textRight(label, right: right, y: y, font: .helveticaBold, size: 9.5, color: flow.accent)
            }
        }
        if once {
            labelRow(&flow, flow.y + 12)
            flow.page.rule(x0: 56, x1: 539, y: flow.y + 17, color: flow.accent, lineWidth: 1)
            flow.y += 26
        }
        return flow.draw(menu, gap: 10, heading: { flow, section in
            _ = flow.reserve(60)
            flow.page.rect(x: 56, y: flow.y, width: 483, height: 18, color: PDFColor(228, 228, 236))
            flow.page.text(section.name, x: 60, y: flow.y + 13, font: .helveticaBold, size: 11, color: flow.accent)
            if !once { labelRow(&flow, flow.y + 13) }
            flow.y += 24
        }) { flow, item in
            let under = FamilyFlow.lines(item.description, width: 300, font: .helveticaOblique, size: 8)
            _ = flow.reserve(16 + Double(under.count) * 10)
            flow.page.text(item.name, x: 60, y: flow.y + 10, font: .helvetica, size: 10)
            for (size, right) in zip(item.sizes, rights) {
                if let cents = size.cents { flow.page.textRight(style.text(cents), right: right, y: flow.y + 10, font: .helvetica, size: 10) }
                else if dash { flow.page.textRight("–", right: right - 10, y: flow.y + 10, font: .helvetica, size: 10) }
            }
            flow.y += 13
            flow.lines(under, x: 60, font: .helveticaOblique, size: 8, step: 10)
            flow.page.rule(x0: 56, x1: 539, y: flow.y + 1, color: PDFColor(200, 200, 200), lineWidth: 0.4)
            flow.y += 5
        }
    }

    /// Every dish in three sizes, each printed as its label then its price on the dish's row
    /// (`Small 8,00   Medium 9,50   Large 12,00`); a size not sold is left out.
    static let inlineSizes = FamilyLayout(name: "inline_sizes", exercises: "three sizes printed as label and price pairs on the dish's row",
                                 sections: 2...3, items: 3...5, descriptions: 40, sizes: 3...3) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(56, 539)], accent: PDFColor(120, 40, 60))
        return flow.draw(menu, gap: 8, heading: { $0.heading($1.name, font: .timesBold, size: 15, rule: true) }) { flow, item in
            let under = FamilyFlow.lines(item.description, width: 200, font: .timesItalic, size: 9)
            _ = flow.reserve(16 + Double(under.count) * 11.5)
            flow.page.text(item.name, x: 56, y: flow.y + 11, font: .timesBold, size: 11)
            for (k, size) in item.sizes.reversed().enumerated() {
                guard let cents = size.cents else { continue }
                let x = flow.page.textRight(style.text(cents), right: 539 - 92 * Double(k), y: flow.y + 11, font: .timesRoman, size: 11)
                flow.page.textRight(size.label, right: x - 4, y: flow.y + 11, font: .timesItalic, size: 9, color: .grey)
            }
            flow.y += 14
            flow.lines(under, x: 56, font: .timesItalic, size: 9, step: 11.5)
            flow.y += 7
        }
    }
}
