/// Layouts of the family that order a dish's parts differently: the description above the name or
/// beside it, the price first, after the description, or right after the name.
extension FamilyLayout {
    /// The description in small italics above its dish; the name and price under it.
    static let descriptionAbove = FamilyLayout(name: "description_above", exercises: "each description printed above its dish's name",
                                 sections: 3...4, items: 3...4, descriptions: 80) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(70, 525)], accent: PDFColor(40, 40, 40))
        return flow.draw(menu, heading: { $0.heading($1.name.uppercased(), font: .timesBold, size: 14, rule: true) }) { flow, item in
            let above = FamilyFlow.lines(item.description, width: 360, font: .timesItalic, size: 9)
            _ = flow.reserve(Double(above.count) * 11.5 + 24)
            flow.lines(above, x: flow.left, font: .timesItalic, size: 9, step: 11.5)
            flow.dish(item.name, price: style.text(item.price!), font: .timesBold, size: 12, priceFont: .timesRoman,
                      description: nil, descriptionFont: .timesItalic, descriptionSize: 9, after: 10)
        }
    }

    /// The name (in capitals on some seeds) and price, the description under it in the same font
    /// and size, only grey.
    static let descriptionBelowGrey = FamilyLayout(name: "description_below_grey", exercises: "the description below the name in the same font and size, only its colour differs",
                                 sections: 3...4, items: 3...5, descriptions: 80) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(60, 535)], accent: PDFColor(0, 80, 120), titleFont: .helveticaBold)
        return flow.draw(menu, heading: { $0.heading($1.name, font: .helveticaBold, size: 15) }) { flow, item in
            flow.dish(style.variant % 2 == 0 ? item.name.uppercased() : item.name, price: style.text(item.price!), font: .helvetica, size: 10,
                      description: item.description, descriptionFont: .helvetica, descriptionSize: 10,
                      descriptionColor: PDFColor(120, 120, 120), after: 8)
        }
    }

    /// The price first, in a narrow column left of the names (right-aligned in it on some seeds).
    static let priceFirst = FamilyLayout(name: "price_first", exercises: "the price before the name, in a column of its own",
                                 sections: 3...4, items: 3...5, descriptions: 50) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(60, 535)], accent: PDFColor(90, 30, 90))
        let nameX = 60 + max(60, PDFFont.helveticaBold.width(style.text(3990), size: 10.5) + 16)
        return flow.draw(menu, heading: { $0.heading($1.name, font: .timesBold, size: 15) }) { flow, item in
            let price = style.text(item.price!)
            _ = flow.reserve(60)
            if style.variant % 2 == 0 { flow.page.text(price, x: 60, y: flow.y + 10.5, font: .helveticaBold, size: 10.5) }
            else { flow.page.textRight(price, right: nameX - 14, y: flow.y + 10.5, font: .helveticaBold, size: 10.5) }
            flow.dish(item.name, price: nil, font: .helvetica, size: 10.5, description: item.description,
                      descriptionFont: .helveticaOblique, descriptionSize: 8.5, x: nameX)
        }
    }

    /// The name alone on its line; the description under it, ending with the price at the right.
    static let priceAfterDescription = FamilyLayout(name: "price_after_description", exercises: "the name alone on its line, the price at the end of the description line under it",
                                 sections: 3...4, items: 3...4, descriptions: 100) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(64, 531)], accent: PDFColor(30, 60, 30))
        return flow.draw(menu, heading: { $0.heading($1.name, font: .timesBold, size: 16) }) { flow, item in
            let under = FamilyFlow.lines(item.description ?? "", width: 330, font: .timesRoman, size: 10)
            _ = flow.reserve(18 + Double(under.count) * 13 + 8)
            flow.page.text(item.name, x: flow.left, y: flow.y + 12, font: .timesBold, size: 12)
            flow.y += 16
            flow.lines(under, x: flow.left, font: .timesRoman, size: 10, step: 13, color: .black)
            flow.page.textRight(style.text(item.price!), right: flow.right, y: flow.y - 3, font: .timesRoman, size: 10)
            flow.y += 8
        }
    }

    /// The description on the name's line in a lighter, smaller font, wrapping under the name; the
    /// price at the right.
    static let inlineDescription = FamilyLayout(name: "inline_description", exercises: "the description on the name's line in a lighter font, wrapping under it",
                                 sections: 3...4, items: 3...5, descriptions: 80) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(56, 539)], accent: PDFColor(160, 60, 0), titleFont: .helveticaBold)
        return flow.draw(menu, heading: { $0.heading($1.name.uppercased(), font: .helveticaBold, size: 13) }) { flow, item in
            let nameWidth = PDFFont.helveticaBold.width(item.name, size: 10.5)
            var words = (item.description ?? "").split(separator: " ").map(String.init)
            var first = ""
            while let w = words.first, PDFFont.helvetica.width(first + " " + w, size: 9) < 393 - nameWidth {
                first += (first.isEmpty ? "" : " ") + w
                words.removeFirst()
            }
            let rest = FamilyFlow.lines(words.isEmpty ? nil : words.joined(separator: " "), width: 360, font: .helvetica, size: 9)
            _ = flow.reserve(20 + Double(rest.count) * 11.5)
            flow.page.text(item.name, x: 56, y: flow.y + 10.5, font: .helveticaBold, size: 10.5)
            if !first.isEmpty { flow.page.text(first, x: 56 + nameWidth + 6, y: flow.y + 10.5, font: .helvetica, size: 9, color: .grey) }
            flow.page.textRight(style.text(item.price!), right: 539, y: flow.y + 10.5, font: .helveticaBold, size: 10.5)
            flow.y += 14
            flow.lines(rest, x: 56, font: .helvetica, size: 9, step: 11.5)
            flow.y += 6
        }
    }

    /// The price right after the name (`NAME  14`), not aligned to a column; the description under.
    static let priceAfterName = FamilyLayout(name: "price_after_name", exercises: "the price right after the name, not aligned to a column",
                                 sections: 3...4, items: 3...5, descriptions: 60) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(72, 523)], accent: PDFColor(70, 70, 70))
        return flow.draw(menu, heading: { $0.heading($1.name, font: .timesItalic, size: 17) }) { flow, item in
            let name = item.name.uppercased()
            _ = flow.reserve(60)
            flow.page.text(style.text(item.price!), x: 72 + PDFFont.timesBold.width(name, size: 11) + 10, y: flow.y + 11,
                           font: .timesRoman, size: 11, color: flow.accent)
            flow.dish(name, price: nil, font: .timesBold, size: 11, description: item.description,
                      descriptionFont: .timesItalic, descriptionSize: 9.5)
        }
    }
}
