/// Layouts of the family that print prices in a form of their own: after dot leaders, as bare
/// whole numbers, centred under the dish.
extension FamilyLayout {
    /// `Name .......... 12,50` without a currency sign (the page says the currency in words); the
    /// description, when there is one, in italics under it.
    static let dotLeaders = FamilyLayout(name: "dot_leaders", exercises: "dot leaders to prices without a currency sign",
                                 sections: 3...5, items: 3...5, descriptions: 30, prices: { [$0.code == "en" ? FamilyPrice.plainDot : FamilyPrice.plainComma] }) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(80, 480)], accent: PDFColor(0, 0, 0), titleFont: .helveticaBold)
        return flow.draw(menu, gap: 8, heading: { flow, section in
            flow.heading(style.variant % 2 == 0 ? section.name.uppercased() : section.name, font: .helveticaBold, size: 13)
        }) { flow, item in
            let under = FamilyFlow.lines(item.description, width: 300, font: .helveticaOblique, size: 8.5)
            _ = flow.reserve(17 + Double(under.count) * 11)
            flow.page.leader(item.name, price: style.text(item.price!), left: flow.left, right: flow.right, y: flow.y + 11,
                             font: .helvetica, size: 11)
            flow.y += 15
            flow.lines(under, x: flow.left + 8, font: .helveticaOblique, size: 8.5, step: 11)
            flow.y += 4
        }
    }

    /// Whole prices without sign or decimals (`14`), names in capitals, the description under.
    static let bareNumbers = FamilyLayout(name: "bare_numbers", exercises: "whole prices without sign or decimals (`14`)",
                                 sections: 3...4, items: 3...5, descriptions: 60, prices: { _ in [FamilyPrice.plainWhole] }) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(70, 525)], accent: PDFColor(110, 20, 40))
        return flow.draw(menu, heading: { $0.heading($1.name, font: .timesItalic, size: 18) }) { flow, item in
            flow.dish(item.name.uppercased(), price: style.text(item.price!), font: .timesBold, size: 11, priceFont: .timesRoman,
                      description: item.description, descriptionFont: .timesItalic, descriptionSize: 10, after: 9)
        }
    }

    /// Everything centred: the heading over a short rule, each name, its description, and its
    /// price after the name or on a line of its own under the description.
    static let centered = FamilyLayout(name: "centered", exercises: "everything centred; the price after the name or on a line of its own under the description",
                                 sections: 3...4, items: 3...4, descriptions: 80) { menu, style in
        var flow = FamilyFlow(style: style, columns: [(100, 495)], accent: PDFColor(60, 50, 30))
        let below = style.variant % 2 == 1
        return flow.draw(menu, gap: 4, heading: { flow, section in
            _ = flow.reserve(90)
            flow.page.textCentered(section.name.uppercased(), center: flow.center, y: flow.y + 14, font: .timesRoman, size: 14, color: flow.accent)
            flow.page.rule(x0: flow.center - 30, x1: flow.center + 30, y: flow.y + 21, color: flow.accent)
            flow.y += 36
        }) { flow, item in
            let price = style.text(item.price!)
            let under = FamilyFlow.lines(item.description, width: 300, font: .timesItalic, size: 9.5)
            _ = flow.reserve(16 + Double(under.count) * 12 + (below ? 14 : 0) + 10)
            flow.page.textCentered(below ? item.name : item.name + "  " + price, center: flow.center, y: flow.y + 11.5,
                                   font: .timesBold, size: 11.5)
            flow.y += 15
            flow.lines(under, x: flow.center, font: .timesItalic, size: 9.5, step: 12, centered: true)
            if below { flow.lines([price], x: flow.center, font: .timesRoman, size: 10, step: 14, color: .black, centered: true) }
            flow.y += 10
        }
    }
}
