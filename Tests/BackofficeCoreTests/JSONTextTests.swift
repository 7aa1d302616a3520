import Foundation
import Testing
@testable import BackofficeCore

/// `JSONText` writes strings as `JSONEncoder` does: the menu JSON claims `JSONEncoder`'s bytes, and
/// the reconciliation refs are read back by SQLite's JSON functions.
struct JSONTextTests {
    @Test func stringsAreEscapedAsJSONEncoderEscapesThem() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var texts = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) } + ["\"", "\\", "/", "\u{7F}", "é", "€ 12,50", "a\u{0301}", "🍕", "\u{2028}", ""]
        texts.append(texts.joined())
        for text in texts {
            let expected = String(decoding: try encoder.encode([text]), as: UTF8.self).dropFirst().dropLast()
            #expect(JSONText.string(text) == String(expected), "\(text.debugDescription)")
        }
    }

    @Test func appendStringAddsTheSameBytes() {
        var bytes = Array("[".utf8)
        JSONText.appendString("tab\there \"q\"", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "[" + JSONText.string("tab\there \"q\""))
    }
}
