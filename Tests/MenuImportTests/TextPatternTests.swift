import Foundation
import Testing
@testable import MenuImport

/// The structurer's own pattern matcher (`TextPattern`) must give what ICU's `NSRegularExpression`
/// gives, which it replaced: the same first match, the same matches and groups, the same
/// replacements, for every pattern the structurer compiles, on every line of every menu we have.
struct TextPatternTests {
    /// Texts that make the structurer compile every pattern it has: currency signs and words, web
    /// addresses, noise of each kind, measures, legends, dietary words, counts in names.
    static let triggers = [
        "Rs. 450", "INR 120", "₹ 90", "KSh 400", "Kes 350", "450/=", "CLP 12.900", "12.900 CLP", "AUD 12", "A$ 9", "AU$ 14",
        "12,50 EUR", "Euro 5", "3.50e", "12,50 €", "$9 www.cafe.com.au", "$9 shop.co.nz", "$9 bar.ca", "$9 eat.sg", "$9 dim.hk",
        "Tel. 0221 12345", "Fon: 030 123 456", "+49 (0)221 123 45 67", "Mo 11:30 - 22:00 Uhr", "12h00 à 14h30",
        "www.example.de", "info@example.fr", "50667 Köln", "Hauptstraße 12", "12 Baker Street", "© 2024 Café", "2019 Edition",
        "Montag Ruhetag", "Open daily", "Alle Preise inkl. MwSt", "5,2° Pils (5.2◦ )", "Rotwein 13,5 % vol.", "Bier 4,9 %",
        "V = vegetarian", "(GF) gluten free", "VG: vegan", "* = spicy", "(1) mit Farbstoff", "2 = mit Konservierungsstoff",
        "3: Süßungsmittel", "Zusatzstoffe", "Additives", "E-Nummern", "Dumplings (6 pcs)", "Wings (8 Stk.)", "Schnitzel (2,3)",
        "(12) Pizza", "33 cl", "0,5 l", "12 oz", "30 cm", "€12", "12.50", "1.250,00", "9/16", "Tofu vegetarisch und scharf",
        "épicé et végétarien", "spicy vegan bowl", "HALAL chicken", "Portion", "Sin gluten", "sans gluten",
    ]

    /// Texts at the edges of the dialect: other scripts' digits and spaces, combining marks, sharp s,
    /// line ends, case.
    static let edges = [
        "", " ", "١٢٫٥٠", "१२.५०", "12\u{00A0}€", "12\u{2009}50", "café\u{0301} 12", "e\u{0301}12", "SÜSS", "süss", "SÜẞ",
        "12.50\n", "12.50\r\n", "12.50\n\n", "\u{200D}12", "ABC\u{00AD}DEF 12,50", "ǅ 12", "Straße 5", "STRASSE 5",
        "tel.:", "TEL", "x\u{0085}", "a\u{2028}b", "\t12,50\t", "₹१२", "12,5O", "١٢ tel", "_12_", "12e", "12,50e5",
        "\u{017F}picy", "(V) \u{017F}picy", "\u{212A}ES 450", "V = VEGAN", "GF = GLUTEN-FREE", "3 = SÜSSUNGSMITTEL",
    ]

    /// Every line, every word and every run between wide gaps of every menu we have, as printed,
    /// lower-cased and upper-cased.
    static func corpus() throws -> [String] {
        var folders = [EvaluationSupport.sampleMenus]
        if FileManager.default.fileExists(atPath: EvaluationSupport.realMenus.path) { folders.append(EvaluationSupport.realMenus) }
        var texts = Set(triggers + edges)
        for folder in folders {
            let pdfs = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "pdf" && !$0.lastPathComponent.contains("image_only") }
            for pdf in pdfs {
                let document = try PDFExtractor.read(path: pdf.path)
                // the structurer's own run compiles the patterns these menus need
                _ = try HeuristicStructurer().structure(document, currency: nil)
                for page in document.pages {
                    for line in page.lines() {
                        texts.insert(line.text)
                        for word in line.text.split(separator: " ") { texts.insert(String(word)) }
                        for run in line.text.components(separatedBy: "  ") where !run.isEmpty { texts.insert(run) }
                    }
                }
            }
        }
        for t in Array(texts) { texts.insert(t.lowercased()); texts.insert(t.uppercased()) }
        return texts.sorted()
    }

    /// Runs the structurer's pattern users on the trigger texts, so their patterns are compiled.
    static func compileEveryPattern() {
        _ = CurrencyGuesser.evidence(triggers.map { $0.uppercased() } + triggers)
        for t in triggers.filter({ $0.hasPrefix("$") }) { _ = CurrencyGuesser.guess([t]) }
        for t in triggers {
            _ = TextRules.isNoise(t)
            _ = TextRules.stripMeasures(t)
            _ = SizeLabels.isLabel(t)
            _ = SizeLabels.rowLabel(t)
            _ = LineBuilder.looksLikePrice(t)
            _ = HeuristicStructurer.tidyName(t, additiveCodes: true)
            _ = LegendResolver().tags(name: "Dish", description: t)
        }
        _ = LegendResolver.entries(in: triggers)
    }

    /// The corpus, read once for all the tests that use it.
    static let sharedCorpus: [String] = (try? corpus()) ?? []

    @Test func everyPatternMatchesAsICUDoes() throws {
        let texts = Self.sharedCorpus
        #expect(texts.count > 300)
        Self.compileEveryPattern()
        let patterns = TextPattern.compiledSoFar
        print("TextPatternTests: \(patterns.count) patterns on \(texts.count) texts")
        #expect(patterns.count >= 30, "the structurer compiles about thirty patterns; only \(patterns.count) were seen")
        var differences: [String] = []
        let edgeTexts = Set(Self.edges + Self.triggers)
        for (pattern, caseInsensitive) in patterns {
            let icu = try NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
            for text in texts {
                // compared as UTF-16 ranges, as ICU gives them
                let whole = NSRange(text.startIndex..., in: text)
                let expected: [[NSRange]] = icu.matches(in: text, range: whole).map { m in (0..<m.numberOfRanges).map { m.range(at: $0) } }
                let scalars = Array(text.unicodeScalars)
                let found: [[NSRange]] = TextPattern.compiled(pattern, caseInsensitive: caseInsensitive).matches(in: scalars).map { m in
                    m.map { r in r.map { Self.utf16Range($0, in: scalars) } ?? NSRange(location: NSNotFound, length: 0) }
                }
                var same = found == expected
                // the String-level helpers, on the edge texts (they only map these ranges)
                if same && edgeTexts.contains(text) {
                    let first = text.patternRange(pattern, caseInsensitive: caseInsensitive).map { NSRange($0, in: text) }
                    let replaced = text.replacingPattern(pattern, with: "#", caseInsensitive: caseInsensitive)
                    same = first == expected.first?.first && replaced == icu.stringByReplacingMatches(in: text, range: whole, withTemplate: "#")
                }
                if !same {
                    differences.append("\(pattern) (case-insensitive: \(caseInsensitive)) on \(text.debugDescription): "
                                       + "\(found) where ICU gives \(expected)")
                }
            }
        }
        #expect(differences.isEmpty, "\(differences.count) differences, first: \(differences.prefix(5).joined(separator: "\n"))")
    }

    static func utf16Range(_ r: Range<Int>, in scalars: [Unicode.Scalar]) -> NSRange {
        let before = scalars[..<r.lowerBound].reduce(0) { $0 + UTF16.width($1) }
        return NSRange(location: before, length: scalars[r].reduce(0) { $0 + UTF16.width($1) })
    }

    @Test func groupsRepeatsAndAlternativesAsICUTakesThem() {
        #expect("ab12cd345".patternMatches(#"(\d)+"#) == [["12", "2"], ["345", "5"]])
        #expect("x=1 y:2".patternMatches(#"([a-z])(?:=|:)(\d)"#) == [["x=1", "x", "1"], ["y:2", "y", "2"]])
        #expect("GF: gluten free".patternMatches(#"(?:\(([A-Z]+)\)|([A-Z]+):) (gluten free)"#) == [["GF: gluten free", nil, "GF", "gluten free"]])
        #expect("aaa".patternRange(#"a{1,2}"#).map { "aaa"[$0] } == "aa")
        #expect("tomato".patternRange(#"to|tomato"#).map { "tomato"[$0] } == "to")
        #expect("12.50\n".patternRange(#"\d+\.\d\d$"#) != nil)
        #expect("12.50 x".patternRange(#"\d+\.\d\d$"#) == nil)
    }

    @Test func caseWordsAndScriptsAsICUHasThem() {
        #expect("3: SÜSSUNGSMITTEL".patternRange("süß", caseInsensitive: true) != nil)
        #expect("Vegan".patternRange(#"\bVEGAN\b"#, caseInsensitive: true) != nil)
        #expect("vegane".patternRange(#"\bvegan\b"#) == nil)
        // a combining mark belongs to the letter before it: no word boundary inside "é"
        #expect("cafe\u{0301}".patternRange(#"cafe\b"#) == nil)
        #expect("١٢".patternRange(#"^\d\d$"#) != nil)
        #expect("12\u{00A0}€".patternRange(#"\d\s€"#) != nil)
    }

    @Test func escapedTextMatchesItself() {
        for text in ["inkl. mwst", "a+b (c)", "[x]*?", "$5.00", "e-nummern", "\\"] {
            #expect(text.patternRange(TextPattern.escaped(text)).map { String(text[$0]) } == text)
        }
    }

    /// `trimmingWhitespace` trims what Foundation's `trimmingCharacters(in: .whitespaces)` trims,
    /// for every scalar of the Basic Multilingual Plane and beyond at either end.
    @Test func whitespaceTrimmingIsFoundations() {
        var differences: [UInt32] = []
        for value in UInt32(0)...0x2FFFF {
            guard let c = Unicode.Scalar(value) else { continue }
            for text in ["\(c)a b\(c)", "\(c)", "x\(c)\(c)", "\(c)\u{0301}x"] where text.trimmingWhitespace != text.trimmingCharacters(in: .whitespaces) {
                differences.append(value)
            }
        }
        #expect(differences.isEmpty, "scalars trimmed differently: \(differences.prefix(10).map { String($0, radix: 16) })")
    }
}
