/// Minimal JSON text helpers (deterministic key order, no Foundation round trip).
public enum JSONText {
    /// `s` as a JSON string literal, escaped as `JSONEncoder` escapes (the short forms `\"` `\\`
    /// `\b` `\f` `\n` `\r` `\t`, other control characters as `\u00XX`, everything else as is).
    public static func string(_ s: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count + 2)
        appendString(s, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `string(s)`'s UTF-8 bytes appended to `bytes`, for writers that build their output as bytes.
    public static func appendString(_ s: String, to bytes: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\")
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""), backslash: bytes.append(backslash); bytes.append(b)
            case 0x08: bytes.append(backslash); bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(backslash); bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(backslash); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(backslash); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(backslash); bytes.append(UInt8(ascii: "t"))
            case 0x00...0x1F:
                bytes.append(contentsOf: [backslash, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(b >> 4)], hexDigits[Int(b & 15)]])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    public static func optional(_ s: String?) -> String { s.map(string) ?? "null" }
    public static func optional(_ v: Int64?) -> String { v.map { String($0) } ?? "null" }
}
