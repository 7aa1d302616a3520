import BackofficeCore
import Foundation

/// An item being read: its name lines, description lines and price rows.
struct ItemDraft {
    var name: String
    var font: Int
    var caps: Bool
    var category: String
    var description: [String] = []
    var rows: [(prices: [PriceToken], rects: [Rect], label: String?)] = []
    var lines: [AnalyzedLine] = []
    var noPrice = false
    var parent: String? = nil
    /// The page's size header when the item was read.
    var header: [(String, Rect)] = []
    /// Labels printed before each price of its row (`0,25L 2,90  0,75L 7,90`).
    var inlineLabels: [String]? = nil
    var confidence = 0.9
    var closed = false
    var lastRect: Rect { lines.last?.rect ?? Rect(x0: 0, y0: 0, x1: 0, y1: 0) }
    var page: Int { lines.first?.line.page ?? 1 }
}

/// Page-level facts the assembler uses: fonts that start items, size headers.
public struct LayoutFacts: Sendable {
    /// How often each font starts a priced line.
    public var nameFonts: [Int: Int] = [:]
    /// Median size of priced lines' text.
    public var bodySize: Double = 10
    /// Fonts used only for short lines that never carry a price: headings.
    public var headingFonts: Set<Int> = []
    /// Fonts of lines without a price that stand one price apart, line after line: dishes named on
    /// a line of their own, their price on a line under it (after the description, or alone).
    public var ownLineNameFonts: Set<Int> = []
    /// Short lines the menu repeats under many dishes (`Pommes frites und Salat`), folded: descriptions, never names.
    public var boilerplate: Set<String> = []

    public func isBoilerplate(_ text: String) -> Bool { boilerplate.contains(TextRules.fold(text)) }
    public init() {}
}

/// Lines in reading order → items. A line with a price starts an item (or adds a size row to the one
/// above); lines in the name's font before it extend its name; lines in another font after it are its
/// description; headings set the category.
struct ItemAssembler {
    var facts: LayoutFacts
    var headings: HeadingClassifier
    var category = ""
    /// The last heading, and how many items there were when it was read.
    var lastHeading: (line: AnalyzedLine, items: Int)?
    var items: [ItemDraft] = []
    var questions: [String] = []
    /// Size labels declared in a header on the current page, in reading order with their place.
    var header: [(String, Rect)] = []
    var headerPage = 0
    /// The last section price seen (page, top), for the next column of priceless dishes.
    var carriedSection: (page: Int, y: Double, row: (prices: [PriceToken], rects: [Rect], label: String?))? = nil
    /// A heading's price that every dish under it costs, and the font those dishes are named in.
    var sectionPrice: (row: (prices: [PriceToken], rects: [Rect], label: String?), nameFont: Int)? = nil

    init(facts: LayoutFacts) {
        self.facts = facts
        self.headings = HeadingClassifier(facts: facts)
    }

    mutating func region(_ lines: [AnalyzedLine]) {
        var current: ItemDraft? = nil
        var pending: [AnalyzedLine] = []
        if let card = card(lines) {
            current = card
            close(&current, &pending)
            return
        }
        var i = 0
        while i < lines.count {
            let li = lines[i]
            defer { i += 1 }
            if let p = lines.first?.line.page, p != headerPage { header = []; headerPage = p }
            // size header: labels alone, maybe with one word (`Pressions 25 cl 33 cl 50 cl`, `GRÖSSEN 24CM`)
            if !li.hasPrices, !li.headerLabels.isEmpty, li.text.split(separator: " ").count <= 2 {
                let known = li.headerLabels.allSatisfy { l in header.contains { $0.0 == l.0 && abs($0.1.midY - l.1.midY) < 2 && abs($0.1.midX - l.1.midX) < 2 } }
                if !known {
                    if header.count >= 3 || (header.first.map { abs($0.1.midY - li.rect.midY) > 60 } ?? false) { header = [] }
                    header += li.headerLabels
                }
                if !li.text.isEmpty, headings.isHeading(li, next: nil) { close(&current, &pending); setCategory(li) }
                continue
            }
            if li.isAddOn {
                let what = Self.addOnText(li)
                questions.append("Is '\(what)' an extra for \(current.map { "'\($0.name)'" } ?? "the items above"), not an item of its own?")
                continue
            }
            if li.hasPrices || li.noPrice {
                sectionPrice = nil
                if let nameFont = pricedSectionNames(lines, at: i) {
                    // `Pizzas   12,50 €` over dishes that print no price: each of them costs it
                    close(&current, &pending)
                    setCategory(li)
                    sectionPrice = ((li.prices, li.priceRects, li.rowLabel), nameFont)
                    continue
                }
                // a footer with a cover charge, an address with a number: not a dish
                if !li.text.isEmpty && TextRules.isNoise(li.text) {
                    if var c = current { c.closed = true; current = c }
                    continue
                }
                if li.text.isEmpty && !li.noPrice {
                    // price alone on its row
                    if let p = pending.last, !p.text.isEmpty, p.font == (pending.first?.font ?? p.font),
                       pendingIsName(pending, current: current) {
                        let parent = current?.parent ?? items.last?.parent
                        close(&current, &pending, keepPending: true)
                        var d = start(from: pending, price: li)
                        if let first = pending.first?.text, first.hasPrefix("-") || first.hasPrefix("–"), let parent {
                            // `- mit Käse u. Toast` + `10,50 €` under `großer Salatteller`
                            d.name = parent + " " + d.name
                            d.parent = parent
                        }
                        current = d
                        pending = []
                    } else if var c = current, !c.closed, c.rows.count < 4, near(c.lastRect, li.rect, c.lines.last?.size ?? li.size, factor: 3.5) {
                        c.rows.append((li.prices, li.priceRects, li.rowLabel))
                        c.lines.append(li)
                        current = c
                    }
                    continue
                }
                if var c = current, pending.isEmpty, isContinuation(li, of: c) {
                    c.rows.append((li.prices, li.priceRects, li.rowLabel))
                    if !li.text.isEmpty { c.description.append(li.text) }
                    c.lines.append(li)
                    current = c
                    continue
                }
                if var c = current, pending.isEmpty, c.rows.isEmpty, !c.noPrice, li.font != c.font,
                   near(c.lastRect, li.rect, li.size, factor: 2.5) {
                    // the price printed on a description line (`Toasted ciabatta w’ house made   7`)
                    c.rows.append((li.prices, li.priceRects, li.rowLabel))
                    c.description.append(li.text)
                    c.lines.append(li)
                    current = c
                    continue
                }
                // a new item; the lines waiting may be the end of its name
                if facts.isBoilerplate(li.text), let p = pending.last, !p.text.isEmpty, near(p.rect, li.rect, li.size, factor: 1.2) {
                    // `Schweinerückensteak mit Pfefferrahmsoße` + `Kroketten und Salat   14,50 €`
                    if var c = current {
                        for r in pending.dropLast() where near(c.lastRect, r.rect, r.size, factor: 3) && !TextRules.isNoise(r.text) {
                            c.description.append(r.text); c.lines.append(r)
                        }
                        current = c
                    }
                    close(&current, &pending, keepPending: true)
                    var d = start(from: [p], price: li)
                    d.name = TextRules.cleanName(p.text)
                    d.description = [li.text]
                    current = d
                    pending = []
                    continue
                }
                if let (name, under) = ownLineName(pending, for: li) {
                    // `Salmorejo` / `Azafrán, perejil, canela   8,40`: a dish named on a line of its
                    // own, the price closing its description
                    if var c = current {
                        for r in pending.dropLast(name.count + under.count) where near(c.lastRect, r.rect, r.size, factor: 3) && !TextRules.isNoise(r.text) {
                            c.description.append(r.text); c.lines.append(r)
                        }
                        current = c
                    }
                    close(&current, &pending)
                    var d = start(from: name + under, price: li)
                    d.name = TextRules.cleanName(name.map(\.text).joined(separator: " "))
                    d.description = under.map(\.text) + [li.text] + (li.inlineDescription.map { [$0] } ?? [])
                    current = d
                    continue
                }
                let prefix = namePrefix(pending, for: li, current: current)
                let rest = Array(pending.dropLast(prefix.count))
                if var c = current {
                    for r in rest where near(c.lastRect, r.rect, r.size, factor: 3) && !TextRules.isNoise(r.text) {
                        c.description.append(r.text); c.lines.append(r)
                    }
                    current = c
                }
                close(&current, &pending)
                var parent: String? = nil
                let dash = li.text.hasPrefix("-") || li.text.hasPrefix("–")
                if dash {
                    if !prefix.isEmpty { parent = prefix.map(\.text).joined(separator: " ") }
                    else { parent = items.last?.parent }
                }
                var d = start(from: dash ? [] : prefix, price: li)
                if dash, let parent {
                    d.name = parent + " " + TextRules.cleanName(li.text)
                    d.parent = parent
                    d.lines.insert(contentsOf: prefix, at: 0)
                }
                current = d
                continue
            }
            // a line without price
            if let section = sectionPrice, li.font == section.nameFont, !li.text.isEmpty, !TextRules.isNoise(li.text) {
                close(&current, &pending)
                var d = ItemDraft(name: TextRules.cleanName(li.text), font: li.font, caps: li.caps, category: category)
                d.lines = [li]
                d.rows = [section.row]
                d.confidence -= 0.1
                current = d
                continue
            }
            let next = i + 1 < lines.count ? lines[i + 1] : nil
            if !isDescriptionUnder(li, current, pending: pending), !isDescriptionOver(li, next), headings.isHeading(li, next: next) {
                close(&current, &pending)
                setCategory(li)
                continue
            }
            if var c = current, pending.isEmpty, !c.closed, c.description.isEmpty, li.font == c.font,
               near(c.lastRect, li.rect, li.size, factor: 1.2), Self.endsOpen(c.name) {
                // the name wraps after the price line: `Lamb Korma / Vindaloo /   $13` + `Roganjosh with Rice`
                c.name = TextRules.cleanName(c.name + " " + li.text)
                c.lines.append(li); current = c
                continue
            }
            if var c = current, pending.isEmpty, !c.closed, c.description.isEmpty, c.caps, li.caps, li.font == c.font,
               near(c.lastRect, li.rect, li.size, factor: 0.8), li.text.split(separator: " ").count <= 4 {
                // a capitals name on two lines, the price on the first: `SEAFOOD   $30` + `QUESADILLA`
                c.name = TextRules.cleanName(c.name + " " + li.text)
                c.lines.append(li); current = c
                continue
            }
            if li.text.hasSuffix(":") {
                // `ab 2 Personen:`, `Der besondere Tipp:` qualify what follows; not part of a name
                if var c = current { c.closed = true; current = c }
                pending = []
                continue
            }
            if TextRules.isNoise(li.text) || li.text.isEmpty {
                if var c = current { c.closed = true; current = c }
                continue
            }
            if var c = current, pending.isEmpty, !c.closed, li.font != c.font || c.caps && !li.caps || facts.isBoilerplate(li.text),
               near(c.lastRect, li.rect, li.size, factor: 2.5) {
                c.description.append(li.text); c.lines.append(li); current = c
                continue
            }
            if let p = pending.first, li.font != p.font, !isParenthetical(p.text), !TextRules.isNoise(p.text),
               near(pending.last!.rect, li.rect, li.size, factor: 2.5), pending.count <= 3 {
                // a name without price on its line, followed by its description (the price may come later)
                if var c = current {
                    c.closed = true; current = c
                }
                close(&current, &pending, keepPending: true)
                var d = ItemDraft(name: TextRules.cleanName(pending.map(\.text).joined(separator: " ")), font: p.font, caps: p.caps, category: category)
                d.lines = pending
                d.description.append(li.text); d.lines.append(li)
                current = d
                pending = []
                continue
            }
            pending.append(li)
            if pending.count > 6 { pending.removeFirst() }
        }
        if var c = current {
            for r in pending where near(c.lastRect, r.rect, r.size, factor: 2.5) && r.font != c.font && !TextRules.isNoise(r.text) {
                c.description.append(r.text); c.lines.append(r)
            }
            current = c
        }
        close(&current, &pending)
    }

    /// `Gluten free fettuccini + 3.0`, as printed.
    static func addOnText(_ li: AnalyzedLine) -> String {
        (li.text.isEmpty ? "" : li.text + " ") + "+ " + li.prices.map { $0.text.hasPrefix("+") ? String($0.text.dropFirst()) : $0.text }.joined(separator: " ")
    }

    /// A line set right under the dish being read, in another type no larger than its name and not
    /// in capitals, is its description, however short (`Sahne, Röstzwiebeln` in a font no dish
    /// starts with): a heading stands apart from the dish above it.
    func isDescriptionUnder(_ li: AnalyzedLine, _ current: ItemDraft?, pending: [AnalyzedLine]) -> Bool {
        guard let c = current, !c.closed, pending.isEmpty, li.font != c.font, !li.caps,
              li.size <= (c.lines.first?.size ?? li.size) + 0.1 else { return false }
        let gap = li.rect.y0 - c.lastRect.y1
        return gap > -li.size && gap < 0.6 * li.size
    }

    /// A line set right over a priced dish name, smaller than it and not in capitals, is that
    /// dish's description printed above it: a heading is not set smaller than the dishes it heads.
    func isDescriptionOver(_ li: AnalyzedLine, _ next: AnalyzedLine?) -> Bool {
        guard let n = next, n.hasPrices, !n.text.isEmpty, !li.caps, li.font != n.font, li.size < n.size * 0.9 else { return false }
        let gap = n.rect.y0 - li.rect.y1
        return gap > -li.size && gap < 0.6 * n.size
    }

    /// The waiting lines that name a dish on lines of their own (in a font that names dishes so,
    /// `LayoutFacts.ownLineNameFonts`, set no smaller than `li`) and the description lines between
    /// them and `li`, a priced line in the description's type; nil unless the lines follow each
    /// other closely. (A smaller line over a priced name is that name's description, set above it.)
    func ownLineName(_ pending: [AnalyzedLine], for li: AnalyzedLine) -> (name: [AnalyzedLine], under: [AnalyzedLine])? {
        guard !li.text.isEmpty, let k = pending.lastIndex(where: { $0.font != li.font }),
              facts.ownLineNameFonts.contains(pending[k].font), pending[k].size >= li.size * 0.95,
              !isParenthetical(pending[k].text), !TextRules.isNoise(pending[k].text) else { return nil }
        var start = k
        while start > 0, pending[start - 1].font == pending[k].font, near(pending[start - 1].rect, pending[start].rect, li.size, factor: 1.2) { start -= 1 }
        let chain = Array(pending[start...]) + [li]
        guard zip(chain, chain.dropFirst()).allSatisfy({ near($0.rect, $1.rect, li.size, factor: 1.5) }) else { return nil }
        return (Array(pending[start...k]), Array(pending[(k + 1)...]))
    }

    /// The font of the dishes under a priced heading (`Pizzas   12,50 €`) that print no price of
    /// their own: the heading is set larger than the line under it, and until the next price come at
    /// least three dish names in that line's font, short and capitalised (two, when each has a
    /// description in another type under it). Nil for a dish and its description.
    func pricedSectionNames(_ lines: [AnalyzedLine], at i: Int) -> Int? {
        let li = lines[i]
        guard !li.text.isEmpty, li.rowLabel == nil, !li.isAddOn, HeadingClassifier.textMayBeHeading(li.text) else { return nil }
        let under = lines[(i + 1)...].prefix { !$0.hasPrices && !$0.noPrice && !$0.text.isEmpty }
        guard let first = under.first, first.font != li.font, li.size >= first.size * 1.15 else { return nil }
        let names = under.filter { $0.font == first.font }
        guard names.count >= 2, names.allSatisfy({ HeadingClassifier.textMayBeHeading($0.text) && ($0.text.first?.isUppercase ?? false) }) else { return nil }
        let fonts = under.map(\.font)
        let described = zip(fonts, fonts.dropFirst()).filter { $0 == first.font && $1 != first.font }.count
        return described >= 2 || names.count >= 3 ? first.font : nil
    }

    /// A name that cannot end here: `… /`, `… &`, `… with`.
    static func endsOpen(_ name: String) -> Bool {
        let t = name.trimmed.lowercased()
        return ["/", "&", ",", "+", " with", " and", " or", " in", " of", " mit", " und", " oder", " avec", " et", " con", " y", " w’", " w'"].contains { t.hasSuffix($0) }
    }

    func isParenthetical(_ s: String) -> Bool { s.hasPrefix("(") && s.hasSuffix(")") }

    func gap(_ a: Rect, _ b: Rect) -> Double { b.y0 - a.y1 }

    func near(_ a: Rect, _ b: Rect, _ size: Double, factor: Double) -> Bool {
        let g = b.y0 - a.y1
        return g < factor * max(size, 4) && g > -max(size, 4) * 3
    }

    /// A priced row under an item whose text is in another style (its description), with a price in
    /// the same column: a second size (`Gouda, Tomatensauce   10,00` under `1. MARGHERITA   8,50`).
    func isContinuation(_ li: AnalyzedLine, of c: ItemDraft) -> Bool {
        guard !c.rows.isEmpty, !c.closed, c.rows.count < 4, !li.noPrice else { return false }
        guard near(c.lastRect, li.rect, li.size, factor: 1.8) else { return false }
        guard let prev = c.rows.last?.rects.last, let mine = li.priceRects.last else { return false }
        let aligned = abs(prev.x1 - mine.x1) < 3 * li.size || abs(prev.x0 - mine.x0) < 3 * li.size
        if SizeLabels.isServingPhrase(li.text), li.prices.count == 1 { return true }
        guard aligned, li.prices.count == c.rows.last!.prices.count else { return false }
        // `S 26` then `R 32`: a new label under the item's labelled row (not a repeat of one it has)
        if let label = li.rowLabel, c.rows.last?.label != nil, !c.rows.contains(where: { $0.label == label }),
           li.text.isEmpty || !li.caps && li.font != c.font { return true }
        if SizeLabels.isServingPhrase(li.text) { return true }
        // a second size costs more, and its row is set no larger than the name
        guard let prevPrice = c.rows.last?.prices.first, let price = li.prices.first, price.minor > prevPrice.minor,
              li.size <= (c.lines.first?.size ?? li.size) + 0.5 else { return false }
        let styleDiffers = li.font != c.font && (c.caps != li.caps || abs(li.size - (c.lines.first?.size ?? li.size)) > 0.5 || fontsDiffer(li.font, c.font))
        return styleDiffers && (li.text.isEmpty || !li.caps)
    }

    func fontsDiffer(_ a: Int, _ b: Int) -> Bool { a != b && facts.nameFonts[a, default: 0] < facts.nameFonts[b, default: 0] / 2 }

    /// Which of the waiting lines end the new item's name.
    func namePrefix(_ pending: [AnalyzedLine], for li: AnalyzedLine, current: ItemDraft?) -> [AnalyzedLine] {
        var prefix: [AnalyzedLine] = []
        var below = li
        for p in pending.reversed() {
            guard p.font == li.font || (p.caps == li.caps && abs(p.size - li.size) < 0.5 && p.font == below.font),
                  !isParenthetical(p.text), !TextRules.isNoise(p.text), !p.hasPrices,
                  near(p.rect, below.rect, li.size, factor: 1.2) else { break }
            prefix.insert(p, at: 0)
            below = p
        }
        guard !prefix.isEmpty else { return [] }
        guard let c = current else { return prefix }
        let startsLower = li.text.first.map { $0.isLowercase } ?? false
        let dash = li.text.hasPrefix("-") || li.text.hasPrefix("–")
        let lastText = prefix.last!.text
        let continues = [",", " mit", " und", " w’", " w'", "&", " with", " and", " of", " de", " et", " in", " au", " à la"].contains { lastText.hasSuffix($0) }
        if startsLower || dash || continues { return prefix }
        // a blank line between the item above and these lines, wider than between them and the new one
        let before = gap(c.lastRect, prefix[0].rect)
        let within = gap(prefix.last!.rect, li.rect)
        if before > within * 1.35 + 1 { return prefix }
        if c.closed { return prefix }
        return []
    }

    func pendingIsName(_ pending: [AnalyzedLine], current: ItemDraft?) -> Bool {
        guard let p = pending.last, !isParenthetical(p.text), !TextRules.isNoise(p.text) else { return false }
        guard let c = current else { return true }
        if p.text.hasPrefix("-") || p.text.hasPrefix("–") { return true }
        if p.font == c.font && p.caps == c.caps { return true }
        return facts.nameFonts[p.font, default: 0] >= max(1, facts.nameFonts[c.font, default: 0] / 2)
    }

    func start(from prefix: [AnalyzedLine], price li: AnalyzedLine) -> ItemDraft {
        let raw = (prefix.map(\.text) + [li.text]).joined(separator: " ")
        var d = ItemDraft(name: TextRules.cleanName(raw), font: prefix.first?.font ?? li.font,
                          caps: prefix.first?.caps ?? li.caps, category: category)
        if let first = prefix.first, let description = Self.descriptionAfterName(first.text, then: prefix.dropFirst().map(\.text) + [li.text]) {
            // `Harira` / `Mit Rindfleisch, Zwiebeln, Linsen … Gewürzen   Fr. 10.50`: the name stands
            // alone on its line, and the price closes the description under it
            d.name = TextRules.cleanName(first.text)
            d.description.append(description)
        }
        if li.text.hasPrefix("-") || li.text.hasPrefix("–"), prefix.count > 0 {
            d.parent = prefix.map(\.text).joined(separator: " ")
        }
        d.lines = prefix + [li]
        d.header = header
        d.inlineLabels = li.inlineLabels
        if let inline = li.inlineDescription { d.description.append(inline) }
        if li.hasPrices { d.rows.append((li.prices, li.priceRects, li.rowLabel)) }
        d.noPrice = li.noPrice && !li.hasPrices
        if !prefix.isEmpty { d.confidence -= 0.05 }
        return d
    }

    /// The description, when `name` is a dish's name on a line of its own and `lines` (the last one
    /// carrying the price) read as a description of it: the name is short and ends no phrase, and
    /// the lines are a sentence or list (six words or more, with a comma or opening in lower case or
    /// with a joining word). Nil when the lines rather go on with the name.
    static func descriptionAfterName(_ name: String, then lines: [String]) -> String? {
        let nameWords = name.split(separator: " ")
        guard !nameWords.isEmpty, nameWords.count <= 5, !name.contains("," as Character),
              let last = nameWords.last, !Self.joiningWords.contains(TextRules.fold(String(last))),
              !["&", "/", "-", "–", "+"].contains(String(last)) else { return nil }
        let text = lines.joined(separator: " ").trimmed
        let words = text.split(separator: " ")
        guard words.count >= 6, let opening = words.first else { return nil }
        let lowerOrJoin = opening.first?.isLowercase == true || Self.joiningWords.contains(TextRules.fold(String(opening)))
        guard text.contains("," as Character) || lowerOrJoin else { return nil }
        return text
    }

    /// Words that join a phrase to what comes before it.
    static let joiningWords: Set<String> = Set(["and", "with", "of", "in", "on", "und", "mit", "von", "aus", "auf", "con", "y", "de", "del",
                                                "al", "e", "com", "da", "do", "et", "avec", "au", "aux", "à", "ou", "or", "oder", "o"].map(TextRules.fold))

    /// A heading sets the category. A heading line right under another, with no dish between them,
    /// that continues it (`Sides` / `& Extras`, `Pasta &` / `Risotto`) is the same heading on two lines.
    mutating func setCategory(_ li: AnalyzedLine) {
        if !li.hasPrices { sectionPrice = nil }
        let name = headings.name(li)
        if let last = lastHeading, last.items == items.count, last.line.font == li.font,
           li.rect.y0 - last.line.rect.y1 < li.rect.height, HeadingClassifier.continues(category, with: name) {
            category += " " + name
        } else {
            category = name
        }
        lastHeading = (li, items.count)
    }

    /// A region that is one dish set apart (a card of a grid, a boxed item): its name on the first
    /// line, printed larger or in another font, one to three lines of description, and its prices
    /// alone on the last row. The name line would otherwise read as a heading and the description
    /// as the dish.
    func card(_ lines: [AnalyzedLine]) -> ItemDraft? {
        guard lines.count >= 3, lines.count <= 5, let last = lines.last, last.text.isEmpty, last.hasPrices,
              let first = lines.first, first.text.split(separator: " ").count <= 6, !TextRules.isNoise(first.text) else { return nil }
        let description = lines.dropFirst().dropLast()
        // a first line in a type of its own, no smaller than the lines under it, is a dish's name
        // under a heading (`TAPAS` / `Salmorejo` / `Ajo, perejil` / `8,50 €`), not a description
        if description.count >= 2, let head = description.first, description.dropFirst().allSatisfy({ $0.font != head.font }),
           head.size >= description.dropFirst().map(\.size).max() ?? 0 { return nil }
        // so is a short line, no list of ingredients, in the font the menu names its dishes in on
        // lines of their own, under a first line in a font that names none (a section's heading
        // over its one dish)
        if let head = description.first, head.font != first.font, facts.ownLineNameFonts.contains(head.font),
           !facts.ownLineNameFonts.contains(first.font), HeadingClassifier.textMayBeHeading(head.text) { return nil }
        guard description.allSatisfy({ !$0.hasPrices && !$0.noPrice && !$0.text.isEmpty && $0.headerLabels.isEmpty }),
              let size = description.map(\.size).max(),
              first.size > size * 1.1 || description.allSatisfy({ $0.font != first.font }) else { return nil }
        var d = start(from: [first], price: last)
        d.name = TextRules.cleanName(first.text)
        d.description = description.map(\.text)
        d.lines = lines
        return d
    }

    mutating func close(_ current: inout ItemDraft?, _ pending: inout [AnalyzedLine], keepPending: Bool = false) {
        if let c = current, !c.name.isEmpty, !c.rows.isEmpty || c.noPrice {
            var c = c
            if c.rows.count > 1 || (c.rows.first?.prices.count ?? 0) > 1 { c.confidence -= 0.05 }
            items.append(c)
        }
        current = nil
        if !keepPending { pending = [] }
    }
}

/// Headings: short lines without a price, set larger than the items, or in capitals, bold or colour in
/// a font that does not start items.
public struct HeadingClassifier: Sendable {
    public var facts: LayoutFacts
    public init(facts: LayoutFacts) { self.facts = facts }

    public func isHeading(_ li: AnalyzedLine, next: AnalyzedLine?) -> Bool {
        guard !li.hasPrices, !li.noPrice, !facts.ownLineNameFonts.contains(li.font), Self.textMayBeHeading(li.text) else { return false }
        let nameUses = facts.nameFonts[li.font, default: 0]
        let top = facts.nameFonts.values.max() ?? 0
        if li.size >= facts.bodySize * 1.18 && nameUses * 4 <= top { return true }
        if facts.headingFonts.contains(li.font) && nameUses == 0 { return true }
        if li.caps && nameUses * 4 <= top && li.size >= facts.bodySize * 0.85 {
            // a caps line in a name font that happens to have no price is a name, not a heading
            return true
        }
        return false
    }

    /// What the text alone says: a heading is short, has letters, and is no noise, parenthesis,
    /// list item or unfinished phrase once its letter-spacing is closed (`P A S T A`).
    static func textMayBeHeading(_ text: String) -> Bool {
        textMemo.value(text) {
            let text = TextRules.collapseLetterSpacing(text)
            guard text.letterCount >= 3, text.count <= 40, text.split(separator: " ").count <= 6 else { return false }
            // a list of ingredients is a description: `Queso Cheddar, Pepinillos, Salsa Cantina`
            guard text.filter({ $0 == "," }).count < 2 else { return false }
            if let first = text.split(separator: " ").first, notHeadingFirstWords.contains(TextRules.fold(String(first))) { return false }
            // a bullet opens a list item, unless the same mark closes the line (`• Sfizi •`, an ornament)
            return !TextRules.isNoise(text) && !text.hasPrefix("(") && !text.hasSuffix(",") && (!text.hasPrefix("•") || text.hasSuffix("•"))
        }
    }

    /// Every line without a price is asked, some several times; the structurer asks it first on all cores.
    private static let textMemo = TextMemo<Bool>()

    /// Whether `next` carries on heading `text` rather than starting one: one of them sits on the
    /// joining word (`&`, `and`, `und`, `y`, `et`, `e`).
    static func continues(_ text: String, with next: String) -> Bool {
        let joins: Set<String> = ["&", "+", "and", "und", "y", "et", "e", "i", "og", "en"]
        let lastWord = text.split(separator: " ").last.map { $0.lowercased() } ?? ""
        let firstWord = next.split(separator: " ").first.map { $0.lowercased() } ?? ""
        return !text.isEmpty && (joins.contains(lastWord) || joins.contains(firstWord))
    }

    /// Words that open a description, not a heading (`Con salsa tártara`, `with rice`, `mit Salat`),
    /// and the words a size header is titled with (`Größen 24 cm 30 cm`): neither names a section.
    static let notHeadingFirstWords: Set<String> = Set(["con", "with", "mit", "avec", "com", "served", "serviert", "servi", "servido",
                                                    "servida", "accompagné", "accompagnato", "sizes", "size", "größen", "grössen",
                                                    "grossen", "größe", "tamaños", "tamaño", "tailles", "taille", "formati", "tamanhos"].map(TextRules.fold))

    public func name(_ li: AnalyzedLine) -> String {
        TextRules.headingCase(TextRules.sectionName(TextRules.collapseLetterSpacing(li.text)))
    }
}
