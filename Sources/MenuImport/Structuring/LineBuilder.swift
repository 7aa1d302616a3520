/// A rectangle in PDF points, origin top-left.
public struct Rect: Sendable, Equatable {
    public var x0: Double, y0: Double, x1: Double, y1: Double
    public init(x0: Double, y0: Double, x1: Double, y1: Double) {
        self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1
    }
    public var width: Double { x1 - x0 }
    public var height: Double { y1 - y0 }
    public var midX: Double { (x0 + x1) / 2 }
    public var midY: Double { (y0 + y1) / 2 }
    public func union(_ o: Rect) -> Rect {
        Rect(x0: min(x0, o.x0), y0: min(y0, o.y0), x1: max(x1, o.x1), y1: max(y1, o.y1))
    }
    /// Vertical overlap as a share of the smaller height (0...1).
    public func verticalOverlap(_ o: Rect) -> Double {
        let inter = min(y1, o.y1) - max(y0, o.y0)
        let h = min(height, o.height)
        guard h > 0 else { return 0 }
        return max(0, inter) / h
    }
    public var array: [Double] { [x0, y0, x1, y1].map { ($0 * 10).rounded() / 10 } }
}

/// A run of glyphs without a space or a visible gap, in one style.
public struct Word: Sendable, Equatable {
    public var text: String
    public var rect: Rect
    /// Index into `TextDocument.fonts` (the first glyph's).
    public var font: Int
    /// Font size in points.
    public var size: Double
    public init(text: String, rect: Rect, font: Int, size: Double) {
        self.text = text; self.rect = rect; self.font = font; self.size = size
    }
}

/// Words on one row with only word-sized gaps between them: a phrase (a name, a price, a cell).
public struct Chunk: Sendable, Equatable {
    public var words: [Word] { didSet { text = Self.join(words) } }
    public var rect: Rect
    public init(words: [Word]) {
        self.words = words
        self.rect = words.dropFirst().reduce(words[0].rect) { $0.union($1.rect) }
        self.text = Self.join(words)
    }
    /// The words joined by spaces; kept with the words, since every step of the structurer asks for it.
    public private(set) var text: String
    private static func join(_ words: [Word]) -> String {
        // `words.map(\.text).joined(separator: " ")`, into one buffer of the right size
        var text = ""
        text.reserveCapacity(words.reduce(words.count) { $0 + $1.text.utf8.count })
        for (i, w) in words.enumerated() {
            if i > 0 { text.append(" ") }
            text.append(w.text)
        }
        return text
    }
    /// The largest font size in the chunk.
    public var size: Double {
        // `words.map(\.size).max() ?? 0` without building the array: asked for every chunk, often
        var largest = words.first?.size ?? 0
        for w in words.dropFirst() where largest < w.size { largest = w.size }
        return largest
    }
    /// The font most of the characters use.
    public var font: Int {
        var count: [Int: Int] = [:]
        for w in words { count[w.font, default: 0] += w.text.count }
        return count.max { a, b in a.value == b.value ? a.key > b.key : a.value < b.value }?.key ?? 0
    }
}

/// One row of a column: chunks left to right.
public struct LayoutLine: Sendable, Equatable {
    public var chunks: [Chunk]
    public var page: Int
    public init(chunks: [Chunk], page: Int) { self.chunks = chunks; self.page = page }
    public var rect: Rect { chunks.dropFirst().reduce(chunks[0].rect) { $0.union($1.rect) } }
    public var words: [Word] { chunks.flatMap(\.words) }
    public var text: String { chunks.map(\.text).joined(separator: " ") }
    public var size: Double { chunks.map(\.size).max() ?? 0 }
}

/// Glyphs to words (split at spaces and at gaps wider than a fraction of the font size), and
/// words to chunks (words on one baseline with small gaps).
///
///     let chunks = LineBuilder().chunks(page: page, fonts: document.fonts)
public struct LineBuilder: Sendable {
    /// A gap wider than this share of the font size starts a new word.
    public var wordGap: Double = 0.16
    /// A gap wider than this share of the font size starts a new chunk.
    public var chunkGap: Double = 1.1

    public init() {}

    /// Words of a page in reading order of the PDF's content stream, grouped by row.
    public func words(glyphs: [Glyph], fonts: [FontStyle]) -> [Word] {
        var words: [Word] = []
        // the word's text as UTF-8, made into a String once per word: appending scalars to a
        // String one by one cost more than finding the words
        var text: [UInt8] = []
        text.reserveCapacity(64)
        var rect: Rect? = nil
        var font = 0
        var size = 0.0
        var last: Glyph? = nil

        func append(_ scalar: Unicode.Scalar) {
            if scalar.value < 0x80 { text.append(UInt8(truncatingIfNeeded: scalar.value)) }
            else { UTF8.encode(scalar) { text.append($0) } }
        }
        func flush() {
            if let r = rect, !text.isEmpty { words.append(Word(text: String(decoding: text, as: UTF8.self), rect: r, font: font, size: size)) }
            text.removeAll(keepingCapacity: true); rect = nil; last = nil
        }
        for g in glyphs {
            let isSpace = g.scalar.isWhiteSpace  // the no-break space included
            if isSpace { flush(); continue }
            let r = Rect(x0: g.x0, y0: g.y0, x1: g.x1, y1: g.y1)
            let s = g.font < fonts.count ? fonts[g.font].size : r.height
            let gs = s > 0 ? s : max(r.height, 1)
            if let l = last, let cur = rect {
                let lh = max(l.y1 - l.y0, 0.1)
                let sameRow = Rect(x0: l.x0, y0: l.y0, x1: l.x1, y1: l.y1).verticalOverlap(r) > 0.3
                    || abs((l.y0 + l.y1) / 2 - r.midY) < lh * 0.5
                let gap = g.x0 - l.x1
                if !sameRow || gap > wordGap * max(gs, size) || gap < -max(gs, size) * 0.5 {
                    flush()
                } else {
                    rect = cur.union(r)
                    append(g.scalar)
                    last = g
                    size = max(size, gs)
                    continue
                }
            }
            append(g.scalar); rect = r; font = g.font; size = gs; last = g
        }
        flush()
        return words
    }

    /// Words grouped into rows (by vertical overlap), then each row cut into chunks at wide gaps.
    public func chunks(words: [Word]) -> [Chunk] {
        let sorted = words.sorted { $0.rect.midY < $1.rect.midY }
        var rows: [[Word]] = []
        var rowRects: [Rect] = []
        for w in sorted {
            // join the latest row that overlaps vertically enough (rows are in y order)
            var joined = false
            // compare with the row's first word, not its growing box: columns side by side often
            // have baselines a few points apart, and must not chain into one row
            for i in rows.indices.reversed().prefix(6) {
                let anchor = rowRects[i]
                if abs(anchor.midY - w.rect.midY) < min(anchor.height, w.rect.height) * 0.35 {
                    rows[i].append(w); joined = true; break
                }
            }
            if !joined { rows.append([w]); rowRects.append(w.rect) }
        }
        var out: [Chunk] = []
        for row in rows {
            let r = joinLetterSpaced(row.sorted { $0.rect.x0 < $1.rect.x0 })
            // each word's answers, worked out once: the rules below ask them up to four times a word
            let price = r.map { Self.looksLikePrice($0.text) }
            let sign = r.map { Self.isSign($0.text) }
            let leader = r.map { Self.isLeader($0.text) }
            // a price ends its cell: `Mais, 14,50`, `ROMA 12,50   401. GAMBAS` (but not `2,7 km`)
            func priceEnds(_ k: Int) -> Bool {
                guard price[k] else { return false }
                var j = k + 1
                while j < r.count, sign[j] { j += 1 }
                guard j < r.count else { return true }
                let gap = r[j].rect.x0 - r[j - 1].rect.x1
                return gap > 0.4 * max(r[j].size, r[j - 1].size) || price[j]
            }
            // the chunk being made is r[start..<k]
            var start = 0
            for k in r.indices.dropFirst() {
                let p = r[k - 1], w = r[k]
                let gap = w.rect.x0 - p.rect.x1
                let s = max(p.size, w.size)
                let before = gap > 0.15 * s && !sign[k - 1] && p.text != "+" && priceEnds(k)
                let after = price[k - 1] && !sign[k] && !w.text.hasPrefix("/") && priceEnds(k - 1)
                if gap > chunkGap * s || leader[k - 1] || leader[k] || before || after {
                    out.append(Chunk(words: Array(r[start..<k]))); start = k
                }
            }
            if !r.isEmpty { out.append(Chunk(words: Array(r[start...]))) }
        }
        // chunks of dots alone (a leader between a name and its price) are not kept
        return out.filter { !Self.isLeaderMarks($0.text) }
    }

    /// Letter-spaced capitals arrive as one word per letter or two: `AV O C A D O  D E L  M A R`,
    /// `QUESADILL A  CASA`. In a run of capitals with at least one single letter, gaps near the
    /// smallest one are inside a word and clearly wider ones (twice) are between words; a run with
    /// only small gaps is one word when most of its pieces are one or two letters.
    func joinLetterSpaced(_ words: [Word]) -> [Word] {
        joinSpacedLetters(joinSpacedDigits(words))
    }

    /// `$ 1 8`, `$ 7. 5 0`: a letter-spaced price, joined when the result reads as a price.
    /// A piece of a letter-spaced price (`1 2 , 5 0 €`): at most three characters, each a digit or
    /// `$ € £ . ,`. Answered on scalars: none of these joins another into one character, so the
    /// text's characters are its scalars.
    static func isPricePiece(_ text: String) -> Bool {
        text.count <= 3 && text.allSatisfy { ($0.isASCII && $0.isNumber) || "$.,€£".contains($0) }
    }

    func joinSpacedDigits(_ words: [Word]) -> [Word] {
        let isPiece = words.map { Self.isPricePiece($0.text) }
        var out: [Word] = []
        var i = 0
        while i < words.count {
            var j = i
            while j + 1 < words.count, isPiece[j], isPiece[j + 1],
                  words[j + 1].rect.x0 - words[j].rect.x1 < 0.35 * max(words[j].size, 1) { j += 1 }
            if j > i {
                let joined = words[i...j].map(\.text).joined()
                // only with a currency sign: `2, 3, 8` (additive codes) must stay apart
                if Self.looksLikePrice(joined), joined.contains(where: { "$€£".contains($0) }) {
                    var w = words[i]
                    w.text = joined
                    w.rect = words[i...j].dropFirst().reduce(w.rect) { $0.union($1.rect) }
                    out.append(w)
                    i = j + 1
                    continue
                }
            }
            out.append(words[i])
            i += 1
        }
        return out
    }

    func joinSpacedLetters(_ words: [Word]) -> [Word] {
        func caps(_ w: Word) -> Bool {
            // letters (at least one, none lower-case), `&` and apostrophes only
            return w.text.isInCapitals && w.text.allSatisfy { $0.isLetter || $0 == "&" || $0 == "’" || $0 == "'" }
        }
        let isCaps = words.map(caps)
        var out: [Word] = []
        var i = 0
        while i < words.count {
            var j = i
            while j + 1 < words.count, isCaps[j], isCaps[j + 1], words[j + 1].font == words[j].font,
                  words[j + 1].rect.x0 - words[j].rect.x1 < 0.8 * words[j].size { j += 1 }
            // most words start no run of capitals: nothing to join
            if j == i { out.append(words[i]); i += 1; continue }
            // a run of two or more capital words
            let run = Array(words[i...j])
            let singles = run.filter { $0.text.count == 1 }.count
            let shorts = run.filter { $0.text.count <= 2 }.count
            let gaps = zip(run, run.dropFirst()).map { $1.rect.x0 - $0.rect.x1 }
            let small = gaps.min()!
            let bimodal = gaps.max()! >= 2 * max(small, 0.5)
            let tight = small < 0.3 * run[0].size && bimodal
            if singles >= 1 || (tight && run.count >= 3), bimodal || Double(shorts) / Double(run.count) >= 0.6 {
                var cur = run[0]
                for (k, w) in run.dropFirst().enumerated() {
                    if bimodal && gaps[k] > 1.8 * max(small, 0.5) {
                        out.append(cur); cur = w
                    } else {
                        cur.text += w.text; cur.rect = cur.rect.union(w.rect)
                    }
                }
                out.append(cur)
                i = j + 1
                continue
            }
            out += run
            i = j + 1
        }
        return out
    }

    /// `12,50`, `€9`, `$7.5`, `3.50e`, `12.900`, `9/16`: a word that is surely an amount.
    static func looksLikePrice(_ t: String) -> Bool {
        // most words have no digit at all: no need to ask the pattern; the others are asked once
        t.hasASCIIDigit && priceLikeMemo.value(t) { readsAsPrice(t) }
    }

    private static let priceLikeMemo = TextMemo<Bool>()

    private static func readsAsPrice(_ t: String) -> Bool {
        t.patternRange(priceShape) != nil
            && (t.contains(where: { "€$£₹".contains($0) }) || t.patternRange(separatorBetweenDigits) != nil)
            && !t.hasPrefix("0")
    }

    /// An optional sign; 1 to 5 digits; thousands groups and decimals; `/16` or `/15.900` for a
    /// second price; a closing `€` or TeX's `e`.
    private static let priceShape = TextPattern.compiled(#"^[€$£₹]?\d{1,5}([.,]\d{3})*([.,]\d{1,2})?(/\d+([.,]\d{1,3})?)*[€e]?$"#)
    private static let separatorBetweenDigits = TextPattern.compiled(#"\d[.,]\d"#)

    /// A currency sign or code standing alone.
    static func isSign(_ t: String) -> Bool { signs.contains(t) }

    private static let signs: Set<String> = ["€", "$", "£", "₹", "e", "EUR", "Ksh", "KES", "USD", "R$", "US$", "A$", "AU$", "Rs", "Rs.",
                                             "Fr.", "CHF", "CLP", "BRL"]

    /// `.......` (dotted leaders) separate a name from its price: three or more of `.`, `…`, `_`.
    static func isLeader(_ s: String) -> Bool { s.count >= 3 && isLeaderMarks(s) }

    /// Whether every character is a leader mark (`.`, `…`, `_`).
    static func isLeaderMarks(_ s: String) -> Bool { s.allSatisfy { $0 == "." || $0 == "…" || $0 == "_" } }

    public func chunks(page: TextPage, fonts: [FontStyle]) -> [Chunk] {
        // rotated or decorative words (far taller than their font) are art, not rows of a menu
        let flat = words(glyphs: page.glyphs, fonts: fonts).filter { $0.rect.height <= max($0.size, 1) * 2.5 }
        return chunks(words: splitLeaders(flat))
    }

    /// `Fries........$6` arrives as one word: cut it at the run of dots.
    func splitLeaders(_ words: [Word]) -> [Word] {
        var out: [Word] = []
        for w in words {
            // a leader needs dots or an ellipsis
            guard w.text.contains("." as Character) || w.text.contains("…" as Character) else { out.append(w); continue }
            let chars = Array(w.text)
            guard chars.count > 3, let range = leaderRange(chars) else { out.append(w); continue }
            let per = w.rect.width / Double(chars.count)
            if range.lowerBound > 0 {
                var a = w; a.text = String(chars[..<range.lowerBound])
                a.rect.x1 = w.rect.x0 + per * Double(range.lowerBound)
                out.append(a)
            }
            var dots = w; dots.text = String(chars[range])
            dots.rect.x0 = w.rect.x0 + per * Double(range.lowerBound)
            dots.rect.x1 = w.rect.x0 + per * Double(range.upperBound)
            out.append(dots)
            if range.upperBound < chars.count {
                var b = w; b.text = String(chars[range.upperBound...])
                b.rect.x0 = w.rect.x0 + per * Double(range.upperBound)
                out.append(b)
            }
        }
        return out
    }

    func leaderRange(_ chars: [Character]) -> Range<Int>? {
        var i = 0
        while i < chars.count {
            if chars[i] == "." || chars[i] == "…" {
                var j = i
                while j < chars.count, chars[j] == "." || chars[j] == "…" { j += 1 }
                if j - i >= 3 { return i..<j }
                i = j
            } else { i += 1 }
        }
        return nil
    }
}
