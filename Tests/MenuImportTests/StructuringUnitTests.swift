import Testing
@testable import MenuImport

struct PriceParserTests {
    let eur = PriceParser(exponent: 2)

    @Test func singlePricesInTheFormsMenusPrint() {
        #expect(eur.cell("12.50")?.map(\.minor) == [1250])
        #expect(eur.cell("12,50 €")?.map(\.minor) == [1250])
        #expect(eur.cell("€ 12")?.map(\.minor) == [1200])
        #expect(eur.cell("$9")?.map(\.minor) == [900])
        #expect(eur.cell("Ksh 450")?.map(\.minor) == [45000])
        #expect(eur.cell("450/=")?.map(\.minor) == [45000])
        #expect(eur.cell("2.50e")?.map(\.minor) == [250])
        #expect(eur.cell("$ 7.5")?.map(\.minor) == [750])
        #expect(eur.cell("1.234,50 €")?.map(\.minor) == [123450])
    }

    /// The signs and codes of other currencies, before or after the amount, as their menus print them.
    @Test func signsOfMoreCurrencies() {
        #expect(eur.cell("R$ 48,00")?.map(\.minor) == [4800])
        #expect(eur.cell("R$48,00")?.map(\.minor) == [4800])
        #expect(eur.cell("48,00 TL")?.map(\.minor) == [4800])
        #expect(eur.cell("₺48")?.map(\.minor) == [4800])
        #expect(eur.cell("12,50 zł")?.map(\.minor) == [1250])
        #expect(eur.cell("129 Kč")?.map(\.minor) == [12900])
        #expect(eur.cell("Fr. 19.50")?.map(\.minor) == [1950])
        #expect(eur.cell("CHF 19.50")?.map(\.minor) == [1950])
        #expect(eur.cell("95 kr")?.map(\.minor) == [9500])
        #expect(eur.cell("95,- kr")?.map(\.minor) == [9500])
        #expect(eur.trailing("Moqueca de peixe R$ 48,00").text == "Moqueca de peixe")
        #expect(eur.trailing("Köfte 250 TL").text == "Köfte")
    }

    /// Two prices of one item set apart by a slash or a bar, each with its sign.
    @Test func pricePairsWithASeparator() {
        #expect(eur.cell("8,00 € / 15,00 €")?.map(\.minor) == [800, 1500])
        #expect(eur.cell("R$ 30,00 | R$ 48,00")?.map(\.minor) == [3000, 4800])
        let t = eur.trailing("Sangria 8,00 € / 15,00 €")
        #expect(t.text == "Sangria" && t.prices.map(\.minor) == [800, 1500])
        // a slash in a name is not a separator of prices
        #expect(eur.trailing("Fish / Chips 12,50 €").text == "Fish / Chips")
    }

    @Test func thousandsDotForCurrenciesWithoutMinorUnits() {
        let clp = PriceParser(exponent: 0)
        #expect(clp.cell("12.900")?.map(\.minor) == [12900])
        #expect(clp.cell("4.900/15.900")?.map(\.minor) == [4900, 15900])
        // `2.0` is not a peso price
        #expect(clp.cell("2.0") == nil)
        // `d.ddd` reads as thousands whatever the currency
        #expect(eur.cell("1.500 €")?.map(\.minor) == [150000])
    }

    @Test func doublePrices() {
        #expect(eur.cell("$12/13")?.map(\.minor) == [1200, 1300])
        let bare = PriceParser(exponent: 2, allowBareIntegers: true)
        #expect(bare.cell("9/16")?.map(\.minor) == [900, 1600])
        // falling second amount is a date or a code, not half/full
        #expect(bare.cell("16/9") == nil)
    }

    @Test func bareWholeNumbersOnlyWhenTheMenuPrintsThem() {
        #expect(eur.cell("42") == nil)
        #expect(PriceParser(exponent: 2, allowBareIntegers: true).cell("42")?.map(\.minor) == [4200])
    }

    @Test func notPrices() {
        #expect(eur.cell("(2)") == nil)
        #expect(eur.cell("2, 3, 8") == nil)
        #expect(eur.cell("Margherita") == nil)
        #expect(eur.cell("0.0") == nil)
        #expect(eur.cell(TextRules.stripMeasures("5,9 %")) == nil)
    }

    @Test func addOnsAreMarked() {
        #expect(eur.cell("+ 3.0")?.allSatisfy(\.addOn) == true)
        #expect(eur.cell("+1,50")?.allSatisfy(\.addOn) == true)
        let addOn = eur.trailing("Gluten free fettuccini + 3.0").prices
        #expect(!addOn.isEmpty && addOn.allSatisfy { $0.addOn })
        #expect(eur.cell("3,00 €")?.contains(where: \.addOn) == false)
    }

    @Test func trailingPricesAfterNames() {
        let a = eur.trailing("Emperor – $9")
        #expect(a.text == "Emperor" && a.prices.map(\.minor) == [900])
        let b = eur.trailing("Heineken 0.0 6,00 €")
        #expect(b.text == "Heineken 0.0" && b.prices.map(\.minor) == [600])
        let c = eur.trailing("Fischer ambrée 3,50 € 4,40 € 6,50 €")
        #expect(c.text == "Fischer ambrée" && c.prices.map(\.minor) == [350, 440, 650])
        let d = eur.trailing("Rochefort 8")
        #expect(d.prices.isEmpty && d.text == "Rochefort 8")
        let e = eur.trailing("3 Rühreier auf Brot (2)5,50 €")
        #expect(e.prices.map(\.minor) == [550])
    }

    @Test func noPriceMarkers() {
        #expect(PriceParser.isNoPriceMarker("market price"))
        #expect(PriceParser.isNoPriceMarker("N/A"))
        #expect(!PriceParser.isNoPriceMarker("Margherita"))
    }
}

struct TextRulesTests {
    @Test func letterSpacedHeadings() {
        #expect(TextRules.collapseLetterSpacing("PA S TA") == "PASTA")
        #expect(TextRules.collapseLetterSpacing("OT H E R") == "OTHER")
        #expect(TextRules.collapseLetterSpacing("TOSTADA DE PESCADO (2 U)") == "TOSTADA DE PESCADO (2 U)")
        #expect(TextRules.collapseLetterSpacing("Fish a la carte") == "Fish a la carte")
        #expect(TextRules.headingCase("PASTA & RISOTTO") == "Pasta & Risotto")
        #expect(TextRules.headingCase("Soft Drinks") == "Soft Drinks")
    }

    /// A section's name is what the heading says without its ornaments, number or `(continued)`.
    @Test func sectionNamesLoseDecoration() {
        #expect(TextRules.sectionName("~ Desserts ~") == "Desserts")
        #expect(TextRules.sectionName("— Entrées —") == "Entrées")
        #expect(TextRules.sectionName("• Sfizi •") == "Sfizi")
        #expect(TextRules.sectionName("*** Mains ***") == "Mains")
        #expect(TextRules.sectionName("1. Starters") == "Starters")
        #expect(TextRules.sectionName("IV. Dolci") == "Dolci")
        #expect(TextRules.sectionName("Plats (suite)") == "Plats")
        #expect(TextRules.sectionName("Mains (continued)") == "Mains")
        #expect(TextRules.sectionName("Fish & Chips") == "Fish & Chips")
        #expect(TextRules.sectionName("Salads (V)") == "Salads (V)")
        #expect(TextRules.sectionName("—") == "—")
    }

    @Test func namesLoseNumberingAndCodesButKeepCounts() {
        #expect(TextRules.cleanName("1. MARGHERITA") == "MARGHERITA")
        #expect(TextRules.cleanName("391. AJLA") == "AJLA")
        #expect(TextRules.cleanName("A. Husets burger") == "Husets burger")
        #expect(TextRules.cleanName("b) Channa tikka masala") == "Channa tikka masala")
        #expect(TextRules.cleanName("12a. Pad Thai") == "Pad Thai")
        #expect(TextRules.cleanName("|01| Hambúrguer") == "Hambúrguer")
        #expect(TextRules.cleanName("#4 Wings") == "Wings")
        #expect(TextRules.cleanName("Vitamin C.") == "Vitamin C.")
        #expect(TextRules.cleanName("Copo / Cone médio →") == "Copo / Cone médio")
        #expect(TextRules.cleanName("Saco …") == "Saco")
        #expect(TextRules.cleanName("Tzatziki a1-b-h-1-16") == "Tzatziki")
        #expect(TextRules.cleanName("Bohnensuppe i-j") == "Bohnensuppe")
        #expect(TextRules.cleanName("gekochtem Schinken(2) u. Toast") == "gekochtem Schinken u. Toast")
        #expect(TextRules.cleanName("FLOUR TORTILLAS (4)") == "FLOUR TORTILLAS (4)")
        #expect(TextRules.cleanName("Vorspeisenteller für 3-4 Personen") == "Vorspeisenteller für 3-4 Personen")
    }

    @Test func codes() {
        #expect(TextRules.isCode("2, 3, 8"))
        #expect(TextRules.isCode("1-4, 8"))
        #expect(TextRules.isCode("a1-b-h-1-16-f-i-*"))
        #expect(!TextRules.isCode("Gyros"))
    }

    @Test func noiseIsFoundAndMenuLinesAreNot() {
        #expect(TextRules.isNoise("Tel.: 06226 41869"))
        #expect(TextRules.isNoise("Oberstraße 24, 74927 Eschelbronn"))
        #expect(TextRules.isNoise("Donnerstags bis samstags von 17:00 bis 22:00"))
        #expect(TextRules.isNoise("7 days a week 11:30 am – 11:30 Pm"))
        #expect(TextRules.isNoise("http://bar.fosdem.org"))
        #expect(TextRules.isNoise("907 Main Street, Cambridge, MA 02139"))
        #expect(!TextRules.isNoise("Gyros mit Pita"))
        #expect(!TextRules.isNoise("Chicken Tikka Masala"))
        #expect(!TextRules.isNoise("Griechischer Vorspeisenteller für 3-4 Personen"))
    }

    @Test func measuresAreNotPrices() {
        #expect(TextRules.stripMeasures("Jupiler (5.2◦ )") == "Jupiler")
        #expect(TextRules.stripMeasures("Desperados 5,9 %") == "Desperados")
    }

    @Test func foldingForComparison() {
        #expect(TextRules.fold("Crème  Brûlée!") == "creme brulee")
        #expect(TextRules.fold("Großer Salat") == "grosser salat")
        #expect(Evaluation.key(name: "Leﬀe") == "leffe")
    }
}

struct SizeLabelsTests {
    @Test func labelsAndHeaders() {
        #expect(SizeLabels.isLabel("S"))
        #expect(SizeLabels.isLabel("Large"))
        #expect(SizeLabels.isLabel("24CM"))
        #expect(SizeLabels.isLabel("25 cl"))
        #expect(SizeLabels.labels("25 cl 33 cl 50 cl") == ["25 cl", "33 cl", "50 cl"])
        #expect(SizeLabels.labels("S/R") == ["S", "R"])
        #expect(SizeLabels.labels("Pizza Margherita") == nil)
        #expect(SizeLabels.rowLabel("(5) R") == "R")
        #expect(SizeLabels.isServingPhrase("kleinere Portion"))
        #expect(!SizeLabels.isServingPhrase("Portion Pommes frites"))
    }
}

struct LegendResolverTests {
    @Test func theMenusOwnLegendDecides() {
        var legend = LegendResolver()
        legend.learn(from: ["V = Vegetarian   VG = Vegan   GF = Gluten free", "Pumpkin soup"])
        #expect(legend.fromLegend)
        let r = legend.tags(name: "Pumpkin Soup (V) (GF)", description: nil)
        #expect(r.tags == [.vegetarian, .glutenFree])
        #expect(r.name == "Pumpkin Soup")
        let vg = legend.tags(name: "Tofu Bowl VG", description: nil)
        #expect(vg.tags == [.vegan] && vg.name == "Tofu Bowl")
    }

    @Test func aDishWithAMarkerIsNotALegend() {
        var legend = LegendResolver()
        legend.learn(from: ["GF VEGETARIAN COMBINATION $26", "GF SPINACH ENCHILADA TACO $22"])
        #expect(!legend.fromLegend)
        #expect(legend.tags(name: "GF VEGETARIAN COMBINATION", description: nil).tags == [.glutenFree])
        var real = LegendResolver()
        real.learn(from: ["(V) Vegetarian  (GF) Gluten free"])
        #expect(real.fromLegend && real.markers["GF"] == .glutenFree && real.markers["V"] == .vegetarian)
    }

    @Test func withoutLegendCommonMarkersAndWords() {
        let legend = LegendResolver()
        #expect(!legend.fromLegend)
        #expect(legend.tags(name: "GF Spinach Enchilada", description: nil).tags == [.glutenFree])
        #expect(legend.tags(name: "Champignon-Toast", description: "mit Käse überbacken (vegetarisch)").tags == [.vegetarian])
        // clean names get nothing
        let plain = legend.tags(name: "Chicken Curry", description: "with rice")
        #expect(plain.tags.isEmpty && plain.name == "Chicken Curry")
        // a capital V inside a name is not a marker
        #expect(legend.tags(name: "Henry V Burger", description: nil).tags.isEmpty)
    }
}

struct LineBuilderTests {
    @Test func wordsFromGapsWhenThePDFHasNoSpaces() {
        // pdfTeX: no space glyphs, words set apart by gaps
        var b = PageBuilder()
        b.text("Club", x: 100, y: 100)
        b.text("Mate", x: 100 + 4 * 5 + 3.5, y: 100)
        let words = LineBuilder().words(glyphs: b.glyphs, fonts: b.fonts)
        #expect(words.map(\.text) == ["Club", "Mate"])
    }

    @Test func dottedLeadersSeparateNameAndPrice() {
        var b = PageBuilder()
        b.text("French Fries........$6", x: 20, y: 50)
        let chunks = LineBuilder().chunks(page: b.page(), fonts: b.fonts)
        #expect(chunks.map(\.text) == ["French Fries", "$6"])
    }

    @Test func letterSpacedCapitalsBecomeWords() {
        var b = PageBuilder()
        // letters 2.5 apart, words 8 apart
        b.text("AVOCADO", x: 20, y: 50, font: PageBuilder.bold, tracking: 2.5)
        b.text("DEL", x: 20 + 7 * 7.5 + 8, y: 50, font: PageBuilder.bold, tracking: 2.5)
        var glyphs = b.glyphs
        // poppler reports the tracking as spaces between the letters
        glyphs = glyphs.flatMap { g in [g, Glyph(scalar: " ", x0: g.x1, y0: g.y0, x1: g.x1 + 2.5, y1: g.y1, font: g.font)] }
        let words = LineBuilder().words(glyphs: glyphs, fonts: b.fonts)
        let chunks = LineBuilder().chunks(words: words)
        #expect(chunks.map(\.text) == ["AVOCADO DEL"])
    }

    @Test func letterSpacedPricesAreJoinedButCodeListsAreNot() {
        func w(_ t: String, _ x: Double) -> Word { Word(text: t, rect: Rect(x0: x, y0: 10, x1: x + 6 * Double(t.count), y1: 23), font: 0, size: 11) }
        let row = [w("Small", 70), w("$", 100.7), w("1", 109), w("8", 117.2), w("Regular", 127.4), w("2,", 180), w("3,", 195), w("8", 210)]
        #expect(LineBuilder().joinLetterSpaced(row).map(\.text) == ["Small", "$18", "Regular", "2,", "3,", "8"])
    }

    @Test func staggeredColumnsDoNotChainIntoOneRow() {
        var b = PageBuilder()
        for i in 0..<4 {
            b.text("Left item \(i)", x: 20, y: 100 + Double(i) * 20)
            b.text("Right item \(i)", x: 300, y: 106 + Double(i) * 20)
        }
        let chunks = LineBuilder().chunks(page: b.page(), fonts: b.fonts)
        #expect(chunks.count == 8)
        #expect(chunks.allSatisfy { $0.rect.height <= 12.5 })
    }

    @Test func aPriceEndsItsCellButNotAMeasure() {
        var b = PageBuilder()
        // `12,50` then, 8 pt on (under the 11 pt that always cuts), the next column's item
        b.text("ROMA 12,50", x: 20, y: 50)
        b.text("401. GAMBAS", x: 68 + 8, y: 50)
        b.text("Long de 2,7 km et large", x: 20, y: 80)
        let chunks = LineBuilder().chunks(page: b.page(), fonts: b.fonts).map(\.text)
        #expect(chunks.contains("12,50"))
        #expect(chunks.contains("Long de 2,7 km et large"))
    }
}

struct ColumnDetectorTests {
    func chunk(_ text: String, _ x: Double, _ y: Double, width: Double? = nil) -> Chunk {
        Chunk(words: [Word(text: text, rect: Rect(x0: x, y0: y, x1: x + (width ?? Double(text.count) * 5), y1: y + 12), font: 0, size: 10)])
    }

    @Test func twoColumnsUnderATitleAndAboveAFooter() {
        var text: [Chunk] = [chunk("MENU", 200, 20), chunk("All prices include tax and service, thank you", 40, 400, width: 460)]
        var prices: [Chunk] = []
        for i in 0..<5 {
            let y = 60 + Double(i) * 20
            text.append(chunk("Left \(i)", 40, y)); prices.append(chunk("9.50", 220, y))
            text.append(chunk("Right \(i)", 300, y)); prices.append(chunk("8.50", 480, y))
        }
        let regions = ColumnDetector().regions(layout: text, attached: prices)
        let left = regions.first { $0.contains { $0.text == "Left 0" } }!
        let right = regions.first { $0.contains { $0.text == "Right 0" } }!
        #expect(left.filter { $0.text.hasPrefix("Right") }.isEmpty)
        #expect(left.filter { $0.text == "9.50" }.count == 5)
        #expect(right.filter { $0.text == "8.50" }.count == 5)
        // reading order: the left column before the right one
        let order = regions.flatMap { $0 }.map(\.text)
        #expect(order.firstIndex(of: "Left 4")! < order.firstIndex(of: "Right 0")!)
    }

    /// Centred headings between the rows of left-aligned dishes whose names end before them are
    /// no column of their own.
    @Test func centredHeadingsStayWithTheirDishes() {
        var text: [Chunk] = []
        var prices: [Chunk] = []
        var y = 40.0
        for s in 0..<3 {
            text.append(chunk("Section \(s)", 260, y, width: 60)); y += 24
            for d in 0..<4 {
                text.append(chunk("Dish \(s)\(d)", 40, y, width: 80)); prices.append(chunk("9.50", 480, y)); y += 20
            }
            y += 10
        }
        let regions = ColumnDetector().regions(layout: text, attached: prices)
        #expect(regions.count == 1)
        let order = regions.flatMap { $0 }.map(\.text)
        #expect(order.firstIndex(of: "Section 1")! > order.firstIndex(of: "Dish 03")!)
    }

    @Test func oneColumnStaysWhole() {
        let text = (0..<6).map { chunk("Dish number \($0)", 40, 60 + Double($0) * 20) }
        let prices = (0..<6).map { chunk("12,50", 400, 60 + Double($0) * 20) }
        let regions = ColumnDetector().regions(layout: text, attached: prices)
        #expect(regions.count == 1)
        #expect(ColumnDetector().lines(regions[0], page: 1).allSatisfy { $0.chunks.count == 2 })
    }
}

struct CurrencyGuesserTests {
    @Test func signsWordsAndAddresses() {
        #expect(CurrencyGuesser.guess(["Tzatziki 8,50 €"]) == ("EUR", true))
        #expect(CurrencyGuesser.guess(["Jupiler 2.50e", "All prices in e"]) == ("EUR", true))
        #expect(CurrencyGuesser.guess(["Nyama choma Ksh 450", "Chapati 50/="]) == ("KES", true))
        #expect(CurrencyGuesser.guess(["Emperor – $9"]) == ("USD", true))
        #expect(CurrencyGuesser.guess(["French Fries....$6", "ORDER ONLINE colorsindianrestaurant.com.au"]) == ("AUD", true))
        #expect(CurrencyGuesser.guess(["FRITA 12.900", "BURGA 12.900", "CEVICHE 15.500", "HUMMUS 8.500", "PAPAS 6.900"]) == ("CLP", true))
        // `$` with amounts in whole thousands is a peso; the telephone or web address says whose
        #expect(CurrencyGuesser.guess(["Salmorejo $ 11.400", "Arroz negro $ 18.900", "Flan $ 5.500", "Av. Providencia 1450 · +56 2 2555 0190"]) == ("CLP", true))
        #expect(CurrencyGuesser.guess(["Fugazza $ 12.500", "Faina $ 3.500", "Muzzarella $ 11.000", "www.calabria.com.ar"]) == ("ARS", true))
        #expect(CurrencyGuesser.guess(["Burger $12.50", "Fries $4.50", "Call +61 2 9555 0123"]) == ("AUD", true))
        // words that merely contain a code are not signs
        #expect(CurrencyGuesser.guess(["ZIGEUNER ART 13,50", "Liqueur"]).1 == false)
    }

    /// Pages are counted apart and added up: the sum is what the whole menu says.
    @Test func pageEvidenceAddsUp() {
        let page1 = ["Tzatziki 8,50 €", "FRITA 12.900"], page2 = ["Chapati 50/=", "Emperor – $9", "CEVICHE 15.500"]
        var summed = CurrencyGuesser.evidence(page1)
        summed.add(CurrencyGuesser.evidence(page2))
        #expect(summed == CurrencyGuesser.evidence(page1 + page2))
    }

    /// Equal votes go to the first code alphabetically, in every process (a dictionary's order
    /// changes from one process to the next).
    @Test func equalVotesDoNotDependOnOrder() {
        #expect(CurrencyGuesser.guess(["Tea £2.50", "Coffee 3,00 €"]) == ("EUR", true))
        #expect(CurrencyGuesser.guess(["Coffee 3,00 €", "Tea £2.50"]) == ("EUR", true))
    }
}

struct LabelledPricesTests {
    let analyzer = LineAnalyzer(parser: PriceParser(exponent: 2, allowBareIntegers: false), fonts: [])

    func read(_ text: String) -> [String]? {
        analyzer.labelledPrices(text.split(separator: " ").map(String.init))?.map { "\($0.label)=\($0.prices.map(\.minor))" }
    }

    @Test func eachPriceAfterItsOwnSizeLabel() {
        #expect(read("P.4.50€ M.7.30€ G.11.30€") == ["P=[450]", "M=[730]", "G=[1130]"])
        #expect(read("S 9.00 – L 12.00") == ["S=[900]", "L=[1200]"])
        #expect(read("Glass 7.50 € Bottle 28.00 €") == ["Glass=[750]", "Bottle=[2800]"])
        // a label glued to its price stands alone too (a row whose gaps cut the pairs apart)
        #expect(read("M:7,30") == ["M=[730]"])
    }

    @Test func dishesAndPricesAreNotLabelledPrices() {
        // two dishes on one line, a name with a price, a label repeated
        #expect(read("Margherita 9.00 Diavola 11.00") == nil)
        #expect(read("Soup 6.50") == nil)
        #expect(read("S 9.00 S 12.00") == nil)
        #expect(read("S 9.00") == nil)
    }
}
