import BackofficeCore
import Foundation
import Testing
@testable import Reports

/// Reads a CSV file the report wrote, with the core reader.
func readCSV(_ url: URL) throws -> (header: [String], rows: [[String]]) {
    let bytes = Array(try Data(contentsOf: url))
    var reader = CSVReader(bytes: bytes, file: url.lastPathComponent)
    let header = try #require(try reader.readHeader()).strings
    var rows: [[String]] = []
    while let r = try reader.next() { rows.append(r.strings) }
    return (header, rows)
}

/// A table of report.html: each row's cells as (column, data-value, text).
struct HTMLTableCells {
    struct Cell { var col: String; var value: Int64?; var text: String }
    var body: [[Cell]]
    var foot: [[Cell]]
}

func htmlTable(_ html: String, id: String) -> HTMLTableCells? {
    guard let start = html.range(of: "<table id=\"\(id)\">"),
          let end = html.range(of: "</table>", range: start.upperBound..<html.endIndex) else { return nil }
    let table = String(html[start.upperBound..<end.lowerBound])
    func rows(_ part: String) -> [[HTMLTableCells.Cell]] {
        guard let s = table.range(of: "<\(part)>"), let e = table.range(of: "</\(part)>") else { return [] }
        let section = String(table[s.upperBound..<e.lowerBound])
        let rowRegex = try! NSRegularExpression(pattern: "<tr[^>]*>(.*?)</tr>", options: [.dotMatchesLineSeparators])
        let cellRegex = try! NSRegularExpression(pattern: #"<td class="[^"]*" data-col="([^"]*)"(?: data-value="(-?\d+)")?>(.*?)</td>"#, options: [.dotMatchesLineSeparators])
        let ns = section as NSString
        return rowRegex.matches(in: section, range: NSRange(location: 0, length: ns.length)).map { m in
            let row = ns.substring(with: m.range(at: 1))
            let rns = row as NSString
            return cellRegex.matches(in: row, range: NSRange(location: 0, length: rns.length)).map { c in
                HTMLTableCells.Cell(col: rns.substring(with: c.range(at: 1)),
                                    value: c.range(at: 2).location == NSNotFound ? nil : Int64(rns.substring(with: c.range(at: 2))),
                                    text: rns.substring(with: c.range(at: 3)))
            }
        }.filter { !$0.isEmpty }
    }
    return HTMLTableCells(body: rows("tbody"), foot: rows("tfoot"))
}

/// Compares a file with its committed snapshot; UPDATE_SNAPSHOTS=1 rewrites the snapshot instead.
func expectSnapshot(_ actual: URL, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let expectedURL = TestPaths.snapshots.appendingPathComponent(name)
    let actualData = try Data(contentsOf: actual)
    if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" {
        try FileManager.default.createDirectory(at: TestPaths.snapshots, withIntermediateDirectories: true)
        try actualData.write(to: expectedURL)
        return
    }
    guard let expectedData = try? Data(contentsOf: expectedURL) else {
        Issue.record("No snapshot \(expectedURL.path); run with UPDATE_SNAPSHOTS=1 to write it.", sourceLocation: sourceLocation)
        return
    }
    guard expectedData != actualData else { return }
    let expectedLines = String(decoding: expectedData, as: UTF8.self).components(separatedBy: "\n")
    let actualLines = String(decoding: actualData, as: UTF8.self).components(separatedBy: "\n")
    var diff: [String] = []
    for i in 0..<max(expectedLines.count, actualLines.count) where diff.count < 24 {
        let e = i < expectedLines.count ? expectedLines[i] : nil
        let a = i < actualLines.count ? actualLines[i] : nil
        if e != a {
            diff.append("line \(i + 1):")
            diff.append("  - \(e.map { $0.debugDescription } ?? "(none)")")
            diff.append("  + \(a.map { $0.debugDescription } ?? "(none)")")
        }
    }
    let kept = FileManager.default.temporaryDirectory.appendingPathComponent("actual-\(name)")
    try? actualData.write(to: kept)
    Issue.record("""
        \(name) differs from its snapshot (expected \(expectedURL.path), actual kept at \(kept.path); \
        UPDATE_SNAPSHOTS=1 rewrites the snapshot):
        \(diff.joined(separator: "\n"))
        """, sourceLocation: sourceLocation)
}

