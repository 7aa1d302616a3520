import BackofficeCore
import Foundation
import Testing

/// Issue #18: nothing printed carries a control character to the terminal, and JSON passed
/// through the same door stays valid JSON with the same meaning.
struct TerminalTextTests {
    @Test func controlCharactersBecomeVisibleEscapes() {
        #expect(TerminalText.neutralised("menu\u{1B}]0;pwned\u{07}.csv") == #"menu\u001B]0;pwned\u0007.csv"#)
        #expect(TerminalText.neutralised("a\u{9B}31mb\u{7F}") == #"a\u009B31mb\u007F"#)
        #expect(TerminalText.neutralised("evil\u{202E}txt.csv") == #"evil\u202Etxt.csv"#)
        #expect(TerminalText.neutralised("two\nlines\tand a tab") == "two\nlines\tand a tab")
        #expect(TerminalText.neutralised("Café 🍕 Straße") == "Café 🍕 Straße")
    }

    @Test func jsonStaysValidAndMeansTheSame() throws {
        let value = ["file": "x\u{1B}[2J\u{7F}\u{85}\u{202E}.csv", "note": "plain"]
        let json = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        let safe = TerminalText.neutralised(json)
        #expect(!safe.unicodeScalars.contains(where: TerminalText.isUnsafe))
        let back = try JSONDecoder().decode([String: String].self, from: Data(safe.utf8))
        #expect(back == value)
    }
}
