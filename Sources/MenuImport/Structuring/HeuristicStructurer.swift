import BackofficeCore
import Foundation

/// The default structurer: layout heuristics over the glyphs, no network.
///
///     let menu = try HeuristicStructurer().structure(document, currency: nil)
///
/// Steps: `LineBuilder` (glyphs → words → chunks), `ColumnDetector` (regions in reading order),
/// `LineAnalyzer` (name, prices, size labels per line), `ItemAssembler` (items, categories),
/// `LegendResolver` (dietary tags), then flags, confidence and questions.
public struct HeuristicStructurer: MenuStructuring {
    public let name = "heuristic"
    public init() {}

    public func structure(_ document: TextDocument, currency given: String?) throws -> MenuDocument {
        let builder = LineBuilder()
        // pages are independent until items are assembled: chunks, price counts and lines are
        // worked out on all cores, page by page, and gathered in page order; with each page's
        // chunks come its text (to check every price is printed) and, unless the currency is
        // given, its currency evidence
        let givenCurrency = given.flatMap { Currency(code: $0) }
        let guessing = givenCurrency == nil
        let pageWork = PageWork.map(document.pages.count) { i -> (chunks: [Chunk], text: PageText, evidence: CurrencyGuesser.Evidence) in
            let chunks = document.pages[i].imageOnly ? [] : builder.chunks(page: document.pages[i], fonts: document.fonts)
            let texts = chunks.map(\.text)
            let page = document.pages[i]
            let text = PageText(texts.joined(separator: " "), ocr: page.ocr, uncertain: page.uncertain.map { Rect(x0: $0[0], y0: $0[1], x1: $0[2], y1: $0[3]) })
            return (chunks, text, guessing ? CurrencyGuesser.evidence(texts) : .init())
        }
        let pageChunks = pageWork.map(\.chunks)
        var questions: [String] = []

        let code: String
        if let givenCurrency { code = givenCurrency.code }
        else {
            let (guess, sure) = CurrencyGuesser.guess(pageWork.reduce(into: CurrencyGuesser.Evidence()) { $0.add($1.evidence) },
                                                      texts: { pageChunks.flatMap { $0.map(\.text) } })
            code = guess
            if !sure { questions.append("No currency sign was found; prices were read as \(guess). Is that right?") }
            else if guess == "USD" || guess == "AUD" || guess == "NZD" || guess == "CAD" { questions.append("Prices are marked '$' and were read as \(guess). Is that the right dollar?") }
        }
        let currency = Currency(code: code) ?? .EUR

        // whole numbers count as prices only on menus that print prices that way
        let strict = PriceParser(exponent: currency.exponent, allowBareIntegers: false)
        let loose = PriceParser(exponent: currency.exponent, allowBareIntegers: true)
        let oneMajorUnit = Int64(pow(10, Double(currency.exponent)))
        // the chunks of every page in one list, so that work done chunk by chunk (or line by line
        // below) spreads over the cores on a one-page menu too
        let allChunks = pageChunks.flatMap { $0 }
        let chunkTexts = allChunks.map(\.text)
        let counts = PageWork.map(chunkTexts.count) { k -> (strong: Bool, bare: Bool) in
            let t = TextRules.stripMeasures(chunkTexts[k])
            if strict.cell(t) != nil || !strict.trailing(t).prices.isEmpty { return (true, false) }
            if let ps = loose.cell(t), ps.allSatisfy({ $0.minor >= oneMajorUnit }) { return (false, true) }
            // a whole number closing a name in a type of its own (`VITELLO TONNATO 7`, the 7 lighter)
            let words = allChunks[k].words
            if words.count >= 2, let last = words.last, last.font != words[words.count - 2].font,
               let ps = loose.cell(last.text), ps.allSatisfy({ $0.minor >= oneMajorUnit }) { return (false, true) }
            return (false, false)
        }
        let strong = counts.filter(\.strong).count, bare = counts.filter(\.bare).count
        let parser = (strong == 0 && bare > 0) || bare > strong * 2 ? loose : strict
        let analyzer = LineAnalyzer(parser: parser, fonts: document.fonts)
        let columns = ColumnDetector()

        // each chunk's kind, then per page its regions and their lines in reading order
        let kinds = PageWork.map(chunkTexts.count) { k in analyzer.kind(text: chunkTexts[k]) }
        var kindStart = [0]
        for chunks in pageChunks { kindStart.append(kindStart[kindStart.count - 1] + chunks.count) }
        let layoutPages: [[[LayoutLine]]] = PageWork.map(pageChunks.count) { pi in
            let chunks = pageChunks[pi]
            var layout: [Chunk] = []
            var attached: [Chunk] = []
            for (i, c) in chunks.enumerated() {
                switch kinds[kindStart[pi] + i] {
                case .text: layout.append(c)
                case .code: continue
                default: attached.append(c)
                }
            }
            // captions under a price (`COPA  JARRA`, `ALTO 40° TOLOLO 40°`) belong to it, not to a column of their own
            let priceRects = attached.map(\.rect)
            var captions: [Chunk] = []
            layout.removeAll { t in
                let isCaption = priceRects.contains { p in
                    let below = t.rect.y0 >= p.midY && t.rect.y0 - p.y1 < 0.8 * t.rect.height
                    let overlap = min(t.rect.x1, p.x1 + t.size) - max(t.rect.x0, p.x0 - t.size)
                    return below && overlap >= 0.6 * t.rect.width && t.text.count <= 60
                }
                if isCaption { captions.append(t) }
                return isCaption
            }
            return columns.regions(layout: layout, attached: attached + captions)
                .map { columns.lines($0, page: document.pages[pi].number) }
        }
        // pass 1, line by line: what each line says, and what the menu-wide facts below need from it
        let layoutLines = layoutPages.flatMap { $0.flatMap { $0 } }
        let analyzed: [(line: AnalyzedLine, facts: LineFacts)] = PageWork.map(layoutLines.count) { k in
            let li = analyzer.analyze(layoutLines[k])
            return (li, LineFacts(li))
        }
        // back into pages and regions, in the order they were flattened
        var next = analyzed.makeIterator()
        let pages: [[[AnalyzedLine]]] = layoutPages.map { $0.map { $0.map { _ in next.next()!.line } } }

        // facts: the fonts that start priced lines, the body size
        var facts = LayoutFacts()
        var sizes: [Double] = []
        var fontLines: [Int: (lines: Int, maxWords: Int, words: Int, priced: Int)] = [:]
        // per font of lines without a price: how many priced lines follow each of them before the
        // font's next line, and how often that is exactly one
        var pricedLines = 0
        var pricedBefore: [Int: Int] = [:]
        var overOnePrice: [Int: (one: Int, all: Int)] = [:]
        for li in pages.joined().joined() where !li.text.isEmpty || li.hasPrices {
            if li.hasPrices && !li.text.isEmpty {
                facts.nameFonts[li.font, default: 0] += 1
                sizes.append(li.size)
            }
            if li.hasPrices { pricedLines += 1 }
            else {
                if let before = pricedBefore[li.font] {
                    overOnePrice[li.font, default: (0, 0)].all += 1
                    if pricedLines - before == 1 { overOnePrice[li.font, default: (0, 0)].one += 1 }
                }
                pricedBefore[li.font] = pricedLines
            }
            var f = fontLines[li.font, default: (0, 0, 0, 0)]
            let n = li.text.split(separator: " ").count
            f.lines += 1; f.maxWords = max(f.maxWords, n); f.words += n
            if li.hasPrices { f.priced += 1 }
            fontLines[li.font] = f
        }
        sizes.sort()
        facts.headingFonts = Set(fontLines.filter { $0.value.priced == 0 && $0.value.maxWords <= 6 && Double($0.value.words) / Double($0.value.lines) <= 4 }.keys)
        if !sizes.isEmpty { facts.bodySize = sizes[sizes.count / 2] }
        // a font whose lines stand one price apart, time after time, names dishes on lines of their own
        facts.ownLineNameFonts = Set(overOnePrice.filter { $0.value.all >= 3 && Double($0.value.one) >= 0.8 * Double($0.value.all) }.keys)

        // lines repeated under several dishes are descriptions (`Pommes frites und Salat`)
        var lineCounts: [String: Int] = [:]
        for (_, f) in analyzed { if let key = f.countedAs { lineCounts[key, default: 0] += 1 } }
        facts.boilerplate = Set(lineCounts.filter { $0.value >= 2 && !$0.key.isEmpty }.keys)
        // a legend of additive numbers makes `(2)` in a name a code, not a count
        let additiveLegend = analyzed.contains { $0.facts.additiveWord } || analyzed.filter(\.facts.additiveEntry).count >= 2

        var legend = LegendResolver()
        legend.learn(analyzed.flatMap(\.facts.legend))

        var assembler = ItemAssembler(facts: facts)
        for regions in pages {
            // a size header anywhere on the page (`GRÖSSEN 24CM / 30CM` at the top right) applies from the start
            let headerLines = regions.joined().filter { !$0.hasPrices && !$0.headerLabels.isEmpty && $0.text.split(separator: " ").count <= 2 }
                .sorted { $0.rect.y0 < $1.rect.y0 }
            if let first = headerLines.first {
                let near = headerLines.filter { $0.rect.y0 - first.rect.y0 < 3 * first.rect.height }
                assembler.header = near.flatMap(\.headerLabels)
                assembler.headerPage = first.line.page
            }
            for region in regions {
                if assembler.wantsBlocks(region) { assembler.blocks(region) }
                else { assembler.region(region) }
            }
        }
        questions += assembler.questions

        let pageText = pageWork.map(\.text)
        // items one by one on all cores; each item's questions follow in item order
        let drafts = assembler.items
        let made = PageWork.map(drafts.count) { i -> (MenuItemDraft, [String]) in
            var asked: [String] = []
            let made = item(from: drafts[i], legend: legend, currency: currency, pageText: pageText, additiveCodes: additiveLegend,
                            boilerplate: facts.boilerplate, questions: &asked)
            return (made, asked)
        }
        var items: [MenuItemDraft] = []
        items.reserveCapacity(made.count)
        for (made, asked) in made {
            items.append(made)
            questions += asked
        }
        markDuplicates(&items)
        // a page with words on it that gave no item is never passed over in silence
        let pagesWithItems = Set(items.map(\.source.page))
        let unread = pageChunks.indices.filter { !pageChunks[$0].isEmpty && !pagesWithItems.contains($0 + 1) }.map { $0 + 1 }
        if !unread.isEmpty { questions.append(MenuDocument.unreadPagesQuestion(unread)) }
        let imageOnly = document.pages.filter(\.imageOnly).map(\.number)
        if !imageOnly.isEmpty {
            questions.append("Page\(imageOnly.count > 1 ? "s" : "") \(imageOnly.map(String.init).joined(separator: ", ")) \(imageOnly.count > 1 ? "are images" : "is an image") without text; nothing was read there. Please type those items in review.")
        }
        var seen: Set<String> = []
        questions = questions.filter { seen.insert($0).inserted }
        return MenuDocument(source: .init(file: document.file, sha256: document.sha256, pages: document.pages.count),
                            structurer: name, currency: currency.code, items: items, questions: questions, unreadPages: unread)
    }

    /// The words that name an additive legend (`Zusatzstoffe:`), matched ignoring case.
    private static let additiveWord = TextPattern.compiled("zusatzstoff|additive|e-nummern", caseInsensitive: true)
    /// An entry of an additive legend: `(1) mit Farbstoff`, `2 = Konservierungsstoff`.
    static let additiveEntryPattern = TextPattern.compiled(
        #"^\(?\d{1,2}\)?\s*(=|:)?\s*(mit|farbstoff|konserv|antioxid|geschmack|süß|phosphat|coloring|preserv)"#, caseInsensitive: true)

    func item(from d: ItemDraft, legend: LegendResolver, currency: Currency, pageText: [PageText], additiveCodes: Bool = false,
              boilerplate: Set<String> = [], questions: inout [String]) -> MenuItemDraft {
        var flags: [MenuFlag] = []
        var confidence = d.confidence
        var d = d
        d.name = Self.tidyName(d.name, additiveCodes: additiveCodes)
        // `… überbacken, Pommes frites und Salat`: a phrase the menu repeats as a description ends the name
        if let comma = d.name.lastIndex(of: ","), boilerplate.contains(TextRules.fold(String(d.name[d.name.index(after: comma)...]))) {
            d.description.insert(String(d.name[d.name.index(after: comma)...]).trimmed, at: 0)
            d.name = String(d.name[..<comma])
        }
        let (tags, nameWithoutMarkers) = legend.tags(name: d.name, description: d.description.joined(separator: " "))
        var name = nameWithoutMarkers
        if name.isEmpty { name = d.name }
        // prices: one per row (stacked sizes) or several in a row (size columns, `9/16`)
        var prices: [(PriceToken, Rect, String?)] = []
        for row in d.rows {
            for (i, p) in row.prices.enumerated() {
                prices.append((p, i < row.rects.count ? row.rects[i] : d.lastRect, row.prices.count == 1 ? row.label : nil))
            }
        }
        // `Paneer Tikka H/F  $9/16`, `Kids Pizza Veg/ Non-Veg  $12/13`: the alternatives name the prices
        var slashLabels: [String]? = nil
        if d.rows.count == 1, prices.count > 1, prices.allSatisfy({ $0.0.text.contains("/" as Character) }),
           let split = Self.trailingAlternatives(name, count: prices.count) {
            name = split.name
            slashLabels = split.labels
        }
        var priceCents: Int64? = nil
        var options: [MenuOption] = []
        if let low = prices.map(\.0.minor).min() {
            priceCents = low
            if prices.count > 1 {
                let inline = d.rows.count == 1 && d.inlineLabels?.count == prices.count ? d.inlineLabels : nil
                let labels = slashLabels ?? inline ?? sizeLabels(for: prices.map { ($0.1, $0.2) }, count: prices.count, header: d.header, stacked: d.rows.count > 1)
                if labels == nil { flags.append(.ambiguousPrice); confidence -= 0.15 }
                let values = labels ?? defaultLabels(prices.count)
                options = [MenuOption(name: "Size", choices: zip(values, prices).map { MenuChoice(value: $0, priceDeltaCents: $1.0.minor - low) })]
            }
            if prices.contains(where: { !$0.0.strong }) { confidence -= 0.1 }
        } else {
            flags.append(.noPrice)
            confidence -= 0.3
        }
        // every price must be printed on the item's page
        let text = d.page - 1 < pageText.count ? pageText[d.page - 1] : PageText("")
        for p in prices where !printed(p.0, in: text) {
            flags.append(.priceNotInSource); confidence -= 0.4
        }
        if name.count < 3 || name.count > 80 { confidence -= 0.2 }
        if name.contains("(" as Character), let r = name.patternRange(#"\((\d+)\s*(u|pcs|pc|stk|st)?\.?\)"#, caseInsensitive: true), let low = priceCents {
            let count = name[r].filter(\.isNumber)
            if let n = Int(count), n > 1 {
                questions.append("Is '\(name)' one item priced \(MoneyText.format(low, exponent: currency.exponent)), or \(n) items?")
            }
        }
        let rect = d.lines.dropFirst().reduce(d.lines.first?.rect ?? d.lastRect) { $0.union($1.rect) }
        if text.ocr {
            flags.append(.ocr)
            // OCR was unsure of a word in the item's box: the owner should compare it with the page
            if text.uncertain.contains(where: { $0.verticalOverlap(rect) > 0.3 && $0.x0 < rect.x1 && $0.x1 > rect.x0 }) { confidence -= 0.3 }
        }
        confidence = max(0.05, min(1, confidence))
        if confidence < 0.6 { flags.append(.lowConfidence) }
        let description = d.description.joined(separator: " ").trimmed
        return MenuItemDraft(category: d.category.isEmpty ? "Menu" : d.category, name: name,
                             description: description.isEmpty ? nil : description,
                             priceCents: priceCents, options: options, dietaryTags: tags,
                             confidence: (confidence * 100).rounded() / 100,
                             flags: flags, source: ItemSource(page: d.page, bbox: rect.array, lines: d.lines.map(\.line.text),
                                                              priceCells: prices.map { PriceCell(text: Self.printed($0.1, in: d.lines) ?? $0.0.text, bbox: $0.1.array) }))
    }

    /// The words printed in a price's box, as printed (`$9`, `12,50 €`, sign included), from the
    /// item's lines; nil when the box is not on them (a price printed on the heading above).
    static func printed(_ box: Rect, in lines: [AnalyzedLine]) -> String? {
        let words = lines.flatMap { $0.line.words }.filter { w in
            w.rect.verticalOverlap(box) > 0.5 && min(w.rect.x1, box.x1) - max(w.rect.x0, box.x0) >= 0.8 * w.rect.width
        }
        return words.isEmpty ? nil : words.map(\.text).joined(separator: " ")
    }

    /// Per-person units and, when the menu has an additive legend, `(2)` codes leave the name.
    static func tidyName(_ name: String, additiveCodes: Bool) -> String {
        var n = name
        for unit in [" p.P.", " p. P.", " pro Person", " per person", " p.p.", " each", " /pers."] where n.hasSuffix(unit) {
            n = String(n.dropLast(unit.count))
        }
        if additiveCodes, n.contains("(" as Character) {
            n = n.replacingPattern(#"\s*\(\d{1,2}(\s*,\s*\d{1,2})*\)"#, with: "")
        }
        return n.trimmed
    }

    /// `Paneer Tikka H/F` → ("Paneer Tikka", ["Half", "Full"]); `Kids Pizza Veg/ Non-Veg` → ("Kids Pizza", ["Veg", "Non-Veg"]).
    static func trailingAlternatives(_ name: String, count: Int) -> (name: String, labels: [String])? {
        let words = name.split(separator: " ").map(String.init)
        // try the last 1...2*count words as `a/b[/c]`
        for take in stride(from: 1, through: min(words.count - 1, count * 2), by: 1) {
            let tail = words.suffix(take).joined(separator: " ")
            let parts = tail.split(separator: "/").map { String($0).trimmed }
            guard parts.count == count, parts.allSatisfy({ !$0.isEmpty && $0.split(separator: " ").count <= 2 && !$0.contains("(" as Character) && !$0.contains(")" as Character) }) else { continue }
            guard !words.dropLast(take).isEmpty else { return nil }
            let known = ["h": "Half", "f": "Full", "s": "Small", "m": "Medium", "l": "Large", "r": "Regular"]
            let labels = parts.map { known[$0.lowercased()] ?? $0 }
            return (words.dropLast(take).joined(separator: " "), labels)
        }
        return nil
    }

    /// What the menu-wide facts need from one line, worked out with the line (on all cores): the
    /// line folded, when it is short enough to count as a repeated description; whether it names
    /// additives or reads as an additive legend entry (`(2) mit Konservierungsstoff`); its dietary
    /// legend entries. Every line's facts, in reading order, give the menu's.
    struct LineFacts {
        var countedAs: String?
        var additiveWord = false
        var additiveEntry = false
        var legend: [(marker: String, tag: DietaryTag)] = []

        init(_ li: AnalyzedLine) {
            if !li.text.isEmpty && li.text.split(separator: " ").count <= 6 { countedAs = TextRules.fold(li.text) }
            let line = li.line.text
            additiveWord = line.patternRange(HeuristicStructurer.additiveWord) != nil
            additiveEntry = line.patternRange(HeuristicStructurer.additiveEntryPattern) != nil
            legend = LegendResolver.entries(in: [line])
        }
    }

    /// A page's text, and its digits (with the spaces between them) worked out once per page.
    struct PageText {
        var text: String
        var digits: String
        /// Read by OCR, and the boxes of the words it was unsure of.
        var ocr: Bool
        var uncertain: [Rect]
        init(_ text: String, ocr: Bool = false, uncertain: [Rect] = []) {
            self.text = text
            self.digits = text.filter { $0.isNumber || $0 == " " }
            self.ocr = ocr
            self.uncertain = uncertain
        }
    }

    func printed(_ p: PriceToken, in page: PageText) -> Bool {
        page.digits.contains(p.text.filter(\.isNumber)) || page.text.contains(p.text)
    }

    /// Labels for several prices: from the row labels, else from the page's size header.
    func sizeLabels(for prices: [(Rect, String?)], count: Int, header: [(String, Rect)], stacked: Bool) -> [String]? {
        let rowLabels = prices.compactMap(\.1)
        if rowLabels.count == count { return rowLabels }
        guard header.count >= count else { return nil }
        let xs = header.map(\.1.midX)
        let horizontal = (xs.max()! - xs.min()!) > 10
        if stacked || !horizontal {
            return header.count == count ? header.map(\.0) : nil
        }
        // size columns: each price under the nearest label
        var out: [String] = []
        for (r, _) in prices {
            guard let best = header.min(by: { abs($0.1.midX - r.midX) < abs($1.1.midX - r.midX) }) else { return nil }
            if out.contains(best.0) { return nil }
            out.append(best.0)
        }
        return out
    }

    func defaultLabels(_ n: Int) -> [String] {
        switch n {
        case 2: return ["Regular", "Large"]
        case 3: return ["Small", "Medium", "Large"]
        default: return (1...n).map { "Size \($0)" }
        }
    }

    func markDuplicates(_ items: inout [MenuItemDraft]) {
        var seen: [String: Int] = [:]
        for i in items.indices {
            let key = TextRules.fold(items[i].name) + "|" + (items[i].priceCents.map(String.init) ?? "-")
            if let j = seen[key] {
                for k in [i, j] where !items[k].flags.contains(.possibleDuplicate) {
                    items[k].flags.append(.possibleDuplicate)
                }
            } else { seen[key] = i }
        }
    }
}

/// The menu's currency from the signs and words it prints.
public enum CurrencyGuesser {
    /// What a set of texts says about the currency: votes per ISO code, and how many numbers are
    /// written with thousands dots (`12.900`) or with decimals (`12,50`). Sums of texts, so pages
    /// can be counted apart (on all cores) and added up.
    public struct Evidence: Sendable, Equatable {
        var votes: [String: Int] = [:]
        var thousandsDots = 0
        var decimals = 0

        mutating func add(_ other: Evidence) {
            for (code, n) in other.votes { votes[code, default: 0] += n }
            thousandsDots += other.thousandsDots
            decimals += other.decimals
        }
    }

    /// The ISO code and whether a sign or word was seen (else the guess is a default).
    public static func guess(_ texts: [String]) -> (String, Bool) {
        guess(evidence(texts), texts: { texts })
    }

    /// The evidence of `texts`.
    public static func evidence(_ texts: [String]) -> Evidence {
        var e = Evidence()
        for t in texts {
            let upper = t.uppercased()
            // which of the currency words the text holds, in one pass
            let words = Set(upper.patternMatches(Rules.words).flatMap { groups in
                groups.indices.dropFirst().filter { groups[$0] != nil }
            })
            if t.contains("€" as Character) || words.contains(1) { e.votes["EUR", default: 0] += 1 }
            if t.contains("$" as Character) { e.votes["USD", default: 0] += 1 }
            if t.contains("£" as Character) { e.votes["GBP", default: 0] += 1 }
            if t.contains("₹" as Character) || words.contains(2) || words.contains(3) { e.votes["INR", default: 0] += 1 }
            if words.contains(4) { e.votes["KES", default: 0] += 3 }
            if words.contains(5) { e.votes["CLP", default: 0] += 3 }
            if words.contains(6) { e.votes["AUD", default: 0] += 3 }
            if words.contains(7) { e.votes["BRL", default: 0] += 3 }
            if t.contains("₺" as Character) || words.contains(8) { e.votes["TRY", default: 0] += 3 }
            if words.contains(9) { e.votes["PLN", default: 0] += 3 }
            if words.contains(10) { e.votes["CZK", default: 0] += 3 }
            if words.contains(11) { e.votes["CHF", default: 0] += 3 }
            // the amount shapes need a digit
            guard t.contains(where: \.isNumber) else { continue }
            if t.patternRange(Rules.euroE) != nil { e.votes["EUR", default: 0] += 1 }
            if t.patternRange(Rules.thousandsDot) != nil { e.thousandsDots += 1 }
            if t.patternRange(Rules.decimals) != nil { e.decimals += 1 }
        }
        return e
    }

    /// The currency rules' patterns, compiled once.
    enum Rules {
        /// On the upper-cased text, one group per word: 1 EUR, 2 Rs before an amount, 3 INR,
        /// 4 KES (`KSh`, `KShs`, `450/=`), 5 CLP, 6 AUD (`A$`), 7 BRL (`R$`), 8 TRY (`TL` after an
        /// amount), 9 PLN (`zł`), 10 CZK (`Kč`), 11 CHF (`Fr.` before an amount).
        static let words = TextPattern.compiled(
            #"(\bEUR(?:O|OS)?\b)|(\bRS\.?\s?\d)|(\bINR\b)|(\bK(?:E)?SH?S?\b|\bKES\b|\d/=)|(\bCLP\b)|(\b(?:AUD|A\$|AU\$))|(\bR\$|\bBRL\b)|(\d\s?TL\b|\bTRY\b)|(\d\s?ZŁ|\bPLN\b)|(\d\s?KČ|\bCZK\b)|(\bCHF\b|\bS?FR\.\s?\d)"#)
        static let euroE = TextPattern.compiled(#"\d[.,]\d\de\b"#)
        static let thousandsDot = TextPattern.compiled(#"(^|\s)\d{1,3}\.\d{3}(\s|$|/)"#)
        static let decimals = TextPattern.compiled(#"\d[.,]\d{2}(\s|$|€)"#)
    }

    /// Countries whose money is written with `$`: web domain, telephone country code, ISO code, and
    /// whether it is a peso (amounts in whole thousands, `$ 12.500`).
    static let dollarCountries: [(String, String?, String, Bool)] = [
        ("au", "61", "AUD", false), ("nz", "64", "NZD", false), ("ca", nil, "CAD", false), ("sg", "65", "SGD", false),
        ("hk", "852", "HKD", false), ("cl", "56", "CLP", true), ("ar", "54", "ARS", true), ("co", "57", "COP", true),
    ]

    /// The guess from the evidence of all the menu's texts; `texts` is asked for only when a `$`
    /// needs the menu's web address to say which dollar. Equal votes go to the code first in
    /// alphabetical order, so the guess never depends on a dictionary's order.
    static func guess(_ e: Evidence, texts: () -> [String]) -> (String, Bool) {
        let votes = e.votes
        if e.thousandsDots >= 5 && e.thousandsDots > e.decimals && votes.isEmpty { return ("CLP", true) }
        // `$` says dollar, or peso where amounts are whole thousands with a dot (`$ 12.500`); the
        // menu's own web address or telephone number can say which one
        if let usd = votes["USD"], votes.filter({ $0.key != "USD" }).values.allSatisfy({ $0 < usd }) {
            let all = texts().joined(separator: " ").lowercased()
            let pesos = e.thousandsDots >= 3 && e.thousandsDots > e.decimals
            for (tld, phone, code, peso) in Self.dollarCountries where peso == pesos
                && (all.patternRange("[a-z0-9]\\.(com|net|org|co)?\\.?" + tld + "\\b") != nil && all.patternRange("\\." + tld + "\\b") != nil
                    || phone.map { all.patternRange("\\+ ?" + $0 + "[ (-]") != nil } == true) {
                return (code, true)
            }
        }
        if let best = votes.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }) { return (best.key, true) }
        return ("EUR", false)
    }
}
