import Testing
@testable import MenuImport

/// Layouts the generated family showed the structurer misreading: a price on the heading, dishes
/// named on lines of their own, descriptions above the name, dashed cells, dish numbers.
struct StructuringFamilyLayoutTests {
    /// `Pizzas   12,50 €` on the heading's row, over dishes in a smaller type that print no price.
    @Test func aPriceOnTheHeadingForEveryDishUnderIt() throws {
        var b = PageBuilder()
        var y = 30.0
        for (heading, price, dishes) in [("Pizzas", "12,50 €", ["Marinara", "Diavola", "Capricciosa"]), ("Dolci", "6,00 €", ["Tiramisu", "Cannoli"])] {
            b.text(heading, x: 40, y: y, font: PageBuilder.title); b.right(price, right: 400, y: y, font: PageBuilder.title)
            y += 30
            for dish in dishes {
                b.text(dish, x: 40, y: y, font: PageBuilder.bold); b.text("Tomato, basil, olive oil", x: 40, y: y + 12, font: PageBuilder.small)
                y += 28
            }
        }
        let m = try b.structured()
        #expect(m.items.map(\.name) == ["Marinara", "Diavola", "Capricciosa", "Tiramisu", "Cannoli"])
        #expect(m.items.map(\.priceCents) == [1250, 1250, 1250, 600, 600])
        #expect(m.items.map(\.category) == ["Pizzas", "Pizzas", "Pizzas", "Dolci", "Dolci"])
    }

    /// The name alone on its line, the price at the end of the description under it; or the price
    /// alone on a line under the description.
    @Test func dishesNamedOnALineOfTheirOwn() throws {
        for priceAlone in [false, true] {
            var b = PageBuilder()
            b.text("Tapas", x: 40, y: 20, font: PageBuilder.title)
            for (i, dish) in ["Salmorejo", "Huevos rotos", "Leche frita", "Torrijas"].enumerated() {
                let y = 50 + Double(i) * 50
                b.text(dish, x: 40, y: y, font: PageBuilder.bold)
                b.text("Ajo, perejil, pimentón", x: 40, y: y + 13)
                if priceAlone { b.text("8,50 €", x: 40, y: y + 26) } else { b.right("8,50 €", right: 400, y: y + 13) }
            }
            let m = try b.structured()
            #expect(m.items.map(\.name) == ["Salmorejo", "Huevos rotos", "Leche frita", "Torrijas"], "price alone: \(priceAlone)")
            #expect(m.items.allSatisfy { $0.priceCents == 850 && $0.category == "Tapas" })
        }
    }

    /// Dishes set apart, each its name, maybe a description, and its price alone under it: a
    /// section's heading over its first dish is no card's name.
    @Test func aHeadingOverADishSetApart() throws {
        var b = PageBuilder()
        b.text("DAL MARE", x: 200, y: 20, font: PageBuilder.title)
        var y = 48.0
        for (dish, description, price) in [("Ossobuco", nil, "24"), ("Cacio e pepe", "Pecorino, pepe", "18"),
                                           ("Trofie al pesto", "Basilico, pinoli", "16"), ("Baccala", nil, "21")] {
            b.text(dish, x: 210, y: y, font: PageBuilder.bold); y += 13
            if let description { b.text(description, x: 212, y: y, font: PageBuilder.small); y += 10 }
            b.text(price + ",00 €", x: 220, y: y); y += 45
        }
        let m = try b.structured()
        #expect(m.items.map(\.name) == ["Ossobuco", "Cacio e pepe", "Trofie al pesto", "Baccala"])
        #expect(m.items.allSatisfy { $0.category == "Dal Mare" })
    }

    /// A description printed above its dish, right under the heading, is no heading.
    @Test func aDescriptionAboveTheFirstDishUnderAHeading() throws {
        var b = PageBuilder()
        b.text("Suppen", x: 40, y: 20, font: PageBuilder.title)
        b.text("Speck, Zwiebeln", x: 40, y: 48, font: PageBuilder.small)
        b.text("Kartoffelsuppe", x: 40, y: 58, font: PageBuilder.bold); b.right("6,50 €", right: 400, y: 58, font: PageBuilder.bold)
        b.text("Sahne, Schnittlauch", x: 40, y: 80, font: PageBuilder.small)
        b.text("Flädlesuppe", x: 40, y: 90, font: PageBuilder.bold); b.right("5,50 €", right: 400, y: 90, font: PageBuilder.bold)
        let m = try b.structured()
        #expect(m.items.map(\.name) == ["Kartoffelsuppe", "Flädlesuppe"])
        #expect(m.items.allSatisfy { $0.category == "Suppen" })
    }

    /// A dash in a price column is a size the dish is not sold in; a bare number before the name,
    /// with the price after it, is the dish's number.
    @Test func dashedCellsAndDishNumbers() throws {
        var b = PageBuilder()
        b.text("Vini", x: 40, y: 20, font: PageBuilder.title)
        b.right("Calice", right: 340, y: 40); b.right("Bottiglia", right: 420, y: 40)
        b.text("Lambrusco", x: 40, y: 60); b.right("–", right: 330, y: 60); b.right("18", right: 420, y: 60)
        b.text("Prosecco", x: 40, y: 80); b.right("6", right: 340, y: 80); b.right("24", right: 420, y: 80)
        b.text("Soave", x: 40, y: 100); b.right("5", right: 340, y: 100); b.right("20", right: 420, y: 100)
        b.text("Antipasti", x: 40, y: 140, font: PageBuilder.title)
        for (i, dish) in ["Arancini", "Supplì", "Crostini"].enumerated() {
            let y = 170 + Double(i) * 20
            b.text("\(21 + i)", x: 40, y: y, font: PageBuilder.bold); b.text(dish, x: 70, y: y); b.right("\(7 + i)", right: 420, y: y)
        }
        let m = try b.structured(currency: "EUR")
        #expect(m.item("Lambrusco")?.priceCents == 1800)
        #expect(m.item("Prosecco")?.options.first?.choices.map(\.value) == ["Calice", "Bottiglia"])
        let antipasti = m.items.filter { $0.category == "Antipasti" }
        #expect(antipasti.map(\.name) == ["Arancini", "Supplì", "Crostini"])
        #expect(antipasti.map(\.priceCents) == [700, 800, 900])
        #expect(antipasti.allSatisfy { $0.options.isEmpty })
    }
}
