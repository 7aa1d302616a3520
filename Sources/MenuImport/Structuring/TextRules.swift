import Foundation

/// Small text rules the structurer shares: letter-spacing, casing, codes, noise.
public enum TextRules {
    /// `PA S TA` → `PASTA`, `AV O C A D O D E L M A R` stays words where it can't tell.
    /// Joins when most words are one or two letters.
    public static func collapseLetterSpacing(_ s: String) -> String {
        let words = s.split(separator: " ")
        guard words.count >= 3 else { return s }
        let short = words.filter { $0.count <= 2 }.count
        let single = words.filter { $0.count == 1 }.count
        guard Double(short) / Double(words.count) >= 0.75, single >= 1 else { return s }
        // the letters test last: few names get this far, and it asks every character's properties
        guard words.allSatisfy({ $0.allSatisfy(\.isLetter) }) else { return s }
        return words.joined()
    }

    /// Title case for an ALL-CAPS heading (`PASTA` → `Pasta`, `FOOD & DRINKS` → `Food & Drinks`).
    public static func headingCase(_ s: String) -> String {
        guard s.isInCapitals else { return s }
        return s.lowercased().split(separator: " ", omittingEmptySubsequences: false).map { w in
            guard let f = w.first else { return String(w) }
            return f.uppercased() + w.dropFirst()
        }.joined(separator: " ")
    }

    /// A heading's section name without what decorates it: ornaments either side (`~ Desserts ~`,
    /// `— Entrées —`, `• Sfizi •`), a section number (`1. Starters`, `IV. Dolci`) and the mark of a
    /// section going on from the page or column before (`Mains (continued)`, `Plats (suite)`).
    public static func sectionName(_ s: String) -> String {
        var t = s.replacingPattern(sectionDecoration, with: "")
        if t.letterCount < 2 { t = s }
        return t.trimmed
    }

    private static let sectionDecoration = TextPattern.compiled(
        #"^[\s~—–\-•*·=_«»|◆♦★✦❖]+|[\s~—–\-•*·=_«»|◆♦★✦❖]+$|^(?:\d{1,2}|[IVX]{1,4})[.)]\s+|\s*\((?:continued|cont\.?|cont'd|suite|fortsetzung|forts\.|continuación|continuacion|cont\.|segue|continua|continuação|continuacao)\)\s*$"#,
        caseInsensitive: true)

    /// Case, whitespace, punctuation and accents folded: for comparing names.
    public static func fold(_ s: String) -> String {
        foldMemo.value(s) { foldOnce(s) }
    }

    /// Every name and heading is compared several times.
    private static let foldMemo = TextMemo<String>()

    private static func foldOnce(_ s: String) -> String {
        // ASCII has no accents or widths to fold: lower case is all of it, without Foundation's
        // round trip through NSString (every line of a menu is folded; measured in docs/performance.md)
        let folded = s.allSatisfy(\.isASCII) ? s.lowercased()
            : s.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
                .replacingOccurrences(of: "ß", with: "ss")
        var out = ""
        var space = false
        for ch in folded {
            if ch.isLetter || ch.isNumber { out.append(ch); space = false }
            else if !space && !out.isEmpty { out.append(" "); space = true }
        }
        return out.trimmed
    }

    /// Additive and allergen codes: `(2)`, `(1,2,3)`, `2, 3, 8`, `a1-b-h-1-16`, `i-j`, `1-4, 8`.
    public static func isCode(_ s: String) -> Bool {
        let t = s.trimmed
        guard !t.isEmpty else { return false }
        if t.allSatisfy({ $0.isNumber || $0 == "," || $0 == " " || $0 == "-" || $0 == "*" || $0 == "(" || $0 == ")" }) {
            // a lone number is not a code by itself unless in parentheses or listed
            return t.contains("," as Character) || t.contains("(" as Character) || t.contains("-" as Character) || t.count <= 3
        }
        // every allergen token has a `-`
        guard t.utf8.contains(0x2D) else { return false }
        return t.split(separator: " ").allSatisfy(isAllergenToken)
    }

    private static let codeSeparators = CharacterSet(charactersIn: ",;")

    /// `a1-b-h-1-16-f-i-*`: short segments joined by dashes.
    public static func isAllergenToken(_ w: Substring) -> Bool {
        // without a `-` there is only one segment
        guard w.utf8.contains(0x2D) else { return false }
        let parts = w.trimmingCharacters(in: codeSeparators).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return false }
        return parts.allSatisfy { p in
            !p.isEmpty && p.count <= 2 && p.allSatisfy { ($0.isLetter && $0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "*" }
        }
    }

    /// Removes trailing codes and parenthesised additive numbers from a name: `Tzatziki a1-b-h` →
    /// `Tzatziki`, `Schinken (2)` → `Schinken`, `1. MARGHERITA` → `MARGHERITA`.
    public static func cleanName(_ s: String) -> String {
        var words = s.split(separator: " ").map(String.init)
        while let l = words.last, isAllergenToken(Substring(l)) || (isParenCode(l) && isCodeList(l)) || l == "*" || l == "-" || l == "–" { words.removeLast() }
        words = words.map { w in
            // Schinken(2) → Schinken
            if let open = w.firstIndex(of: "("), w.hasSuffix(")"), open != w.startIndex,
               isParenCode(String(w[open...])) { return String(w[..<open]) }
            return w
        }.filter { !(isParenCode($0) && isCodeList($0)) }
        // leading numbering: `1.`, `2,` (a dot OCR read as a comma), `391.`, `12)`, `#4`, `A.`, `b)`, `12a.`, `A3.`, `|01|`
        if let f = words.first, words.count > 1, f.patternRange(numbering) != nil {
            words.removeFirst()
        }
        while let f = words.first, ["-", "–", "•", "·", "*"].contains(f) { words.removeFirst() }
        var out = words.joined(separator: " ")
        // what leads the eye to the price: `Pavlova →`, `Saco …`, `Chá ·`
        while let l = out.last, [",", ";", ":", "–", "-", "→", "➔", "➜", "…", "·", "•", "|", "»", ">"].contains(l) || l == " " { out.removeLast() }
        if let f = out.first, f == "•" || f == "-" || f == "–" { out.removeFirst() }
        return out.trimmed
    }

    private static let numbering = TextPattern.compiled(#"^(?:#\d{1,4}|\d{1,4}[a-zA-Z]?[.),]|[A-Za-z]\d{0,2}[.)]|\|\d{1,3}\|)$"#)

    /// `(1,3)`, `(2-4)`: a list of codes, not a count like `(6)`.
    static func isCodeList(_ s: String) -> Bool { s.contains("," as Character) || s.contains("-" as Character) }

    /// `(2)`, `(1,3)`, `(2,3,8)`.
    public static func isParenCode(_ s: String) -> Bool {
        guard s.hasPrefix("("), s.hasSuffix(")"), s.count >= 3 else { return false }
        let inner = s.dropFirst().dropLast()
        return inner.allSatisfy { $0.isNumber || $0 == "," || $0 == " " || $0 == "-" } && inner.contains(where: \.isNumber)
            && inner.count <= 12
    }

    /// Alcohol by volume, degrees, percentages: stripped before looking for prices.
    public static func stripMeasures(_ s: String) -> String {
        measuresMemo.value(s) { stripMeasuresOnce(s) }
    }

    /// Every line and chunk passes here, some several times.
    private static let measuresMemo = TextMemo<String>()

    private static func stripMeasuresOnce(_ s: String) -> String {
        var t = s
        // (5.2◦ ), (6°), 5,9 %, 4 %, 0.0 %: each has a degree or percent sign
        if t.contains(where: { "◦°º%".contains($0) }) {
            t = t.replacingPattern(measures, with: " ")
        }
        return t.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static let measures = TextPattern.compiled(
        #"\(\s*\d+(?:[.,]\d+)?\s*[◦°º]\s*\)|\d+(?:[.,]\d+)?\s*[◦°º]|\d+(?:[.,]\d+)?\s*%(\s*vol\.?)?"#, caseInsensitive: true)

    /// Lines that are never items: addresses, phones, hours, web, e-mail, copyright, years.
    public static func isNoise(_ s: String) -> Bool {
        noiseMemo.value(s) { s.lowercased().patternRange(noise) != nil }
    }

    /// The same lines are asked about from several steps.
    private static let noiseMemo = TextMemo<Bool>()

    private static let noise = TextPattern.compiled([
        anyWord(["tel", "tél", "fon", "phone", "fax", "mobil", "whatsapp"]) { #"\b("# + $0 + #")\b\.?\s*:?"# },
        #"\+?\d[\d\s().\-/]{7,}\d"#,                         // phone numbers
        #"\b\d{1,2}[:.h]\d{2}\s*(uhr|h|am|pm)?\s*(–|-|bis|to|a|à)\s*\d{1,2}[:.h]?\d{0,2}"#, // hours
        #"\b(www\.|https?://|\.com\b|\.de\b|\.fr\b|\.org\b|@)"#,
        #"\b\d{5}\s+[a-zäöüé]"#,                              // postcode + town
        anyWord(["straße", "strasse", "street", "st.", "avenue", "ave.", "road", "rue", "calle", "weg", "platz"]) { #"\b("# + $0 + #")\s+\d"# },
        #"\d+\s+[a-z]+\s+(street|st|avenue|road)\b"#,
        anyWord(["©", "copyright", "all rights reserved", "alle preise", "all prices", "prix nets", "preise in", "inkl. mwst",
                 "including taxes", "surcharge", "last revision", "iva inclusa", "tva comprise", "service compris", "prezzi",
                 "coperto"]) { $0 },
        #"^(©\s*)?(19|20)\d\d\b"#,                          // a line that opens with a year
        anyWord(["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "monday", "tuesday", "wednesday",
                 "thursday", "friday", "saturday", "sunday", "lundi", "mardi", "open", "geöffnet", "öffnungszeiten", "ruhetag"]) { "^(" + $0 + ")" },
    ].map { "(?:" + $0 + ")" }.joined(separator: "|"))

    /// `frame` given one of `words` as an alternation, each escaped.
    private static func anyWord(_ words: [String], _ frame: (String) -> String) -> String {
        frame(words.map(TextPattern.escaped).joined(separator: "|"))
    }
}
