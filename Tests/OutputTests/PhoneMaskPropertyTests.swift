import Output
import PropertyBased
import Testing

/// Issue #18: the masking rule on generated numbers, written in any common form, inside
/// generated text. A masked number never shows its middle digits.
struct PhoneMaskPropertyTests {
    /// A Kenyan mobile number in one of its written forms.
    static let written = Gen.int(in: 0...99_999_999).map { n -> (digits: String, forms: [String]) in
        let rest = String(repeating: "0", count: 8 - String(n).count) + String(n)   // 8 digits after 07 / 2547
        let local = "07" + rest, intl = "2547" + rest
        let g = { (s: String, sizes: [Int], sep: String) -> String in
            var out: [String] = [], i = s.startIndex
            for size in sizes { let j = s.index(i, offsetBy: size); out.append(String(s[i..<j])); i = j }
            return out.joined(separator: sep)
        }
        return (rest, [local, intl, "+" + intl, g(local, [4, 3, 3], " "), g(local, [4, 3, 3], "-"),
                       "+" + g(intl, [3, 3, 3, 3], " "), g(intl, [3, 3, 3, 3], "-"), "TEL" + local, local + "JANE"])
    }

    static let word = Gen.letter.string(of: 1...8)

    @Test func everyFormIsMaskedWhereverItStands() async {
        await propertyCheck(count: 300, input: Self.written, Self.word, Self.word,
                            Gen.int(in: 0...8)) { number, before, after, form in
            let phone = number.forms[form]
            for text in [phone, "\(before) \(phone) \(after)", "\(before): \(phone), \(after)", "\(before) - \(phone)"] {
                let masked = PhoneMask.maskText(text)
                // the middle of the number (digits 4 to 7 of the local form) is gone
                let middle = String(Array(number.digits)[1..<5])
                let digitsOnly = String(masked.filter { $0.isNumber || $0 == "*" })
                #expect(!digitsOnly.contains("7" + number.digits) && !digitsOnly.contains(middle + String(Array(number.digits)[5...])),
                        "\(text) → \(masked)")
                #expect(masked.filter { $0 == "*" }.count >= 4, "\(text) → \(masked)")
            }
        }
    }

    @Test func textWithoutLongDigitRunsIsUntouched() async {
        let cell = Gen<Character?>.element(of: Array("abcXYZ_0123456789 -.,:+/")).map { $0! }.string(of: 0...40)
            .filter { text in
                // no nine digits in one stretch even across single spaces and hyphens
                var run = 0
                for c in text { if c.isNumber { run += 1; if run >= 9 { return false } } else if c != " " && c != "-" { run = 0 } }
                return true
            }
        await propertyCheck(count: 400, input: cell) { text in
            #expect(PhoneMask.maskText(text) == text)
        }
    }
}
