import Foundation

/// What one line of a menu says: text (name, inline description), prices (with their place),
/// size labels, markers.
public struct AnalyzedLine: Sendable {
    public var line: LayoutLine
    /// The text left of the prices, codes removed.
    public var text: String
    /// Smaller, lighter words after the name on the same line (`Taipei Pork pan-fried only – $7.5`).
    public var inlineDescription: String?
    public var prices: [PriceToken]
    /// Where each price is printed (same order as `prices`).
    public var priceRects: [Rect]
    /// A size label on this row, before its price (`S 26`, `(5) R 14`).
    public var rowLabel: String?
    /// Size labels alone on the line (`25 cl 33 cl 50 cl`), with where they stand.
    public var headerLabels: [(String, Rect)]
    /// `0,25L 2,90   0,75L 7,90`: a label printed before each price of the row.
    public var inlineLabels: [String]? = nil
    /// `market price`, `N/A` where the price would be.
    public var noPrice: Bool
    /// Font of the first word of the text.
    public var font: Int
    public var size: Double
    public var caps: Bool
    public var rect: Rect { line.rect }
    public var hasPrices: Bool { !prices.isEmpty }
    public var isAddOn: Bool { !prices.isEmpty && prices.allSatisfy(\.addOn) }
}

/// Cuts a line into name, prices and labels.
public struct LineAnalyzer: Sendable {
    public var parser: PriceParser
    public var fonts: [FontStyle] { didSet { boldish = Self.boldish(fonts) } }
    public init(parser: PriceParser, fonts: [FontStyle]) {
        self.parser = parser; self.fonts = fonts; self.boldish = Self.boldish(fonts)
    }

    /// Per font: bold, or named semibold; worked out once rather than for every word of every line.
    private var boldish: [Bool]
    private static func boldish(_ fonts: [FontStyle]) -> [Bool] {
        fonts.map { $0.bold || $0.name.lowercased().contains("semibold") }
    }

    /// `– market price`, ` MP`, …: each separator before each marker, lower-cased, with its length.
    private static let noPriceSuffixes: [(String, Int)] = ["market price", "MP", "N/A", "Tagespreis", "prix du marché", "S.P."].flatMap { marker in
        [" – ", " - ", " — ", " "].map { sep in ((sep + marker).lowercased(), sep.count + marker.count) }
    }

    /// `Pommes frites und Salat   p.P. 11,80 €`: a price per person.
    private static let perPersonUnits = [" p.P.", " p. P.", " pro Person", " per person", " each"]

    public enum ChunkKind: Equatable, Sendable { case price, label, noPrice, code, marker, text }

    /// Depends on the chunk's text alone, and is asked for the same chunks more than once.
    private let kindMemo = TextMemo<ChunkKind>()

    public func kind(_ c: Chunk) -> ChunkKind { kind(text: c.text) }

    func kind(text: String) -> ChunkKind {
        kindMemo.value(text) { readKind(text) }
    }

    private func readKind(_ text: String) -> ChunkKind {
        let t = TextRules.stripMeasures(text)
        // a dash alone stands where a price would: a size the dish is not sold in
        if t.isEmpty || t.allSatisfy({ $0 == "–" || $0 == "—" || $0 == "-" }) { return .code }
        if parser.cell(t) != nil { return .price }
        if labelledPrices(text.split(separator: " ").map(String.init)) != nil { return .price }
        let tokens = parser.tokenize(t)
        if !tokens.isEmpty, tokens.allSatisfy(parser.isMarker), t.count <= 4 { return .marker }
        if PriceParser.isNoPriceMarker(t) { return .noPrice }
        if SizeLabels.labels(t) != nil, t.count <= 24 { return .label }
        if let split = splitRowLabelPrice(t), split.1 != nil { return .price }
        if TextRules.isCode(t) { return .code }
        return .text
    }

    /// `P.4.50€ M.7.30€ G.11.30€`, `S 9.00 L 12.00`, `Glass 7 – Bottle 28`: each price after its
    /// own size label in one run of words. For each price, its label and the index of the word
    /// that holds it; nil unless every price has a size label and there are at least two, or one
    /// glued to its label (`P.4.50€` alone: a chunk of a row whose gaps split the pairs).
    func labelledPrices(_ words: [String]) -> [(label: String, prices: [PriceToken], word: Int)]? {
        guard !words.isEmpty, words.count <= 16 else { return nil }
        var out: [(label: String, prices: [PriceToken], word: Int)] = []
        var label: [String] = []
        var glued = false
        for (i, raw) in words.enumerated() {
            var w = raw
            // a label glued to its price by a dot or a colon: `P.4.50€`, `M:7,30`
            if let stop = w.firstIndex(where: { $0 == "." || $0 == ":" }), stop > w.startIndex,
               w.distance(from: w.startIndex, to: stop) <= 3, w[..<stop].allSatisfy(\.isLetter),
               let next = w.index(stop, offsetBy: 1, limitedBy: w.endIndex), next < w.endIndex,
               w[next].isNumber || "€$£".contains(w[next]) {
                label.append(String(w[..<stop])); w = String(w[next...]); glued = true
            }
            if let prices = parser.cell(w) {
                let name = label.joined(separator: " ")
                guard SizeLabels.isLabel(name) else { return nil }
                out.append((name, prices, i)); label = []
            } else if parser.isMarker(w) || PriceParser.priceSeparators.contains(w) || ["-", "–", "—"].contains(w) {
                // `4,50 €`, `S 9 | L 12`: signs and separators between the pairs
                guard label.isEmpty else { return nil }
            } else {
                label.append(w)
                if label.count > 2 { return nil }
            }
        }
        guard label.isEmpty, out.count >= 2 || (out.count == 1 && glued),
              Set(out.map { $0.label.lowercased() }).count == out.count else { return nil }
        return out
    }

    /// `(5) R 14` → ("R", prices)
    func splitRowLabelPrice(_ t: String) -> (String, [PriceToken]?)? {
        let (head, prices) = parser.trailing(t)
        guard !prices.isEmpty, let l = SizeLabels.rowLabel(head) else { return nil }
        return (l, prices)
    }

    public func analyze(_ line: LayoutLine) -> AnalyzedLine {
        var textWords: [Word] = []
        var prices: [PriceToken] = []
        var rects: [Rect] = []
        var rowLabel: String? = nil
        var headerLabels: [(String, Rect)] = []
        var noPrice = false
        // labels read with their prices in one chunk (`P.4.50€ M.7.30€`)
        var chunkLabels: [String] = []
        for c in line.chunks {
            switch kind(c) {
            case .price:
                let t = TextRules.stripMeasures(c.text)
                if let ps = parser.cell(t) {
                    // `9/16` cells: one rect per price
                    prices += ps; rects += Array(repeating: c.rect, count: ps.count)
                } else if let pairs = labelledPrices(c.words.map(\.text)) {
                    for pair in pairs {
                        prices += pair.prices; rects += Array(repeating: c.words[pair.word].rect, count: pair.prices.count)
                        chunkLabels.append(contentsOf: Array(repeating: pair.label, count: pair.prices.count))
                    }
                } else if let (l, ps) = splitRowLabelPrice(t), let ps {
                    rowLabel = l; prices += ps; rects += Array(repeating: c.rect, count: ps.count)
                }
            case .label:
                let ls = SizeLabels.labels(TextRules.stripMeasures(c.text)) ?? []
                if ls.count == 1 { headerLabels.append((ls[0], c.rect)) }
                else {
                    let w = c.rect.width / Double(max(ls.count, 1))
                    for (i, l) in ls.enumerated() {
                        headerLabels.append((l, Rect(x0: c.rect.x0 + w * Double(i), y0: c.rect.y0, x1: c.rect.x0 + w * Double(i + 1), y1: c.rect.y1)))
                    }
                }
            case .noPrice: noPrice = true
            case .code, .marker: break
            case .text:
                // a price before the text on the same row belongs to the text before it; keep order simple
                textWords += c.words
            }
        }
        // `22   Vitello tonnato   6`: a bare number before the name, with a price after it, is the
        // dish's number
        if let firstWord = textWords.first, let lastWord = textWords.last,
           rects.contains(where: { $0.x0 >= lastWord.rect.x1 }) {
            let numbers = prices.indices.filter { !prices[$0].strong && rects[$0].x1 <= firstWord.rect.x0 }
            for i in numbers.reversed() { prices.remove(at: i); rects.remove(at: i) }
        }
        // a label right before a price on a row with text is the row's label (`Pizza base … R 16`)
        if !prices.isEmpty, rowLabel == nil, let last = headerLabels.last, last.1.x1 <= (rects.first?.x0 ?? 0) + 1,
           headerLabels.count == 1 {
            rowLabel = last.0; headerLabels = []
        }
        // text: drop small code words, find trailing prices, inline description by font
        let maxSize = textWords.map(\.size).max() ?? 0
        textWords = textWords.filter { w in !(w.size < maxSize * 0.75 && (TextRules.isCode(w.text) || TextRules.isAllergenToken(Substring(w.text)))) }
        var text = TextRules.stripMeasures(textWords.map(\.text).joined(separator: " "))
        let (head, trailing) = parser.trailing(text)
        if !trailing.isEmpty {
            let psRect = textWords.last.map(\.rect) ?? line.rect
            prices = trailing + prices; rects = Array(repeating: psRect, count: trailing.count) + rects
            text = head
        }
        // `Pommes frites und Salat   p.P. 11,80 €`: a per-person price
        for unit in Self.perPersonUnits where text.hasSuffix(unit) {
            text = String(text.dropLast(unit.count))
        }
        // `Dumpling of the day – market price`
        var lower = text.lowercased()
        for (suffix, count) in Self.noPriceSuffixes where lower.hasSuffix(suffix) {
            text = String(text.dropLast(count)); noPrice = true
            lower = text.lowercased()
        }
        // inline description: the words after the name in a smaller or lighter font
        var inline: String? = nil
        let (nameCount, descCount) = inlineSplit(textWords, text: text)
        if nameCount > 0, descCount > 0 {
            let ws = text.split(separator: " ").map(String.init)
            if nameCount < ws.count {
                inline = ws[nameCount...].joined(separator: " ")
                text = ws[..<nameCount].joined(separator: " ")
            }
        }
        // each price of the row preceded by its own label
        var inlineLabels: [String]? = nil
        if prices.count > 1, headerLabels.count == prices.count, rowLabel == nil {
            let pairs = zip(headerLabels.sorted { $0.1.x0 < $1.1.x0 }, rects.sorted { $0.x0 < $1.x0 })
            if pairs.allSatisfy({ $0.0.1.x1 <= $0.1.x0 + 1 && $0.1.x0 - $0.0.1.x1 < 4 * line.size }) {
                inlineLabels = headerLabels.sorted { $0.1.x0 < $1.1.x0 }.map(\.0)
                headerLabels = []
            }
        }
        if rowLabel == nil, !chunkLabels.isEmpty, chunkLabels.count == prices.count {
            // one labelled price is a row of stacked sizes (`P.4.50€` over `G.8.00€`), several a row of them
            if prices.count == 1 { rowLabel = chunkLabels[0] } else if inlineLabels == nil { inlineLabels = chunkLabels }
        }
        let first = textWords.first
        let caps = Self.isCaps(text)
        return AnalyzedLine(line: line, text: text.trimmed, inlineDescription: inline, prices: prices,
                            priceRects: rects, rowLabel: rowLabel, headerLabels: headerLabels, inlineLabels: inlineLabels, noPrice: noPrice,
                            font: first?.font ?? line.chunks.first?.font ?? 0, size: first?.size ?? line.size, caps: caps)
    }

    /// At least two letters, none lower-case (`letters == letters.uppercased()`).
    static func isCaps(_ text: String) -> Bool {
        text.isInCapitals && text.letterCount >= 2
    }

    /// How many leading words are the name, when the rest is set smaller or lighter.
    func inlineSplit(_ words: [Word], text: String) -> (Int, Int) {
        guard words.count >= 2, let f = words.first else { return (0, 0) }
        let textCount = text.split(separator: " ").count
        let fBold = f.font < fonts.count ? boldish[f.font] : false
        for (i, w) in words.enumerated().dropFirst() where i < textCount {
            let wBold = w.font < fonts.count ? boldish[w.font] : false
            if w.font != f.font && (w.size < f.size * 0.9 || (fBold && !wBold)) {
                // the rest must not switch back to the name font before the price
                return (i, textCount - i)
            }
        }
        return (0, 0)
    }
}
