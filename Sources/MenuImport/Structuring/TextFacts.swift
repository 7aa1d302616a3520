import Foundation

// Questions about a piece of text that the structurer asks in many places.
extension StringProtocol {
    /// The number of letters (`filter(\.isLetter).count`).
    var letterCount: Int { filter(\.isLetter).count }

    /// Whether the text is set in capitals: it has letters and upper-casing changes none of them.
    var isInCapitals: Bool {
        let letters = String(filter(\.isLetter))
        return !letters.isEmpty && letters == letters.uppercased()
    }

    /// Whether the text holds an ASCII digit (every amount of a price starts with one).
    var hasASCIIDigit: Bool { utf8.contains { $0 >= 0x30 && $0 <= 0x39 } }
}
