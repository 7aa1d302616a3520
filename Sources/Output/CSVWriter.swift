import Foundation
import BackofficeCore

/// One cell of a CSV row: either text that may have come from outside, or a number we wrote.
///
/// The distinction is what keeps spreadsheets safe. Text cells are always defused (see
/// `CSVWriter.defuse(_:)`): a customer name `=HYPERLINK(…)` reaches the spreadsheet as the text
/// `'=HYPERLINK(…)`. Number cells are produced here from integers, so `-20.50` stays a number a
/// spreadsheet can add up.
///
///     writer.writeRow([.text(venue.name), .money(-2050, exponent: 2), .integer(3)])
public enum CSVCell: Sendable, Hashable {
    /// Text from anywhere (names, descriptions, ids, dates): defused and quoted as needed.
    case text(String)
    /// A whole number we computed (counts, credits).
    case integer(Int64)
    /// Minor units written as decimal major units: `(-2050, exponent: 2)` → `-20.50`.
    case money(Int64, exponent: Int)
    /// An empty cell.
    case empty

    /// `.text` for a value, `.empty` for nil.
    public static func text(_ value: String?) -> CSVCell { value.map { .text($0) } ?? .empty }
    /// `.integer` for a value, `.empty` for nil.
    public static func integer(_ value: Int64?) -> CSVCell { value.map { .integer($0) } ?? .empty }
    /// `.money` in a currency, `.empty` for nil.
    public static func money(_ minor: Int64?, _ currency: Currency) -> CSVCell {
        minor.map { .money($0, exponent: currency.exponent) } ?? .empty
    }
}

/// Writes RFC 4180 CSV: UTF-8, CRLF line ends, fields quoted when they hold a comma, a quote,
/// CR or LF, quotes doubled; every text cell defused against formula injection.
///
///     var csv = CSVWriter(header: ["venue", "amount", "currency"])
///     csv.writeRow([.text("Corner Bistro"), .money(2050, exponent: 2), .text("USD")])
///     try Data(csv.drain()).write(to: url)   // "\u{FEFF}venue,amount,currency\r\nCorner Bistro,20.50,USD\r\n"
///
/// Large files are streamed: call `drain()` now and then and append what it returns to the file.
/// By default the output starts with a UTF-8 byte order mark, so that Excel reads accented names
/// as UTF-8; RFC 4180 readers (and `CSVReader`) skip it.
public struct CSVWriter: Sendable {
    public enum LineEnding: String, Sendable {
        case crlf = "\r\n"
        case lf = "\n"
    }

    public let columns: [String]
    public let lineEnding: LineEnding
    /// `,` by default; `;` for spreadsheets in comma-decimal locales (amounts then take a decimal comma).
    public let delimiter: UInt8
    private var buffer: [UInt8] = []
    /// Rows written so far, the header not counted.
    public private(set) var rowCount = 0

    public init(header: [String], lineEnding: LineEnding = .crlf, byteOrderMark: Bool = true, delimiter: UInt8 = UInt8(ascii: ",")) {
        columns = header
        self.lineEnding = lineEnding
        self.delimiter = delimiter
        buffer.reserveCapacity(1 << 16)
        if byteOrderMark { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        appendLine(header.map { CSVCell.text($0) })
    }

    /// Appends one row. It must have as many cells as the header (a mismatch is a bug in the caller).
    public mutating func writeRow(_ cells: [CSVCell]) {
        precondition(cells.count == columns.count, "CSV row has \(cells.count) cells for \(columns.count) columns")
        appendLine(cells)
        rowCount += 1
    }

    /// The bytes written since the last `drain()`, handed over and forgotten.
    public mutating func drain() -> [UInt8] {
        defer { buffer.removeAll(keepingCapacity: true) }
        return buffer
    }

    /// How many bytes wait to be drained.
    public var pendingByteCount: Int { buffer.count }

    private mutating func appendLine(_ cells: [CSVCell]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { buffer.append(delimiter) }
            buffer.append(contentsOf: Self.encode(cell, delimiter: delimiter).utf8)
        }
        buffer.append(contentsOf: lineEnding.rawValue.utf8)
    }

    /// The cell as it appears in the file: defused, then quoted if needed.
    public static func encode(_ cell: CSVCell, delimiter: UInt8 = UInt8(ascii: ",")) -> String {
        switch cell {
        case .empty: return ""
        case .integer(let v): return String(v)
        case .money(let v, let exponent):
            // `;` between fields is the convention of comma-decimal locales, whose spreadsheets
            // read `20,50` as a number and `20.50` as text
            let text = MoneyText.format(v, exponent: exponent)
            return delimiter == UInt8(ascii: ";") ? text.replacingOccurrences(of: ".", with: ",") : text
        case .text(let s): return quote(defuse(s), delimiter: delimiter)
        }
    }

    /// Characters that make a spreadsheet read a cell as a formula when they come first.
    public static let formulaTriggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// Prefixes `'` to text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first).
    ///
    ///     CSVWriter.defuse("=1+1")   // "'=1+1"
    ///     CSVWriter.defuse("-20.50") // "'-20.50": as text, outside values never pass for numbers
    public static func defuse(_ text: String) -> String {
        guard let first = text.first, startsFormula(first) else { return text }
        return "'" + text
    }

    /// Undoes `defuse` for text read back from a sheet this tool wrote: a `'` that precedes a
    /// formula character was ours.
    public static func undefuse(_ text: String) -> String {
        guard text.hasPrefix("'"), let second = text.dropFirst().first, startsFormula(second) else { return text }
        return String(text.dropFirst())
    }

    /// "\r\n" is one Character in Swift: the first scalar is looked at too.
    private static func startsFormula(_ c: Character) -> Bool {
        formulaTriggers.contains(c) || c.unicodeScalars.first == "\r"
    }

    /// Quotes a field when it holds a delimiter, a quote, CR or LF (RFC 4180), doubling inner quotes.
    public static func quote(_ text: String, delimiter: UInt8 = UInt8(ascii: ",")) -> String {
        var needs = false
        for b in text.utf8 where b == delimiter || b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 10 || b == 13 {
            needs = true
            break
        }
        guard needs else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
