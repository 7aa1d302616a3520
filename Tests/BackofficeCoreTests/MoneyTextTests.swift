import Testing
@testable import BackofficeCore

struct MoneyTextTests {
    @Test(arguments: [
        ("20.50", 2, Int64(2050)), ("1,234.50", 2, 123_450), ("-1,250.00", 2, -125_000), ("15", 2, 1500),
        ("0.5", 2, 50), ("1.500", 2, 150), ("  7.25 ", 2, 725), ("+3.00", 2, 300), ("1,000,000.00", 2, 100_000_000),
        ("1500", 0, 1500), ("1.234", 3, 1234), ("0.00", 2, 0), ("-0.05", 2, -5),
    ])
    func parses(text: String, exponent: Int, expected: Int64) throws {
        #expect(try MoneyText.minorUnits(text, exponent: exponent) == expected)
    }

    @Test(arguments: [
        ("", MoneyText.ParseError.empty), ("   ", .empty), ("abc", .notANumber), ("12.50 KES", .notANumber),
        ("1,23", .notANumber), ("1,2345.00", .notANumber), ("12,34,567", .notANumber), ("1.", .notANumber),
        ("--1", .notANumber), ("1.2.3", .notANumber), ("$5", .notANumber), ("1e3", .notANumber), ("-", .notANumber),
        ("1.505", .tooManyDecimals(allowed: 2)), ("99999999999999999999", .outOfRange),
    ])
    func rejects(text: String, error: MoneyText.ParseError) {
        #expect(throws: error) { try MoneyText.minorUnits(text, exponent: 2) }
    }

    @Test func exponentZeroRejectsDecimals() {
        #expect(throws: MoneyText.ParseError.tooManyDecimals(allowed: 0)) { try MoneyText.minorUnits("15.5", exponent: 0) }
    }

    @Test func groupingCanBeTurnedOff() {
        #expect(throws: MoneyText.ParseError.notANumber) { try MoneyText.minorUnits("1,000.00", exponent: 2, groupingSeparator: nil) }
    }

    @Test func byteLevelFormMatches() throws {
        #expect(try MoneyText.minorUnits(utf8: Array("1,250.75".utf8)[...], exponent: 2) == 125_075)
    }

    @Test func formats() {
        #expect(MoneyText.format(2050, exponent: 2) == "20.50")
        #expect(MoneyText.format(-5, exponent: 2) == "-0.05")
        #expect(MoneyText.format(1500, exponent: 0) == "1500")
        #expect(MoneyText.format(1234, exponent: 3) == "1.234")
        #expect(MoneyText.format(2600, .USD) == "26.00 USD")
    }

    @Test func currencies() {
        #expect(Currency(code: "usd")?.code == "USD")
        #expect(Currency(code: "JPY")?.exponent == 0)
        #expect(Currency(code: "kwd")?.exponent == 3)
        #expect(Currency.KES.exponent == 2)
        #expect(Currency(code: "US") == nil)
        #expect(Currency(code: "U$D") == nil)
    }
}
