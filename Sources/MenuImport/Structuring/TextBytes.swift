import Foundation

// Byte-level answers about text for the structurer's hot paths. Swift's String works on
// characters (grapheme clusters, compared by canonical equivalence), which costs hundreds of
// instructions per question; on ASCII, and around ASCII, the bytes give the same answers, so each
// helper here answers on the bytes where that is exact and falls back to the character-level
// operation everywhere else.

/// Whether `needle`'s bytes occur in `hay`'s (an empty needle occurs everywhere).
func bytesContain(_ hay: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let first = needle.first else { return true }
    let count = needle.count
    guard hay.count >= count else { return false }
    var i = 0
    let last = hay.count - count
    while i <= last {
        if hay[i] == first {
            var j = 1
            while j < count && hay[i + j] == needle[j] { j += 1 }
            if j == count { return true }
        }
        i += 1
    }
    return false
}

/// Words kept as bytes, for asking many texts whether they hold one of them (the guards in front
/// of the structurer's patterns).
struct ByteWords: Sendable {
    private let words: [[UInt8]]

    init(_ words: [String]) { self.words = words.map { Array($0.utf8) } }

    /// Whether `bytes` hold one of the words, anywhere or, with `atStart`, at their start.
    func found(in bytes: UnsafeBufferPointer<UInt8>, atStart: Bool = false) -> Bool {
        words.contains { w in
            w.withUnsafeBufferPointer { w in atStart ? bytes.starts(with: w) : bytesContain(bytes, w) }
        }
    }

    func found(in text: String, atStart: Bool = false) -> Bool {
        var text = text
        return text.withUTF8 { found(in: $0, atStart: atStart) }
    }
}

/// Cheap literal tests that a pattern needs to pass before it can match, so the structurer asks the
/// regular expression engine only about texts where the answer may be yes. Each is a necessary
/// condition of the pattern it guards, so guarded and unguarded calls give the same answers.
extension StringProtocol {
    /// Whether `needle`'s UTF-8 bytes occur in the text's (the pattern needs these characters literally).
    func containsBytes(_ needle: some StringProtocol) -> Bool {
        var needle = String(needle)
        return needle.withUTF8 { n in containsBytes(n) }
    }

    func containsBytes(_ n: UnsafeBufferPointer<UInt8>) -> Bool {
        if let found = utf8.withContiguousStorageIfAvailable({ bytesContain($0, n) }) { return found }
        return Array(utf8).withUnsafeBufferPointer { bytesContain($0, n) }
    }

    /// Whether `\d` could match: an ASCII digit, or a decimal digit of another script, asked with
    /// the matcher's own test and only when the text has bytes beyond ASCII (an `é` or a `€` is no
    /// digit: before, any such byte answered yes and sent every accented line through the patterns).
    var mayHaveDigit: Bool {
        var beyondASCII = false
        for b in utf8 {
            if b >= 0x30 && b <= 0x39 { return true }
            if b >= 0x80 { beyondASCII = true }
        }
        return beyondASCII && unicodeScalars.contains { $0.value >= 0x80 && ScalarClass.isDigit($0) }
    }

    /// Whether the text holds an ASCII digit (every amount of a price starts with one), on the
    /// contiguous bytes when the text has them.
    var hasASCIIDigit: Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains { $0 &- 0x30 < 10 } } ?? utf8.contains { $0 &- 0x30 < 10 }
    }

    /// Whether the first byte could start `\d`.
    var mayStartWithDigit: Bool {
        guard let b = utf8.first else { return false }
        return (b >= 0x30 && b <= 0x39) || b >= 0x80
    }
}

extension String {
    /// `trimmingCharacters(in: .whitespaces)` without Foundation's bridging (which cost about 30,000
    /// instructions a call): the scalars of Foundation's white-space set are taken off both ends.
    var trimmingWhitespace: String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        func plain(_ b: UInt8) -> Bool { b < 0x80 && b != 0x20 && b != 0x09 }
        if plain(first) && plain(last) { return self }
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, Self.isFoundationWhitespace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, Self.isFoundationWhitespace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }

    /// `CharacterSet.whitespaces` as Foundation has it: the tab and the space separators, with
    /// U+200B ZERO WIDTH SPACE, which Foundation still counts (a test holds this to Foundation's own).
    static func isFoundationWhitespace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }
}

extension StringProtocol {
    /// Whether every space in the text is a character of its own, so that cutting the bytes at
    /// spaces cuts where `split(separator: " ")` cuts. A space joins a scalar after it that extends
    /// characters (a combining mark, a joiner) and one before it that prepends; ASCII never does,
    /// nor Latin letters and signs, general punctuation or currency signs (`€ 12`, `a – b`), so
    /// only spaces beside other scalars send the caller to the character-level split.
    var spacesStandAlone: Bool {
        let plain = utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            var previous: UInt8 = 0
            for b in bytes {
                if (b == 0x20 && previous >= 0x80) || (previous == 0x20 && b >= 0x80) { return false }
                previous = b
            }
            return true
        }
        if plain ?? false { return true }
        return blanksStandAlone { $0 == " " }
    }

    /// Whether every scalar `isBlank` picks is a character of its own: neither it nor its
    /// neighbours are scalars that could join it to them (see `spacesStandAlone`).
    private func blanksStandAlone(_ isBlank: (Unicode.Scalar) -> Bool) -> Bool {
        var before: Unicode.Scalar = "a"
        for scalar in unicodeScalars {
            if isBlank(scalar) ? !Self.neverJoinsSpace(before) : (isBlank(before) && !Self.neverJoinsSpace(scalar)) { return false }
            before = scalar
        }
        return true
    }

    private static func neverJoinsSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0..<0x80, 0xA0...0x2FF, 0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20CF: return true
        default: return false
        }
    }

    /// `split(whereSeparator:)` at spaces, tabs and no-break spaces (the price parser's blanks),
    /// cut on scalars when every blank is a character of its own (as in `spacesStandAlone`).
    var blankWords: [SubSequence] {
        func isBlank(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\u{00A0}" }
        guard blanksStandAlone(isBlank) else { return split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{00A0}" }) }
        return cut(unicodeScalars, at: isBlank)
    }

    /// `split(separator: " ").count`, counted on the bytes when the spaces stand alone.
    var spaceSeparatedCount: Int {
        guard spacesStandAlone else { return split(separator: " ").count }
        func count(_ bytes: some Sequence<UInt8>) -> Int {
            var count = 0
            var inWord = false
            for b in bytes {
                if b == 0x20 { inWord = false } else if !inWord { count += 1; inWord = true }
            }
            return count
        }
        return utf8.withContiguousStorageIfAvailable { count($0) } ?? count(utf8)
    }

    /// `split(separator: " ")`, cut on the bytes when the spaces stand alone.
    var spaceWords: [SubSequence] {
        guard spacesStandAlone else { return split(separator: " ") }
        return cut(utf8, at: { $0 == 0x20 })
    }

    /// The text cut at the elements of `view` (its bytes or its scalars) that `isBlank` picks,
    /// blanks dropped, empty words left out.
    private func cut<View: Collection>(_ view: View, at isBlank: (View.Element) -> Bool) -> [SubSequence] where View.Index == Index {
        var words: [SubSequence] = []
        var start: Index? = nil
        var i = view.startIndex
        while i != view.endIndex {
            if isBlank(view[i]) {
                if let s = start { words.append(self[s..<i]); start = nil }
            } else if start == nil {
                start = i
            }
            i = view.index(after: i)
        }
        if let s = start { words.append(self[s..<endIndex]) }
        return words
    }

    /// Whether every byte is ASCII, on the contiguous bytes when the text has them.
    var isASCII: Bool {
        utf8.withContiguousStorageIfAvailable { bytes in
            var any: UInt8 = 0
            for b in bytes { any |= b }
            return any < 0x80
        } ?? utf8.allSatisfy { $0 < 0x80 }
    }
}

/// A suffix prepared once for asking many texts whether they may end with it: `mayEnd(text)` is
/// false only when `text.hasSuffix(suffix)` is surely false, on the bytes.
///
/// Two ASCII bytes in a row always have a character boundary between them (CR LF aside), and no
/// other character is canonically equal to an ASCII one, so the suffix's last ASCII characters
/// must be the text's last bytes: all of an ASCII suffix; for ` – market price` the bytes of
/// `market price` (the first byte of an ASCII run may belong to the character before it). A
/// suffix ending in another scalar (`marché`) cannot end a text whose last byte is ASCII, unless
/// that scalar is canonically an ASCII character (the Kelvin sign is `K`).
struct SuffixCheck: Sendable {
    let suffix: String
    private let lastBytes: [UInt8]
    private let needsNonASCIIEnd: Bool

    init(_ suffix: String) {
        self.suffix = suffix
        let bytes = Array(suffix.utf8)
        let tail = bytes.reversed().prefix { $0 < 0x80 }.count
        lastBytes = Array(bytes.suffix(tail == bytes.count ? tail : max(tail - 1, 0)))
        if tail == 0, let last = suffix.unicodeScalars.last {
            needsNonASCIIEnd = !(0..<0x80).contains { String(Unicode.Scalar(UInt8($0))) == String(last) }
        } else {
            needsNonASCIIEnd = false
        }
    }

    func mayEnd(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { t in
            if needsNonASCIIEnd { return t.last.map { $0 >= 0x80 } ?? false }
            guard t.count >= lastBytes.count else { return false }
            for (i, b) in lastBytes.reversed().enumerated() where t[t.count - 1 - i] != b { return false }
            return true
        }
    }

    /// `text.hasSuffix(suffix)`, asked only when the bytes allow it.
    func ends(_ text: String) -> Bool { mayEnd(text) && text.hasSuffix(suffix) }
}

extension String {
    /// False only for a text that holds none of `words` (lower-case ASCII) in any case, so that a
    /// pattern needing one of them, matched ignoring case by `TextPattern`, cannot match. The text
    /// is folded scalar by scalar as the matcher folds (`CaseFold.simple`: the long s is an `s`,
    /// the Kelvin sign a `k`); a scalar that folds to no ASCII letter can be part of no word.
    func mayHoldAnyWord(_ words: ByteWords) -> Bool {
        var folded: [UInt8] = []
        folded.reserveCapacity(utf8.count)
        if isASCII {
            for b in utf8 { folded.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
        } else {
            for scalar in unicodeScalars {
                let f = CaseFold.simple(scalar)
                folded.append(f.value < 0x80 ? UInt8(f.value) : 0xFF)
            }
        }
        return folded.withUnsafeBufferPointer { words.found(in: $0) }
    }

    /// `filter(\.isLetter).count`, on the bytes for ASCII text and for the ASCII parts of any other.
    var letterCount: Int {
        if isASCII {
            return utf8.reduce(0) { $0 + (Self.isASCIILetter($1) ? 1 : 0) }
        }
        return letters.count
    }

    /// The number of letters when upper-casing changes none of them (`letters == letters.uppercased()`,
    /// the test of a text set in capitals), nil when it changes one. On the bytes for ASCII text;
    /// in other text, a lower-case ASCII letter after an ASCII byte (or first) starts a character
    /// of its own whose upper case differs, and upper-casing makes no lower-case ASCII letter
    /// anywhere, so such a text is not in capitals whatever else it holds.
    var capitalLetterCount: Int? {
        if isASCII {
            var count = 0
            for b in utf8 {
                if b >= 0x61 && b <= 0x7A { return nil }
                if b >= 0x41 && b <= 0x5A { count += 1 }
            }
            return count
        }
        var previousASCII = true
        for b in utf8 {
            if previousASCII && b >= 0x61 && b <= 0x7A { return nil }
            previousASCII = b < 0x80
        }
        let letters = self.letters
        return letters == letters.uppercased() ? letters.count : nil
    }

    /// `filter(\.isLetter)`, with single ASCII bytes answered on the spot.
    var letters: String { filterCharacters(keepByte: Self.isASCIILetter) { $0.isLetter } }

    @inline(__always)
    static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
}

extension String {
    /// `filter(keep)`, with the test asked of bytes where a character is one ASCII byte.
    /// Characters never span two ASCII bytes in a row (CR LF aside), and the breaks between
    /// characters never look back across such a pair, so the text is cut there: single ASCII
    /// bytes are kept by `keepByte` (which must answer as `keep` does for that character), and
    /// every other piece is filtered by `keep`, character by character, as a whole.
    func filterCharacters(keepByte: (UInt8) -> Bool, _ keep: (Character) -> Bool) -> String {
        var kept: [UInt8] = []
        var text = self
        text.withUTF8 { u in
            guard !u.isEmpty else { return }
            kept.reserveCapacity(u.count)
            var start = 0
            for end in 1...u.count where end == u.count || (u[end - 1] < 0x80 && u[end] < 0x80 && !(u[end - 1] == 0x0D && u[end] == 0x0A)) {
                guard start < end else { continue }
                if end - start == 1 && u[start] < 0x80 {
                    if keepByte(u[start]) { kept.append(u[start]) }
                } else {
                    let piece = String(decoding: UnsafeBufferPointer(rebasing: u[start..<end]), as: UTF8.self)
                    for c in piece where keep(c) { kept.append(contentsOf: c.utf8) }
                }
                start = end
            }
        }
        return String(decoding: kept, as: UTF8.self)
    }
}

extension StringProtocol {
    /// `lowercased()`, with ASCII bytes mapped on the spot. The standard library takes its fast path
    /// only for all-ASCII text; one `€` or `é` sent a whole line through the scalar property tables,
    /// ASCII letters included. Each scalar still maps to its own lower-case mapping, as there.
    var lowercasedText: String {
        if isASCII { return lowercased() }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            if scalar.value < 0x80 {
                let b = UInt8(scalar.value)
                out.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
