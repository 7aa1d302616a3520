/// Layouts of the family whose headings carry more than a name: ornaments, numbers, a price.
extension FamilyLayout {
    /// Centred headings between ornaments (`~ Douceurs ~`, `— Carnes —`, `• Sfizi •`) or between
    /// two rules; dishes left, prices right.
    static let ornamentHeadings = FamilyLayout(name: "ornament_headings", exercises: "centred headings between ornaments (`~ X ~`, `— X —`, `• X •`) or rules",
                                 sections: 3...5, items: 3...4, descriptions: 60) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(72, 523)], accent: PDFColor(100, 70, 20))
        let marks = ["~", "—", "•", ""][style.variant]
        return flow.draw(menu, gap: 8, heading: { flow, section in
            _ = flow.reserve(70)
            let y = flow.y + 15
            if marks.isEmpty {
                let half = PDFFont.timesBold.width(section.name, size: 15) / 2
                flow.page.textCentered(section.name, center: flow.center, y: y, font: .timesBold, size: 15, color: flow.accent)
                flow.page.rule(x0: flow.left + 60, x1: flow.center - half - 12, y: y - 5, color: flow.accent)
                flow.page.rule(x0: flow.center + half + 12, x1: flow.right - 60, y: y - 5, color: flow.accent)
            } else {
                flow.page.textCentered("\(marks) \(section.name) \(marks)", center: flow.center, y: y, font: .timesBold, size: 15, color: flow.accent)
            }
            flow.y += 30
        }) { flow, item in
            flow.dish(item.name, price: style.text(item.price!), font: .timesBold, size: 11.5, priceFont: .timesRoman,
                      description: item.description, descriptionFont: .timesItalic, descriptionSize: 9.5)
        }
    }

    /// Headings numbered `1.` (or `I.`), dishes numbered through the menu: `12. Name` as one run,
    /// or the number in a column of its own left of the names.
    static let numbered = FamilyLayout(name: "numbered", exercises: "numbered headings (`1.`, `I.`) and numbered dishes (`12. Name`, or the number in a column of its own)",
                                 sections: 3...4, items: 3...5, descriptions: 50) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(60, 535)], accent: PDFColor(30, 90, 40), titleFont: .helveticaBold)
        let roman = ["I", "II", "III", "IV", "V", "VI"]
        var section = 0, number = 1 + style.variant * 7
        return flow.draw(menu, heading: { flow, heading in
            section += 1
            flow.heading((style.variant % 2 == 0 ? "\(section)." : roman[section - 1] + ".") + " " + heading.name, font: .helveticaBold, size: 14)
        }) { flow, item in
            let price = style.text(item.price!)
            if style.variant < 2 {
                flow.dish("\(number). \(item.name)", price: price, font: .helveticaBold, size: 10.5, priceFont: .helvetica,
                          description: item.description, descriptionFont: .helvetica, descriptionSize: 8.5)
            } else {
                _ = flow.reserve(50)
                flow.page.text("\(number)", x: 60, y: flow.y + 10.5, font: .helveticaBold, size: 10.5, color: flow.accent)
                flow.dish(item.name, price: price, font: .helveticaBold, size: 10.5, priceFont: .helvetica,
                          description: item.description, descriptionFont: .helvetica, descriptionSize: 8.5, x: 88)
            }
            number += 1
        }
    }

    /// One price for every dish of a section, on the heading's row (right-aligned, or after the
    /// heading); the dishes under it print none.
    static let headingPrice = FamilyLayout(name: "heading_price", exercises: "one price on the heading for every dish under it",
                                 sections: 3...4, items: 3...4, descriptions: 70, sectionPrice: true) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(64, 531)], accent: PDFColor(150, 40, 30), titleFont: .helveticaBold)
        return flow.draw(menu, gap: 8, heading: { flow, section in
            _ = flow.reserve(80)
            let price = style.text(section.items.first!.price!)
            if style.variant % 2 == 0 {
                flow.page.text(section.name, x: flow.left, y: flow.y + 14, font: .helveticaBold, size: 14, color: flow.accent)
                flow.page.textRight(price, right: flow.right, y: flow.y + 14, font: .helveticaBold, size: 14, color: flow.accent)
            } else {
                flow.page.text(section.name + " – " + price, x: flow.left, y: flow.y + 14, font: .helveticaBold, size: 14, color: flow.accent)
            }
            flow.y += 28
        }) { flow, item in
            flow.dish(item.name, price: nil, font: .helveticaBold, size: 10.5,
                      description: item.description, descriptionFont: .helvetica, descriptionSize: 9)
        }
    }
}
