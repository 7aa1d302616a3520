import BackofficeCore
import Foundation

/// Checking a model's answer against the page it read. A name must be printed on the page; each
/// price must be printed on the item's own row or block, found by position: from the name's row
/// down to the next dish's name in the same column, and across to the next column. Text that reads
/// like an instruction to the model (an injection printed in the PDF) is never evidence.
extension LLMStructurer {
    /// Turns an answered item into a draft, flagging what its place on the page does not show.
    static func verify(_ raw: PageAnswer.Item, index: Int, answer: [PageAnswer.Item], page: TextPage, lines: PageLines,
                       places: [PageLines.Place?], exponent: Int) -> MenuItemDraft {
        var flags: [MenuFlag] = []
        let place = places[index]
        if place == nil { flags.append(.nameNotInSource) }
        let region = place.map { lines.region(of: $0, others: places.enumerated().compactMap { $0.offset == index ? nil : $0.element }, page: page) }

        // a price is evidence only on its item's row or block: an item not placed has none
        func printed(_ minor: Int64) -> Bool {
            region.map { lines.containsPrice(minor, exponent: exponent, in: $0) } ?? false
        }
        var prices: [Int64] = []
        var missing = false
        let base = raw.price.flatMap { parsePrice($0, exponent: exponent) }
        if raw.price != nil && base == nil { missing = true }
        if let base { prices.append(base); if !printed(base) { missing = true } }
        var sizes: [(String, Int64)] = []
        for size in raw.sizes {
            guard let p = parsePrice(size.price, exponent: exponent) else { missing = true; continue }
            sizes.append((size.label, p))
            if !printed(p) { missing = true }
        }
        prices += sizes.map(\.1)
        if missing { flags.append(.priceNotInSource) }
        let lowest = prices.min()
        if lowest == nil { flags.append(.noPrice) }

        var options: [MenuOption] = []
        if sizes.count >= 2, let lowest {
            options = [MenuOption(name: "Size", choices: sizes.map { MenuChoice(value: $0.0, priceDeltaCents: $0.1 - lowest) })]
        }
        var tags: [DietaryTag] = []
        for t in raw.dietaryTags {
            let name = t.lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
            if let tag = DietaryTag(rawValue: name), !tags.contains(tag) { tags.append(tag) }
        }
        if page.ocr { flags.append(.ocr) }
        let bbox = place?.lineBox ?? [0, 0, page.width, page.height]
        var confidence = 0.85
        if flags.contains(.nameNotInSource) { confidence -= 0.45 }
        if flags.contains(.priceNotInSource) { confidence -= 0.45 }
        return MenuItemDraft(category: raw.category.isEmpty ? "Menu" : raw.category, name: raw.name, description: raw.description,
                             priceCents: lowest, options: options, dietaryTags: tags, confidence: max(0.05, (confidence * 100).rounded() / 100),
                             flags: flags, source: ItemSource(page: page.number, bbox: bbox))
    }

    /// Every answered item's drafts, names placed in answer order (the same name twice takes two rows).
    static func verifyAll(_ answer: PageAnswer, page: TextPage, lines: PageLines, exponent: Int) -> [MenuItemDraft] {
        var claimed: Set<Int> = []
        let places = answer.items.map { item -> PageLines.Place? in
            let place = lines.place(compact(item.name), avoiding: claimed)
            if let place { claimed.insert(place.line) }
            return place
        }
        return answer.items.indices.map { verify(answer.items[$0], index: $0, answer: answer.items, page: page, lines: lines, places: places, exponent: exponent) }
    }

    /// `"$9.50"`, `"9,50 €"`, `"12.900"` (a 0-exponent currency's thousands), `"15"`.
    static func parsePrice(_ text: String, exponent: Int) -> Int64? {
        let kept = String(text.unicodeScalars.filter { CharacterSet.decimalDigits.contains($0) || $0 == "." || $0 == "," || $0 == "-" }
            .map(Character.init))
        return PriceText.parse(kept, exponent: exponent).flatMap { $0 > 0 ? $0 : nil }
    }

    /// Letters and digits only, folded: letter-spaced headings (`PA S TA`) still match.
    static func compact(_ text: String) -> String {
        TextRules.fold(text).replacingOccurrences(of: " ", with: "")
    }

    /// Printed text that reads as an order to a language model rather than as a menu.
    static let instructionPattern: NSRegularExpression = {
        let verbs = #"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|rules|prompts?|system|above|previous)\b"#
        let roles = #"\b(system prompt|you are (now )?(an? )?(ai|assistant|language model|llm|chatgpt)|as an ai\b|new instructions?\s*:)"#
        let orders = #"\b(set|change|make)\b.{0,20}\b(every|all)\b.{0,20}\bprices?\b"#
        return try! NSRegularExpression(pattern: "\(verbs)|\(roles)|\(orders)", options: [.caseInsensitive])
    }()

    static func readsAsInstruction(_ text: String) -> Bool {
        instructionPattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

/// A page's text as lines (`TextPage.lines()`), each with its box and the box of every scalar,
/// for the prompt and for checking the answer.
struct PageLines {
    struct Line {
        var text: String
        var box: [Double]
        /// One box per scalar of `text` (`[x0, y0, x1, y1]`).
        var boxes: [[Double]]
        /// The line reads like an instruction to the model: no evidence for a name or a price.
        var instruction: Bool
    }

    /// Where a name is printed: its line (and the next, when it wraps) and the name's own box.
    struct Place: Equatable {
        var line: Int
        var lineBox: [Double]
        var nameBox: [Double]
    }

    var lines: [Line] = []
    var text: String
    var compact: String
    /// The lines that read like instructions to a model, as printed.
    var instructions: [String] { lines.filter(\.instruction).map(\.text) }
    private var compactLines: [String]
    private var scalars: [Unicode.Scalar]

    init(_ page: TextPage) {
        // The extractor's lines: split at poppler's line breaks and where glued blocks change row.
        lines = page.lines().map { line in
            let boxes = page.glyphs[line.glyphs].map { [$0.x0, $0.y0, $0.x1, $0.y1] }
            return Line(text: line.text, box: [line.x0, line.y0, line.x1, line.y1], boxes: boxes, instruction: false)
        }
        // an instruction may wrap: the line after one that does not end its sentence goes with it
        for i in lines.indices {
            let previous = i > 0 && lines[i - 1].instruction
                && !(lines[i - 1].text.trimmingCharacters(in: .whitespaces).last.map { ".!?\"”".contains($0) } ?? true)
            lines[i].instruction = previous || LLMStructurer.readsAsInstruction(lines[i].text)
                || (i + 1 < lines.count && LLMStructurer.readsAsInstruction(lines[i].text + " " + lines[i + 1].text)
                    && !LLMStructurer.readsAsInstruction(lines[i + 1].text) && LLMStructurer.compact(lines[i].text).count > 12)
        }
        text = lines.map(\.text).joined(separator: "\n")
        // folding keeps letters and digits and compacting drops what lies between them, so the
        // page's compact text is its lines' compact texts end to end: each line is folded once
        compactLines = lines.map { LLMStructurer.compact($0.text) }
        compact = compactLines.joined()
        scalars = Array(text.unicodeScalars)
    }

    /// The first line not in `avoiding` (and not an instruction) printing `target` (a compacted
    /// name), or two lines together when it wraps; any such line when all are taken.
    func place(_ target: String, avoiding: Set<Int>) -> Place? {
        guard !target.isEmpty else { return nil }
        var found: [Place] = []
        for i in lines.indices where !lines[i].instruction && compactLines[i].contains(target) {
            found.append(Place(line: i, lineBox: lines[i].box, nameBox: nameBox(target, line: i) ?? lines[i].box))
        }
        if found.isEmpty {
            for i in lines.indices.dropLast() where !lines[i].instruction && !lines[i + 1].instruction
                && (compactLines[i] + compactLines[i + 1]).contains(target) {
                let a = lines[i].box, b = lines[i + 1].box
                let union = [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]
                found.append(Place(line: i, lineBox: union, nameBox: union))
            }
        }
        return found.first { !avoiding.contains($0.line) } ?? found.first
    }

    /// The box of the glyphs that spell `target` in line `i` (folded character by character).
    private func nameBox(_ target: String, line i: Int) -> [Double]? {
        let line = lines[i]
        var folded: [Unicode.Scalar] = []
        var owner: [Int] = []
        var offset = 0
        for ch in line.text {
            let count = ch.unicodeScalars.count
            for s in LLMStructurer.compact(String(ch)).unicodeScalars { folded.append(s); owner.append(offset) }
            offset += count
        }
        let t = Array(target.unicodeScalars)
        guard t.count <= folded.count else { return nil }
        for start in 0...(folded.count - t.count) where folded[start..<(start + t.count)].elementsEqual(t) {
            let first = owner[start], last = owner[start + t.count - 1]
            guard last < line.boxes.count else { return nil }
            return Self.union(line.boxes[first...last])
        }
        return nil
    }

    static func union<C: Collection>(_ boxes: C) -> [Double] where C.Element == [Double] {
        var b = [Double.infinity, Double.infinity, -Double.infinity, -Double.infinity]
        for x in boxes where x[2] > x[0] || x[3] > x[1] {
            b = [min(b[0], x[0]), min(b[1], x[1]), max(b[2], x[2]), max(b[3], x[3])]
        }
        return b[0].isFinite ? b : (boxes.first ?? [0, 0, 0, 0])
    }

    /// The item's own row and block: from just above its name down to the next dish's name in its
    /// column (at most six rows), and across to the next column's names.
    func region(of place: Place, others: [Place], page: TextPage) -> [Double] {
        let n = place.nameBox
        let h = max(n[3] - n[1], 4)
        // a column to the right: another name starting clearly right of this one, near it vertically
        var right = page.width
        for o in others where o.nameBox[0] > n[2] + h && o.nameBox[1] < n[3] + 8 * h && o.nameBox[3] > n[1] - 8 * h {
            right = min(right, o.nameBox[0] - 0.5 * h)
        }
        let left = n[0] - 1.5 * h
        var bottom = n[3] + 6 * h
        for o in others where o.nameBox[1] > n[1] + 0.5 * h && o.nameBox[0] < right && o.nameBox[2] > left {
            bottom = min(bottom, o.nameBox[1] + 0.2 * h)
        }
        // A name printed with its price on its row ends its block at the next priced row of its
        // column, even when the model left that row's dish out of its answer.
        let row = lines.filter { !$0.instruction && $0.box[1] < n[3] - 0.3 * h && $0.box[3] > n[1] + 0.3 * h && $0.box[2] > n[0] && $0.box[0] < right }
        if row.contains(where: { Self.printsPrice($0.text) }) {
            for line in lines where !line.instruction && line.box[1] >= n[3] - 0.2 * h && line.box[0] < right && line.box[2] > left
                && abs(line.box[0] - n[0]) < 1.5 * h && Self.printsPrice(line.text) {
                bottom = min(bottom, line.box[1] + 0.2 * h)
            }
        }
        // the same row: a price beside the name, never one on the rows above
        return [left, n[1] - 0.6 * h, right, max(bottom, n[3] + 0.3 * h)]
    }

    static let pricePattern = try! NSRegularExpression(pattern: #"\d[.,]\d{2}(?!\d)|\d\s*(€|\$|£|,-|\.-)?\s*$"#)

    /// A line that ends with an amount or prints one with decimals.
    static func printsPrice(_ text: String) -> Bool {
        pricePattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Whether the page prints `minor` inside `region` (by the centre of the printed amount),
    /// outside lines that read as instructions.
    func containsPrice(_ minor: Int64, exponent: Int, in region: [Double]) -> Bool {
        for line in lines where !line.instruction {
            let s = Array(line.text.unicodeScalars)
            for range in Self.occurrences(of: minor, exponent: exponent, in: s) where range.upperBound <= line.boxes.count {
                let b = Self.union(line.boxes[range])
                let cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2
                if cx >= region[0] && cx <= region[2] && cy >= region[1] && cy <= region[3] { return true }
            }
        }
        return false
    }

    /// Whether the page prints `minor` anywhere (outside instructions).
    func containsPrice(_ minor: Int64, exponent: Int) -> Bool {
        lines.contains { !$0.instruction && !Self.occurrences(of: minor, exponent: exponent, in: Array($0.text.unicodeScalars)).isEmpty }
    }

    /// Where `scalars` print `minor` in any usual way (`9.50`, `9,50`, `9.5`, `9`, `12.900`,
    /// `12 900`), as a whole number (not inside a longer one).
    static func occurrences(of minor: Int64, exponent: Int, in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var scale: Int64 = 1
        for _ in 0..<exponent { scale *= 10 }
        let whole = minor / scale
        let fraction = minor % scale
        var forms: Set<String> = []
        for w in [String(whole)] + grouped(whole) {
            if exponent > 0 {
                var f = String(fraction)
                while f.count < exponent { f = "0" + f }
                forms.insert(w + "." + f); forms.insert(w + "," + f)
                var trimmed = f
                while trimmed.hasSuffix("0") { trimmed.removeLast() }
                if trimmed.isEmpty { forms.insert(w); forms.insert(w + ",-"); forms.insert(w + ".-") } else { forms.insert(w + "." + trimmed); forms.insert(w + "," + trimmed) }
            } else {
                forms.insert(w)
            }
        }
        var found: [Range<Int>] = []
        let digit = CharacterSet.decimalDigits
        for form in forms {
            let f = Array(form.unicodeScalars)
            guard f.count <= scalars.count else { continue }
            var i = 0
            while i + f.count <= scalars.count {
                if scalars[i..<(i + f.count)].elementsEqual(f) {
                    let before: Unicode.Scalar = i > 0 ? scalars[i - 1] : " "
                    let after: Unicode.Scalar = i + f.count < scalars.count ? scalars[i + f.count] : " "
                    let afterNext: Unicode.Scalar = i + f.count + 1 < scalars.count ? scalars[i + f.count + 1] : " "
                    let continues = digit.contains(after) || ((after == "." || after == ",") && digit.contains(afterNext))
                    let precededByNumber = digit.contains(before) || ((before == "." || before == ",") && i > 1 && digit.contains(scalars[i - 2]))
                    if !continues && !precededByNumber { found.append(i..<(i + f.count)) }
                }
                i += 1
            }
        }
        return found
    }

    /// `12900` → `["12.900", "12,900", "12 900"]`; nothing below 1000.
    static func grouped(_ value: Int64) -> [String] {
        guard value >= 1000 else { return [] }
        let digits = Array(String(value))
        var groups: [String] = []
        var end = digits.count
        while end > 0 {
            let start = max(0, end - 3)
            groups.insert(String(digits[start..<end]), at: 0)
            end = start
        }
        return [".", ",", " ", "\u{00A0}", "\u{202F}"].map { groups.joined(separator: $0) }
    }
}
