import BackofficeCore
import Foundation

/// An aligned plain-text table for listings: a header row, then one row per line, columns two
/// spaces apart. Numbers are right-aligned. Control characters in a cell (a venue name is the live
/// service's data) are shown as `?`, so nothing in a cell can move the cursor or recolour the terminal.
struct TextTable {
    struct Column {
        var title: String
        var numeric = false
    }

    var columns: [Column]
    var rows: [[String]] = []

    init(_ columns: [Column]) {
        self.columns = columns
    }

    mutating func append(_ cells: [String]) {
        rows.append(cells.map(Self.printable))
    }

    var text: String {
        let all = [columns.map(\.title)] + rows
        let widths = columns.indices.map { index in all.map { $0[index].count }.max() ?? 0 }
        return all.map { cells in
            cells.indices.map { index in
                let cell = cells[index]
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                if columns[index].numeric { return pad + cell }
                return index == cells.count - 1 ? cell : cell + pad
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar -> Character in
            switch scalar.value {
            case 0..<0x20, 0x7F..<0xA0: return "?"
            default: return Character(scalar)
            }
        })
    }
}

/// Listing output shared by `runs`, `venues` and `menu imports`.
enum Listing {
    /// A JSON array of `values`, keys sorted, as every `--json` here prints.
    static func json<T: Encodable>(_ values: [T]) throws(Failure) -> String {
        if values.isEmpty { return "[]" }   // Foundation pretty-prints an empty array across three lines
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(values), as: UTF8.self)
        } catch {
            throw Failure.software("cannot encode the listing: \(error)")
        }
    }

    /// `2026-11-01` for midnight UTC, `2026-11-07 23:10` otherwise; as stored when it is not an instant.
    static func shortInstant(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "-" }
        guard text.count >= 16, text.dropFirst(10).first == "T" else { return text }
        let date = String(text.prefix(10))
        let time = String(text.dropFirst(11).prefix(5))
        if time == "00:00", text.dropFirst(16).allSatisfy({ "0:.Z".contains($0) }) { return date }
        return "\(date) \(time)"
    }
}
