import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
@testable import MenuImport
import Output
import Testing

/// Issue #16: the edits file and review.csv belong to one import and one state of its draft; the
/// sheet is read in whatever encoding a spreadsheet saved it; `review` never overwrites decisions;
/// absurd prices are asked about before publishing.
struct ReviewRoundTripTests {
    func editsJSON(_ staged: StagedImport, importId: String? = nil, draft: String? = nil, items: String = "[]",
                   added: String = "[]", answers: String = "[]") -> [UInt8] {
        Array("""
            {"format": "backoffice-menu-edits/1", "import_id": "\(importId ?? staged.id)", "draft": "\(draft ?? staged.draftHash)",
             "items": \(items), "added": \(added), "answers": \(answers)}
            """.utf8)
    }

    // MARK: - identity

    @Test func aFileForAnotherImportOrAnOlderDraftIsRefused() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        // another import's sheet: refused before any row is looked at
        let other = ReviewFiles.csvBytes(staged).replacingAll(staged.id, with: "someone-elses-import")
        #expect {
            _ = try ReviewEdits.read(bytes: other, file: "review.csv", staged: staged)
        } throws: { ($0 as? Failure)?.status == .dataError && ($0 as? Failure)?.message.contains("made for the menu import someone-elses-import, not \(staged.id)") == true }
        #expect {
            _ = try ReviewEdits.read(bytes: editsJSON(staged, importId: "x"), file: "e.json", staged: staged)
        } throws: { ($0 as? Failure)?.message.contains("made for the menu import x") == true }

        // the draft changed since the file was made (an apply): refused, nothing undone
        let sheet = ReviewFiles.csvBytes(staged)
        let json = editsJSON(staged, items: #"[{"seq": 2, "decision": "drop"}]"#)
        let first = try ReviewEdits.read(bytes: json, file: "e.json", staged: staged)
        _ = try ReviewEdits.apply(first, to: staged, in: f.live)
        let after = try StagedImports.load(f.live, id: staged.id)
        #expect(after.draftHash != staged.draftHash)
        for (bytes, name) in [(sheet, "review.csv"), (json, "e.json")] {
            #expect {
                _ = try ReviewEdits.read(bytes: bytes, file: name, staged: after)
            } throws: { ($0 as? Failure)?.status == .dataError && ($0 as? Failure)?.message.contains("older draft") == true }
        }
        // a sheet without the columns (made before they existed) is refused too
        let old = "seq,decision,category,name,description,price,sizes,dietary_tags\n2,keep,Pizzas,Diavola,,11.00,,\n"
        #expect(throws: Failure.self) { try ReviewEdits.read(bytes: Array(old.utf8), file: "old.csv", staged: after) }
        #expect(try StagedImports.load(f.live, id: staged.id).items[1].decision == .drop)
    }

    // MARK: - encodings

    func sheet(_ staged: StagedImport, description: String) -> String {
        "seq,decision,category,name,description,price,sizes,dietary_tags,flags,confidence,page,import_id,draft\r\n"
            + "2,fix,Pizzas,Diavola,\(description),11.00,,spicy,,0.9,1,\(staged.id),\(staged.draftHash)\r\n"
    }

    @Test func sheetsInUTF8UTF16AndWindows1252AreRead() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        let text = sheet(staged, description: "Chef’s salami – très épicé")
        let utf16LE: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let utf16BE: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let cp1252: [UInt8] = text.unicodeScalars.map { s -> UInt8 in
            switch s { case "’": 0x92; case "–": 0x96; default: UInt8(s.value) }
        }
        for (name, bytes) in [("utf8", Array(text.utf8)), ("bom", [0xEF, 0xBB, 0xBF] + Array(text.utf8)),
                              ("utf16le", utf16LE), ("utf16be", utf16BE), ("cp1252", cp1252)] {
            let edits = try ReviewEdits.read(bytes: bytes, file: name, staged: staged)
            #expect(edits.rows.first?.fields.description == "Chef’s salami – très épicé", "\(name)")
        }
    }

    @Test func undecodableTextAndReplacementCharactersAreRefused() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        // U+FFFD already in the text: what a wrong decoding left behind
        let damaged = Array(sheet(staged, description: "Chef\u{FFFD}s salami").utf8)
        #expect {
            _ = try ReviewEdits.read(bytes: damaged, file: "review.csv", staged: staged)
        } throws: { ($0 as? Failure)?.message.contains("review.csv, line 2") == true && ($0 as? Failure)?.message.contains("replacement character") == true }
        // 0x81 is nothing in Windows-1252 and not UTF-8
        var bad = Array(sheet(staged, description: "Chef s").utf8)
        bad[bad.firstIndex(of: UInt8(ascii: "C"))!] = 0x81
        #expect {
            _ = try ReviewEdits.read(bytes: bad, file: "review.csv", staged: staged)
        } throws: { ($0 as? Failure)?.message.contains("neither UTF-8, UTF-16 nor Windows-1252") == true }
        #expect(try StagedImports.load(f.live, id: staged.id).status == .draft)
    }

    // MARK: - the page's edits file

    @Test func theEditsFileFixesDropsAddsMovesAndAnswers() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        let items = """
            [{"seq": 1, "decision": "", "category": "Classics", "name": "Margherita", "description": "Tomato, mozzarella, basil", "price": "9.50", "sizes": "Small=9.50|Large=15.00", "dietary_tags": ["vegetarian"]},
             {"seq": 2, "decision": "drop"},
             {"seq": 3, "decision": "keep", "category": "Classics"},
             {"seq": 4, "decision": "fix", "price": "18,00"}]
            """
        let added = #"[{"name": "Calzone <b>", "category": "Classics", "price": "12", "page": 1, "dietary_tags": ["vegetarian"]}]"#
        let answers = #"[{"question": "Is 'Garlic Knots (6)' one item priced 5.50, or six?", "answer": "One basket of six."}]"#
        let edits = try ReviewEdits.read(bytes: editsJSON(staged, items: items, added: added, answers: answers), file: "e.json", staged: staged)
        let report = try ReviewEdits.apply(edits, to: staged, in: f.live)
        #expect(report.added == 1 && report.answered == 1 && report.dropped == 1)
        // an item changed but not decided is still flagged-undecided only when flagged; #1 is clean: its change is ignored without fix
        #expect(report.ignoredEdits == [1, 3])
        let after = try StagedImports.load(f.live, id: staged.id)
        #expect(after.items.count == 5)
        #expect(after.items[4].draft.name == "Calzone <b>" && after.items[4].draft.priceCents == 1200 && after.items[4].decision == .fix)
        #expect(after.items[4].draft.source.page == 1 && after.items[4].draft.source.bbox.isEmpty)
        #expect(after.items[3].draft.priceCents == 1800)
        #expect(try StagedImports.answers(f.live, id: staged.id) == ["Is 'Garlic Knots (6)' one item priced 5.50, or six?": "One basket of six."])
        // the review page shows the answer and the added item
        let html = try ReviewFiles.make(for: after, answers: try StagedImports.answers(f.live, id: staged.id), renderCrops: false).html
        #expect(html.contains("One basket of six."))
        #expect(html.contains("Calzone &lt;b&gt;"))
    }

    @Test func aMalformedEditsFileIsRefusedWithWhere() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        for (bytes, reason) in [
            (Array("{not json".utf8), "not valid JSON"),
            (Array(#"{"format": "x"}"#.utf8), "expected 'backoffice-menu-edits/1'"),
            (editsJSON(staged, items: #"[{"seq": 1, "decision": "fix", "price": "9.0O"}]"#), "e.json, item 1 (#1): bad price '9.0O'"),
            (editsJSON(staged, added: #"[{"name": "Soup", "category": "Starters", "price": ""}]"#), "added item 1: an added item needs a price"),
            (editsJSON(staged, added: #"[{"name": "Soup", "category": "Starters", "price": "4", "page": 7}]"#), "page 7 is not in the menu"),
        ] {
            #expect {
                _ = try ReviewEdits.read(bytes: bytes, file: "e.json", staged: staged)
            } throws: { ($0 as? Failure)?.status == .dataError && ($0 as? Failure)?.message.contains(reason) == true }
        }
    }

    @Test func aTypedPriceThatIsAbsurdWaitsForADecision() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        // 950 typed for 9.50: more than 20x the other pizza
        let edits = try ReviewEdits.read(bytes: editsJSON(staged, items: #"[{"seq": 1, "decision": "fix", "price": "950", "sizes": ""}, {"seq": 3, "decision": "keep"}, {"seq": 4, "decision": "drop"}]"#),
                                         file: "e.json", staged: staged)
        let report = try ReviewEdits.apply(edits, to: staged, in: f.live)
        #expect(report.absurd == [1])
        #expect(report.undecided == [1])
        #expect(report.lines.contains { $0.contains("#1 Margherita") && $0.contains("more than 20 times") })
        var after = try StagedImports.load(f.live, id: staged.id)
        #expect(after.items[0].draft.flags.contains(.absurdPrice) && after.items[0].decision == nil)
        let plan = try MenuPublisher.plan(after, in: f.live)
        #expect(plan.blockers.contains { $0.hasPrefix("#1 ") })
        // the owner confirms it: published
        let confirm = try ReviewEdits.read(bytes: editsJSON(after, items: #"[{"seq": 1, "decision": "keep"}]"#), file: "e.json", staged: after)
        _ = try ReviewEdits.apply(confirm, to: after, in: f.live)
        after = try StagedImports.load(f.live, id: staged.id)
        #expect(try MenuPublisher.plan(after, in: f.live).blockers.isEmpty)
    }

    @Test func absurdPricesByMedianAndCeiling() {
        let entries = [AbsurdPrices.Entry(seq: 1, category: "Pizza", prices: [900]), .init(seq: 2, category: "Pizza", prices: [1100]),
                       .init(seq: 3, category: "pizza", prices: [95_000]), .init(seq: 4, category: "Wine", prices: [150_000]),
                       .init(seq: 5, category: "Wine", prices: [3_000, 90_000])]
        let found = AbsurdPrices.find(entries, currency: "EUR")
        #expect(Set(found.keys) == [3, 4])
        #expect(found[3]?.contains("950.00 EUR is more than 20 times the usual 9.00 EUR") == true)
        #expect(found[4]?.contains("above 1000.00 EUR") == true || found[4]?.contains("above 1,000.00 EUR") == true, "\(found[4] ?? "")")
        // KES: 1,500 a plate is ordinary
        #expect(AbsurdPrices.find([.init(seq: 1, category: "Mains", prices: [150_000])], currency: "KES").isEmpty)
        // two items, one absurd: the other's median still catches it
        #expect(Set(AbsurdPrices.find([.init(seq: 1, category: "S", prices: [500]), .init(seq: 2, category: "S", prices: [50_000])], currency: "USD").keys) == [2])
    }

    @Test func absurdPricesAreFlaggedAtImportAndBeforePublishing() throws {
        let f = try MenuFixture()
        var items = MenuSample.items()
        items[1].priceCents = 110_000   // Diavola at 1,100.00 EUR: above the ceiling
        let staged = try f.stage(MenuSample.document(items: items))
        #expect(staged.items[1].draft.flags == [.absurdPrice])
        #expect(staged.items[0].draft.flags.isEmpty)

        // an import staged before the check existed: publish flags it first, then refuses
        try f.queue().write { db in try db.execute(sql: "UPDATE batch_menu_import_items SET flags = '[]' WHERE seq = 2") }
        let old = try StagedImports.load(f.live, id: staged.id)
        let plan = try MenuPublisher.plan(old, in: f.live)
        #expect(plan.blockers.contains { $0.contains("#2 Diavola") && $0.contains("above 1000.00 EUR") })
        #expect(try MenuPublisher.markAbsurd(old, in: f.live) == [2])
        let marked = try StagedImports.load(f.live, id: staged.id)
        #expect(marked.items[1].draft.flags == [.absurdPrice] && marked.items[1].decision == nil)
        #expect(try MenuPublisher.markAbsurd(marked, in: f.live).isEmpty)
        // the page says why, in words
        let html = try ReviewFiles.make(for: marked, renderCrops: false).html
        #expect(html.contains("Unusual price: the price 1100.00 EUR is above 1000.00 EUR"), "\(html.components(separatedBy: "Unusual").dropFirst().first?.prefix(120) ?? "")")
    }

    // MARK: - review never overwrites decisions

    @Test func reviewWritesBesideASheetThatHoldsDecisions() throws {
        let f = try MenuFixture()
        let staged = try f.stage()
        let out = f.dir.appendingPathComponent("review")
        let files = try ReviewFiles.make(for: staged, renderCrops: false)
        let first = try files.write(to: out)
        #expect(first.keptSheet == nil)
        // writing again over an untouched sheet is fine
        #expect(try files.write(to: out).keptSheet == nil)
        // the owner fills it in
        let filled = String(decoding: ReviewFiles.csvBytes(staged), as: UTF8.self)
            .replacingOccurrences(of: "\r\n2,,", with: "\r\n2,drop,")
        try Data(filled.utf8).write(to: URL(fileURLWithPath: first.csv))
        let second = try files.write(to: out)
        #expect(second.keptSheet == first.csv)
        #expect(second.csv.hasSuffix("review-2.csv"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: first.csv)) == Data(filled.utf8))
        // --force overwrites
        let forced = try files.write(to: out, force: true)
        #expect(forced.keptSheet == nil && forced.csv == first.csv)
        // once applied, the decisions are in the draft: the sheet may be replaced
        try Data(filled.utf8).write(to: URL(fileURLWithPath: first.csv))
        _ = try ReviewEdits.apply(try ReviewEdits.read(bytes: Array(filled.utf8), file: "review.csv", staged: staged), to: staged, in: f.live)
        let after = try StagedImports.load(f.live, id: staged.id)
        #expect(try ReviewFiles.make(for: after, renderCrops: false).write(to: out).keptSheet == nil)
    }

    // MARK: - hostile text

    @Test func hostileMenuTextIsInertInThePageAndTheTerminal() throws {
        let f = try MenuFixture()
        var items = MenuSample.items()
        items[0].name = "\"><img src=x onerror=\"window.__pwned=1\">"
        items[1].description = "</script><script>window.__pwned=1</script>"
        items[2].category = "Soup\u{1B}[2J\u{1B}]0;owned\u{07}"
        let staged = try f.stage(MenuSample.document(items: items))
        let html = try ReviewFiles.make(for: staged, renderCrops: false).html
        #expect(!html.contains("<img src=x"))
        #expect(html.contains("value=\"&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;\""))
        #expect(html.components(separatedBy: "<script").count == 2)
        #expect(!html.contains("</script><script>"))
        let edits = try ReviewEdits.read(bytes: editsJSON(staged, items: #"[{"seq": 3, "decision": "fix", "name": "Knots"}]"#), file: "e.json", staged: staged)
        let report = try ReviewEdits.apply(edits, to: staged, in: f.live)
        #expect(report.lines.allSatisfy { !$0.contains("\u{1B}") && !$0.contains("\u{07}") })
        #expect(TerminalText.neutralised("a\u{1B}[31mb\u{9B}c\u{202E}d\ne") == #"a\u001B[31mb\u009Bc\u202Ed"# + "\ne")
        let plan = try MenuPublisher.plan(try StagedImports.load(f.live, id: staged.id), in: f.live)
        #expect(!plan.text.contains("\u{1B}"))
    }
}

extension Array where Element == UInt8 {
    func replacingAll(_ a: String, with b: String) -> [UInt8] {
        Array(String(decoding: self, as: UTF8.self).replacingOccurrences(of: a, with: b).utf8)
    }
}
