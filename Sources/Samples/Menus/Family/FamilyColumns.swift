/// Layouts of the family whose sections flow: across a page break, down two or three columns.
extension FamilyLayout {
    /// One column over two pages or more; a section cut by the page goes on at the top of the next
    /// one, under its heading again marked `(continued)`, or under no heading at all.
    static let pageBreak = FamilyLayout(name: "page_break", exercises: "sections continued across a page break, with or without the heading repeated as `(continued)`",
                                 sections: 4...5, items: 5...6, descriptions: 90) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(64, 531)], accent: PDFColor(20, 20, 100))
        flowing(menu, style, &flow, breakMidway: true, heading: { flow, text in flow.heading(text, font: .timesBold, size: 15) },
                dish: { flow, item in
                    flow.dish(item.name, price: style.text(item.price!), font: .timesBold, size: 11.5, priceFont: .timesRoman,
                              description: item.description, descriptionFont: .timesItalic, descriptionSize: 9.5, after: 9)
                })
        return flow.finish()
    }

    /// Two columns on a portrait page; sections flow down the first column and on into the second
    /// (and onto a second page when they must); headings underlined.
    static let twoColumns = FamilyLayout(name: "two_columns", exercises: "two columns that sections flow down and across, headings underlined",
                                 sections: 4...6, items: 4...6, descriptions: 60) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(48, 284), (311, 547)], accent: PDFColor(0, 100, 100), titleFont: .helveticaBold)
        flowing(menu, style, &flow, balanced: true,
                heading: { flow, text in flow.heading(text.uppercased(), font: .helveticaBold, size: 12, rule: true) },
                dish: { flow, item in
                    flow.dish(item.name, price: style.text(item.price!), font: .helvetica, size: 9.5,
                              description: item.description, descriptionFont: .helveticaOblique, descriptionSize: 8)
                })
        return flow.finish()
    }

    /// Three columns on a landscape page.
    static let threeColumns = FamilyLayout(name: "three_columns", exercises: "three columns on a landscape page",
                                 sections: 5...6, items: 3...5, descriptions: 60) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(36, 276), (301, 541), (566, 806)], width: 842, height: 595,
                              accent: PDFColor(120, 20, 20))
        flowing(menu, style, &flow, balanced: true, heading: { flow, text in flow.heading(text, font: .timesBold, size: 13) },
                dish: { flow, item in
                    flow.dish(item.name, price: style.text(item.price!), font: .timesRoman, size: 10, priceFont: .timesBold,
                              description: item.description, descriptionFont: .timesItalic, descriptionSize: 8.5, after: 5)
                })
        return flow.finish()
    }

    /// Sections one after another in the flow; a section cut by a column or page break gets its
    /// heading again with the language's `(continued)` on even variants. `balanced` shortens the
    /// columns so that the menu fills all of them; `breakMidway` starts a new page in the middle of
    /// the section that holds the menu's middle dish.
    static func flowing(_ menu: SampleMenu, _ style: FamilyStyle, _ flow: inout FamilyFlow, balanced: Bool = false, breakMidway: Bool = false,
                        heading: (inout FamilyFlow, String) -> Void, dish: (inout FamilyFlow, SampleItem) -> Void) {
        if balanced {
            var probe = flow
            probe.columns = [flow.columns[0]]
            probe.bottom = .infinity
            _ = probe.draw(menu, gap: 8, heading: { heading(&$0, $1.name) }, dish: dish)
            flow.bottom = min(flow.bottom, flow.y + (probe.y - flow.y) / Double(flow.columns.count) + 30)
        }
        let middle = menu.sections.reduce(0) { $0 + $1.items.count } / 2
        var count = 0, brokeMidway = false
        for section in menu.sections {
            heading(&flow, section.name)
            for (k, item) in section.items.enumerated() {
                let (page, column) = (flow.pdf.pages.count, flow.column)
                // the dish's room is made by `dish`; a break shows as a new page or column
                var probe = flow
                dish(&probe, item)
                let midway = breakMidway && !brokeMidway && k > 0 && count >= middle
                brokeMidway = brokeMidway || midway
                if midway || probe.pdf.pages.count != page || probe.column != column {
                    if midway { flow.newPage() } else { _ = flow.reserve(.infinity) }
                    if style.variant % 2 == 0 { heading(&flow, section.name + " " + style.words.continued) }
                }
                dish(&flow, item)
                count += 1
            }
            flow.y += 8
        }
    }
}
