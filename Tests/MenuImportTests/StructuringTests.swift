import Testing
@testable import MenuImport

/// The whole heuristic structurer on small synthetic menus.
struct StructuringTests {
    func structure(_ b: PageBuilder, currency: String? = nil) throws -> MenuDocument {
        try HeuristicStructurer().structure(b.document(), currency: currency)
    }

    func item(_ m: MenuDocument, _ name: String) -> MenuItemDraft? { m.items.first { $0.name == name } }

    @Test func categoriesItemsDescriptionsAndCurrency() throws {
        var b = PageBuilder()
        b.text("Starters", x: 40, y: 40, font: PageBuilder.title)
        b.text("Tzatziki", x: 40, y: 70, font: PageBuilder.bold); b.right("8,50 €", right: 500, y: 70, font: PageBuilder.bold)
        b.text("(Joghurt, Knoblauch und Gurken)", x: 40, y: 83)
        b.text("Gyros mit Pita", x: 40, y: 100, font: PageBuilder.bold); b.right("14,90 €", right: 500, y: 100, font: PageBuilder.bold)
        b.text("(Gyros vom Schwein, Tzatziki)", x: 40, y: 113)
        b.text("Desserts", x: 40, y: 150, font: PageBuilder.title)
        b.text("Baklava", x: 40, y: 180, font: PageBuilder.bold); b.right("5,00 €", right: 500, y: 180, font: PageBuilder.bold)
        let m = try structure(b)
        #expect(m.currency == "EUR")
        #expect(m.structurer == "heuristic")
        #expect(m.items.map(\.name) == ["Tzatziki", "Gyros mit Pita", "Baklava"])
        #expect(m.items.map(\.priceCents) == [850, 1490, 500])
        #expect(m.items.map(\.category) == ["Starters", "Starters", "Desserts"])
        #expect(item(m, "Tzatziki")?.description == "(Joghurt, Knoblauch und Gurken)")
        #expect(m.items.allSatisfy { $0.flags.isEmpty && $0.confidence >= 0.6 && $0.source.page == 1 && $0.source.bbox.count == 4 })
    }

    /// A grid of cards (three columns, two rows): each a dish's name printed larger, its
    /// description, and its sizes' prices alone on the row under it, each glued to its label
    /// (`P.4.50€  M.7.30€  G.11.30€`). The name is the dish, not a heading; the prices are its
    /// sizes, not the next column's.
    @Test func cardsOfNameDescriptionAndLabelledPricesUnderIt() throws {
        var b = PageBuilder()
        let names = [["Napoli", "Siciliana", "Infantil"], ["Suprema", "Tropical", "Milanesa"]]
        for (row, line) in names.enumerated() {
            for (col, name) in line.enumerated() {
                let x = 40 + Double(col) * 180, y = 60 + Double(row) * 90
                b.text(name, x: x, y: y, font: PageBuilder.title)
                b.text("Tomate, queso y \(name.lowercased())", x: x, y: y + 24, font: PageBuilder.small)
                let base = 450 + row * 30 + col * 10
                b.text("P.\(base / 100).\(base % 100)€", x: x, y: y + 42)
                b.text("M.\((base + 280) / 100).\((base + 280) % 100)€", x: x + 52, y: y + 42)
                b.text("G.\((base + 680) / 100).\((base + 680) % 100)€", x: x + 104, y: y + 42)
            }
        }
        let m = try structure(b)
        #expect(Set(m.items.map(\.name)) == Set(names.joined()))
        for (row, line) in names.enumerated() {
            for (col, name) in line.enumerated() {
                let base = Int64(450 + row * 30 + col * 10)
                let it = try #require(item(m, name))
                #expect(it.priceCents == base, "\(name)")
                #expect(it.options.first?.choices.map(\.value) == ["P", "M", "G"], "\(name)")
                #expect(it.options.first?.choices.map(\.priceDeltaCents) == [0, 280, 680], "\(name)")
                #expect(it.description == "Tomate, queso y \(name.lowercased())")
            }
        }
    }

    @Test func sizeColumnsUnderAHeaderWithABlankCell() throws {
        var b = PageBuilder()
        b.text("Pressions", x: 40, y: 40, font: PageBuilder.bold)
        b.right("25 cl", right: 300, y: 40); b.right("33 cl", right: 360, y: 40); b.right("50 cl", right: 420, y: 40)
        b.text("Fischer ambrée", x: 40, y: 60); b.right("3,50 €", right: 300, y: 60); b.right("4,40 €", right: 360, y: 60); b.right("6,50 €", right: 420, y: 60)
        b.text("Monaco", x: 40, y: 80); b.right("3,60 €", right: 300, y: 80); b.right("6,60 €", right: 420, y: 80)
        let m = try structure(b)
        let f = try #require(item(m, "Fischer ambrée"))
        #expect(f.priceCents == 350)
        #expect(f.options.first?.choices.map(\.value) == ["25 cl", "33 cl", "50 cl"])
        #expect(f.options.first?.choices.map(\.priceDeltaCents) == [0, 90, 300])
        let mo = try #require(item(m, "Monaco"))
        // the blank 33 cl cell: the second price stands under 50 cl
        #expect(mo.options.first?.choices.map(\.value) == ["25 cl", "50 cl"])
        #expect(mo.options.first?.choices.map(\.priceDeltaCents) == [0, 300])
    }

    @Test func stackedPricesForSizesDeclaredOnce() throws {
        var b = PageBuilder()
        b.text("PIZZEN", x: 40, y: 30, font: PageBuilder.title)
        b.text("24CM", x: 400, y: 25); b.text("30CM", x: 400, y: 40)
        b.text("1. MARGHERITA", x: 40, y: 70, font: PageBuilder.bold); b.right("8,50", right: 300, y: 70, font: PageBuilder.bold)
        b.text("Gouda, Tomatensauce", x: 40, y: 83); b.right("10,00", right: 300, y: 83)
        b.text("2. SALAMI", x: 40, y: 110, font: PageBuilder.bold); b.right("9,50", right: 300, y: 110, font: PageBuilder.bold)
        b.text("Salami", x: 40, y: 123); b.right("11,50", right: 300, y: 123)
        let m = try structure(b, currency: "EUR")
        let p = try #require(item(m, "MARGHERITA"))
        #expect(p.priceCents == 850)
        #expect(p.options == [MenuOption(name: "Size", choices: [MenuChoice(value: "24CM", priceDeltaCents: 0), MenuChoice(value: "30CM", priceDeltaCents: 150)])])
        #expect(p.description == "Gouda, Tomatensauce")
        #expect(item(m, "SALAMI")?.priceCents == 950)
    }

    @Test func halfFullAndInlinePrices() throws {
        var b = PageBuilder()
        b.text("Paneer Tikka H/F........$9/16", x: 40, y: 40, font: PageBuilder.bold)
        b.text("Emperor – $9", x: 40, y: 60, font: PageBuilder.bold)
        b.text("Pan-fried with beef and shrimp", x: 40, y: 73, font: PageBuilder.small)
        b.text("Dumpling of the day – market price", x: 40, y: 90, font: PageBuilder.bold)
        let m = try structure(b)
        #expect(m.currency == "USD")
        let p = try #require(item(m, "Paneer Tikka"))
        #expect(p.priceCents == 900)
        #expect(p.options.first?.choices.map(\.value) == ["Half", "Full"])
        #expect(p.options.first?.choices.map(\.priceDeltaCents) == [0, 700])
        #expect(item(m, "Emperor")?.priceCents == 900)
        #expect(item(m, "Emperor")?.description == "Pan-fried with beef and shrimp")
        let d = try #require(item(m, "Dumpling of the day"))
        #expect(d.priceCents == nil)
        #expect(d.flags.contains(.noPrice))
    }

    @Test func noiseIsNotAnItemAndAddOnsBecomeQuestions() throws {
        var b = PageBuilder()
        b.text("Pasta", x: 40, y: 20, font: PageBuilder.title)
        b.text("Penne Napolitana", x: 40, y: 50, font: PageBuilder.bold); b.right("20.00", right: 400, y: 50, font: PageBuilder.bold)
        b.text("Gluten free fettuccini + 3.0", x: 40, y: 70)
        b.text("Garlic Knots (6)", x: 40, y: 90, font: PageBuilder.bold); b.right("5.50", right: 400, y: 90, font: PageBuilder.bold)
        b.text("Tel: 617-491-6616", x: 40, y: 300)
        b.text("907 Main Street, Cambridge, MA 02139", x: 40, y: 315)
        b.text("Open 11:30 am – 11:30 pm", x: 40, y: 330)
        b.text("Desperados 5,9 %", x: 40, y: 360)
        let m = try structure(b, currency: "USD")
        #expect(m.items.map(\.name) == ["Penne Napolitana", "Garlic Knots (6)"])
        #expect(m.questions.contains { $0.contains("Gluten free fettuccini") })
        #expect(m.questions.contains { $0.contains("Garlic Knots (6)") && $0.contains("5.50") })
        // clean data: no questions about add-ons
        var clean = PageBuilder()
        clean.text("Penne Napolitana", x: 40, y: 50, font: PageBuilder.bold); clean.right("20.00", right: 400, y: 50, font: PageBuilder.bold)
        let cleanMenu = try structure(clean, currency: "USD")
        #expect(cleanMenu.questions.isEmpty)
    }

    @Test func thousandsDotPricesAreChileanPesos() throws {
        var b = PageBuilder()
        for (i, (n, p)) in [("FRITA PELICANO", "12.900"), ("BURGA GRINGA", "12.900"), ("CEVICHE", "15.500"), ("HUMMUS", "8.500"), ("PAPAS FRITAS", "6.900")].enumerated() {
            b.text(n, x: 40, y: 40 + Double(i) * 30, font: PageBuilder.bold); b.right(p, right: 300, y: 40 + Double(i) * 30, font: PageBuilder.bold)
        }
        let m = try structure(b)
        #expect(m.currency == "CLP")
        #expect(item(m, "FRITA PELICANO")?.priceCents == 12900)
        #expect(item(m, "HUMMUS")?.priceCents == 8500)
    }

    @Test func duplicatesAreFlaggedAndUniqueItemsAreNot() throws {
        var b = PageBuilder()
        b.text("Cola", x: 40, y: 40); b.right("2.50 €", right: 300, y: 40)
        b.text("Fanta", x: 40, y: 60); b.right("2.50 €", right: 300, y: 60)
        b.text("Cola", x: 40, y: 80); b.right("2.50 €", right: 300, y: 80)
        let m = try structure(b)
        #expect(m.items.filter { $0.flags.contains(.possibleDuplicate) }.map(\.name) == ["Cola", "Cola"])
        #expect(item(m, "Fanta")?.flags.isEmpty == true)
    }

    @Test func dietaryMarkersThroughTheLegend() throws {
        var b = PageBuilder()
        b.text("Pumpkin Soup (V) (GF)", x: 40, y: 40); b.right("$9", right: 300, y: 40)
        b.text("Beef Stew", x: 40, y: 60); b.right("$14", right: 300, y: 60)
        b.text("V = vegetarian, GF = gluten free", x: 40, y: 300, font: PageBuilder.small)
        let m = try structure(b)
        #expect(item(m, "Pumpkin Soup")?.dietaryTags == [.vegetarian, .glutenFree])
        #expect(item(m, "Beef Stew")?.dietaryTags == [])
    }

    @Test func everyPriceIsPrintedOnThePage() throws {
        var b = PageBuilder()
        b.text("Paneer Tikka H/F........$9/16", x: 40, y: 40)
        b.text("Fish Tikka H/F..........$12/18", x: 40, y: 60)
        b.text("Tomato Soup.............$7", x: 40, y: 80)
        let doc = b.document()
        let m = try HeuristicStructurer().structure(doc, currency: nil)
        #expect(m.items.count == 3)
        #expect(Evaluation.pricesNotPrinted(m, in: doc).isEmpty)
        #expect(m.items.allSatisfy { !$0.flags.contains(.priceNotInSource) })
    }

    @Test func imageOnlyPagesAskForHelp() throws {
        let doc = TextDocument(file: "scan.pdf", sha256: "", pages: [TextPage(number: 1, width: 595, height: 842, glyphs: [], imageOnly: true)], fonts: [])
        let m = try HeuristicStructurer().structure(doc, currency: "INR")
        #expect(m.items.isEmpty)
        #expect(m.currency == "INR")
        #expect(m.questions.contains { $0.contains("image") })
    }
}

/// Layouts that price a dish's block rather than its name row, and German single-column habits.
struct StructuringLayoutTests {
    func item(_ m: MenuDocument, _ name: String) -> MenuItemDraft? { m.items.first { $0.name == name } }

    @Test func pricesBesideTheBlockAndFloatingSizeRows() throws {
        var b = PageBuilder()
        b.text("Entrees", x: 40, y: 20, font: PageBuilder.title)
        // name, then the price on the description's first row
        b.text("GARLIC BREAD (2)", x: 40, y: 50, font: PageBuilder.bold)
        b.text("Toasted ciabatta w’ house made", x: 40, y: 62); b.right("7", right: 240, y: 62)
        b.text("garlic butter", x: 40, y: 74)
        // S row just above the name, R row on the description
        b.right("S", right: 220, y: 95); b.right("14", right: 240, y: 95)
        b.text("CHEESY GARLIC TOPPA", x: 40, y: 100, font: PageBuilder.bold)
        b.text("Pizza base topped w’ mozzarella", x: 40, y: 112); b.right("R", right: 220, y: 112); b.right("16", right: 240, y: 112)
        b.text("SPICY CALAMARI", x: 40, y: 140, font: PageBuilder.bold)
        b.text("Calamari coated in our spices", x: 40, y: 152); b.right("20", right: 240, y: 152)
        let m = try HeuristicStructurer().structure(b.document(), currency: "AUD")
        #expect(item(m, "GARLIC BREAD (2)")?.priceCents == 700)
        #expect(item(m, "GARLIC BREAD (2)")?.description == "Toasted ciabatta w’ house made garlic butter")
        let t = try #require(item(m, "CHEESY GARLIC TOPPA"))
        #expect(t.priceCents == 1400)
        #expect(t.options.first?.choices.map(\.value) == ["S", "R"])
        #expect(t.options.first?.choices.map(\.priceDeltaCents) == [0, 200])
        #expect(item(m, "SPICY CALAMARI")?.priceCents == 2000)
        #expect(m.items.count == 3)
    }

    @Test func aSectionPriceForDishesThatPrintNone() throws {
        var b = PageBuilder()
        b.text("CLASSIC PIZZA", x: 40, y: 20, font: PageBuilder.title)
        b.text("Regular 10inch Pizza Base", x: 40, y: 50); b.right("24", right: 240, y: 50)
        for (i, n) in ["MARGHERITA", "HAWAIIAN", "SUPREMO"].enumerated() {
            b.text(n, x: 40, y: 80 + Double(i) * 30, font: PageBuilder.bold)
            b.text("Napoli sauce & mozzarella", x: 40, y: 92 + Double(i) * 30)
        }
        let m = try HeuristicStructurer().structure(b.document(), currency: "AUD")
        #expect(m.items.map(\.name) == ["MARGHERITA", "HAWAIIAN", "SUPREMO"])
        #expect(m.items.allSatisfy { $0.priceCents == 2400 && $0.confidence < 0.8 })
    }

    @Test func sideDishLinesQualifiersAndGluedCodes() throws {
        var b = PageBuilder()
        b.text("Putensteak mit Kräuterbutter", x: 40, y: 40); b.right("13,80 €", right: 400, y: 40)
        b.text("Pommes frites und Salat", x: 40, y: 60)
        b.text("Schweinerückensteak mit Pfefferrahmsoße", x: 40, y: 100)
        b.text("Pommes frites und Salat", x: 40, y: 120); b.right("14,50 €", right: 400, y: 120)
        b.text("ab 2 Personen:", x: 40, y: 160)
        b.text("gegrillte Schweinehaxe", x: 40, y: 180)
        b.text("Pommes frites und Salat p.P.", x: 40, y: 200); b.right("11,80 €", right: 400, y: 200)
        b.text("3 Rühreier auf Brot (2)5,50 €", x: 40, y: 240)
        b.text("Zusatzstoffe: (2) mit Nitritpökelsalz", x: 40, y: 300)
        let m = try HeuristicStructurer().structure(b.document(), currency: nil)
        #expect(item(m, "Putensteak mit Kräuterbutter")?.description == "Pommes frites und Salat")
        #expect(item(m, "Schweinerückensteak mit Pfefferrahmsoße")?.priceCents == 1450)
        #expect(item(m, "Schweinerückensteak mit Pfefferrahmsoße")?.description == "Pommes frites und Salat")
        #expect(item(m, "gegrillte Schweinehaxe")?.priceCents == 1180)
        #expect(item(m, "3 Rühreier auf Brot")?.priceCents == 550)
    }

    @Test func tidyNamesOnlyDropCodesWhenTheMenuHasALegend() {
        #expect(HeuristicStructurer.tidyName("Strammer Max (2)", additiveCodes: true) == "Strammer Max")
        #expect(HeuristicStructurer.tidyName("Garlic Bread (2)", additiveCodes: false) == "Garlic Bread (2)")
        #expect(HeuristicStructurer.tidyName("Lammhaxe p.P.", additiveCodes: false) == "Lammhaxe")
        #expect(HeuristicStructurer.trailingAlternatives("Kids Pizza Veg/ Non-Veg", count: 2)?.labels == ["Veg", "Non-Veg"])
        #expect(HeuristicStructurer.trailingAlternatives("Paneer Tikka H/F", count: 2)?.name == "Paneer Tikka")
        #expect(HeuristicStructurer.trailingAlternatives("Chicken Curry", count: 2) == nil)
    }
}
