import Foundation
import Testing
@testable import MenuImport

/// The byte-level helpers answer as the character-level operations they stand for, on every text
/// of every menu we have and on texts made to sit at their edges: spaces beside combining marks,
/// prepended signs and joiners, CR LF, other scripts.
struct TextBytesTests {
    static let edges = [
        "", " ", "  ", "a b", " a  b ", "€ 12", "12 €", "a – b", "a \u{0301}b", "a\u{0301} b", "\u{0600} 5", "\u{0600}5 6",
        "x \u{200D}y", "x\u{200D} y", "\r\n", "1\r\n2", "5\u{0301}", "½ 3", "١٢ ٣", "e\u{0301}15,50", "🇩🇪 🇫🇷", "👨‍👩‍👧 7",
        "क्ष 9", "Tagespreis – market price", "Soup – MARKET PRICE", "Dish – market price", "Dish market price", "x – prix du marché",
        "x – prix du marche\u{0301}", "x – prix du marché", "p.P.", "Salat p.P.", "Salat p. P.\u{0301}", "12 K", "12 \u{212A}",
    ]

    static var texts: [String] { TextPatternTests.sharedCorpus + edges + edges.map { $0.uppercased() } }

    @Test func spaceWordsAreSplitsWords() {
        // the menus were read (the samples alone give several hundred texts)
        #expect(TextPatternTests.sharedCorpus.count > 300)
        var wrong: [String] = []
        for t in Self.texts {
            if t.spaceWords != t.split(separator: " ") || t.spaceSeparatedCount != t.split(separator: " ").count { wrong.append(t) }
            let sub = t.dropFirst()
            if sub.spaceWords != sub.split(separator: " ") { wrong.append("(slice) " + t) }
        }
        #expect(wrong.isEmpty, "\(wrong.count) texts split differently: \(wrong.prefix(5).map(\.debugDescription))")
    }

    @Test func mayEndWithIsNeverWrongWhenItSaysNo() {
        let suffixes = ["market price", "MP", "N/A", "Tagespreis", "prix du marché", "S.P."].flatMap { m in
            [" – ", " - ", " — ", " "].map { ($0 + m).lowercased() }
        } + [" p.P.", " p. P.", " pro Person", " per person", " each", "é", "e\u{0301}", "\u{0301}", " ", "a", "\u{212A}", "5 K"]
        var wrong: [String] = []
        for t in Self.texts + Self.edges.flatMap({ e in suffixes.map { e + $0 } }) {
            for s in suffixes where !SuffixCheck(s).mayEnd(t) && t.hasSuffix(s) { wrong.append("\(t.debugDescription) ends with \(s.debugDescription)") }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        // and it does say no to most lines
        #expect(!SuffixCheck(" – market price").mayEnd("Schnitzel mit Pommes"))
        #expect(!SuffixCheck(" – prix du marché").mayEnd("Schnitzel mit Pommes"))
        #expect(SuffixCheck("\u{212A}").mayEnd("5 K"), "the Kelvin sign is canonically K")
    }

    @Test func filterCharactersIsFilter() {
        var wrong: [String] = []
        for t in Self.texts {
            let fast = t.filterCharacters(keepByte: { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x20 }) { $0.isNumber || $0 == " " }
            if fast != t.filter({ $0.isNumber || $0 == " " }) { wrong.append(t) }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5).map(\.debugDescription))")
    }

    /// Leaders (`.....`, `___`, `……`) counted on the bytes are the character-level rule: three or
    /// more characters, each `.`, `…` or `_`; and a chunk of them alone is one whose every character is.
    @Test func leadersOnTheBytesAreLeadersByCharacter() {
        let leaders = ["...", "…", "……", "…….", "___", "._…", "..", ".", "..\u{0323}.", ".\u{0301}..", "…\u{0301}..", "...a", "a...",
                       "\u{2026}\u{2026}\u{2026}", "\u{2025}..", "…", "\u{E2}", ". . .", "_ _ _"]
        var wrong: [String] = []
        for t in Self.texts + leaders + leaders.map({ $0 + $0 }) {
            if LineBuilder.isLeader(t) != (t.count >= 3 && t.allSatisfy { $0 == "." || $0 == "…" || $0 == "_" }) { wrong.append(t) }
            if (LineBuilder.leaderCharacterCount(t) != nil) != t.allSatisfy({ $0 == "." || $0 == "…" || $0 == "_" }) { wrong.append("(all) " + t) }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5).map(\.debugDescription))")
        #expect(LineBuilder.isLeader("......") && LineBuilder.isLeader("……") == false && LineBuilder.isLeader("………"))
    }

    @Test func isASCIIIsEveryByteBelow128() {
        for t in Self.texts { #expect(t.isASCII == t.utf8.allSatisfy { $0 < 0x80 }) }
        #expect(!"Café".isASCII && "Cafe 12,50".isASCII && "".isASCII)
    }

    /// The word guards never turn away a line their pattern matches (then skipping the pattern
    /// changes nothing), on every text and on legends written with accents, the long s and capitals.
    @Test func wordGuardsNeverHideAMatch() {
        let legends = ["(V) végétarien", "V = VÉGÉTARIEN", "(V) ve\u{0301}ge\u{0301}tarien", "GF: gluten-free €", "(S) ſpicy",
                       "* = scharf – €", "Zusatzstoffe: (1) mit Farbstoff", "ADDITIVES – €", "E-Nummern ·"]
        var hidden: [String] = []
        for t in Self.texts + legends {
            if !LegendResolver.mayHoldLegendWord(t), !t.patternMatches(LegendResolver.entryPattern, caseInsensitive: true).isEmpty {
                hidden.append("legend: " + t)
            }
            if !HeuristicStructurer.mayHoldAdditiveWord(t), t.patternRange(HeuristicStructurer.additiveWordPattern, caseInsensitive: true) != nil {
                hidden.append("additives: " + t)
            }
        }
        #expect(hidden.isEmpty, "\(hidden.prefix(5))")
        // and they do turn lines away, accents or not
        #expect(!LegendResolver.mayHoldLegendWord("Crème brûlée – 8,50 €"))
        #expect(LegendResolver.mayHoldLegendWord("(V) végétarien"))
    }

    /// `mayHaveDigit` says yes wherever `\d` matches (then the patterns it guards are never
    /// skipped wrongly), digits of other scripts included, and no to accented text without digits.
    @Test func mayHaveDigitIsYesWhereverBackslashDMatches() {
        var wrong: [String] = []
        for t in Self.texts + ["١٢", "Preis ٣", "५ रुपये", "５ €", "𝟘", "Crème brûlée", "€", "e\u{0301}"] {
            let matches = t.patternRange(#"\d"#) != nil
            if matches != t.mayHaveDigit { wrong.append(t.debugDescription) }
            if matches != CurrencyGuesser.TextFacts(t).mayHaveDigit { wrong.append("facts: " + t.debugDescription) }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        #expect(!"Crème brûlée – Tagespreis €".mayHaveDigit)
    }

    /// The currency rules' byte facts answer as `uppercased()` and `containsBytes` would, also where
    /// upper-casing makes ASCII out of other letters (ß, ı, ſ, ﬁ, ŉ).
    @Test func currencyTextFactsAnswerAsTheStringOperations() {
        let words = ["EUR", "RS", "INR", "KS", "KES", "/=", "CLP", "AUD", "A$", "AU$", "SS", "FI", "N", "I"]
        let signs = ["€", "£", "₹", "$", ".", ",", "e"]
        var wrong: [String] = []
        for t in Self.texts + ["straße 12,50", "ınr 5", "ſ", "ﬁ 9", "ŉ", "kſh 450", "Ksh 450/=", "A$ 12", "clp 12.900"] {
            let f = CurrencyGuesser.TextFacts(t)
            let upper = t.uppercased()
            for w in words where f.upperHas(Array(w.utf8)) != upper.containsBytes(w) { wrong.append("\(t.debugDescription) upper \(w)") }
            for sign in signs where f.has(Array(sign.utf8)) != t.containsBytes(sign) { wrong.append("\(t.debugDescription) \(sign)") }
            if f.mayHaveDigit != t.mayHaveDigit { wrong.append("\(t.debugDescription) digit") }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
    }

    /// The word tests of the line builder answer as their character-level definitions.
    @Test func lineBuilderWordTestsAnswerAsCharacters() {
        var wrong: [String] = []
        for t in Self.texts + ["1", "12€", "€", "1,5", "5\u{0301}", "€\u{0301}", "١٢", "$$$$", "EUR", "e", "Ksh", "€ "] {
            let piece = t.count <= 3 && t.allSatisfy { "0123456789$€£.,".contains($0) }
            if LineBuilder.isPricePiece(t) != piece { wrong.append("piece \(t.debugDescription)") }
            let sign = ["€", "$", "£", "₹", "e", "EUR", "Ksh", "KES", "USD"].contains(t)
            if LineBuilder.isSign(t) != sign { wrong.append("sign \(t.debugDescription)") }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
    }

    /// `lowercasedText` is `lowercased()`, final sigma, dotted I and sharp s included.
    @Test func lowercasedTextIsLowercased() {
        var wrong: [String] = []
        for t in Self.texts + ["ΟΔΟΣ ΚΑΙ ΣΟΥΠΑ", "İSTANBUL", "STRAẞE 12 €", "ǅ", "Ⅻ", "ＡＢＣ", "Crème BRÛLÉE – 8,50 €"] where t.lowercasedText != t.lowercased() {
            wrong.append(t)
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5).map(\.debugDescription))")
    }

    /// `amounts` splits on `/` bytes; split on characters, as it did, every text gives the same.
    @Test func amountsSplitAsOnCharacters() {
        let parser = PriceParser(exponent: 2, allowBareIntegers: true)
        func byCharacters(_ t: String) -> [PriceToken]? {
            let parts = t.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
            var out: [PriceToken] = []
            for p in parts {
                guard let a = parser.amount(String(p)) else { return nil }
                out.append(PriceToken(minor: a.minor, text: t, strong: a.strong))
            }
            if out.count > 1, !zip(out, out.dropFirst()).allSatisfy({ $0.minor <= $1.minor }), !out.allSatisfy(\.strong) { return nil }
            return out
        }
        var wrong: [String] = []
        for t in Self.texts.flatMap({ [$0] + $0.split(separator: " ").map(String.init) }) + ["9/16", "16/9", "12,50/14,50", "1/2/3/4", "9/", "/9", "9/\u{0301}16", "١/٢"]
        where parser.amounts(t, markerBefore: false) != byCharacters(t) {
            wrong.append(t)
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5).map(\.debugDescription))")
    }

    /// `blankWords` cuts where a character split at spaces, tabs and no-break spaces cuts.
    @Test func blankWordsAreTheCharacterSplit() {
        var wrong: [String] = []
        for t in Self.texts + ["12,50\u{00A0}€", "a\u{00A0}\u{0301}b", "x\t\u{0301}y", "€\u{00A0}9", "\u{00A0}", "a \u{00A0} b"] {
            if t.blankWords != t.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{00A0}" }) { wrong.append(t) }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5).map(\.debugDescription))")
    }
}
