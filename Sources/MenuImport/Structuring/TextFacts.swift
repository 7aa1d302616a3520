import Foundation

// Questions about a piece of text that the structurer asks in many places.
extension StringProtocol {
    /// The number of letters (`filter(\.isLetter).count`).
    var letterCount: Int { filter(\.isLetter).count }

    /// Whether the text is set in capitals: it has letters and upper-casing changes none of them.
    var isInCapitals: Bool {
        var letters = false
        for c in self where c.isLetter {
            // a letter without case (as in scripts that have none) does not break it
            guard c.isUppercase || !c.isCased else { return false }
            letters = true
        }
        return letters
    }

    /// Whether the text holds an ASCII digit (every amount of a price starts with one).
    var hasASCIIDigit: Bool { utf8.contains { $0 >= 0x30 && $0 <= 0x39 } }
}

extension StringProtocol {
    /// The text without the blanks at either end (`trimmingCharacters(in: .whitespaces)`, without
    /// a round trip through NSString: every chunk and line of a menu is trimmed).
    var trimmed: String {
        func blank(_ c: Character) -> Bool { c.isWhitespace && !c.isNewline }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}
