import Foundation

/// Dietary markers: the menu's own legend (`V = vegetarian`, `GF - Gluten free`, `(VG) vegan`) when
/// it has one, else the common markers; also the vocabulary's words written out in a description
/// (`(vegetarisch)`).
///
///     var legend = LegendResolver(); legend.learn(from: ["V = Vegetarian", "GF = Gluten free"])
///     legend.tags(name: "Pumpkin Soup V GF", description: nil) // ([vegetarian, gluten_free], "Pumpkin Soup")
public struct LegendResolver: Sendable {
    /// Marker (upper-cased) → tag.
    public private(set) var markers: [String: DietaryTag] = [:]
    /// True when the markers came from the menu's own legend.
    public private(set) var fromLegend = false

    public static let defaults: [String: DietaryTag] = [
        "V": .vegetarian, "VEG": .vegetarian, "VG": .vegan, "VE": .vegan, "VGN": .vegan,
        "GF": .glutenFree, "DF": .dairyFree,
    ]

    /// Words for each tag, in the menus' languages.
    static let words: [(String, DietaryTag)] = [
        ("vegan", .vegan), ("végétalien", .vegan), ("vegano", .vegan),
        ("vegetarian", .vegetarian), ("vegetarisch", .vegetarian), ("végétarien", .vegetarian), ("vegetariano", .vegetarian),
        ("gluten free", .glutenFree), ("gluten-free", .glutenFree), ("glutenfrei", .glutenFree), ("sans gluten", .glutenFree), ("sin gluten", .glutenFree),
        ("dairy free", .dairyFree), ("dairy-free", .dairyFree), ("lactose free", .dairyFree), ("laktosefrei", .dairyFree), ("sans lactose", .dairyFree), ("sin lactosa", .dairyFree),
        ("contains nuts", .containsNuts), ("nuts", .containsNuts), ("nüsse", .containsNuts), ("fruits à coque", .containsNuts),
        ("spicy", .spicy), ("scharf", .spicy), ("épicé", .spicy), ("picante", .spicy), ("hot", .spicy),
        ("halal", .halal),
    ]

    public init() { markers = Self.defaults }

    /// Looks for legend entries in the lines of the menu: `V = vegetarian`, `(GF) gluten free`, `V: Vegan`.
    public mutating func learn(from lines: [String]) {
        learn(Self.entries(in: lines))
    }

    /// Takes `entries` (from `entries(in:)`, in the menu's order) as the menu's legend; a marker
    /// defined twice keeps its last meaning. No entries: the default markers stay.
    public mutating func learn(_ entries: [(marker: String, tag: DietaryTag)]) {
        var found: [String: DietaryTag] = [:]
        for (marker, tag) in entries { found[marker] = tag }
        if !found.isEmpty { markers = found; fromLegend = true }
    }

    /// The legend entries in `lines`, in order: each marker (upper-cased) with its tag. Lines are
    /// independent, so the structurer reads each page's on its own core.
    public static func entries(in lines: [String]) -> [(marker: String, tag: DietaryTag)] {
        let candidates = lines.filter { $0.count < 200 }
        guard !candidates.isEmpty else { return [] }
        var entries: [(marker: String, tag: DietaryTag)] = []
        for line in candidates {
            for m in line.patternMatches(compiledEntryPattern) {
                guard let marker = m[1] ?? m[2], let word = m[3]?.lowercased() else { continue }
                // the marker must be an abbreviation of its word, or a symbol: "V vegetarian", not "is vegetarian"
                guard marker.uppercased() == marker || marker.count == 1 else { continue }
                if let tag = Self.tag(forWord: word) { entries.append((marker.uppercased(), tag)) }
            }
        }
        return entries
    }

    /// A legend entry: a marker, bracketed or followed by a separator, then a dietary word:
    /// `V = vegetarian`, `GF: gluten free`, `(VG) vegan`; never a bare `GF VEGETARIAN COMBINATION`
    /// (that is a dish with a marker).
    static let entryPattern = #"(?:^|[\s,;|/])(?:\(([A-Za-z]{1,3}|[*†‡§])\)\s*(?:=|:|–|-|—)?|([A-Za-z]{1,3}|[*†‡§])\s*(?:=|:|–|—|\s-))\s*(vegan|vegetarian|vegetarisch|végétarien|vegetariano|gluten[ -]free|glutenfrei|sans gluten|sin gluten|dairy[ -]free|lactose[ -]free|laktosefrei|contains nuts|nuts|spicy|scharf|hot|halal)\b"#

    private static let compiledEntryPattern = TextPattern.compiled(entryPattern, caseInsensitive: true)

    static func tag(forWord w: String) -> DietaryTag? {
        let t = w.lowercased().replacingOccurrences(of: "-", with: " ")
        return words.first { $0.0.replacingOccurrences(of: "-", with: " ") == t }?.1
    }

    /// Tags of an item from markers in its name (removed from the returned name) and from words in its
    /// description.
    private static let markerPunctuation = CharacterSet(charactersIn: "(),.*")

    /// The dietary words a description may say in full (`hot` and `nuts` say too little alone).
    private static let descriptionWords: [(String, DietaryTag)] = words.filter { $0.0.count > 3 && $0.0 != "hot" && $0.0 != "nuts" }

    /// Any of them as a whole word, in one pattern: the word is group 2.
    private static let descriptionPattern = TextPattern.compiled(
        #"(^|[\s(,])("# + descriptionWords.map { TextPattern.escaped($0.0) }.joined(separator: "|") + #")(?=$|[\s),.])"#)

    private static func plainEnd(_ b: UInt8) -> Bool {
        b < 0x80 && b != UInt8(ascii: "(") && b != UInt8(ascii: ")") && b != UInt8(ascii: ",") && b != UInt8(ascii: ".") && b != UInt8(ascii: "*")
    }

    public func tags(name: String, description: String?) -> (tags: [DietaryTag], name: String) {
        var tags: [DietaryTag] = []
        var kept: [Substring] = []
        let words = name.split(separator: " ")
        // each word without its brackets and punctuation, and whether it is a marker, worked out once
        let bares = words.map { w -> String in
            // nothing to trim when both ends are ASCII other than `(),.*`
            if let f = w.utf8.first, let l = w.utf8.last, Self.plainEnd(f), Self.plainEnd(l) { return String(w) }
            return w.trimmingCharacters(in: Self.markerPunctuation)
        }
        let isMarker = bares.map { markers[$0.uppercased()] != nil }
        for (i, w) in words.enumerated() {
            let bare = bares[i]
            let isParen = w.hasPrefix("(") && w.hasSuffix(")")
            // a marker counts when bracketed, or at the start or end of the name, in capitals
            let edge = i == 0 || i == words.count - 1 || isMarker[(i + 1)...].allSatisfy { $0 } || isMarker[..<i].allSatisfy { $0 }
            if let tag = markers[bare], bare == bare.uppercased(), isParen || (edge && words.count > 1) {
                if !tags.contains(tag) { tags.append(tag) }
                continue
            }
            // "V/GF" or "(V, GF)"
            let parts = bare.split(whereSeparator: { $0 == "/" || $0 == "," })
            if parts.count > 1, parts.allSatisfy({ markers[String($0)] != nil && $0 == $0.uppercased() }) {
                for p in parts { if let t = markers[String(p)], !tags.contains(t) { tags.append(t) } }
                continue
            }
            kept.append(w)
        }
        if let d = description?.lowercased() {
            let said = Set(d.patternMatches(Self.descriptionPattern).compactMap { $0[2] })
            for (word, tag) in Self.descriptionWords where said.contains(word) && !tags.contains(tag) { tags.append(tag) }
        }
        return (tags, kept.joined(separator: " "))
    }
}
