/// SplitMix64: a small, fast, well-mixed generator whose whole state is one `UInt64`.
///
/// The sample generator draws every id, amount and time from one of these, so the same seed
/// writes the same bytes. Foundation's random sources and `UUID()` are never used.
///
///     var random = SeededRandom(seed: 42)
///     let id = random.uuid()          // "3b2f…-4…-a…"
///     let n = random.int(below: 10)   // 0…9
public struct SeededRandom: Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// An independent stream for a purpose (`label`), so adding draws to one part of the
    /// generator does not shift the numbers of another.
    public init(seed: UInt64, stream label: String) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 // FNV-1a
        for b in label.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        var mixer = SeededRandom(seed: seed ^ h)
        state = mixer.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<bound` (Lemire's multiply-shift with rejection, so no modulo bias).
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Uniform in the closed range.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
    }

    /// Uniform in the closed range, as `Int64`.
    public mutating func int64(in range: ClosedRange<Int64>) -> Int64 {
        range.lowerBound + Int64(int(below: Int(range.upperBound - range.lowerBound + 1)))
    }

    /// True with probability `percent`/100.
    public mutating func chance(_ percent: Int) -> Bool { int(below: 100) < percent }

    /// True with probability `perMille`/1000.
    public mutating func chance(perMille: Int) -> Bool { int(below: 1000) < perMille }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T { items[int(below: items.count)] }

    /// An index chosen by integer weights.
    public mutating func weighted(_ weights: [Int]) -> Int {
        let total = weights.reduce(0, +)
        var r = int(below: total)
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    private static let upperAlphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)

    /// A version 4 UUID in lower case, e.g. `"1b4e28ba-2fa1-41d2-883f-0016d3cca427"`.
    public mutating func uuid() -> String {
        let a = next(), b = next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: a >> (56 - 8 * UInt64(i))) }
        for i in 0..<8 { bytes[8 + i] = UInt8(truncatingIfNeeded: b >> (56 - 8 * UInt64(i))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        var out = [UInt8]()
        out.reserveCapacity(36)
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(Self.hexDigits[Int(byte >> 4)])
            out.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `count` characters of `[A-Za-z0-9]`, the alphabet of Stripe ids.
    public mutating func alphanumeric(_ count: Int) -> String {
        var out = [UInt8]()
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(Self.alphanumerics[int(below: Self.alphanumerics.count)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `count` characters of `[A-Z0-9]`, the alphabet of M-PESA receipts.
    public mutating func upperAlphanumeric(_ count: Int) -> String {
        var out = [UInt8]()
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(Self.upperAlphanumerics[int(below: Self.upperAlphanumerics.count)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `count` decimal digits (the first may be 0).
    public mutating func digits(_ count: Int) -> String {
        var out = [UInt8]()
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(UInt8(48 + int(below: 10))) }
        return String(decoding: out, as: UTF8.self)
    }
}
