import Foundation
import LiveDatabase
import TestSupport
import Testing

/// Issue #16, what the owner sees: review.html in headless Chromium (Debian's chromium and
/// chromium-driver, driven by Selenium through `Tests/browser/review_page.py`). The page edits a
/// price, drops an item by the keyboard, adds one, moves two to another category and downloads the
/// edits file (after a reload, which must lose nothing); `menu apply` with it and `menu publish`
/// give exactly those changes in `menu_items`.
struct ReviewBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let driver = FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
    static let selenium: Bool = {
        (try? runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import selenium"]).status) == 0
    }()
    static var ready: Bool { MenuEndToEndTests.ready && chromium != nil && driver && selenium }
    static var script: String { BuiltCommand.packageRoot.appendingPathComponent("Tests/browser/review_page.py").path }

    static let hostileName = "\"><img src=x onerror=\"window.__pwned=1\">"
    static let hostileDescription = "</script><script>window.__pwned=1</script>"
    static let hostileCategory = "Lunch\u{1B}[2J\u{1B}]0;pwned\u{07}"

    /// Plants a staged import as `menu import` writes it: misfiled pizzas, two flagged items and
    /// hostile text.
    func plant(_ s: MenuEndToEndTests.Scratch) throws {
        _ = try s.backoffice(["menu", "import", MenuEndToEndTests.sample("two_columns_usd.pdf"), "--venue", "v1"])
        let pdf = MenuEndToEndTests.sample("two_columns_usd.pdf")
        let sha = try s.sql("SELECT sha256 FROM batch_menu_imports")
        func q(_ t: String) -> String { "'" + t.replacingOccurrences(of: "'", with: "''") + "'" }
        let esc = "char(27)", bel = "char(7)"
        try s.sql("""
            DELETE FROM batch_menu_import_items; DELETE FROM batch_menu_imports;
            INSERT INTO batch_menu_imports (id, venue_id, file, pdf_path, sha256, pages, structurer, currency, status, paid_with, questions, created_at)
            VALUES ('imp1', 'v1', 'two_columns_usd.pdf', \(q(pdf)), '\(sha)', 1, 'heuristic', 'USD', 'draft', 'quota', '["Is the Club Sandwich served all day?"]', '2026-11-20T10:00:00Z');
            INSERT INTO batch_menu_import_items (import_id, seq, category, name, description, price_cents, options, dietary_tags, confidence, flags, page, bbox) VALUES
              ('imp1', 1, 'Breakfast', 'Buttermilk Pancakes', 'Three pancakes', 900, '[]', '["vegetarian"]', 0.95, '[]', 1, '[50,100,300,130]'),
              ('imp1', 2, 'Breakfast', 'French Toast', NULL, 1000, '[]', '[]', 0.95, '[]', 1, '[50,140,300,170]'),
              ('imp1', 3, 'Salads', 'Margherita Pizza', NULL, 1200, '[]', '[]', 0.9, '[]', 1, '[50,180,300,210]'),
              ('imp1', 4, 'Salads', 'Diavola Pizza', NULL, 1300, '[]', '["spicy"]', 0.9, '[]', 1, '[50,220,300,250]'),
              ('imp1', 5, 'Salads', 'Caesar Salad', NULL, 1100, '[]', '[]', 0.9, '[]', 1, '[50,260,300,290]'),
              ('imp1', 6, 'Lunch' || \(esc) || '[2J' || \(esc) || ']0;pwned' || \(bel), \(q(Self.hostileName)), \(q(Self.hostileDescription)), 1050, '[]', '[]', 0.5, '["low_confidence"]', 1, '[50,300,300,330]'),
              ('imp1', 7, 'Lunch', 'Club Sandwich', NULL, 1250, '[]', '[]', 0.8, '["price_not_in_source"]', 1, '[320,100,560,130]');
            UPDATE batch_menu_import_items SET evidence = '{"lines":["Buttermilk Pancakes $9"],"price_cells":[{"bbox":[250,100,300,130],"text":"$9"}]}' WHERE seq = 1;
            """)
    }

    /// `name|category|price|available` of every live row, by name.
    func menu(_ s: MenuEndToEndTests.Scratch) throws -> [String] {
        try s.sql("SELECT name || '|' || hex(category) || '|' || base_price_cents || '|' || available FROM menu_items ORDER BY name, category")
            .split(separator: "\n").map(String.init)
    }

    func hex(_ t: String) -> String { t.utf8.map { String(format: "%02X", $0) }.joined() }

    @Test(.enabled(if: ready, "needs the built command, chromium, chromium-driver and selenium (scripts/deps --test)"))
    func theOwnerEditsInTheBrowserAndPublishesExactlyThat() throws {
        let s = try MenuEndToEndTests.Scratch()
        try plant(s)

        // First the menu as read goes live (the sheet way: keep the two flagged items).
        #expect(try s.backoffice(["menu", "review", "imp1", "--out", "rev"]).status == 0)
        let sheet = try String(contentsOf: s.dir.appendingPathComponent("rev/review.csv"), encoding: .utf8)
            .replacingOccurrences(of: "\r\n6,,", with: "\r\n6,keep,").replacingOccurrences(of: "\r\n7,,", with: "\r\n7,keep,")
        try sheet.write(to: s.dir.appendingPathComponent("rev/review.csv"), atomically: true, encoding: .utf8)
        let baseline = try s.backoffice(["menu", "apply", "imp1", "--edits", "rev/review.csv"])
        #expect(baseline.status == 0, "\(baseline.stdout) \(baseline.stderr)")
        #expect(try s.backoffice(["menu", "publish", "imp1"]).status == 0)
        let before = try menu(s)
        #expect(before.count == 7)

        // Then the owner's review in the browser.
        let review = try s.backoffice(["menu", "review", "imp1", "--out", "rev"])
        #expect(review.status == 0, "\(review.stderr)")
        #expect(!review.stderr.contains("holds decisions"))   // they were applied: the sheet may be replaced
        let downloads = s.dir.appendingPathComponent("downloads")
        try FileManager.default.createDirectory(at: downloads, withIntermediateDirectories: true)
        let shot1280 = s.dir.appendingPathComponent("review-1280.png").path, shot390 = s.dir.appendingPathComponent("review-390.png").path
        let run = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), [
            "python3", Self.script, s.dir.appendingPathComponent("rev/review.html").path, "--downloads", downloads.path,
            "--price", "2=10.50", "--drop", "5", "--move", "3,4=Pizzas", "--add", "Calzone|Pizzas|14.00|1",
            "--answer", "Yes, from 11 to 4.", "--reload",
            "--screenshot", "1280=\(shot1280)", "--screenshot", "390=\(shot390)",
        ], limit: 180)
        #expect(run.status == 0, "\(run.stderr.suffix(2000))")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout) \(run.stderr.suffix(1000))")

        // the edits came back after a reload (kept in the browser), and are what was saved below
        #expect(out["restored"] as? Bool == true)
        // hostile text stayed text: no script of its own ran, the name shows as typed
        #expect(out["pwned"] is NSNull)
        #expect(out["scripts"] as? Int == 1)
        #expect((out["names"] as? [String: String])?["6"] == Self.hostileName)
        #expect((out["flags"] as? [String])?.contains { $0.contains("The price 12.50 was not found on the page") } == true)
        let states = out["states"] as? [String: String] ?? [:]
        #expect(states["5"] == "dropped" && states["2"] == "changed" && states["3"] == "changed", "\(states)")

        // it renders at 1280 and 390 px, and never scrolls sideways
        for (width, path) in [("1280", shot1280), ("390", shot390)] {
            let png = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(png.count > 20_000, "the \(width) px screenshot looks blank (\(png.count) bytes)")
            let w = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
            #expect(w == Int(width), "screenshot is \(w) px wide")
            let m = (out["screenshots"] as? [String: Any])?[width] as? [String: Any] ?? [:]
            let scroll = m["scroll"] as? Int ?? -1, client = m["client"] as? Int ?? 0
            #expect(scroll <= client, "at \(width) px the page is \(scroll) px wide in \(client)")
            #expect(m["cards"] as? Int == 7)
            #expect((m["narrowest"] as? Double ?? 0) >= 150, "at \(width) px the name field is \(m["narrowest"] ?? "?") px")
            // the price as printed, outlined in the crop, is shown whole beside the fields
            #expect(m["printed"] as? Int == 1, "at \(width) px: \(m["printed"] ?? "?") printed price cells shown whole")
        }

        // the edits file: the page's decisions, with the import and its draft
        let file = try #require(out["download"] as? String, "nothing was downloaded: \(out)")
        let edits = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        #expect(edits["import_id"] as? String == "imp1")
        #expect((edits["draft"] as? String)?.count == 16)
        #expect(!(try String(contentsOfFile: file, encoding: .utf8)).contains("\u{1B}"))

        let applied = try s.backoffice(["menu", "apply", "imp1", "--edits", file])
        #expect(applied.status == 0, "\(applied.stdout) \(applied.stderr)")
        #expect(applied.stdout.contains("#2 French Toast: fixed: price 10.00 → 10.50"))
        #expect(applied.stdout.contains("#8 Calzone: added to Pizzas at 14.00 USD"))
        #expect(applied.stdout.contains("Answered: Is the Club Sandwich served all day? → Yes, from 11 to 4."))
        #expect(!applied.stdout.contains("\u{1B}") && !applied.stdout.contains("\u{07}"))
        // the same file again: made from an older draft now
        let again = try s.backoffice(["menu", "apply", "imp1", "--edits", file])
        #expect(again.status == 65)
        #expect(again.stderr.contains("older draft"))

        let published = try s.backoffice(["menu", "publish", "imp1"])
        #expect(published.status == 0, "\(published.stdout) \(published.stderr)")
        #expect(!published.stdout.contains("\u{1B}"))
        #expect(published.stdout.contains("1 new, 3 changed, 1 no longer on the menu, 3 unchanged"), "\(published.stdout)")

        // exactly those changes
        var expected = before
        func replace(_ name: String, _ with: String) {
            if let i = expected.firstIndex(where: { $0.hasPrefix(name + "|") }) { expected[i] = with }
        }
        replace("French Toast", "French Toast|\(hex("Breakfast"))|1050|1")
        replace("Margherita Pizza", "Margherita Pizza|\(hex("Pizzas"))|1200|1")
        replace("Diavola Pizza", "Diavola Pizza|\(hex("Pizzas"))|1300|1")
        replace("Caesar Salad", "Caesar Salad|\(hex("Salads"))|1100|0")
        expected.append("Calzone|\(hex("Pizzas"))|1400|1")
        #expect(try menu(s).sorted() == expected.sorted())
        // the hostile row is kept as data, byte for byte
        #expect(try s.sql("SELECT hex(name) FROM menu_items WHERE base_price_cents = 1050 AND name <> 'French Toast'") == hex(Self.hostileName))
        #expect(try s.sql("SELECT hex(category) FROM menu_items WHERE base_price_cents = 1050 AND name <> 'French Toast'") == hex(Self.hostileCategory))
    }

    /// The sheet way, through the built command: a filled-in sheet is never overwritten, another
    /// import's sheet is refused, and a sheet Excel saved in Windows-1252 keeps its ’.
    @Test(.enabled(if: MenuEndToEndTests.ready)) func theSheetRoundTripCannotDamageTheMenu() throws {
        let s = try MenuEndToEndTests.Scratch()
        try plant(s)
        #expect(try s.backoffice(["menu", "review", "imp1", "--out", "rev"]).status == 0)
        let csvURL = s.dir.appendingPathComponent("rev/review.csv")
        let filled = try String(contentsOf: csvURL, encoding: .utf8)
            .replacingOccurrences(of: "\r\n6,,", with: "\r\n6,drop,").replacingOccurrences(of: "\r\n7,,", with: "\r\n7,keep,")
            .replacingOccurrences(of: "\r\n1,,Breakfast,Buttermilk Pancakes,Three pancakes,", with: "\r\n1,fix,Breakfast,Buttermilk Pancakes,Chef’s three pancakes,")
        let bytes = Data([0xEF, 0xBB, 0xBF] + Array(filled.utf8))
        try bytes.write(to: csvURL)

        // review again: the filled sheet stays, the new one goes beside it
        let again = try s.backoffice(["menu", "review", "imp1", "--out", "rev"])
        #expect(again.status == 0)
        #expect(again.stderr.contains("holds decisions that were not applied"), "\(again.stderr)")
        #expect(again.stdout.contains("review-2.csv"))
        #expect(try Data(contentsOf: csvURL) == bytes)
        #expect(FileManager.default.fileExists(atPath: s.dir.appendingPathComponent("rev/review-2.csv").path))
        // --force replaces it
        let forced = try s.backoffice(["menu", "review", "imp1", "--out", "rev", "--force"])
        #expect(forced.status == 0 && !forced.stderr.contains("holds decisions"))
        #expect(!(try String(contentsOf: csvURL, encoding: .utf8)).contains("6,drop,"))

        // another import's sheet: 65, nothing applied
        let other = filled.replacingOccurrences(of: ",imp1,", with: ",imp9,")
        try other.write(to: s.dir.appendingPathComponent("other.csv"), atomically: true, encoding: .utf8)
        let refused = try s.backoffice(["menu", "apply", "imp1", "--edits", "other.csv"])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("made for the menu import imp9, not imp1"), "\(refused.stderr)")
        #expect(try s.sql("SELECT COUNT(*) FROM batch_menu_import_items WHERE decision IS NOT NULL") == "0")

        // the sheet as Excel on Windows saves it: Windows-1252, ’ as 0x92
        let cp1252 = Data(filled.unicodeScalars.map { $0 == "’" ? 0x92 : UInt8(truncatingIfNeeded: $0.value) })
        try cp1252.write(to: s.dir.appendingPathComponent("excel.csv"))
        let applied = try s.backoffice(["menu", "apply", "imp1", "--edits", "excel.csv"])
        #expect(applied.status == 0, "\(applied.stdout) \(applied.stderr)")
        #expect(try s.sql("SELECT description FROM batch_menu_import_items WHERE seq = 1") == "Chef’s three pancakes")
        // and the same sheet with the ’ already lost: refused, not stored damaged
        try Data(filled.replacingOccurrences(of: "’", with: "\u{FFFD}").utf8).write(to: s.dir.appendingPathComponent("lost.csv"))
        let lost = try s.backoffice(["menu", "apply", "imp1", "--edits", "lost.csv"])
        #expect(lost.status == 65)
        #expect(lost.stderr.contains("replacement character"), "\(lost.stderr)")
    }
}
