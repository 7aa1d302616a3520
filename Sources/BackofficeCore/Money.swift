/// An ISO 4217 currency and its exponent (how many minor units make a major unit).
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    public let code: String
    public let exponent: Int

    /// Currencies whose exponent is not 2. Everything else uses 2.
    static let exponents: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
        "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    ]

    /// `code` is upper-cased; it must be three ASCII letters.
    public init?(code raw: some StringProtocol) {
        let code = raw.uppercased()
        guard code.utf8.count == 3, code.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else { return nil }
        self.code = code
        self.exponent = Currency.exponents[code] ?? 2
    }

    public var description: String { code }

    public static let USD = Currency(code: "USD")!
    public static let EUR = Currency(code: "EUR")!
    public static let KES = Currency(code: "KES")!
}

/// Strict conversion between decimal text and integer minor units. Never goes through `Double`.
public enum MoneyText {
    public enum ParseError: Error, Equatable, Sendable {
        case empty
        case notANumber
        case tooManyDecimals(allowed: Int)
        case outOfRange
    }

    /// Parses `"1,234.50"`, `"-20.5"`, `"0.00"`, `"15"` into minor units for `exponent`.
    ///
    /// - `groupingSeparator`: a character allowed between digit groups of three (`,` by default, `nil` for none).
    /// - `decimalSeparator`: `.` by default.
    /// Anything else (letters, currency signs, two decimal points, more decimals than the
    /// exponent allows) is an error, never a silent zero.
    public static func minorUnits(
        _ text: some StringProtocol,
        exponent: Int,
        decimalSeparator: UInt8 = UInt8(ascii: "."),
        groupingSeparator: UInt8? = UInt8(ascii: ",")
    ) throws(ParseError) -> Int64 {
        var bytes = Array(text.utf8)
        // trim ASCII spaces
        while let f = bytes.first, f == 32 || f == 9 { bytes.removeFirst() }
        while let l = bytes.last, l == 32 || l == 9 { bytes.removeLast() }
        return try minorUnits(utf8: bytes[...], exponent: exponent, decimalSeparator: decimalSeparator, groupingSeparator: groupingSeparator)
    }

    /// The byte-level form of `minorUnits(_:exponent:)`, for hot loops over CSV fields.
    public static func minorUnits(
        utf8 bytes: ArraySlice<UInt8>,
        exponent: Int,
        decimalSeparator: UInt8 = UInt8(ascii: "."),
        groupingSeparator: UInt8? = UInt8(ascii: ",")
    ) throws(ParseError) -> Int64 {
        var i = bytes.startIndex
        let end = bytes.endIndex
        guard i < end else { throw .empty }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        else if bytes[i] == UInt8(ascii: "+") { i += 1 }
        guard i < end else { throw .notANumber }
        var whole: Int64 = 0
        var digitsInGroup = 0
        var sawGrouping = false
        var sawDigit = false
        while i < end {
            let b = bytes[i]
            if b >= 48 && b <= 57 {
                let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(b - 48))
                if o1 || o2 { throw .outOfRange }
                whole = s
                digitsInGroup += 1
                sawDigit = true
            } else if let g = groupingSeparator, b == g {
                // a grouping separator must follow 1-3 digits (first group) or exactly 3 (later groups)
                guard sawDigit, digitsInGroup >= 1, digitsInGroup <= 3, !(sawGrouping && digitsInGroup != 3) else { throw .notANumber }
                sawGrouping = true
                digitsInGroup = 0
            } else if b == decimalSeparator {
                break
            } else {
                throw .notANumber
            }
            i += 1
        }
        if sawGrouping && digitsInGroup != 3 { throw .notANumber }
        var fraction: Int64 = 0
        var fractionDigits = 0
        if i < end {
            // at the decimal separator
            i += 1
            guard i < end else { throw .notANumber }
            while i < end {
                let b = bytes[i]
                guard b >= 48 && b <= 57 else { throw .notANumber }
                fractionDigits += 1
                if fractionDigits > exponent {
                    // trailing zeros beyond the exponent are harmless ("1.500" for a 2-exponent currency)
                    if b != 48 { throw .tooManyDecimals(allowed: exponent) }
                } else {
                    fraction = fraction * 10 + Int64(b - 48)
                }
                i += 1
            }
            sawDigit = true
        }
        guard sawDigit else { throw .notANumber }
        var scale: Int64 = 1
        for _ in 0..<exponent { scale *= 10 }
        for _ in 0..<max(0, exponent - fractionDigits) { fraction *= 10 }
        let (m, o1) = whole.multipliedReportingOverflow(by: scale)
        let (total, o2) = m.addingReportingOverflow(fraction)
        if o1 || o2 { throw .outOfRange }
        return negative ? -total : total
    }

    /// Formats minor units as decimal major units: `2050, exponent 2` → `"20.50"`; `-5, 2` → `"-0.05"`.
    public static func format(_ minor: Int64, exponent: Int) -> String {
        let negative = minor < 0
        let magnitude = minor.magnitude
        guard exponent > 0 else { return (negative ? "-" : "") + String(magnitude) }
        var scale: UInt64 = 1
        for _ in 0..<exponent { scale *= 10 }
        let whole = magnitude / scale
        var frac = String(magnitude % scale)
        while frac.count < exponent { frac = "0" + frac }
        return (negative ? "-" : "") + String(whole) + "." + frac
    }

    /// `format` with thousands separators, for people: `48521205000, 2` → `"485,212,050.00"`.
    public static func grouped(_ minor: Int64, exponent: Int) -> String {
        let plain = format(minor, exponent: exponent)
        let negative = plain.hasPrefix("-")
        let body = negative ? plain.dropFirst() : Substring(plain)
        let dot = body.firstIndex(of: ".") ?? body.endIndex
        var whole = String(body[..<dot])
        var out = ""
        while whole.count > 3 {
            out = "," + whole.suffix(3) + out
            whole = String(whole.dropLast(3))
        }
        return (negative ? "-" : "") + whole + out + body[dot...]
    }

    /// `format` with the currency code after it: `"20.50 USD"`.
    public static func format(_ minor: Int64, _ currency: Currency) -> String {
        format(minor, exponent: currency.exponent) + " " + currency.code
    }

    /// `grouped` with the currency, for sentences: `1234500, KES` → `"12,345.00 KES"`.
    public static func grouped(_ minor: Int64, _ currency: Currency) -> String {
        grouped(minor, exponent: currency.exponent) + " " + currency.code
    }
}
