/// The six sample menus: their dishes and how each is laid out on the page.
extension SampleMenus {
    static let vegetarianGlutenFree: [(marker: String, tag: String, words: String)] = [
        ("V", "vegetarian", "vegetarian"), ("VG", "vegan", "vegan"), ("GF", "gluten_free", "gluten free"),
    ]

    // MARK: 1. Single column, EUR with a decimal comma: `12,50 €`

    static var singleColumnEUR: SampleMenu {
        SampleMenu(name: "single_column_eur", currency: "EUR", sections: [
            SampleSection(name: "Antipasti", items: [
                SampleItem("Bruschetta al pomodoro", "Toasted country bread with fresh tomatoes, garlic, basil and extra virgin olive oil from Liguria", price: 650, markers: ["V"]),
                SampleItem("Carpaccio di manzo", "Thin slices of raw beef, rocket, parmesan shavings, lemon", price: 1250),
                SampleItem("Caprese", "Buffalo mozzarella, tomatoes, basil", price: 900, markers: ["V", "GF"]),
            ]),
            SampleSection(name: "Primi", items: [
                SampleItem("Spaghetti alla carbonara", "Guanciale, egg yolk, pecorino romano, black pepper", price: 1390),
                SampleItem("Risotto ai funghi porcini", "Carnaroli rice slowly cooked with porcini mushrooms, white wine, butter and aged parmesan", price: 1650, markers: ["V", "GF"]),
                SampleItem("Lasagne della casa", "Beef ragù, béchamel, parmesan", price: 1400),
            ]),
            SampleSection(name: "Secondi", items: [
                SampleItem("Saltimbocca alla romana", "Veal escalopes, prosciutto, sage, white wine", price: 1980),
                SampleItem("Branzino al forno", "Oven-baked sea bass, potatoes, olives, cherry tomatoes", price: 2200, markers: ["GF"]),
            ]),
            SampleSection(name: "Dolci", items: [
                SampleItem("Tiramisù", "Mascarpone, savoiardi, espresso, cocoa", price: 750, markers: ["V"]),
                SampleItem("Panna cotta", "With a red berry coulis", price: 600, markers: ["V", "GF"]),
            ]),
        ], legend: vegetarianGlutenFree.filter { $0.marker != "VG" }, layout: singleColumnLayout)
    }

    static let singleColumnLayout: @Sendable (SampleMenu) -> PDFWriter = { menu in
        var pdf = PDFWriter(title: "Trattoria Bella Vista")
        var page = PDFPage()
        let red = PDFColor(128, 28, 28)
        page.textCentered("Trattoria Bella Vista", center: 297.5, y: 66, font: .timesBold, size: 26, color: red)
        page.textCentered("Via Roma 12, 10121 Torino", center: 297.5, y: 88, font: .helvetica, size: 10, color: .grey)
        page.textCentered("Tel. +39 011 555 0192 · info@bellavista.example", center: 297.5, y: 102, font: .helvetica, size: 10, color: .grey)
        page.textCentered("Opening hours: Tue–Sun 12:00–15:00 and 19:00–23:00", center: 297.5, y: 116, font: .helvetica, size: 10, color: .grey)
        var y = 150.0
        for section in menu.sections {
            page.text(section.name, x: 56, y: y + 15, font: .helveticaBold, size: 15, color: red)
            page.rect(x: 56, y: y + 20, width: 483, height: 0.8, color: red)
            y += 32
            for item in section.items {
                page.text(item.printedName, x: 56, y: y + 11, font: .helveticaBold, size: 11)
                page.textRight(PriceStyle.euroComma.text(item.price!), right: 539, y: y + 11, font: .helvetica, size: 11)
                y += 15
                for line in PDFPage.wrap(item.description ?? "", width: 330, font: .helveticaOblique, size: 9) {
                    page.text(line, x: 56, y: y + 9, font: .helveticaOblique, size: 9, color: .grey)
                    y += 11.5
                }
                y += 8
            }
            y += 8
        }
        let legend = menu.legend.map { "(\($0.marker)) \($0.words)" }.joined(separator: "   ")
        page.text(legend, x: 56, y: 790, font: .helvetica, size: 9)
        page.textCentered("© 2025 Trattoria Bella Vista · Prezzi IVA inclusa · Coperto 2,00 €", center: 297.5, y: 815, font: .helvetica, size: 8, color: .grey)
        pdf.add(page)
        return pdf
    }

    // MARK: 2. Two columns, USD: `$9`, headings white on coloured bands

    static var twoColumnsUSD: SampleMenu {
        SampleMenu(name: "two_columns_usd", currency: "USD", sections: [
            SampleSection(name: "Breakfast", items: [
                SampleItem("Buttermilk Pancakes", "Three pancakes, maple syrup, whipped butter", price: 900),
                SampleItem("Two Eggs Any Style", "Home fries, toast, choice of bacon or sausage", price: 1050),
                SampleItem("Avocado Toast", "Sourdough, smashed avocado, chili flakes", price: 1200),
                SampleItem("Oatmeal Bowl", "Steel-cut oats, brown sugar, berries", price: 700),
            ]),
            SampleSection(name: "Burgers", items: [
                SampleItem("Classic Burger", "Half-pound patty, lettuce, tomato, pickles", price: 1400),
                SampleItem("Bacon Cheeseburger", "Cheddar, smoked bacon, house sauce", price: 1650),
                SampleItem("Veggie Burger", "Black bean patty, avocado, chipotle mayo", price: 1350),
            ]),
            SampleSection(name: "Sides", items: [
                SampleItem("French Fries", price: 500),
                SampleItem("Onion Rings", price: 600),
                SampleItem("Coleslaw", price: 400),
                SampleItem("Mac & Cheese", "Baked with three cheeses", price: 750),
            ]),
            SampleSection(name: "Drinks", items: [
                SampleItem("Coffee", "Bottomless refills", price: 300),
                SampleItem("Fresh Orange Juice", price: 550),
                SampleItem("Milkshake", "Vanilla, chocolate or strawberry", price: 700),
                SampleItem("Iced Tea", price: 350),
            ]),
        ], legend: [], layout: twoColumnLayout)
    }

    static let twoColumnLayout: @Sendable (SampleMenu) -> PDFWriter = { menu in
        var pdf = PDFWriter(title: "Blue Door Diner")
        var page = PDFPage(width: 792, height: 612)
        let blue = PDFColor(24, 62, 120)
        page.textCentered("BLUE DOOR DINER", center: 396, y: 52, font: .helveticaBold, size: 28, color: blue)
        page.textCentered("1450 Main Street, Springfield, IL 62701 · (217) 555-0147 · Open daily 7am – 10pm",
                          center: 396, y: 72, font: .helvetica, size: 10, color: .grey)
        let columns: [(left: Double, right: Double)] = [(40, 370), (422, 752)]
        for (index, section) in menu.sections.enumerated() {
            let column = columns[index / 2]
            var y = index % 2 == 0 ? 100.0 : 330.0
            page.rect(x: column.left, y: y, width: column.right - column.left, height: 22, color: blue)
            page.text(section.name, x: column.left + 8, y: y + 16,
                      font: .helveticaBold, size: 14, color: .white)
            y += 34
            for item in section.items {
                page.text(item.printedName, x: column.left, y: y + 11, font: .helveticaBold, size: 11)
                page.textRight(PriceStyle.dollar.text(item.price!), right: column.right, y: y + 11, font: .helveticaBold, size: 11)
                y += 14
                if let description = item.description {
                    page.text(description, x: column.left, y: y + 9, font: .helvetica, size: 9, color: .grey)
                    y += 12
                }
                y += 6
            }
        }
        page.textCentered("Since 1987 · 18% gratuity added to parties of 6 or more · © 2024 Blue Door Diner",
                          center: 396, y: 590, font: .helvetica, size: 8, color: .grey)
        pdf.add(page)
        return pdf
    }

    // MARK: 3. Dotted leaders, AUD without a sign: `French Fries........ 6.00`

    static var dottedLeadersAUD: SampleMenu {
        SampleMenu(name: "dotted_leaders_aud", currency: "AUD", sections: [
            SampleSection(name: "Snacks", items: [
                SampleItem("French Fries", price: 600),
                SampleItem("Potato Wedges", price: 750),
                SampleItem("Chicken Nuggets (6)", price: 900),
                SampleItem("Vegetable Spring Rolls", price: 850),
            ]),
            SampleSection(name: "Burgers", items: [
                SampleItem("Cheeseburger", price: 1200),
                SampleItem("Chicken Schnitzel Burger", price: 1450),
                SampleItem("The Lot Burger", price: 1690),
            ]),
            SampleSection(name: "Drinks", items: [
                SampleItem("Soft Drink Can", price: 350),
                SampleItem("Flat White", price: 450),
                SampleItem("Iced Chocolate", price: 650),
            ]),
        ], legend: [], layout: dottedLeaderLayout)
    }

    static let dottedLeaderLayout: @Sendable (SampleMenu) -> PDFWriter = { menu in
        var pdf = PDFWriter(title: "Corner Snack Bar")
        var page = PDFPage()
        page.text("Corner Snack Bar", x: 72, y: 72, font: .helveticaBold, size: 24)
        page.text("Shop 4, 22 Beach Road, Bondi NSW 2026 · Ph 02 9555 0123", x: 72, y: 92, font: .helvetica, size: 10, color: .grey)
        page.text("Mon–Fri 11am–9pm, Sat–Sun 10am–10pm · Prices in AUD, GST included", x: 72, y: 106, font: .helvetica, size: 10, color: .grey)
        var y = 140.0
        for section in menu.sections {
            page.text(section.name, x: 72, y: y + 14, font: .helveticaBold, size: 14, color: PDFColor(0, 110, 70))
            y += 26
            for item in section.items {
                page.leader(item.printedName, price: PriceStyle.dot.text(item.price!), left: 72, right: 400, y: y + 12,
                            font: .helvetica, size: 12)
                y += 19
            }
            y += 12
        }
        page.text("Card surcharge 1.5% · ABN 12 345 678 901 · Menu 2025", x: 72, y: 800, font: .helvetica, size: 8, color: .grey)
        pdf.add(page)
        return pdf
    }

    // MARK: 4. Size columns: `Small Medium Large`, three prices per row

    static var sizeColumnsPizza: SampleMenu {
        let sml = ["Small", "Medium", "Large"]
        func sized(_ name: String, _ description: String, _ prices: [Int64], markers: [String] = []) -> SampleItem {
            SampleItem(name, description, sizes: zip(sml, prices).map { ($0, Optional($1)) }, markers: markers)
        }
        return SampleMenu(name: "size_columns_pizza_gbp", currency: "GBP", sections: [
            SampleSection(name: "Pizzas", items: [
                sized("Margherita", "San Marzano tomato, fior di latte, basil", [850, 1050, 1250], markers: ["V"]),
                sized("Diavola", "Tomato, mozzarella, spicy salami, chilli oil", [950, 1200, 1450]),
                sized("Quattro Formaggi", "Mozzarella, gorgonzola, fontina and parmesan on a white base with a drizzle of honey", [1000, 1250, 1500], markers: ["V"]),
                sized("Ortolana", "Grilled courgette, aubergine, peppers, vegan cheese", [900, 1150, 1400], markers: ["VG"]),
                sized("Prosciutto e Funghi", "Tomato, mozzarella, ham, mushrooms", [950, 1200, 1450]),
            ]),
            SampleSection(name: "Sides", items: [
                SampleItem("Garlic Bread", "With rosemary and sea salt", price: 450, markers: ["VG"]),
                SampleItem("Rocket Salad", "Cherry tomatoes, parmesan, balsamic", price: 550, markers: ["V", "GF"]),
                SampleItem("Polenta Chips", price: 500, markers: ["GF"]),
            ]),
        ], legend: vegetarianGlutenFree, layout: sizeColumnsLayout)
    }

    static let sizeColumnsLayout: @Sendable (SampleMenu) -> PDFWriter = { menu in
        var pdf = PDFWriter(title: "Pizzeria Napoli")
        var page = PDFPage()
        let green = PDFColor(20, 100, 50)
        page.textCentered("Pizzeria Napoli", center: 297.5, y: 64, font: .timesBold, size: 28, color: green)
        page.textCentered("12 High Street, Bristol BS1 2AW · Tel 0117 496 0000 · Open Wed–Mon 5pm–11pm",
                          center: 297.5, y: 84, font: .helvetica, size: 9.5, color: .grey)
        page.textCentered("All prices in £", center: 297.5, y: 98, font: .helvetica, size: 9.5, color: .grey)
        let columns: [Double] = [419, 479, 539]
        var y = 130.0
        for section in menu.sections {
            page.text(section.name, x: 56, y: y + 16, font: .helveticaBold, size: 16, color: green)
            let sized = section.items.contains { !$0.sizes.isEmpty }
            if sized, let first = section.items.first {
                for (size, right) in zip(first.sizes, columns) {
                    page.textRight(size.label, right: right, y: y + 16, font: .helveticaBold, size: 10)
                }
            }
            y += 30
            for item in section.items {
                page.text(item.printedName, x: 56, y: y + 11, font: .helveticaBold, size: 11)
                if sized {
                    for (size, right) in zip(item.sizes, columns) {
                        if let cents = size.cents { page.textRight(PriceStyle.dot.text(cents), right: right, y: y + 11, font: .helvetica, size: 11) }
                    }
                } else {
                    page.textRight(PriceStyle.dot.text(item.price!), right: 539, y: y + 11, font: .helvetica, size: 11)
                }
                y += 14
                for line in PDFPage.wrap(item.description ?? "", width: 260, font: .helveticaOblique, size: 9) {
                    page.text(line, x: 56, y: y + 9, font: .helveticaOblique, size: 9, color: .grey)
                    y += 11.5
                }
                y += 9
            }
            y += 12
        }
        let legend = menu.legend.map { "(\($0.marker)) \($0.words)" }.joined(separator: "   ")
        page.text(legend, x: 56, y: 780, font: .helvetica, size: 9)
        page.textCentered("Est. 2009 · 12.5% service charge for tables of 8+ · Menu 2025", center: 297.5, y: 812, font: .helvetica, size: 8, color: .grey)
        pdf.add(page)
        return pdf
    }

    // MARK: 5. Drinks by the centilitre: `25 cl / 33 cl / 50 cl`, blank cells, decimal comma

    static var drinksCentilitres: SampleMenu {
        let cl = ["25 cl", "33 cl", "50 cl"]
        func sized(_ name: String, _ description: String?, _ prices: [Int64?]) -> SampleItem {
            SampleItem(name, description, sizes: zip(cl, prices).map { ($0, $1) })
        }
        return SampleMenu(name: "drinks_cl_sizes_eur", currency: "EUR", sections: [
            SampleSection(name: "Bières pression", items: [
                sized("Blonde du Nord", "Blonde, 5,2 % vol.", [350, 450, 690]),
                sized("Blanche de Lille", "Blanche, 4,8 % vol.", [380, 490, 720]),
                sized("IPA Golden Gate", "Houblonnée, 6,5 % vol.", [nil, 550, 850]),
                sized("Ambrée", "Ambrée, 5,9 % vol.", [390, nil, 750]),
            ]),
            SampleSection(name: "Cidres", items: [
                sized("Cidre brut", "Normandie, 5 % vol.", [nil, 500, nil]),
                sized("Cidre doux", nil, [320, 480, nil]),
            ]),
            SampleSection(name: "Softs", items: [
                SampleItem("Coca-Cola", "33 cl", price: 350),
                SampleItem("Limonade artisanale", price: 400),
                SampleItem("Jus de pomme", price: 380),
            ]),
        ], legend: [], layout: drinksLayout)
    }

    static let drinksLayout: @Sendable (SampleMenu) -> PDFWriter = { menu in
        var pdf = PDFWriter(title: "Le Comptoir")
        var page = PDFPage()
        let brown = PDFColor(110, 60, 20)
        page.rect(x: 0, y: 0, width: 595, height: 100, color: PDFColor(245, 235, 215))
        page.text("Le Comptoir", x: 56, y: 60, font: .timesBold, size: 30, color: brown)
        page.text("8 rue des Arts, 59000 Lille · 03 20 55 01 23", x: 56, y: 80, font: .timesRoman, size: 10)
        page.text("Ouvert du mardi au samedi de 17h à 1h · Prix en euros, service compris", x: 56, y: 93, font: .timesRoman, size: 10)
        let columns: [Double] = [409, 474, 539]
        var y = 130.0
        for section in menu.sections {
            page.text(section.name, x: 56, y: y + 15, font: .timesBold, size: 16, color: brown)
            let sized = section.items.contains { !$0.sizes.isEmpty }
            if sized, let first = section.items.first {
                for (size, right) in zip(first.sizes, columns) {
                    page.textRight(size.label, right: right, y: y + 15, font: .timesBold, size: 11)
                }
            }
            y += 28
            for item in section.items {
                page.text(item.printedName, x: 56, y: y + 12, font: .timesBold, size: 12)
                if let description = item.description {
                    page.text(description, x: 56 + PDFFont.timesBold.width(item.printedName, size: 12) + 8, y: y + 12,
                              font: .timesItalic, size: 10, color: .grey)
                }
                if sized {
                    for (size, right) in zip(item.sizes, columns) {
                        if let cents = size.cents { page.textRight(PriceStyle.comma.text(cents), right: right, y: y + 12, font: .timesRoman, size: 12) }
                    }
                } else {
                    page.textRight(PriceStyle.euroComma.text(item.price!), right: 539, y: y + 12, font: .timesRoman, size: 12)
                }
                y += 22
            }
            y += 14
        }
        page.text("L'abus d'alcool est dangereux pour la santé, à consommer avec modération.", x: 56, y: 790, font: .timesItalic, size: 9, color: .grey)
        page.text("Licence IV n° 59-2023-117 · Carte 2025", x: 56, y: 804, font: .timesRoman, size: 8, color: .grey)
        pdf.add(page)
        return pdf
    }

    // MARK: 6. Nairobi, KES: `Ksh 450` and `450/=`, two pages

    static var nairobiKES: SampleMenu {
        SampleMenu(name: "nairobi_kes", currency: "KES", sections: [
            SampleSection(name: "Breakfast", items: [
                SampleItem("Chapati na Chai", "Two soft chapatis with spiced tea", price: 25000),
                SampleItem("Mandazi (3 pcs)", price: 15000),
                SampleItem("Full Kenyan Breakfast", "Eggs, sausage, beans, toast, fruit and tea or coffee", price: 65000),
                SampleItem("Uji wa Wimbi", "Millet porridge", price: 12000),
            ]),
            SampleSection(name: "Main Dishes", items: [
                SampleItem("Nyama Choma (1/2 kg)", "Grilled goat meat, kachumbari and ugali", price: 95000),
                SampleItem("Pilau ya Kuku", "Spiced rice with chicken, served with kachumbari", price: 55000),
                SampleItem("Githeri", "Maize and beans stew", price: 30000),
                SampleItem("Tilapia Fry", "Whole fried tilapia, ugali and sukuma wiki", price: 85000),
                SampleItem("Beef Stew", "Slow-cooked with potatoes and carrots, with rice or chapati", price: 45000),
                SampleItem("Vegetable Curry", "Seasonal vegetables in a coconut curry", price: 40000),
            ]),
            SampleSection(name: "Drinks", items: [
                SampleItem("Chai", price: 8000),
                SampleItem("Fresh Passion Juice", price: 15000),
                SampleItem("Soda (300 ml)", price: 8000),
                SampleItem("Dawa", "Hot lemon, ginger and honey", price: 20000),
                SampleItem("Mineral Water (500 ml)", price: 7000),
            ]),
        ], legend: [], layout: nairobiLayout)
    }

    static let nairobiLayout: @Sendable (SampleMenu) -> PDFWriter = { menu in
        var pdf = PDFWriter(title: "Mama Njeri's Kitchen")
        let orange = PDFColor(190, 80, 10)
        func header(_ page: inout PDFPage) {
            page.textCentered("Mama Njeri's Kitchen", center: 297.5, y: 62, font: .timesBold, size: 26, color: orange)
            page.textCentered("Moi Avenue, Nairobi · Tel 0712 345 678 · Lipa na M-PESA Till No. 123456",
                              center: 297.5, y: 82, font: .timesRoman, size: 10)
            page.textCentered("Open Mon–Sat 7:00 am – 9:00 pm", center: 297.5, y: 96, font: .timesRoman, size: 10)
        }
        var page = PDFPage()
        header(&page)
        var y = 130.0
        for (index, section) in menu.sections.enumerated() {
            if index == 2 {
                page.textCentered("© 2025 Mama Njeri's Kitchen · page 1", center: 297.5, y: 815, font: .timesRoman, size: 8, color: .grey)
                pdf.add(page)
                page = PDFPage()
                header(&page)
                y = 130
            }
            // Breakfast and drinks print `Ksh 450`; the main dishes `450/=`.
            let style: PriceStyle = section.name == "Main Dishes" ? .slashEquals : .ksh
            page.text(section.name, x: 72, y: y + 15, font: .timesBold, size: 15, color: orange)
            y += 28
            for item in section.items {
                page.text(item.printedName, x: 72, y: y + 12, font: .timesBold, size: 12)
                page.textRight(style.text(item.price!), right: 523, y: y + 12, font: .timesBold, size: 12)
                y += 15
                if let description = item.description {
                    page.text(description, x: 84, y: y + 10, font: .timesItalic, size: 10, color: .grey)
                    y += 13
                }
                y += 7
            }
            y += 12
        }
        page.textCentered("Prices include 16% VAT · © 2025 Mama Njeri's Kitchen · page 2", center: 297.5, y: 815, font: .timesRoman, size: 8, color: .grey)
        pdf.add(page)
        return pdf
    }
}
