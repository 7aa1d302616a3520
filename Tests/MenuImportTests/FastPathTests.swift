import Foundation
@testable import MenuImport
import Testing

/// The structurer's byte-level shortcuts give the answers of the slower code they stand in for.
struct FastPathTests {
    static let samples = [
        "", " ", "  ", "Margherita", "  Pizza  Margherita  ", "PASTA & CO", "Crème brûlée", "Käse (2,3) 12,50 €",
        "a \u{301}b", "a  \u{301}b", "e\u{301} x", "tab\there", "line\r\nbreak", "KÄSE", "Straße", "ﬁsh", "ſoup",
        "Toasted ciabatta w’ house made", "$ 7.50", "12.900", "€9", "N/A", "market price", " MP", "½ portion",
        "\u{600} 5", "x\u{A0}y", "A\u{2003}B", "GF V", "(V) vegan", "i-j", "1-4, 8", "UPPER lower", "ÉTÉ", "İstanbul",
    ]

    @Test func wordCountsMatchSplitting() {
        for s in Self.samples {
            #expect(s.spaceSeparatedCount == s.split(separator: " ").count, "\(s.debugDescription)")
        }
    }

    /// The samples, every text of every menu, and the byte helpers' edge texts (combining marks,
    /// prepended signs, joiners, other scripts), each also in capitals.
    static var everyText: [String] {
        let texts = samples + TextBytesTests.texts + ["a\u{301}", "A\u{301}", "\u{600}a", "\u{600}A", "É\u{301}A", "ŉ", "ǰ", "ẖ", "ß", "ẞ", "ǅ", "Ǆ", "a\u{301}BC", "BCa\u{301}", "x\u{200D}BC", "BC\u{600}a", "\ra\u{301}BC", "BC ß"]
        return texts + texts.map { $0.uppercased() }
    }

    @Test func letterCountsMatchFiltering() {
        for s in Self.everyText {
            #expect(s.letterCount == s.filter(\.isLetter).count, "\(s.debugDescription)")
            #expect(s.letters == s.filter(\.isLetter), "\(s.debugDescription)")
        }
    }

    @Test func capitalsMatchTheCharacterRule() {
        for s in Self.everyText {
            let letters = s.filter(\.isLetter)
            #expect(LineAnalyzer.isCaps(s) == (letters.count >= 2 && letters == letters.uppercased()), "\(s.debugDescription)")
            #expect(s.capitalLetterCount == (letters == letters.uppercased() ? letters.count : nil), "\(s.debugDescription)")
        }
    }

    @Test func asciiFoldingMatchesFoundation() {
        for s in Self.samples where s.utf8.allSatisfy({ $0 < 0x80 }) {
            let folded = s.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            var out = ""
            var space = false
            for ch in folded {
                if ch.isLetter || ch.isNumber { out.append(ch); space = false } else if !space && !out.isEmpty { out.append(" "); space = true }
            }
            #expect(TextRules.foldASCII(s) == out.trimmingCharacters(in: .whitespaces), "\(s.debugDescription)")
        }
        #expect(TextRules.foldASCII("Käse") == nil)
    }

    @Test func collapsedSpacesMatchThePattern() {
        for s in Self.samples {
            let byPattern = s.replacingPattern(#"\s+"#, with: " ").trimmingCharacters(in: .whitespaces)
            if let fast = TextRules.collapseOnlySpaces(s) { #expect(fast == byPattern, "\(s.debugDescription)") }
            // printable ASCII without a digit holds no measure: stripMeasures only tidies its spaces
            if s.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E && !($0 >= 0x30 && $0 <= 0x39) }) {
                #expect(TextRules.stripMeasures(s) == byPattern, "\(s.debugDescription)")
            }
        }
        #expect(TextRules.collapseOnlySpaces("tab\there") == nil)
        #expect(TextRules.collapseOnlySpaces("x\u{A0}y") == nil)
        #expect(TextRules.collapseOnlySpaces("  two  words ") == "two words")
        #expect(TextRules.collapseOnlySpaces("café  au lait") == "café au lait")
    }

    @Test func suffixAndByteSearchesNeverMissAMatch() {
        for s in Self.samples {
            for suffix in [" MP", "market price", " p.P.", "é", "x"] where s.hasSuffix(suffix) {
                #expect(SuffixCheck(suffix).mayEnd(s), "\(s.debugDescription) \(suffix)")
            }
            for needle in ["€", "$", "(", "-", "KES", "vegan"] where s.contains(needle) {
                #expect(s.containsBytes(needle), "\(s.debugDescription) \(needle)")
            }
        }
        #expect(!SuffixCheck(" MP").mayEnd("Pizza"))
        #expect("Pizza 12,50 €".containsBytes("€"))
    }

    @Test func whiteSpaceMatchesTheUnicodeProperty() {
        for value in 0..<0x3100 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(scalar.isWhiteSpace == scalar.properties.isWhitespace)
        }
    }
}

extension FastPathTests {
    @Test func priceWordsMatchThePattern() {
        let words = ["12,50", "€9", "$7.5", "3.50e", "12.900", "9/16", "$12/13", "4.900/15.900", "1.234.567,50", "12,50€", "0,50",
                     "12.", "1.50.5", "9/16.", "9/16.5000", "123456", "12345", "2.50E", "$", "€", "£4", "₹120", "1,2", "7",
                     "12.5000", "4.90/15.90", "10/9", "1.2.3", "12,505", "€12€", "e12", "12e", "12-50", "½", "١٢", "12\n", "12 50"]
        for w in words {
            let byPattern = w.patternRange(#"^[€$£₹]?\d{1,5}([.,]\d{3})*([.,]\d{1,2})?(/\d+([.,]\d{1,3})?)*[€e]?$"#) != nil
                && (w.contains(where: { "€$£₹".contains($0) }) || w.patternRange(#"\d[.,]\d"#) != nil)
                && !w.hasPrefix("0")
            if let fast = LineBuilder.readsAsPricePlain(w) { #expect(fast == byPattern, "\(w.debugDescription)") }
        }
        #expect(LineBuilder.readsAsPricePlain("12\n") == nil)
        #expect(LineBuilder.readsAsPricePlain("12,50 €") == nil)
    }
}
