/// A generated family of menu layouts that are none of the six samples: boxed grids, price tables,
/// decorated and numbered headings, descriptions above or below, prices before names or at the end
/// of the description, one price per section, sections across page and column breaks, two and three
/// columns, dot leaders, prices without a sign, in six languages and their number formats. Each
/// menu is a function of a seed; its expected items come from the same data as its PDF.
///
///     for menu in SampleMenus.family(seed: 1) { let pdf = menu.pdf(); let expected = menu.expected }
extension SampleMenus {
    /// One menu per layout of the family for `seed`; names are `family_<layout>_<language>_s<seed>`.
    public static func family(seed: UInt64) -> [SampleMenu] {
        FamilyLayout.all.enumerated().map { index, layout in layout.menu(seed: seed, index: index) }
    }

    /// The family's layouts by name, each with what it exercises.
    public static var familyLayouts: [(name: String, exercises: String)] {
        FamilyLayout.all.map { ($0.name, $0.exercises) }
    }

    /// Every dish name the family's word lists hold, in every language.
    public static var familyDishNames: [String] {
        FamilyWords.all.flatMap { $0.dishes.values.joined() }
    }

    /// Every dish name the unseen menus draw from.
    public static var unseenDishNames: [String] { UnseenPools.dishes }
}

/// What a layout draws with: the language's words, the price form, the venue, and a variant number
/// the layout uses for its own choices (which ornament, two or three columns, …).
struct FamilyStyle: Sendable {
    var words: FamilyWords
    var price: FamilyPrice
    /// The venue's name and address, printed at the top.
    var venue: String, address: String
    /// 0...3: the layout's own choices.
    var variant: Int

    /// The item's price as the menu prints it.
    func text(_ cents: Int64) -> String { price.text(cents) }
}

/// One layout of the family: the shape of the menu it is filled with, and how it is drawn.
struct FamilyLayout: Sendable {
    var name: String
    var exercises: String
    var sections: ClosedRange<Int>
    var items: ClosedRange<Int>
    /// Percent of dishes with a description.
    var descriptions: Int
    /// Empty: one price per dish; else each dish priced in this many sizes, drawn per menu (2 or 3;
    /// blank cells allowed).
    var sizes: ClosedRange<Int> = 0...0
    /// One price for every dish of a section.
    var sectionPrice = false
    /// The price forms the layout prints (nil: the language's own).
    var prices: (@Sendable (FamilyWords) -> [FamilyPrice])? = nil
    var draw: @Sendable (SampleMenu, FamilyStyle) -> PDFWriter

    func menu(seed: UInt64, index: Int) -> SampleMenu {
        var random = SeededRandom(seed: seed, stream: "family-" + name)
        // the languages turn with the seed, so every seed prints all of them across the family
        let words = FamilyWords.all[(index + Int(seed % 6)) % FamilyWords.all.count]
        let price = random.pick(prices?(words) ?? FamilyPrice.forms(words.code))
        let style = FamilyStyle(words: words, price: price, venue: random.pick(words.venues), address: words.address[price.currency] ?? "",
                                variant: random.int(below: 4))
        let draw = self.draw
        return SampleMenu(name: "family_\(name)_\(words.code)_s\(seed)", currency: price.currency,
                          sections: sections(words: words, price: price, random: &random), legend: [],
                          layout: { draw($0, style) })
    }

    /// Sections in the order menus print courses, each dish drawn once.
    func sections(words: FamilyWords, price: FamilyPrice, random: inout SeededRandom) -> [SampleSection] {
        let count = random.int(in: sections)
        let courses: [FamilyWords.Course] = switch count {
        case ...2: [.starters, .mains]
        case 3: [.starters, .mains, .desserts]
        case 4: [.starters, .mains, .desserts, .drinks]
        case 5: [.starters, .mains, .sides, .desserts, .drinks]
        default: [.starters, .mains, .mains, .sides, .desserts, .drinks]
        }
        var usedHeadings = Set<String>()
        var usedDishes = Set<String>()
        let columns = sizes == 0...0 ? 0 : random.int(in: sizes)
        let labels = columns == 0 ? [] : random.pick(columns == 2 ? words.twoSizes : words.threeSizes)
        return courses.map { course in
            let headings = words.headings[course, default: []].filter { !usedHeadings.contains($0) }
            let heading = random.pick(headings)
            usedHeadings.insert(heading)
            let shared = sectionPrice ? price.draw(course, random: &random) : nil
            var dishes = words.dishes[course, default: []].filter { !usedDishes.contains($0) }
            var out: [SampleItem] = []
            for _ in 0..<min(random.int(in: items), dishes.count) {
                let name = dishes.remove(at: random.int(below: dishes.count))
                usedDishes.insert(name)
                let description = random.chance(descriptions) ? Self.description(words, random: &random) : nil
                if !labels.isEmpty {
                    out.append(SampleItem(name, description, sizes: Self.sized(labels, course: course, price: price, random: &random)))
                } else {
                    out.append(SampleItem(name, description, price: shared ?? price.draw(course, random: &random)))
                }
            }
            return SampleSection(name: heading, items: out)
        }
    }

    /// Two to four ingredients, the first capitalised: `Smoked bacon, chives, watercress`.
    static func description(_ words: FamilyWords, random: inout SeededRandom) -> String {
        var pool = words.ingredients
        let parts = (0..<random.int(in: 2...4)).map { _ in pool.remove(at: random.int(below: pool.count)) }
        let text = parts.joined(separator: ", ")
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    /// Rising prices, one per label; now and then a size the dish is not sold in (a blank cell),
    /// never the largest.
    static func sized(_ labels: [String], course: FamilyWords.Course, price: FamilyPrice, random: inout SeededRandom) -> [(String, Int64?)] {
        var cents = price.draw(course, random: &random)
        let step = price.currency == "CLP" ? Int64(1000) : price.wholeOnly ? 100 : 50
        var out: [(String, Int64?)] = []
        for (i, label) in labels.enumerated() {
            let blank = i < labels.count - 1 && random.chance(12)
            out.append((label, blank ? nil : cents))
            cents += step * Int64(random.int(in: 2...8))
        }
        return out
    }
}
