import BackofficeCore
import Foundation
@testable import MenuImport

/// Hand-written expected items for one menu (`Tests/MenuImportTests/Labels/*.json`,
/// `samples/menus/*.expected.json`).
///
///     {"file": "menu.pdf", "currency": "EUR", "pages": [1, 2],
///      "items": [{"category": "Pizza", "name": "Margherita", "price_cents": 900,
///                 "sizes": [{"value": "Large", "price_cents": 1500}]}]}
struct MenuLabel: Codable, Sendable {
    struct Size: Codable, Sendable {
        var value: String
        var priceCents: Int64
        enum CodingKeys: String, CodingKey { case value, priceCents = "price_cents" }
    }
    struct Item: Codable, Sendable {
        var category: String?
        var name: String
        var priceCents: Int64?
        var sizes: [Size]?
        enum CodingKeys: String, CodingKey { case category, name, priceCents = "price_cents", sizes }
        init(category: String? = nil, name: String, priceCents: Int64?, sizes: [Size]? = nil) {
            self.category = category; self.name = name; self.priceCents = priceCents; self.sizes = sizes
        }
    }
    var file: String?
    var currency: String?
    /// The page says which currency (a € sign, a CLP amount): the structurer must find it.
    /// False for `$`-only or sign-less menus, where the owner has to say.
    var currencyFromPage: Bool?
    /// The pages the label covers; nil for all.
    var pages: [Int]?
    var items: [Item]

    enum CodingKeys: String, CodingKey { case file, currency, currencyFromPage = "currency_from_page", pages, items }

    init(file: String? = nil, currency: String? = nil, currencyFromPage: Bool? = nil, pages: [Int]? = nil, items: [Item]) {
        self.file = file; self.currency = currency; self.currencyFromPage = currencyFromPage; self.pages = pages; self.items = items
    }

    /// Reads a label file: an object with `items`, or a bare array of items.
    static func decode(_ data: Data) throws -> MenuLabel {
        if let label = try? JSONDecoder().decode(MenuLabel.self, from: data) { return label }
        return MenuLabel(items: try JSONDecoder().decode([Item].self, from: data))
    }
}

/// Item precision, recall and F1 of structured items against a label. An item counts only with
/// the right name (case, spacing, punctuation and accents folded) and all its prices (base and
/// every size); only items on the labelled pages are scored.
///
///     let score = Evaluation.score(label: label, menu: menu)
///     print(score.f1)
enum Evaluation {
    struct Score: Sendable, Equatable {
        var truePositives = 0
        var falsePositives = 0
        var falseNegatives = 0
        /// Extracted items that matched nothing (`name | prices`).
        var extra: [String] = []
        /// Labelled items not found.
        var missed: [String] = []
        /// Of the matched items whose label names a category: how many carry that category
        /// (folded as names are).
        var categoriesLabelled = 0
        var categoriesRight = 0
        /// Matched items whose category is wrong (`name: got → expected`).
        var wrongCategories: [String] = []

        init() {}
        var precision: Double { ratio(truePositives, truePositives + falsePositives) }
        var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
        var f1: Double {
            let p = precision, r = recall
            return p + r == 0 ? 0 : 2 * p * r / (p + r)
        }
        var categoryAccuracy: Double { ratio(categoriesRight, categoriesLabelled) }
        func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 1 : Double(a) / Double(b) }

        static func + (a: Score, b: Score) -> Score {
            var s = Score()
            s.truePositives = a.truePositives + b.truePositives
            s.falsePositives = a.falsePositives + b.falsePositives
            s.falseNegatives = a.falseNegatives + b.falseNegatives
            s.extra = a.extra + b.extra; s.missed = a.missed + b.missed
            s.categoriesLabelled = a.categoriesLabelled + b.categoriesLabelled
            s.categoriesRight = a.categoriesRight + b.categoriesRight
            s.wrongCategories = a.wrongCategories + b.wrongCategories
            return s
        }
    }

    /// The name as compared: NFKC, then `TextRules.fold`.
    static func key(name: String) -> String {
        TextRules.fold(name.precomposedStringWithCompatibilityMapping)
    }

    static func key(_ item: MenuLabel.Item) -> String {
        var prices = Set(item.sizes?.map(\.priceCents) ?? [])
        if let p = item.priceCents { prices.insert(p) }
        return key(name: item.name) + " | " + prices.sorted().map(String.init).joined(separator: ",")
    }

    static func key(_ item: MenuItemDraft) -> String {
        var prices: Set<Int64> = []
        if let p = item.priceCents {
            prices.insert(p)
            for o in item.options { for c in o.choices { prices.insert(p + c.priceDeltaCents) } }
        }
        return key(name: item.name) + " | " + prices.sorted().map(String.init).joined(separator: ",")
    }

    static func score(label: MenuLabel, menu: MenuDocument) -> Score {
        score(expected: label.items, pages: label.pages, actual: menu.items)
    }

    static func score(expected: [MenuLabel.Item], pages: [Int]?, actual: [MenuItemDraft]) -> Score {
        var remaining: [String: Int] = [:]
        // the labelled categories of each key, in label order, taken as items match
        var categories: [String: [String?]] = [:]
        for e in expected {
            remaining[key(e), default: 0] += 1
            categories[key(e), default: []].append(e.category)
        }
        var s = Score()
        for a in actual where pages.map({ $0.contains(a.source.page) }) ?? true {
            let k = key(a)
            if let n = remaining[k], n > 0 {
                remaining[k] = n - 1
                s.truePositives += 1
                if let labelled = categories[k]?.removeFirst() ?? nil {
                    s.categoriesLabelled += 1
                    if key(name: labelled) == key(name: a.category) {
                        s.categoriesRight += 1
                    } else {
                        s.wrongCategories.append("\(a.name): \(a.category) → \(labelled)")
                    }
                }
            } else {
                s.falsePositives += 1
                s.extra.append(k)
            }
        }
        for e in expected {
            let k = key(e)
            if let n = remaining[k], n > 0 {
                remaining[k] = n - 1
                s.falseNegatives += 1
                s.missed.append(k)
            }
        }
        return s
    }

    /// Items carrying a price that is not printed on their page, as `name: price`.
    static func pricesNotPrinted(_ menu: MenuDocument, in document: TextDocument) -> [String] {
        let exponent = Currency(code: menu.currency)?.exponent ?? 2
        var texts: [Int: String] = [:]
        for p in document.pages { texts[p.number] = pageText(p) }
        var out: [String] = []
        // a scanned page's text is what OCR read, which the text layer does not have: its items are not checked here
        for item in menu.items where !item.flags.contains(.ocr) {
            guard let base = item.priceCents else { continue }
            let all = [base] + item.options.flatMap { $0.choices.map { base + $0.priceDeltaCents } }
            let text = texts[item.source.page] ?? ""
            for p in Set(all) where !isPrinted(p, exponent: exponent, in: text) {
                out.append("\(item.name): \(MoneyText.format(p, exponent: exponent)) (page \(item.source.page))")
            }
        }
        return out
    }

    /// The page's characters with a space wherever a gap or a new line separates two of them.
    static func pageText(_ page: TextPage) -> String {
        var out = String.UnicodeScalarView()
        var last: Glyph? = nil
        for g in page.glyphs {
            if let l = last {
                let h = max(l.y1 - l.y0, 1)
                if abs((g.y0 + g.y1) / 2 - (l.y0 + l.y1) / 2) > h * 0.5 || g.x0 - l.x1 > h * 0.12 || g.x0 < l.x0 { out.append(" ") }
            }
            out.append(g.scalar)
            last = g
        }
        return String(out)
    }

    /// The ways a price of `minor` units can be printed: `12.50`, `12,5`, `12`, `12.900`, `12900`.
    static func printedForms(_ minor: Int64, exponent: Int) -> [String] {
        var scale: Int64 = 1
        for _ in 0..<exponent { scale *= 10 }
        let whole = minor / scale, frac = minor % scale
        var forms: [String] = []
        if exponent == 0 {
            forms.append(String(whole))
            if whole >= 1000 { forms.append("\(whole / 1000).\(String(format: "%03d", Int(whole % 1000)))") }
            return forms
        }
        let fracText = String(format: "%0\(exponent)d", Int(frac))
        for sep in [".", ","] {
            forms.append("\(whole)\(sep)\(fracText)")
            if fracText.hasSuffix("0") { forms.append("\(whole)\(sep)\(fracText.dropLast())") }
        }
        if frac == 0 { forms.append(String(whole)) }
        if whole >= 1000 { forms.append("\(whole / 1000).\(String(format: "%03d", Int(whole % 1000)))") }
        return forms
    }

    /// Whether one of the printed forms occurs as a whole number in the text (not inside `18.50` or
    /// `2018`); letter-spaced digits (`$ 1 8`) count.
    static func isPrinted(_ minor: Int64, exponent: Int, in text: String) -> Bool {
        for form in printedForms(minor, exponent: exponent) {
            let spaced = form.map { NSRegularExpression.escapedPattern(for: String($0)) }.joined(separator: " ?")
            let pattern = #"(?<![\d])(?<![\d][.,])"# + spaced + #"(?![\d])(?![.,]\d)"#
            // look-behind and look-ahead are ICU's, outside the structurer's own dialect
            if let re = printedFormPatterns.value(pattern, { try? NSRegularExpression(pattern: pattern) }),
               re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil { return true }
        }
        return false
    }

    /// Each printed form's expression, compiled once: the evaluation asks about every price of
    /// every item against every line of its page, and most prices recur.
    private static let printedFormPatterns = TextMemo<NSRegularExpression?>()

    /// A table row: `name  P  R  F1  (tp/fp/fn)`.
    static func row(_ name: String, _ s: Score) -> String {
        func f(_ v: Double) -> String { String(format: "%.3f", v) }
        return name.padding(toLength: 46, withPad: " ", startingAt: 0)
            + " P \(f(s.precision))  R \(f(s.recall))  F1 \(f(s.f1))  cat \(f(s.categoryAccuracy))  (tp \(s.truePositives) fp \(s.falsePositives) fn \(s.falseNegatives))"
    }
}
