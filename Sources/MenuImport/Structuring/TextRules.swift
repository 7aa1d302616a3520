import Foundation

/// Small text rules the structurer shares: letter-spacing, casing, codes, noise.
public enum TextRules {
    /// `PA S TA` → `PASTA`, `AV O C A D O D E L M A R` stays words where it can't tell.
    /// Joins when most words are one or two letters.
    public static func collapseLetterSpacing(_ s: String) -> String {
        guard s.spaceSeparatedCount >= 3 else { return s }
        let words = s.spaceWords
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
        guard let letters = s.capitalLetterCount, letters > 0 else { return s }
        return s.lowercasedText.split(separator: " ", omittingEmptySubsequences: false).map { w in
            guard let f = w.first else { return String(w) }
            return f.uppercased() + w.dropFirst()
        }.joined(separator: " ")
    }

    /// Case, whitespace, punctuation and accents folded: for comparing names.
    private static let foldMemo = TextMemo<String>()

    public static func fold(_ s: String) -> String {
        foldMemo.value(s) { foldOnce(s) }
    }

    private static func foldOnce(_ s: String) -> String {
        if let ascii = foldASCII(s) { return ascii }
        var folded = s.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        if folded.containsBytes("ß") { folded = folded.replacingOccurrences(of: "ß", with: "ss") }
        var out = ""
        var space = false
        for ch in folded {
            if ch.isLetter || ch.isNumber { out.append(ch); space = false }
            else if !space && !out.isEmpty { out.append(" "); space = true }
        }
        return out.trimmingWhitespace
    }

    /// `fold` of an ASCII text, on its bytes: folding only lower-cases ASCII letters, and the
    /// letters and digits are the only characters kept. Nil for any other text.
    static func foldASCII(_ s: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var space = false
        for b in s.utf8 {
            guard b < 0x80 else { return nil }
            let lower = b >= 0x41 && b <= 0x5A ? b + 0x20 : b
            if (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) {
                out.append(lower); space = false
            } else if !space && !out.isEmpty {
                out.append(0x20); space = true
            }
        }
        if out.last == 0x20 { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// Additive and allergen codes: `(2)`, `(1,2,3)`, `2, 3, 8`, `a1-b-h-1-16`, `i-j`, `1-4, 8`.
    public static func isCode(_ s: String) -> Bool {
        let t = s.trimmingWhitespace
        guard !t.isEmpty else { return false }
        if t.allSatisfy({ $0.isNumber || $0 == "," || $0 == " " || $0 == "-" || $0 == "*" || $0 == "(" || $0 == ")" }) {
            // a lone number is not a code by itself unless in parentheses or listed
            return t.contains(",") || t.contains("(") || t.contains("-") || t.count <= 3
        }
        // every allergen token has a `-`
        guard t.utf8.contains(0x2D) else { return false }
        return t.spaceWords.allSatisfy(isAllergenToken)
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
        cleanNameMemo.value(s) { cleanNameOnce(s) }
    }

    /// Every item's name passes here, most of them a priced line's text alone, which the
    /// structurer hands over first on all cores.
    private static let cleanNameMemo = TextMemo<String>()

    private static func cleanNameOnce(_ s: String) -> String {
        var words = s.spaceWords.map(String.init)
        while let l = words.last, isAllergenToken(Substring(l)) || (isParenCode(l) && isCodeList(l)) || l == "*" || l == "-" || l == "–" { words.removeLast() }
        words = words.map { w in
            // Schinken(2) → Schinken
            if let open = w.firstIndex(of: "("), w.hasSuffix(")"), open != w.startIndex,
               isParenCode(String(w[open...])) { return String(w[..<open]) }
            return w
        }.filter { !(isParenCode($0) && isCodeList($0)) }
        // leading numbering: `1.`, `391.`, `12)`, `#4`
        if let f = words.first, words.count > 1, f.count <= 5,
           f.hasSuffix(".") || f.hasSuffix(")") || f.hasPrefix("#"),
           f.dropLast().allSatisfy(\.isNumber) || f.dropFirst().allSatisfy(\.isNumber) {
            words.removeFirst()
        }
        while let f = words.first, ["-", "–", "•", "·", "*"].contains(f) { words.removeFirst() }
        var out = words.joined(separator: " ")
        while let l = out.last, [",", ";", ":", "–", "-"].contains(l) { out.removeLast() }
        if let f = out.first, f == "•" || f == "-" || f == "–" { out.removeFirst() }
        return out.trimmingWhitespace
    }

    /// `(1,3)`, `(2-4)`: a list of codes, not a count like `(6)`.
    static func isCodeList(_ s: String) -> Bool { s.contains(",") || s.contains("-") }

    /// `(2)`, `(1,3)`, `(2,3,8)`.
    public static func isParenCode(_ s: String) -> Bool {
        guard s.hasPrefix("("), s.hasSuffix(")"), s.count >= 3 else { return false }
        let inner = s.dropFirst().dropLast()
        return inner.allSatisfy { $0.isNumber || $0 == "," || $0 == " " || $0 == "-" } && inner.contains(where: \.isNumber)
            && inner.count <= 12
    }

    /// Alcohol by volume, degrees, percentages: stripped before looking for prices.
    public static func stripMeasures(_ s: String) -> String {
        // every measure holds a digit: printable ASCII without one (most words and names) is only tidied
        if !s.utf8.contains(where: { $0 < 0x20 || $0 > 0x7E || ($0 >= 0x30 && $0 <= 0x39) }), let tidy = collapseOnlySpaces(s) {
            return tidy
        }
        return measuresMemo.value(s) { stripMeasuresOnce(s) }
    }

    /// Every line and chunk passes here, some several times: each text is worked out once.
    private static let measuresMemo = TextMemo<String>()

    private static func stripMeasuresOnce(_ s: String) -> String {
        var t = s
        // (5.2◦ ), (6°), 5,9 %, 4 %, 0.0 %
        let patterns = [
            #"\(\s*\d+(?:[.,]\d+)?\s*[◦°º]\s*\)"#,
            #"\d+(?:[.,]\d+)?\s*[◦°º]"#,
            #"\d+(?:[.,]\d+)?\s*%(\s*vol\.?)?"#,
        ]
        // each needs a degree sign or a percent sign; without one, none can match (nor be compiled)
        if ["◦", "°", "º", "%"].contains(where: { t.containsBytes($0) }) {
            for p in patterns {
                t = t.replacingPattern(p, with: " ", caseInsensitive: true)
            }
        }
        if let collapsed = collapseOnlySpaces(t) { return collapsed }
        return t.replacingPattern(#"\s+"#, with: " ").trimmingWhitespace
    }

    /// `replacingPattern(#"\s+"#, with: " ").trimmingWhitespace` for a text whose only white space
    /// is the plain space: `\s` is `[\t\n\f\r\p{Z}]`, and every `\p{Z}` character is Unicode white
    /// space, so when no scalar but U+0020 is white space, runs of spaces are all there is to
    /// collapse. Nil for other texts.
    static func collapseOnlySpaces(_ t: String) -> String? {
        if t.isASCII {
            // on the bytes: ASCII's other white space is tab to carriage return
            var tidy = true
            var afterSpace = true
            for b in t.utf8 {
                if b >= 0x09 && b <= 0x0D { return nil }
                if b == 0x20 {
                    if afterSpace { tidy = false }
                    afterSpace = true
                } else {
                    afterSpace = false
                }
            }
            if afterSpace && !t.isEmpty { tidy = false }
            return tidy ? t : t.spaceWords.joined(separator: " ")
        }
        for scalar in t.unicodeScalars where scalar != " " && scalar.isWhiteSpace { return nil }
        // on scalars, not characters: a space followed by a combining mark is still a space to `\s`
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in t.unicodeScalars {
            if scalar == " " {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Lines that are never items: addresses, phones, hours, web, e-mail, copyright, years.
    /// The same lines are asked about from several places; each is checked once.
    private static let noiseMemo = TextMemo<Bool>()

    public static func isNoise(_ s: String) -> Bool {
        noiseMemo.value(s) { checkNoise(s) }
    }

    private static func checkNoise(_ s: String) -> Bool {
        let t = s.lowercasedText
        let digit = t.mayHaveDigit
        for (needs, p) in noisePatterns where needs(t, digit) && t.patternRange(p) != nil { return true }
        return false
    }

    /// Each noise pattern with a test its text must pass before the pattern can match (the
    /// characters or words it needs literally; `\d` needs a digit), so most lines skip most patterns.
    /// A pattern built from a word list takes its guard from the same list.
    private static let noisePatterns: [(@Sendable (String, Bool) -> Bool, TextPattern)] = noiseRules.map { ($0.0, TextPattern.compiled($0.1)) }

    private static let noiseRules: [(@Sendable (String, Bool) -> Bool, String)] = [
        anyWord(["tel", "tél", "fon", "phone", "fax", "mobil", "whatsapp"]) { #"\b("# + $0 + #")\b\.?\s*:?"# },
        ({ _, digit in digit }, #"\+?\d[\d\s().\-/]{7,}\d"#),                         // phone numbers
        ({ t, digit in digit && (t.containsBytes(":") || t.containsBytes(".") || t.containsBytes("h")) }, #"\b\d{1,2}[:.h]\d{2}\s*(uhr|h|am|pm)?\s*(–|-|bis|to|a|à)\s*\d{1,2}[:.h]?\d{0,2}"#), // hours
        ({ t, _ in t.containsBytes(".") || t.containsBytes("@") || t.containsBytes(":") },
         #"\b(www\.|https?://|\.com\b|\.de\b|\.fr\b|\.org\b|@)"#),
        ({ _, digit in digit }, #"\b\d{5}\s+[a-zäöüé]"#),                              // postcode + town
        anyWord(["straße", "strasse", "street", "st.", "avenue", "ave.", "road", "rue", "calle", "weg", "platz"], needsDigit: true) {
            #"\b("# + $0 + #")\s+\d"#
        },
        ({ t, digit in digit && (t.containsBytes("st") || t.containsBytes("avenue") || t.containsBytes("road")) },
         #"\d+\s+[a-z]+\s+(street|st|avenue|road)\b"#),
        anyWord(["©", "copyright", "all rights reserved", "alle preise", "all prices", "prix nets", "preise in", "inkl. mwst",
                 "including taxes", "surcharge", "last revision", "iva inclusa", "tva comprise", "service compris", "prezzi",
                 "coperto"]) { $0 },
        ({ t, digit in digit && (t.hasPrefix("©") || t.utf8.starts(with: "19".utf8) || t.utf8.starts(with: "20".utf8)) },
         #"^(©\s*)?(19|20)\d\d\b"#),                          // a line that opens with a year
        anyWord(["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "monday", "tuesday", "wednesday",
                 "thursday", "friday", "saturday", "sunday", "lundi", "mardi", "open", "geöffnet", "öffnungszeiten", "ruhetag"],
                atStart: true) { "^(" + $0 + ")" },
    ]

    /// A noise rule matching one of `words` inside `frame` (which gets the words as one alternation,
    /// each escaped); its guard asks for any of the words literally, at the start of the line when
    /// `atStart`, and for a digit when `needsDigit`.
    private static func anyWord(_ words: [String], atStart: Bool = false, needsDigit: Bool = false,
                                _ frame: (String) -> String) -> (@Sendable (String, Bool) -> Bool, String) {
        let guardWords = ByteWords(words)
        let pattern = frame(words.map { TextPattern.escaped($0) }.joined(separator: "|"))
        return ({ t, digit in
            (!needsDigit || digit) && guardWords.found(in: t, atStart: atStart)
        }, pattern)
    }
}
