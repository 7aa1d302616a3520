import BackofficeCore
import Foundation

/// A file the owner saved, as UTF-8 bytes without a BOM, whatever the spreadsheet or editor wrote:
/// UTF-8 with or without a BOM, UTF-16 (LE or BE, with a BOM, or without one when every other byte
/// is zero), or Windows-1252 (Excel's "CSV" on Windows, where `’` is 0x92).
///
///     let utf8 = try SheetText.utf8(bytes, file: "review.csv")
///
/// What cannot be decoded is refused (exit 65) rather than read with replacement characters, and
/// so is a file that already holds U+FFFD: the mark of text damaged by an earlier wrong decoding.
public enum SheetText {
    public enum Encoding: String, Sendable { case utf8 = "UTF-8", utf16LE = "UTF-16LE", utf16BE = "UTF-16BE", windows1252 = "Windows-1252" }

    public static func utf8(_ bytes: [UInt8], file: String) throws(Failure) -> [UInt8] {
        try decode(bytes, file: file).bytes
    }

    public static func decode(_ bytes: [UInt8], file: String) throws(Failure) -> (bytes: [UInt8], encoding: Encoding) {
        var text: String
        var encoding: Encoding
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let t = String(validating: bytes.dropFirst(3), as: UTF8.self) else { throw undecodable(file, "it starts as UTF-8 but is not valid UTF-8") }
            (text, encoding) = (t, .utf8)
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let le = bytes[0] == 0xFF
            (text, encoding) = (try utf16(bytes.dropFirst(2), littleEndian: le, file: file), le ? .utf16LE : .utf16BE)
        } else if bytes.count >= 4, bytes.count % 2 == 0, bytes[1] == 0, bytes[3] == 0, bytes[0] != 0 {
            (text, encoding) = (try utf16(bytes[...], littleEndian: true, file: file), .utf16LE)
        } else if bytes.count >= 4, bytes.count % 2 == 0, bytes[0] == 0, bytes[2] == 0, bytes[1] != 0 {
            (text, encoding) = (try utf16(bytes[...], littleEndian: false, file: file), .utf16BE)
        } else if let t = String(validating: bytes, as: UTF8.self) {
            (text, encoding) = (t, .utf8)
        } else {
            (text, encoding) = (try windows1252(bytes, file: file), .windows1252)
        }
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        if let line = lineOf("\u{FFFD}", in: text) {
            throw Failure.badInput(file: file, line: line, reason: "the text holds a replacement character (�), the mark of characters lost to a wrong encoding when it was saved; nothing was applied. Fix those characters or save the file again as UTF-8")
        }
        if text.unicodeScalars.contains("\u{0}") {
            throw undecodable(file, "it holds NUL characters")
        }
        return (Array(text.utf8), encoding)
    }

    static func utf16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool, file: String) throws(Failure) -> String {
        guard bytes.count % 2 == 0 else { throw undecodable(file, "it starts as UTF-16 but has an odd number of bytes") }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(littleEndian ? a | b << 8 : a << 8 | b)
            i += 2
        }
        var out = String.UnicodeScalarView()
        var iterator = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): out.append(s)
            case .emptyInput: break loop
            case .error: throw undecodable(file, "it is UTF-16 with a broken character")
            }
        }
        return String(out)
    }

    /// 0x80–0x9F as Windows-1252 maps them; the five bytes it leaves undefined are refused.
    static let high: [UInt32?] = [
        0x20AC, nil, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, nil, 0x017D, nil,
        nil, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, nil, 0x017E, 0x0178,
    ]

    static func windows1252(_ bytes: [UInt8], file: String) throws(Failure) -> String {
        var out = String.UnicodeScalarView()
        var line = 1
        for b in bytes {
            if b == 0x0A { line += 1 }
            if b < 0x80 || b >= 0xA0 {
                out.append(Unicode.Scalar(b))
            } else if let v = high[Int(b - 0x80)], let s = Unicode.Scalar(v) {
                out.append(s)
            } else {
                throw Failure.badInput(file: file, line: line, reason: "the file is neither UTF-8, UTF-16 nor Windows-1252 (byte 0x\(String(b, radix: 16, uppercase: true)) means nothing in any of them); nothing was applied. Save it again as UTF-8 (in Excel: CSV UTF-8)")
            }
        }
        return String(out)
    }

    static func lineOf(_ scalar: Unicode.Scalar, in text: String) -> Int? {
        var line = 1
        for s in text.unicodeScalars {
            if s == scalar { return line }
            if s == "\n" { line += 1 }
        }
        return nil
    }

    static func undecodable(_ file: String, _ why: String) -> Failure {
        Failure.badInput(file: file, reason: "the text cannot be decoded (\(why)); nothing was applied. Save it again as UTF-8 (in Excel: CSV UTF-8)")
    }
}
