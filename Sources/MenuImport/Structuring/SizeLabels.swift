import Foundation

/// Size words printed over or beside price columns: `Small`, `S`, `R`, `25 cl`, `24CM`, `glass`.
public enum SizeLabels {
    /// `33 cl`, `0,5 l`, `30cm`, `12 oz`: a size that is a measure.
    private static let measurePattern = TextPattern.compiled(#"^\d+([.,]\d+)?\s?(cl|ml|l|oz|cm|inch|in|"|g|kg|pcs|stk)$"#)

    static let words: Set<String> = [
        "s", "m", "l", "r", "xl", "h", "f", "p", "g", "small", "medium", "large", "regular", "reg", "half", "full",
        "glass", "bottle", "carafe", "pint", "jug", "cup", "mug", "klein", "groß", "gross", "mittel", "glas", "flasche",
        "petit", "grand", "moyen", "verre", "bouteille", "pichet", "copa", "jarra", "botella", "chico", "grande", "mediano", "side", "share",
        "media", "entera", "piccola", "piccolo", "medio", "calice", "caraffa", "bottiglia", "copo", "garrafa", "pequeno", "pequena",
        "médio", "média", "meia", "inteira",

    ]

    /// One size label (`S`, `Large`, `25 cl`, `24CM`, `0,5l`, `10"`).
    public static func isLabel(_ text: String) -> Bool {
        let t = text.lowercased().trimmed
        if words.contains(t) { return true }
        return t.patternRange(Self.measurePattern) != nil
    }

    /// Several labels in one chunk (`25 cl 33 cl 50 cl`, `S/R`, `Small Large`): the labels, else nil.
    public static func labels(_ text: String) -> [String]? {
        let t = text.trimmed
        if isLabel(t) { return [t] }
        if t.utf8.contains(0x2F) {
            let slash = t.split(separator: "/").map { String($0).trimmed }
            if slash.count > 1, slash.allSatisfy(isLabel) { return slash }
        }
        // the first word settles most chunks: neither a number nor a label, so not a row of labels
        // (`t` is trimmed, so its first word runs to its first space)
        let firstWord = String(t.firstIndex(of: " ").map { t[..<$0] } ?? t[...])
        if !firstWord.isEmpty, !firstWord.allSatisfy({ $0.isNumber || $0 == "," || $0 == "." }), !isLabel(firstWord) { return nil }
        // glue "25" "cl" pairs back together
        var out: [String] = []
        var words = t.split(separator: " ").map(String.init)[...]
        while let w = words.first {
            words = words.dropFirst()
            if let n = words.first, w.allSatisfy({ $0.isNumber || $0 == "," || $0 == "." }), isLabel(w + " " + n) {
                out.append(w + " " + n); words = words.dropFirst(); continue
            }
            guard isLabel(w) else { return nil }
            out.append(w)
        }
        return out.isEmpty ? nil : out
    }

    /// A row that names a smaller or larger serving of the item above: `kleinere Portion`, `half portion`.
    public static func isServingPhrase(_ text: String) -> Bool {
        servingMemo.value(text) { readServingPhrase(text) }
    }

    /// Asked of priced lines as the assembler walks them, some more than once.
    private static let servingMemo = TextMemo<Bool>()

    private static func readServingPhrase(_ text: String) -> Bool {
        let extra = servingWords
        let words = text.lowercased().split(separator: " ").map(String.init)
        guard !words.isEmpty, words.count <= 3 else { return false }
        return words.allSatisfy { extra.contains($0) || Self.words.contains($0) } && words.contains { extra.contains($0) || Self.words.contains($0) }
    }

    private static let servingWords: Set<String> = ["portion", "kleine", "kleinere", "große", "größere", "grosse", "halbe", "half", "demi",
                                  "mini", "kinder", "kinderportion", "junior", "senior", "petite", "grande", "media", "porción", "serving"]

    /// A chunk that states a count and a size in front of a price row: `(5) R`, `(9) L`.
    public static func rowLabel(_ text: String) -> String? {
        var t = text.trimmed
        if t.hasPrefix("("), let r = t.patternRange(#"^\(\d+\)\s*"#) { t.removeSubrange(r) }
        return isLabel(t) ? t : nil
    }
}
