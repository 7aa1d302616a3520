import BackofficeCore

/// One printed price.
public struct PriceToken: Sendable, Equatable {
    /// Minor units of the menu's currency.
    public var minor: Int64
    /// As printed (`12,50 €`), for the "printed on the page" check.
    public var text: String
    /// Printed with a currency sign or word, or with decimals: unlikely to be a count or a code.
    public var strong: Bool
    /// `+ 3.0`: an add-on's surcharge, not an item's price.
    public var addOn: Bool
    public init(minor: Int64, text: String, strong: Bool, addOn: Bool = false) {
        self.minor = minor; self.text = text; self.strong = strong; self.addOn = addOn
    }
}

/// Reads prices the way menus print them: `12.50`, `12,50 €`, `€ 12`, `$9`, `Ksh 450`, `450/=`,
/// `12.900` (dot as thousands separator), `9/16` and `$12/13` (two prices), `2.50e` (a TeX €).
///
///     let p = PriceParser(exponent: 2)
///     p.cell("12,50 €")          // [1250]
///     p.trailing("Fries – $6")   // ("Fries", [600])
public struct PriceParser: Sendable {
    public let exponent: Int
    /// Accept `42` without sign or decimals (menus that print only whole numbers).
    public let allowBareIntegers: Bool

    public init(exponent: Int, allowBareIntegers: Bool = false) {
        self.exponent = exponent; self.allowBareIntegers = allowBareIntegers
    }

    /// The same chunk of text is asked about from several places (line kinds, cells, trailing
    /// prices); each answer is worked out once. The settings are constants, so a parser's memos
    /// are keyed by the text alone; copies of a parser share them.
    private let cellMemo = TextMemo<[PriceToken]?>()
    private let trailingMemo = TextMemo<(text: String, prices: [PriceToken])>()
    /// Words do not depend on the settings: the strict and the loose parser share them.
    private static let tokenMemo = TextMemo<[String]>()

    /// Currency codes menus print beside an amount.
    static let codes: Set<String> = ["EUR", "USD", "KES", "KSH", "KSHS", "CLP", "INR", "GBP", "AUD", "CHF", "BRL", "MXN", "ARS", "COP",
                                     "PEN", "TRY", "PLN", "CZK", "HUF", "SEK", "DKK", "NOK", "ZAR", "NGN", "GHS", "TZS", "UGX", "JPY", "CNY"]
    /// Signs and words before an amount (upper-cased): `€ 12`, `R$ 48,00`, `Fr. 19.50`, `Ksh 450`.
    static let prefixMarkers: Set<String> = codes.union(["€", "$", "£", "₹", "¥", "₺", "US$", "A$", "AU$", "R$", "RS", "RS.", "FR.", "SFR", "TL"])
    /// Signs and words after an amount (upper-cased): `12,50 €`, `250 TL`, `12,50 zł`, `129 Kč`, `95 kr`, `450/=`, `12,-`.
    static let suffixMarkers: Set<String> = codes.union(["€", "$", "£", "₹", "₺", "TL", "ZŁ", "KČ", "KR", "FT", "E", "/=", ",-", ".-", "-"])

    /// The whole text is one or more prices (a price cell). Nil when anything else is in it.
    public func cell(_ text: String) -> [PriceToken]? {
        // every amount starts with an ASCII digit, and tokens are pieces of the text: without one
        // there is no price (most names and descriptions), and no need to cut the text into words
        guard text.hasASCIIDigit else { return nil }
        return cellMemo.value(text) { readCell(text) }
    }

    private func readCell(_ text: String) -> [PriceToken]? {
        let tokens = tokenize(text)
        guard !tokens.isEmpty else { return nil }
        var out: [PriceToken] = []
        var pendingMarker = false
        var addOn = false
        for (i, t) in tokens.enumerated() {
            if t == "+" { addOn = true; continue }
            // `8,00 € / 15,00 €`, `12 | 18`: a separator between two prices
            if Self.priceSeparators.contains(t), !out.isEmpty, i + 1 < tokens.count { pendingMarker = false; continue }
            if isMarker(t) { pendingMarker = true; if let l = out.indices.last { out[l].strong = true }; continue }
            guard let p = amounts(t, markerBefore: pendingMarker) else { return nil }
            out += p.map { var q = $0; q.addOn = q.addOn || addOn; return q }
            pendingMarker = false
        }
        guard !out.isEmpty else { return nil }
        if !allowBareIntegers && out.allSatisfy({ !$0.strong }) { return nil }
        return out
    }

    /// Prices at the end of a text (`Name – $7.5`, `Gyros 14,90 €`): the text before and the prices.
    /// Several prices are taken only when they look alike (`3,50 € 4,40 €`).
    public func trailing(_ text: String) -> (text: String, prices: [PriceToken]) {
        guard text.hasASCIIDigit else { return (text, []) }
        return trailingMemo.value(text) { readTrailing(text) }
    }

    private func readTrailing(_ text: String) -> (text: String, prices: [PriceToken]) {
        var tokens = tokenize(text)
        var prices: [PriceToken] = []
        var markerAfter = false
        var taken = 0
        var shape: String? = nil
        while let t = tokens.last {
            // `8,00 € / 15,00 €`: a separator between two prices of one item
            if Self.priceSeparators.contains(t), !prices.isEmpty, tokens.count >= 2,
               amounts(tokens[tokens.count - 2], markerBefore: false) != nil || isMarker(tokens[tokens.count - 2]) {
                tokens.removeLast()
                continue
            }
            if isMarker(t) {
                for i in 0..<taken { prices[i].strong = true }
                markerAfter = true
                tokens.removeLast()
                continue
            }
            guard var ps = amounts(t, markerBefore: markerAfter) else { break }
            if !allowBareIntegers && !ps.allSatisfy(\.strong) {
                // a bare number is a price only when a sign goes with it
                if tokens.count >= 2, isMarker(tokens[tokens.count - 2]) {
                    for i in ps.indices { ps[i].strong = true }
                } else { break }
            }
            let s = Self.shape(t)
            if let shape, shape != s { break }
            shape = s
            prices.insert(contentsOf: ps, at: 0)
            taken = ps.count
            tokens.removeLast()
            markerAfter = false
        }
        guard !prices.isEmpty else { return (text, []) }
        if tokens.last == "+" { tokens.removeLast(); for i in prices.indices { prices[i].addOn = true } }
        // drop the separator before the price: `Name – $7.5`, `Name: 7,50`
        while let l = tokens.last, ["–", "-", "—", ":", "|", "·", "•", "/"].contains(l) { tokens.removeLast() }
        return (tokens.joined(separator: " "), prices)
    }

    /// `12,50` → `9,9`: runs of digits as one `9`, everything else as printed. Price tokens reach
    /// here only after `amounts` read them, so they are ASCII digits, separators and slashes.
    static func shape(_ t: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(t.utf8.count)
        for b in t.utf8 {
            if b >= 0x30 && b <= 0x39 { if bytes.last != 0x39 { bytes.append(0x39) } } else { bytes.append(b) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Words, with currency signs cut off numbers (`$9` → `$`, `9`; `2.50e` → `2.50`, `e`).
    func tokenize(_ text: String) -> [String] {
        Self.tokenMemo.value(text) { Self.readTokens(text) }
    }

    private static func readTokens(_ text: String) -> [String] {
        var out: [String] = []
        for raw in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{00A0}" }) {
            var w = String(raw)
            var pre: [String] = []
            // `(2)5,50`, `g)21,00`: an additive code or a closing parenthesis glued to the price
            if let close = w.lastIndex(of: ")"), w.index(after: close) < w.endIndex, w[w.index(after: close)].isNumber {
                out.append(String(w[...close])); w = String(w[w.index(after: close)...])
            }
            var post: [String] = []
            if w.hasPrefix("+") && w.count > 1 { pre.append("+"); w.removeFirst() }
            // a sign glued before the amount: `$9`, `R$48,00`, `₺48`
            for m in ["US$", "AU$", "A$", "R$", "€", "$", "£", "₹", "¥", "₺"] where w.hasPrefix(m) && w.count > m.count {
                pre.append(m); w.removeFirst(m.count); break
            }
            // a code glued before the amount: `Ksh450`, `Rs.120`
            let upper = w.uppercased()
            for m in ["KSHS", "KSH", "KES", "RS.", "RS"] where upper.hasPrefix(m) && w.count > m.count
                && w.dropFirst(m.count).first?.isNumber == true {
                pre.append(m); w.removeFirst(m.count); break
            }
            // a sign or code glued after it: `12€`, `450/=`, `12,-`, `2.50e` (TeX), `250TL`
            for m in ["€", "$", "£", "₺", "/=", ",-", ".-", "e", "E", "EUR", "KES", "CLP", "TL", "zł", "Kč", "kr"] where w.hasSuffix(m) && w.count > m.count {
                let head = w.dropLast(m.count)
                if head.last?.isNumber == true { post.append(m); w = String(head); break }
            }
            out += pre; if !w.isEmpty { out.append(w) }; out += post
        }
        return out
    }

    /// What stands between two prices of one item.
    static let priceSeparators: Set<String> = ["/", "|", "·", "•"]

    func isMarker(_ t: String) -> Bool {
        guard t.count <= 4 else { return false }
        let u = t.uppercased()
        return Self.prefixMarkers.contains(u) || Self.suffixMarkers.contains(u) && u != "-" || t == "e"
    }

    /// `12,50`, `9/16`, `4.900/15.900`: one or more amounts, or nil.
    func amounts(_ t: String, markerBefore: Bool) -> [PriceToken]? {
        // an amount is ASCII digits and separators
        guard t.allSatisfy(\.isASCII) else { return nil }
        let parts = t.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        var out: [PriceToken] = []
        for p in parts {
            guard let a = amount(String(p)) else { return nil }
            out.append(PriceToken(minor: a.minor, text: t, strong: a.strong || markerBefore))
        }
        if out.count > 1 {
            // `9/16` half/full: both amounts plausible, increasing or equal
            // bare `16/9` falling is a date or a code; prices with decimals or thousands may vary by variant
            if !zip(out, out.dropFirst()).allSatisfy({ $0.minor <= $1.minor }) && !out.allSatisfy(\.strong) { return nil }
        }
        return out
    }

    /// One amount: digits with an optional decimal part; a dot or comma before exactly three digits
    /// groups thousands when the currency has no minor unit or the number is `d.ddd`.
    func amount(_ s: String) -> (minor: Int64, strong: Bool)? {
        // only ASCII digits, dots and commas can make an amount: read it on its bytes
        var text = s
        return text.withUTF8 { amount(bytes: $0) }
    }

    private func amount(bytes chars: UnsafeBufferPointer<UInt8>) -> (minor: Int64, strong: Bool)? {
        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        @inline(__always) func isSeparator(_ b: UInt8) -> Bool { b == 0x2E || b == 0x2C }
        guard let first = chars.first, isDigit(first) else { return nil }
        guard chars.allSatisfy({ isDigit($0) || isSeparator($0) }) else { return nil }
        let seps = chars.indices.filter { isSeparator(chars[$0]) }
        guard let lastChar = chars.last, isDigit(lastChar) else { return nil }
        let digits = { (range: Range<Int>) -> String in
            String(decoding: chars[range].filter(isDigit), as: UTF8.self)
        }
        var normalized: String
        var strong = false
        if seps.isEmpty {
            guard chars.count <= 6 else { return nil }
            normalized = String(decoding: chars, as: UTF8.self)
        } else {
            let lastSep = seps.last!
            let fracDigits = chars.count - lastSep - 1
            let groupsOfThree = seps.count >= 1 && zip(seps, seps.dropFirst() + [chars.count]).allSatisfy { $1 - $0 == 4 }
                && seps.first! <= 3 && seps.first! >= 1
            if fracDigits == 3 && groupsOfThree {
                // 12.900 → twelve thousand nine hundred
                normalized = digits(0..<chars.count)
                strong = true
            } else if seps.count == 1 && (fracDigits == 1 || fracDigits == 2) && exponent > 0 {
                normalized = digits(0..<lastSep) + "." + digits((lastSep + 1)..<chars.count)
                strong = true
            } else if seps.count >= 2 && (fracDigits == 1 || fracDigits == 2) && exponent > 0 {
                // 1.234,50 or 1,234.50
                let grouping = chars[seps[0]]
                guard seps.dropLast().allSatisfy({ chars[$0] == grouping }), chars[lastSep] != grouping else { return nil }
                normalized = digits(0..<lastSep) + "." + digits((lastSep + 1)..<chars.count)
                strong = true
            } else {
                return nil
            }
        }
        guard let v = try? MoneyText.minorUnits(normalized, exponent: exponent, groupingSeparator: nil), v > 0 else { return nil }
        return (v, strong)
    }

    /// Words that stand where a price would and say there is none.
    public static func isNoPriceMarker(_ text: String) -> Bool {
        let t = text.lowercased().trimmed
        return ["market price", "mp", "m.p.", "n/a", "na", "s.p.", "sp", "tagespreis", "preis auf anfrage",
                "nach gewicht", "selon arrivage", "prix du marché", "según mercado", "a consultar", "ask"].contains(t)
    }
}

import Foundation
