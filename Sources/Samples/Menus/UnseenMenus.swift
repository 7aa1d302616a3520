/// Menus of the same kinds as the six samples that the structurer was never tuned on: each sample's
/// layout, legend and currency, printed with other dishes, descriptions, headings, prices and
/// dietary marks drawn from a seed. The expected items come from the same data as the PDF, so an
/// evaluation over them measures how the structurer does on menus it has not seen.
///
///     for menu in SampleMenus.unseen(seed: 2) { let pdf = menu.pdf(); let expected = menu.expected }
extension SampleMenus {
    /// Six menus (one per sample layout) for `seed`; names end in `_unseen<seed>`.
    public static func unseen(seed: UInt64) -> [SampleMenu] {
        all.enumerated().map { index, base in
            var random = SeededRandom(seed: seed, stream: "unseen-menu-\(index)")
            return variant(of: base, seed: seed, random: &random)
        }
    }

    static func variant(of base: SampleMenu, seed: UInt64, random: inout SeededRandom) -> SampleMenu {
        var menu = base
        menu.name = base.name + "_unseen\(seed)"
        var usedNames = Set<String>()
        var headings = UnseenPools.headings
        menu.sections = base.sections.map { section in
            var out = section
            // a heading of about the same length, not used twice
            let fitting = headings.indices.filter { abs(headings[$0].count - section.name.count) <= 4 }
            if let pick = fitting.isEmpty ? nil : fitting[random.int(below: fitting.count)] {
                out.name = headings.remove(at: pick)
            }
            out.items = section.items.map { item in
                var new = item
                new.name = pickName(near: item.name.count, used: &usedNames, random: &random)
                if let description = item.description {
                    new.description = pickDescription(near: description.count, random: &random)
                }
                let factor = Int64(random.int(in: 60...160))
                new.price = item.price.map { scaled($0, by: factor) }
                new.sizes = scaledSizes(item.sizes, by: factor)
                if !base.legend.isEmpty {
                    let markers = base.legend.map(\.marker)
                    new.markers = random.chance(40) ? [random.pick(markers)] : []
                }
                return new
            }
            return out
        }
        return menu
    }

    /// `cents` times `percent`/100, rounded as finely as the sample printed it (whole units, halves
    /// or tens of cents), so the menu's price style prints it exactly; never below one step.
    static func scaled(_ cents: Int64, by percent: Int64) -> Int64 {
        let step = step(cents)
        let value = cents * percent / 100
        return max(step, (value + step / 2) / step * step)
    }

    /// How finely the sample printed `cents`: whole units, halves or tens of cents.
    static func step(_ cents: Int64) -> Int64 { cents % 100 == 0 ? 100 : cents % 50 == 0 ? 50 : 10 }

    /// Sizes scaled alike, kept in ascending order (a blank cell stays blank).
    static func scaledSizes(_ sizes: [(label: String, cents: Int64?)], by percent: Int64) -> [(label: String, cents: Int64?)] {
        var last: Int64 = 0
        return sizes.map { size in
            guard let cents = size.cents else { return size }
            var value = scaled(cents, by: percent)
            while value <= last { value += step(cents) }
            last = value
            return (size.label, value)
        }
    }

    static func pickName(near length: Int, used: inout Set<String>, random: inout SeededRandom) -> String {
        let fitting = UnseenPools.dishes.filter { abs($0.count - length) <= 6 && !used.contains($0) }
        let pool = fitting.isEmpty ? UnseenPools.dishes.filter { $0.count <= length + 6 && !used.contains($0) } : fitting
        let name = pool.isEmpty ? "Dish \(used.count + 1)" : random.pick(pool)
        used.insert(name)
        return name
    }

    static func pickDescription(near length: Int, random: inout SeededRandom) -> String {
        var words: [String] = []
        var count = 0
        while count < length - 8 || words.isEmpty {
            let word = random.pick(UnseenPools.ingredients)
            if words.contains(word) { continue }
            words.append(word)
            count += word.count + 2
        }
        let text = words.joined(separator: ", ")
        return text.prefix(1).uppercased() + text.dropFirst()
    }
}

/// Words for the unseen menus: no dish here is on the six samples (a test checks it).
enum UnseenPools {
    static let headings = [
        "Starters", "Soups", "Salads", "Small Plates", "Mains", "From the Grill", "Seafood", "Pasta",
        "Noodles", "Rice Dishes", "Curries", "Sandwiches", "Wraps", "Sweets", "Desserts", "Cakes",
        "Hot Drinks", "Cold Drinks", "Juices", "Beers", "Wines", "Cocktails", "Specials", "Sharing",
        "Brunch", "Bowls", "Bakery", "Kids", "Vegetable Sides", "Sauces",
    ]

    static let dishes = [
        "Chicken Tikka", "Lamb Kofta", "Beef Stroganoff", "Pad Thai", "Green Curry", "Fish Tacos",
        "Falafel Plate", "Shakshuka", "Goulash", "Paella Valenciana", "Moussaka", "Pierogi",
        "Ramen Shoyu", "Bibimbap", "Chicken Satay", "Beef Rendang", "Nasi Goreng", "Laksa",
        "Pho Bo", "Banh Mi", "Tom Yum Soup", "Miso Soup", "Gazpacho", "Minestrone", "French Onion Soup",
        "Caesar Salad", "Greek Salad", "Nicoise Salad", "Waldorf Salad", "Tabbouleh", "Fattoush",
        "Hummus", "Baba Ganoush", "Spanakopita", "Croque Monsieur", "Reuben Sandwich", "Club Sandwich",
        "Pulled Pork Bun", "Fish and Chips", "Shepherd's Pie", "Cottage Pie", "Beef Wellington",
        "Coq au Vin", "Ratatouille", "Bouillabaisse", "Cassoulet", "Duck Confit", "Steak Frites",
        "Schnitzel", "Bratwurst", "Spaetzle", "Kaiserschmarrn", "Apfelstrudel", "Black Forest Cake",
        "Cheesecake", "Brownie", "Apple Crumble", "Sticky Toffee Pudding", "Creme Caramel", "Churros",
        "Baklava", "Gulab Jamun", "Mango Lassi", "Masala Chai", "Cappuccino", "Espresso",
        "Hot Chocolate", "Lemonade", "Ginger Beer", "Iced Coffee", "Matcha Latte", "Chai Latte",
        "Ugali", "Sukuma Wiki", "Samosa",
        "Mukimo", "Matoke", "Kachumbari", "Chicken Biryani", "Dal Makhani",
        "Palak Paneer", "Aloo Gobi", "Chana Masala", "Butter Chicken", "Vindaloo", "Tandoori Prawns",
        "Garlic Naan", "Jeera Rice", "Onion Bhaji", "Vegetable Pakora", "Gyoza",
        "Edamame", "Tempura Prawns", "Teriyaki Salmon", "Katsu Curry", "Yakitori", "Okonomiyaki",
        "Quesadilla", "Burrito Bowl", "Nachos", "Enchiladas", "Chili con Carne", "Guacamole",
        "Empanadas", "Ceviche", "Arepas", "Feijoada", "Pastel de Nata", "Bacalhau", "Patatas Bravas",
        "Gambas al Ajillo", "Croquetas", "Tortilla Espanola", "Calamari Rings", "Mussels in White Wine",
        "Grilled Octopus", "Lobster Roll", "Clam Chowder", "Crab Cakes", "Buffalo Wings", "Corn Dog",
        "Sloppy Joe", "Meatloaf", "Pot Roast", "Chicken Pot Pie", "Key Lime Pie", "Pecan Pie",
        "Banana Bread", "Carrot Cake", "Scones with Jam", "Eggs Benedict", "Granola Bowl", "Acai Bowl",
        "Smoked Salmon Bagel", "French Toast", "Waffles", "Crepes Suzette", "Quiche Lorraine",
        "Tarte Tatin", "Profiteroles", "Eton Mess", "Trifle", "Pavlova", "Lamingtons", "Meat Pie",
        "Sausage Roll", "Kebab Platter", "Shawarma Wrap", "Lentil Soup", "Stuffed Peppers",
        "Pumpkin Risotto", "Gnocchi Sorrentina", "Ravioli", "Penne Arrabbiata", "Linguine Vongole",
        "Mushroom Stroganoff", "Halloumi Fries", "Sweet Potato Fries", "Onion Soup",
    ]

    static let ingredients = [
        "roasted garlic", "fresh coriander", "lime", "chili oil", "toasted sesame", "pickled red onion",
        "smoked paprika", "yoghurt", "mint", "cumin", "slow-cooked beans", "grilled halloumi",
        "sweet potato", "spring onion", "ginger", "coconut milk", "lemongrass", "peanuts", "rice noodles",
        "seasonal greens", "charred corn", "black beans", "sour cream", "aged cheddar", "rye bread",
        "horseradish", "dill", "capers", "soft-boiled egg", "crispy shallots", "tamarind", "cashews",
        "brown butter", "sage", "thyme", "rosemary potatoes", "caramelised onions", "pomegranate",
        "tahini", "flatbread", "wild rice", "roast pumpkin", "feta", "olive tapenade", "sun-dried tomato",
        "honey", "walnuts", "vanilla cream", "dark chocolate", "salted caramel", "berries", "custard",
    ]
}
