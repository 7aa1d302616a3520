import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
@testable import MenuImport
import Testing

struct ReviewTests {
    /// A staged import whose PDF exists where the import says.
    func stagedWithPDF(_ f: MenuFixture, items: [MenuItemDraft] = MenuSample.items()) throws -> StagedImport {
        let pdf = f.dir.appendingPathComponent("menu.pdf")
        try MenuSample.pdf().write(to: pdf)
        let sha = try PDFFile.load(pdf.path).sha256
        return try f.stage(MenuSample.document(items: items, sha256: sha), pdfPath: pdf.path)
    }

    func csvText(_ staged: StagedImport) -> String { String(decoding: ReviewFiles.csvBytes(staged), as: UTF8.self) }

    /// The CSV with `edit` applied to the row of `seq` (fields split naively: the sample has no quoted commas there).
    func editRow(_ csv: String, seq: Int, _ edit: (inout [String]) -> Void) -> String {
        var lines = csv.components(separatedBy: "\r\n")
        for i in lines.indices where lines[i].hasPrefix("\(seq),") {
            var fields = Self.split(lines[i])
            edit(&fields)
            lines[i] = fields.map { $0.contains(",") || $0.contains("\"") ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0 }.joined(separator: ",")
        }
        return lines.joined(separator: "\r\n")
    }

    static func split(_ line: String) -> [String] {
        var reader = CSVReader(bytes: Array(line.utf8), file: "x")
        return (try? reader.next())?.map(\.strings) ?? []
    }

    // MARK: - review.html

    @Test func theHTMLShowsEveryItemFlaggedFirstWithCropsAsDataURIs() throws {
        let f = try MenuFixture()
        let staged = try stagedWithPDF(f)
        let files = try ReviewFiles.make(for: staged, venueName: "Corner Bistro")
        let html = files.html
        #expect(files.cropNotice == nil)
        for item in staged.items {
            #expect(html.contains(HTMLEscaped.of(item.draft.name)), "missing \(item.draft.name)")
        }
        let flagged = try #require(html.range(of: "Garlic Knots"))
        let noPrice = try #require(html.range(of: "Catch of the day"))
        let clean = try #require(html.range(of: "Margherita"))
        #expect(flagged.lowerBound < clean.lowerBound)
        #expect(noPrice.lowerBound < clean.lowerBound)
        // one PNG crop per item, embedded, and the page for adding a missed item
        let crops = html.components(separatedBy: "was read\" src=\"data:image/png;base64,").count - 1
        #expect(crops == staged.items.count)
        #expect(html.contains("alt=\"page 1 of the menu\" src=\"data:image/png;base64,"))
        // one inline script, allowed by its hash alone; nothing from the network
        #expect(html.components(separatedBy: "<script").count == 2)
        #expect(html.contains("<script>(function () {"))
        #expect(html.contains("script-src '\(ReviewPage.scriptHash)'"))
        #expect(!ReviewPage.script.contains("innerHTML") && !ReviewPage.script.contains("insertAdjacentHTML") && !ReviewPage.script.contains("document.write"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        // the page says which import and draft it was made from
        #expect(html.contains("data-import=\"\(staged.id)\" data-draft=\"\(staged.draftHash)\""))
        // flags in plain words
        #expect(html.contains("No price was printed for it"))
        // the questions are shown
        #expect(html.contains("one item priced 5.50"))
    }

    @Test func theCropIsAPNGOfTheItemsRegion() throws {
        let f = try MenuFixture()
        let staged = try stagedWithPDF(f)
        let renderer = try PDFRenderer(path: staged.pdfPath)
        #expect(renderer.pageCount == 1)
        let png = try #require(renderer.renderPNG(page: 1, bbox: [72, 100, 400, 120], scale: 2, margin: 10))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR width and height: (328 + 20) * 2 by (20 + 20) * 2
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 696)
        #expect(height == 80)
        #expect(renderer.renderPNG(page: 2, bbox: [0, 0, 10, 10]) == nil)
        #expect(renderer.renderPNG(page: 1, bbox: [1, 2]) == nil)
    }

    @Test func withoutThePDFTheReviewSaysSoAndHasNoCrops() throws {
        let f = try MenuFixture()
        let staged = try f.stage(pdfPath: f.dir.appendingPathComponent("gone.pdf").path)
        let files = try ReviewFiles.make(for: staged)
        #expect(files.cropNotice?.contains("no longer at") == true)
        #expect(files.html.contains("no longer at"))
        #expect(!files.html.contains("data:image/png"))
        #expect(files.html.contains("Margherita"))
    }

    @Test func aChangedPDFIsNotCropped() throws {
        let f = try MenuFixture()
        let staged = try stagedWithPDF(f)
        try MenuSample.pdf(lines: [("Something else", 72, 100)]).write(to: URL(fileURLWithPath: staged.pdfPath))
        let files = try ReviewFiles.make(for: staged)
        #expect(files.cropNotice?.contains("has changed") == true)
        #expect(!files.html.contains("data:image/png"))
    }

    @Test func writeCreatesBothFiles() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        let out = f.dir.appendingPathComponent("review/out")
        let paths = try ReviewFiles.make(for: staged).write(to: out)
        #expect(FileManager.default.fileExists(atPath: paths.html))
        #expect(FileManager.default.fileExists(atPath: paths.csv))
        let blocked = f.dir.appendingPathComponent("file")
        try Data().write(to: blocked)
        #expect(throws: Failure.self) { try ReviewFiles.make(for: staged).write(to: blocked.appendingPathComponent("x")) }
    }

    // MARK: - injection

    @Test func outsideTextIsEscapedInHTMLAndDefusedInCSV() throws {
        let f = try MenuFixture()
        var items = MenuSample.items()
        items[0].name = "<script>alert(1)</script>"
        items[1].name = "=HYPERLINK(\"x\")"
        items[1].description = "@SUM(A1:A2)"
        items[2].category = "-1+1"
        let staged = try stagedWithPDF(f, items: items)
        let html = try ReviewFiles.make(for: staged).html
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("=HYPERLINK(&quot;x&quot;)"))

        let csv = csvText(staged)
        #expect(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""))
        #expect(csv.contains(",'@SUM(A1:A2),"))
        #expect(csv.contains(",'-1+1,"))
        for line in csv.components(separatedBy: "\r\n").dropFirst() {
            for cell in Self.split(line) {
                if let first = cell.first, "=+-@".contains(first) {
                    // only our own numbers may start with a sign; none of the sample's are negative
                    Issue.record("a cell starts with \(first): \(cell)")
                }
            }
        }
        // and reading it back gives the original text, with nothing to apply
        let rows = try ReviewEdits.parse(bytes: Array(csv.utf8), file: "review.csv", staged: staged)
        #expect(rows.map(\.fields.name) == items.map(\.name))
        #expect(rows[1].fields.description == "@SUM(A1:A2)")
        #expect(rows[2].fields.category == "-1+1")
        let report = try ReviewEdits.apply(rows, to: staged, in: f.live)
        #expect(report.ignoredEdits.isEmpty)
    }

    // MARK: - review.csv round trip through apply

    @Test func theCSVRoundTripsThroughApplyUnchanged() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        let csv = csvText(staged)
        let id = ",\(staged.id),\(staged.draftHash)\r\n"
        #expect(csv.hasPrefix("\u{FEFF}seq,decision,category,name,description,price,sizes,dietary_tags,flags,confidence,page,why,import_id,draft\r\n"))
        #expect(csv.contains("1,,Pizzas,Margherita,\"Tomato, mozzarella, basil\",9.00,Small=9.00|Large=15.00,vegetarian,,0.93,1," + id))
        #expect(csv.contains("4,,Mains,Catch of the day,Ask your server,,,,no_price,0.70,1,\"No price was printed for it (\"\"market price\"\" or blank): give it one, or drop it.\"" + id))
        let rows = try ReviewEdits.parse(bytes: Array(csv.utf8), file: "review.csv", staged: staged)
        #expect(rows.count == 4)
        for (row, item) in zip(rows, staged.items) {
            #expect(row.fields == item.draft)
            #expect(row.decision == nil)
        }
        let report = try ReviewEdits.apply(rows, to: staged, in: f.live)
        #expect(report.ignoredEdits.isEmpty)
        #expect(report.undecided == [3, 4])
        #expect(report.exitStatus == .needsAttention)
        let after = try StagedImports.load(f.live, id: staged.id)
        #expect(after.status == .reviewed)
        #expect(after.items.map(\.decision) == [.keep, .keep, nil, nil])
        #expect(after.items.map(\.draft) == staged.items.map(\.draft))
    }

    @Test func fixReplacesTheDraftsFieldsDropAndKeepAreRecorded() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        var csv = csvText(staged)
        csv = editRow(csv, seq: 1) { $0[1] = "fix"; $0[3] = "Margherita DOP"; $0[5] = "9.50"; $0[6] = "Small=9.50|Large=16.00"; $0[7] = "vegetarian|gluten_free" }
        csv = editRow(csv, seq: 2) { $0[1] = "drop" }
        csv = editRow(csv, seq: 3) { $0[1] = "Keep" }
        csv = editRow(csv, seq: 4) { $0[1] = "fix"; $0[5] = "18"; $0[4] = "" }
        let rows = try ReviewEdits.parse(bytes: Array(csv.utf8), file: "review.csv", staged: staged)
        let report = try ReviewEdits.apply(rows, to: staged, in: f.live)
        #expect(report.fixed == 2 && report.dropped == 1 && report.kept == 1)
        #expect(report.undecided.isEmpty)
        #expect(report.exitStatus == .ok)
        #expect(report.lines.contains { $0.contains("#1 Margherita: fixed") && $0.contains("price 9.00 → 9.50") })
        #expect(report.lines.contains("#2 Diavola: dropped"))

        let after = try StagedImports.load(f.live, id: staged.id)
        #expect(after.items.map(\.decision) == [.fix, .drop, .keep, .fix])
        let m = after.items[0].draft
        #expect(m.name == "Margherita DOP")
        #expect(m.priceCents == 950)
        #expect(m.options == [MenuOption(name: "Size", choices: [MenuChoice(value: "Small", priceDeltaCents: 0), MenuChoice(value: "Large", priceDeltaCents: 650)])])
        #expect(m.dietaryTags == [.vegetarian, .glutenFree])
        #expect(m.confidence == 0.93) // not the owner's to change
        #expect(after.items[3].draft.priceCents == 1800)
        #expect(after.items[3].draft.description == nil)
        #expect(after.items[1].draft == staged.items[1].draft)
    }

    @Test func anEditWithoutFixIsIgnoredAndSaid() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        let csv = editRow(csvText(staged), seq: 2) { $0[1] = "keep"; $0[5] = "12.00" }
        let rows = try ReviewEdits.parse(bytes: Array(csv.utf8), file: "review.csv", staged: staged)
        let report = try ReviewEdits.apply(rows, to: staged, in: f.live)
        #expect(report.ignoredEdits == [2])
        #expect(report.lines.contains { $0.contains("#2 Diavola") && $0.contains("write fix") })
        #expect(try StagedImports.load(f.live, id: staged.id).items[1].draft.priceCents == 1100)
    }

    @Test func aSpreadsheetResaveIsReadBack() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        // ; delimiters, decimal commas, CRLF, BOM, the defusing quote kept
        let id = ";\(staged.id);\(staged.draftHash)\r\n"
        let csv = "\u{FEFF}seq;decision;category;name;description;price;sizes;dietary_tags;flags;confidence;page;import_id;draft\r\n"
            + "1;fix;Pizzas;Margherita;Tomato, mozzarella, basil;9,50;Small=9,50|Large=15,50;vegetarian;;0,93;1" + id
            + "2;keep;Pizzas;Diavola;Spicy salami;11,00;;spicy;;0,9;1" + id
            + "3;drop;Starters;Garlic Knots (6);;5,50;;;ambiguous_price;0,6;1" + id
            + "4;fix;Mains;Catch of the day;Ask your server;1.200,00;;;no_price;0,7;1" + id
        let rows = try ReviewEdits.parse(bytes: Array(csv.utf8), file: "review.csv", staged: staged)
        #expect(rows.map(\.decision) == [.fix, .keep, .drop, .fix])
        #expect(rows[0].fields.priceCents == 950)
        #expect(rows[0].fields.options.first?.choices.map(\.priceDeltaCents) == [0, 600])
        #expect(rows[3].fields.priceCents == 120_000)
        #expect(rows[1].fields == staged.items[1].draft)
    }

    @Test(arguments: [
        (3, "1,maybe,Pizzas,Margherita,x,9.00,,,,0.9,1", "unknown decision 'maybe'"),
        (3, "1,fix,Pizzas,Margherita,x,9.0O,,,,0.9,1", "bad price '9.0O'"),
        (3, "1,fix,Pizzas,Margherita,x,-9.00,,,,0.9,1", "bad price '-9.00'"),
        (3, "1,fix,Pizzas,Margherita,x,9.00,Small=abc,,,0.9,1", "bad price 'abc' for the size Small"),
        (3, "1,fix,Pizzas,Margherita,x,9.00,Small 9,,,0.9,1", "bad sizes 'Small 9'"),
        (3, "99,keep,Pizzas,Margherita,x,9.00,,,,0.9,1", "unknown seq '99'"),
        (3, "one,keep,Pizzas,Margherita,x,9.00,,,,0.9,1", "unknown seq 'one'"),
        (3, "1,fix,Pizzas,Margherita,x,9.00,,vegetarian|keto,,0.9,1", "unknown dietary tag 'keto'"),
        (3, "1,fix,Pizzas,Margherita,x,9.00,,,0.9,1", "the row has 12 fields where the header has 13"),
        (3, "1,fix,Pizzas,Margherita,x,9.00,,,,0.9,1,extra", "the row has 14 fields where the header has 13"),
        (3, "2,keep,Pizzas,Diavola,x,11.00,,,,0.9,1", "seq 2 appears again (first on line 2)"),
        (3, "1,fix,Pizzas,\"Margherita\"x,x,9.00,,,,0.9,1", "text follows a closing quote"),
        (3, "1,fix,Pizzas,\"Margherita,x,9.00,,,,0.9,1", "never closed"),
        (3, "1,fix,Pizzas,,x,9.00,,,,0.9,1", "a fixed item needs a name"),
    ])
    func applyRejectsAMalformedRowWithItsLine(line: Int, row: String, reason: String) throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        let id = ",\(staged.id),\(staged.draftHash)"
        let csv = "seq,decision,category,name,description,price,sizes,dietary_tags,flags,confidence,page,import_id,draft\n"
            + "2,keep,Pizzas,Diavola,Spicy salami,11.00,,spicy,,0.9,1" + id + "\n" + row + id + "\n"
        do {
            _ = try ReviewEdits.parse(bytes: Array(csv.utf8), file: "edits/review.csv", staged: staged)
            Issue.record("accepted: \(row)")
        } catch {
            #expect(error.status == .dataError)
            #expect(error.message.contains("edits/review.csv, line \(line)"), "\(error.message)")
            #expect(error.message.contains(reason), "\(error.message)")
        }
        #expect(try StagedImports.load(f.live, id: staged.id).status == .draft)
    }

    @Test func everyMalformedRowIsListedAndNothingIsApplied() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        let id = ",\(staged.id),\(staged.draftHash)\n"
        let csv = "seq,decision,category,name,description,price,sizes,dietary_tags,flags,confidence,page,import_id,draft\n"
            + "1,drop,Pizzas,Margherita,,9.00,,,,0.9,1" + id
            + "2,nope,Pizzas,Diavola,,11.00,,,,0.9,1" + id
            + "3,keep,Starters,Knots,,5.5.0,,,,0.9,1" + id
        #expect {
            _ = try ReviewEdits.parse(bytes: Array(csv.utf8), file: "review.csv", staged: staged)
        } throws: { error in
            let message = (error as? Failure)?.message ?? ""
            return message.contains("2 rows") && message.contains("line 3") && message.contains("line 4")
        }
        #expect(try StagedImports.load(f.live, id: staged.id).items.allSatisfy { $0.decision == nil })
    }

    @Test func aFileThatIsNotTheReviewCSVIsRefused() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        for text in ["", "id,Created date (UTC),Amount\npi_1,2026-11-01,20.00\n"] {
            #expect(throws: Failure.self) { try ReviewEdits.parse(bytes: Array(text.utf8), file: "x.csv", staged: staged) }
        }
    }
}

enum HTMLEscaped {
    static func of(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
