/// How a generated menu prints its prices: the currency, the decimal and thousands marks, the sign
/// and where it stands. `text` prints an amount of minor units exactly as such a menu would.
///
///     FamilyPrice.euroAfter.text(1250)    // "12,50 €"
///     FamilyPrice.pesoThousands.text(12500) // "$ 12.500"
struct FamilyPrice: Sendable {
    var currency: String
    /// Digits after the decimal mark (0 for CLP).
    var exponent: Int
    var decimal: String
    var grouping: String?
    var sign: String?
    var signBefore: Bool
    var space: Bool
    /// Whole amounts are printed without decimals (`12` rather than `12,00`); such a menu draws only
    /// whole amounts.
    var wholeOnly: Bool
    /// The menu states its currency in words, since no amount shows a sign.
    var needsNote: Bool { sign == nil }

    func text(_ minor: Int64) -> String {
        var scale: Int64 = 1
        for _ in 0..<exponent { scale *= 10 }
        let whole = minor / scale, fraction = minor % scale
        var digits = String(whole)
        if let grouping, whole >= 1000 {
            var out = ""
            for (i, c) in digits.enumerated() {
                if i > 0 && (digits.count - i) % 3 == 0 { out += grouping }
                out.append(c)
            }
            digits = out
        }
        if exponent > 0 && !(wholeOnly && fraction == 0) {
            let f = String(fraction)
            digits += decimal + String(repeating: "0", count: exponent - f.count) + f
        }
        guard let sign else { return digits }
        let gap = space ? " " : ""
        return signBefore ? sign + gap + digits : digits + gap + sign
    }

    /// A price for a dish of `course`, rounded as this menu prints prices.
    func draw(_ course: FamilyWords.Course, random: inout SeededRandom) -> Int64 {
        let (low, high): (Int64, Int64) = switch course {
        case .starters: (450, 1450)
        case .mains: (1200, 3200)
        case .sides: (300, 700)
        case .desserts: (450, 1100)
        case .drinks: (200, 650)
        }
        switch currency {
        case "CLP":
            // pesos: thousands, in hundreds
            return random.int64(in: low * 10 / 100...high * 10 / 100) * 100
        case "BRL":
            // reais: about five times the euro amount, ending in ,90
            return random.int64(in: low * 5 / 100...high * 5 / 100) * 100 + 90
        default:
            if wholeOnly { return random.int64(in: (low + 99) / 100...high / 100) * 100 }
            let step: Int64 = random.chance(70) ? 50 : 10
            return random.int64(in: low / step...high / step) * step
        }
    }

    /// The ways each language prints its prices.
    static func forms(_ language: String) -> [FamilyPrice] {
        switch language {
        case "en": [dollar, pound, plainDot]
        case "fr": [euroAfter, plainComma, euroAfterWhole]
        case "de": [euroAfter, euroCodeAfter, euroBefore, plainComma]
        case "es": [euroAfterTight, pesoThousands, euroAfter]
        case "it": [euroBefore, plainWhole, euroBeforeWhole]
        default: [real, euroAfter]
        }
    }

    static let dollar = FamilyPrice(currency: "USD", exponent: 2, decimal: ".", grouping: ",", sign: "$", signBefore: true, space: false, wholeOnly: false)
    static let pound = FamilyPrice(currency: "GBP", exponent: 2, decimal: ".", grouping: ",", sign: "£", signBefore: true, space: false, wholeOnly: false)
    static let plainDot = FamilyPrice(currency: "EUR", exponent: 2, decimal: ".", grouping: nil, sign: nil, signBefore: false, space: false, wholeOnly: false)
    static let euroAfter = FamilyPrice(currency: "EUR", exponent: 2, decimal: ",", grouping: ".", sign: "€", signBefore: false, space: true, wholeOnly: false)
    static let euroAfterTight = FamilyPrice(currency: "EUR", exponent: 2, decimal: ",", grouping: ".", sign: "€", signBefore: false, space: false, wholeOnly: false)
    static let euroAfterWhole = FamilyPrice(currency: "EUR", exponent: 2, decimal: ",", grouping: nil, sign: "€", signBefore: false, space: true, wholeOnly: true)
    static let euroCodeAfter = FamilyPrice(currency: "EUR", exponent: 2, decimal: ".", grouping: nil, sign: "EUR", signBefore: false, space: true, wholeOnly: false)
    static let euroBefore = FamilyPrice(currency: "EUR", exponent: 2, decimal: ",", grouping: ".", sign: "€", signBefore: true, space: true, wholeOnly: false)
    static let euroBeforeWhole = FamilyPrice(currency: "EUR", exponent: 2, decimal: ",", grouping: ".", sign: "€", signBefore: true, space: true, wholeOnly: true)
    static let plainComma = FamilyPrice(currency: "EUR", exponent: 2, decimal: ",", grouping: nil, sign: nil, signBefore: false, space: false, wholeOnly: false)
    static let plainWhole = FamilyPrice(currency: "EUR", exponent: 2, decimal: ",", grouping: nil, sign: nil, signBefore: false, space: false, wholeOnly: true)
    static let pesoThousands = FamilyPrice(currency: "CLP", exponent: 0, decimal: ",", grouping: ".", sign: "$", signBefore: true, space: true, wholeOnly: false)
    static let real = FamilyPrice(currency: "BRL", exponent: 2, decimal: ",", grouping: ".", sign: "R$", signBefore: true, space: true, wholeOnly: false)
}
