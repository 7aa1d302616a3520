import BackofficeCore
import Foundation
import Testing
import TestSupport
@testable import Reports

/// Outside values that try to run as HTML or as spreadsheet formulas.
struct InjectionTests {
    /// This test's folder (a suite is made afresh for every test), removed when the test ends.
    let scratch: TemporaryFolder

    init() throws { scratch = try TemporaryFolder("reports-test") }

    static let script = "<script>alert(1)</script>"
    static let attribute = "\"><img src=x onerror=alert(1)>"
    static let formula = "=HYPERLINK(\"http://x\",\"y\")"

    func hostileReport() throws -> ReportOutput {
        var fixture = RunFixture()
        fixture.venueName = Self.script
        fixture.customerName = Self.attribute
        fixture.stripeDescription = Self.formula
        fixture.kitchenName = "@SUM(1+1)"
        let db = try fixture.make(in: scratch)
        let output = try RunReport.write(database: db, runId: nil, outDir: scratch.file("reports"))
        return output
    }

    @Test func nothingSurvivesUnescapedInHTML() throws {
        let output = try hostileReport()
        let html = try String(contentsOf: output.html, encoding: .utf8)
        for raw in [Self.script, Self.attribute, "<img", "<script", "onerror=alert(1)>"] {
            let survives = html.contains(raw)
            #expect(!survives, "report.html holds \(raw) unescaped")
        }
        // the page has no script of its own either, and loads nothing from outside
        #expect(!html.lowercased().contains("<script"))
        // only in-page links (href="#…"): nothing that leaves the page
        #expect(!html.contains(" src=\"") && html.firstMatch(of: /href="[^#]/) == nil)
        #expect(!html.contains("http://x\"") || html.contains("&quot;http://x&quot;"))
        // what was escaped is there to read
        let escapedScript = html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        let escapedAttribute = html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
        let formula = html.contains("=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)")
        #expect(escapedScript)
        #expect(escapedAttribute)
        #expect(formula)
    }

    @Test func noCSVCellStartsAFormula() throws {
        let output = try hostileReport()
        let number = try NSRegularExpression(pattern: #"^-?\d+(\.\d+)?$"#)
        var sawDefused = Set<String>()
        for name in RunReport.csvFiles {
            let (_, rows) = try readCSV(output.folder.appendingPathComponent(name))
            for row in rows {
                for cell in row {
                    guard let first = cell.unicodeScalars.first else { continue }
                    if ["=", "+", "-", "@", "\t", "\r"].contains(first) {
                        let isNumber = number.firstMatch(in: cell, range: NSRange(location: 0, length: (cell as NSString).length)) != nil
                        #expect(isNumber, "\(name): the cell \(cell.debugDescription) would run as a formula")
                    }
                    if cell.hasPrefix("'") { sawDefused.insert(cell) }
                }
            }
        }
        #expect(sawDefused.contains("'" + Self.formula))
        #expect(sawDefused.contains("'@SUM(1+1)"))
        // negative amounts we wrote stay numbers
        let ledger = try readCSV(output.folder.appendingPathComponent("credit_ledger.csv"))
        #expect(ledger.rows.contains { $0.contains("-400") })
    }
}
