import LiveDatabase
import Foundation
import TestSupport
import Testing

/// The built `backoffice` binary, run on a scratch live database (LiveSchema with one venue) and
/// the project's sample menus.
struct MenuEndToEndTests {
    static var root: URL { BuiltCommand.packageRoot }
    static func sample(_ name: String) -> String { root.appendingPathComponent("samples/menus/\(name)").path }

    typealias Run = ProcessResult

    /// A folder with live.db: the live schema and venue `v1` (given quota and credits).
    struct Scratch {
        /// The folder, removed when the last copy of the value goes.
        let folder: TemporaryFolder
        var dir: URL { folder.url }
        var db: String { dir.appendingPathComponent("live.db").path }

        init(quota: Int = 3, credits: Int = 25) throws {
            folder = try TemporaryFolder("menu-e2e")
            try sql(LiveSchema.sql + """
                ;INSERT INTO venues (id, name, currency, credits_remaining, max_menu_parses_remaining, approval_group_id, created_at, updated_at)
                VALUES ('v1', 'Corner Bistro', 'USD', \(credits), \(quota), 'g1', '2026-11-01T08:00:00Z', '2026-11-01T08:00:00Z');
                INSERT INTO credit_transactions (id, venue_id, amount, type, created_at) VALUES ('b1', 'v1', \(credits), 'bonus', '2026-11-01T08:00:00Z');
                """)
        }

        /// Runs SQL through the sqlite3 shell; returns its output.
        @discardableResult
        func sql(_ text: String) throws -> String {
            let r = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["sqlite3", db], stdin: text)
            #expect(r.status == 0, "sqlite3: \(r.stderr)")
            return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func backoffice(_ args: [String], environment: [String: String] = [:]) throws -> Run {
            try BuiltCommand.run(args + ["--db", db], environment: environment, in: dir)
        }
    }

    static var ready: Bool {
        BuiltCommand.isBuilt && FileManager.default.fileExists(atPath: sample("two_columns_usd.pdf"))
    }

    @Test(.enabled(if: ready)) func importExitCodesQuotaCreditsAndReimport() throws {
        let s = try Scratch(quota: 1, credits: 5)
        let first = try s.backoffice(["menu", "import", Self.sample("two_columns_usd.pdf"), "--venue", "v1", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any], "\(first.stderr)")
        let importId = try #require(json["import_id"] as? String)
        let items = json["items"] as? [[String: Any]] ?? []
        let flagged = items.contains { !(($0["flags"] as? [String]) ?? []).isEmpty }
        #expect(first.status == (flagged ? 1 : 0), "\(first.stderr)")
        #expect(try s.sql("SELECT max_menu_parses_remaining FROM venues") == "0")

        // the same PDF again: the same import, no charge
        let again = try s.backoffice(["menu", "import", Self.sample("two_columns_usd.pdf"), "--venue", "v1"])
        #expect(again.status == first.status)
        #expect(again.stdout.hasPrefix(importId))
        #expect(again.stderr.contains("already imported"))
        #expect(try s.sql("SELECT COUNT(*) FROM batch_menu_imports") == "1")
        #expect(try s.sql("SELECT credits_remaining FROM venues") == "5")

        // no quota left: refused, then paid with credits
        let refused = try s.backoffice(["menu", "import", Self.sample("single_column_eur.pdf"), "--venue", "v1"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--use-credits"))
        #expect(refused.stdout.isEmpty)
        #expect(try s.sql("SELECT COUNT(*) FROM batch_menu_imports") == "1")
        let paid = try s.backoffice(["menu", "import", Self.sample("single_column_eur.pdf"), "--venue", "v1", "--use-credits"])
        #expect(paid.status == 0 || paid.status == 1, "\(paid.stderr)")
        #expect(paid.stdout.contains("Paid with 5 credits"))
        #expect(try s.sql("SELECT credits_remaining FROM venues") == "0")
        #expect(try s.sql("SELECT amount || ' ' || type FROM credit_transactions WHERE type = 'menu_import'") == "-5 menu_import")
        #expect(try s.sql("SELECT SUM(amount) FROM credit_transactions") == "0")

        // not enough credits for a third
        let broke = try s.backoffice(["menu", "import", Self.sample("nairobi_kes.pdf"), "--venue", "v1", "--use-credits"])
        #expect(broke.status == 1)
        #expect(broke.stderr.contains("0 credits"))
        #expect(try s.sql("SELECT COUNT(*) FROM batch_menu_imports") == "2")
    }

    @Test(.enabled(if: ready)) func importRefusalsHaveTheirExitCodes() throws {
        let s = try Scratch()
        let pdf = Self.sample("two_columns_usd.pdf")
        #expect(try s.backoffice(["menu", "import", pdf, "--venue", "nope"]).status == 65)
        #expect(try s.backoffice(["menu", "import", s.dir.appendingPathComponent("gone.pdf").path, "--venue", "v1"]).status == 66)
        #expect(try s.backoffice(["menu", "import", pdf]).status == 64)
        #expect(try s.backoffice(["menu", "import", pdf, "--venue", "v1", "--structurer", "magic"]).status == 64)
        let llm = try s.backoffice(["menu", "import", pdf, "--venue", "v1", "--structurer", "llm"])
        #expect(llm.status == 64)
        #expect(llm.stderr.contains("BACKOFFICE_LLM_PROVIDER"))
        let notPDF = s.dir.appendingPathComponent("menu.pdf")
        try Data("not a pdf".utf8).write(to: notPDF)
        #expect(try s.backoffice(["menu", "import", notPDF.path, "--venue", "v1"]).status == 65)
        #expect(try s.sql("SELECT COUNT(*) FROM batch_menu_imports") == "0")
        #expect(try s.sql("SELECT max_menu_parses_remaining FROM venues") == "3")
        #expect(try s.backoffice(["menu", "review", "no-such-import"]).status == 65)
    }

    /// Plants a staged import (as `menu import` would have written it) with two flagged items and an
    /// injection attempt, then reviews, applies and publishes it through the binary.
    @Test(.enabled(if: ready)) func reviewApplyPublish() throws {
        let s = try Scratch()
        // creates the batch tables
        _ = try s.backoffice(["menu", "import", Self.sample("two_columns_usd.pdf"), "--venue", "v1"])
        let pdf = Self.sample("two_columns_usd.pdf")
        let sha = try s.sql("SELECT sha256 FROM batch_menu_imports")
        try s.sql("""
            DELETE FROM batch_menu_imports;
            INSERT INTO batch_menu_imports (id, venue_id, file, pdf_path, sha256, pages, structurer, currency, status, paid_with, questions, created_at)
            VALUES ('imp1', 'v1', 'two_columns_usd.pdf', '\(pdf)', '\(sha)', 1, 'heuristic', 'USD', 'draft', 'quota', '[]', '2026-11-20T10:00:00Z');
            INSERT INTO batch_menu_import_items (import_id, seq, category, name, description, price_cents, options, dietary_tags, confidence, flags, page, bbox) VALUES
              ('imp1', 1, 'Breakfast', 'Buttermilk Pancakes', 'Three pancakes', 900, '[]', '["vegetarian"]', 0.95, '[]', 1, '[50,100,300,130]'),
              ('imp1', 2, 'Breakfast', '<script>alert(1)</script>', NULL, 1050, '[]', '[]', 0.5, '["low_confidence"]', 1, '[50,140,300,170]'),
              ('imp1', 3, 'Lunch', '=HYPERLINK("x")', NULL, NULL, '[]', '[]', 0.6, '["no_price"]', 1, '[50,180,300,210]');
            INSERT INTO menu_items (id, venue_id, category, name, base_price_cents, available, created_at, updated_at)
            VALUES ('old-1', 'v1', 'Breakfast', 'Porridge', 500, 1, '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z');
            """)
        let review = try s.backoffice(["menu", "review", "imp1", "--out", "rev"])
        #expect(review.status == 0, "\(review.stderr)")
        let html = try String(contentsOf: s.dir.appendingPathComponent("rev/review.html"), encoding: .utf8)
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script>alert"))
        // a crop per item, and the page for adding a missed item
        #expect(html.components(separatedBy: "data:image/png;base64,").count == 5)
        let csvURL = s.dir.appendingPathComponent("rev/review.csv")
        let csv = try String(contentsOf: csvURL, encoding: .utf8)
        #expect(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""))

        // publishing before the review is refused
        let early = try s.backoffice(["menu", "publish", "imp1"])
        #expect(early.status == 1)
        #expect(early.stderr.contains("#2") && early.stderr.contains("#3"))
        #expect(try s.sql("SELECT COUNT(*) FROM menu_items") == "1")

        // a malformed edit: 65 with the line
        let bad = csv.replacingOccurrences(of: "\r\n2,,", with: "\r\n2,perhaps,")
        try bad.write(to: s.dir.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let rejected = try s.backoffice(["menu", "apply", "imp1", "--edits", "bad.csv"])
        #expect(rejected.status == 65)
        #expect(rejected.stderr.contains("bad.csv, line 3"), "\(rejected.stderr)")

        // keep #2, fix #3 with a price
        let edited = csv.replacingOccurrences(of: "\r\n2,,", with: "\r\n2,keep,")
            .replacingOccurrences(of: "\r\n3,,Lunch,\"'=HYPERLINK(\"\"x\"\")\",,,", with: "\r\n3,fix,Lunch,Club Sandwich,,12.50,")
        #expect(edited != csv.replacingOccurrences(of: "\r\n2,,", with: "\r\n2,keep,"))
        try edited.write(to: s.dir.appendingPathComponent("edits.csv"), atomically: true, encoding: .utf8)
        let applied = try s.backoffice(["menu", "apply", "imp1", "--edits", "edits.csv"])
        #expect(applied.status == 0, "\(applied.stdout) \(applied.stderr)")
        #expect(applied.stdout.contains("price none → 12.50"))

        let dry = try s.backoffice(["menu", "publish", "imp1", "--dry-run", "--json"])
        #expect(dry.status == 0, "\(dry.stderr)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any])
        #expect((plan["new"] as? [Any])?.count == 3)
        #expect((plan["removed"] as? [[String: Any]])?.first?["menu_item_id"] as? String == "old-1")
        #expect(plan["dry_run"] as? Bool == true)
        #expect(try s.sql("SELECT COUNT(*) FROM menu_items") == "1")

        let published = try s.backoffice(["menu", "publish", "imp1"])
        #expect(published.status == 0, "\(published.stderr)")
        #expect(published.stdout.contains("+ new      Lunch / Club Sandwich: 12.50 USD"))
        #expect(try s.sql("SELECT COUNT(*) FROM menu_items") == "4")
        #expect(try s.sql("SELECT available FROM menu_items WHERE id = 'old-1'") == "0")
        #expect(try s.sql("SELECT status FROM batch_menu_imports WHERE id = 'imp1'") == "published")
        let snapshot = try s.sql("SELECT * FROM menu_items ORDER BY id")

        let twice = try s.backoffice(["menu", "publish", "imp1"])
        #expect(twice.status == 0)
        #expect(twice.stdout.contains("Already published"))
        #expect(try s.sql("SELECT * FROM menu_items ORDER BY id") == snapshot)
    }

    /// Every item keeps its evidence: the lines it was read from and each price's printed cell,
    /// in the JSON, through the staging table, and on the review page (the cell as printed,
    /// outlined in the crop, which reaches a price column far from the name).
    @Test(.enabled(if: ready)) func itemsKeepTheirLinesAndPriceCellsThroughReview() throws {
        let s = try Scratch()
        let pdf = Self.sample("size_columns_pizza_gbp.pdf")
        let extracted = try BuiltCommand.run(["menu", "extract", pdf, "--json"], in: s.dir)
        #expect(extracted.status == 0, "\(extracted.stderr)")
        let menu = try #require(try JSONSerialization.jsonObject(with: Data(extracted.stdout.utf8)) as? [String: Any])
        let items = try #require(menu["items"] as? [[String: Any]])
        #expect(!items.isEmpty)
        var printed: [String] = []
        for item in items {
            let name = item["name"] as? String ?? "?"
            let source = try #require(item["source"] as? [String: Any])
            let lines = source["lines"] as? [String] ?? []
            #expect(lines.contains { $0.contains(name) }, "\(name): lines \(lines)")
            let cells = source["price_cells"] as? [[String: Any]] ?? []
            let base = (item["price_cents"] as? Int) ?? -1
            let deltas = ((item["options"] as? [[String: Any]])?.first?["choices"] as? [[String: Any]] ?? []).compactMap { $0["price_delta_cents"] as? Int }
            let prices = Set([base] + deltas.map { base + $0 })
            #expect(cells.count == max(1, deltas.count), "\(name): \(cells)")
            let box = source["bbox"] as? [Double] ?? []
            for cell in cells {
                let text = cell["text"] as? String ?? ""
                let digits = Int(text.filter(\.isNumber)) ?? -1
                #expect(prices.contains(digits) || prices.contains(digits * 100), "\(name): cell '\(text)' is none of \(prices)")
                let b = cell["bbox"] as? [Double] ?? []
                // the cell is on the item's baseline band, not somewhere else on the page
                #expect(b.count == 4 && box.count == 4 && b[1] < box[3] && b[3] > box[1], "\(name): \(b) vs \(box)")
                printed.append(text)
            }
        }
        let imported = try s.backoffice(["menu", "import", pdf, "--venue", "v1", "--json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let id = try #require((try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [String: Any])?["import_id"] as? String)
        #expect(try s.sql("SELECT COUNT(*) FROM batch_menu_import_items WHERE evidence LIKE '%price_cells%'") == String(items.count))
        let review = try s.backoffice(["menu", "review", id, "--out", "rev"])
        #expect(review.status == 0, "\(review.stderr)")
        let html = try String(contentsOf: s.dir.appendingPathComponent("rev/review.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "class=\"printed muted\"").count - 1 == items.count)
        for text in printed { #expect(html.contains(text), "\(text) not on the review page") }
    }

    /// `--structurer llm` against a chat-completions server on 127.0.0.1: an answer naming a dish the
    /// page does not print is flagged (exit 1); a server that stays down is 69 and charges nothing.
    @Test(.enabled(if: ready)) func llmImportThroughALoopbackServer() throws {
        let s = try Scratch(quota: 3)
        let content = #"{"currency": "USD", "items": [{"category": "Breakfast", "name": "Buttermilk Pancakes", "price": "9.00"}, {"category": "Breakfast", "name": "Lobster Thermidor", "price": "48.00"}], "questions": []}"#
        // a provider that stays down (503 to every request), then one that answers
        func withServer(up: Bool, _ body: (Int) throws -> Void) throws {
            let server = try LoopbackLLMServer(reply: LoopbackLLMServer.openAIReply(content), failFirst: up ? 0 : Int(Int32.max))
            try withExtendedLifetime(server) { try body(server.port) }
        }
        func settings(_ port: Int) -> [String: String] {
            ["BACKOFFICE_LLM_PROVIDER": "openai", "BACKOFFICE_LLM_BASE_URL": "http://127.0.0.1:\(port)/v1",
             "BACKOFFICE_LLM_MODEL": "test-model", "OPENAI_API_KEY": "sk-test"]
        }
        try withServer(up: false) { port in
            let down = try s.backoffice(["menu", "import", Self.sample("two_columns_usd.pdf"), "--venue", "v1", "--structurer", "llm"], environment: settings(port))
            #expect(down.status == 69, "\(down.stderr)")
            #expect(down.stderr.contains("unavailable"))
            #expect(try s.sql("SELECT COUNT(*) FROM batch_menu_imports") == "0")
            #expect(try s.sql("SELECT max_menu_parses_remaining FROM venues") == "3")
        }
        try withServer(up: true) { port in
            let run = try s.backoffice(["menu", "import", Self.sample("two_columns_usd.pdf"), "--venue", "v1", "--structurer", "llm", "--json"], environment: settings(port))
            #expect(run.status == 1, "\(run.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            #expect(json["structurer"] as? String == "llm")
            let items = try #require(json["items"] as? [[String: Any]])
            #expect(items.count == 2)
            #expect((items[0]["flags"] as? [String]) == [])
            #expect((items[1]["flags"] as? [String])?.contains("name_not_in_source") == true)
            #expect((items[1]["flags"] as? [String])?.contains("price_not_in_source") == true)
            // metered per venue and import, never with the key
            let importId = try #require(json["import_id"] as? String)
            #expect(run.stderr.contains("LLM usage: 1 call, 100 input + 20 output tokens"), "\(run.stderr)")
            #expect(try s.sql("SELECT venue_id, import_id, page, provider, model, input_tokens, output_tokens, outcome FROM batch_llm_calls WHERE outcome = 'ok'")
                    == "v1|\(importId)|1|openai|test-model|100|20|ok")
            #expect(try s.sql("SELECT COUNT(*) FROM batch_llm_answers") == "1")
            #expect(try s.sql("SELECT COUNT(*) FROM batch_llm_calls WHERE run_id LIKE '%sk-test%' OR model LIKE '%sk-test%'") == "0")
            #expect(!run.stderr.contains("sk-test"))

            // the same menu for another venue: answered from the cache, priced from the operator's table
            try s.sql("INSERT INTO venues (id, name, currency, credits_remaining, max_menu_parses_remaining, approval_group_id, created_at, updated_at) VALUES ('v2', 'Other', 'USD', 0, 3, 'g1', '2026-11-01T08:00:00Z', '2026-11-01T08:00:00Z');")
            var priced = settings(port)
            priced["BACKOFFICE_LLM_PRICES"] = "test-model=1/2"
            let cached = try s.backoffice(["menu", "import", Self.sample("two_columns_usd.pdf"), "--venue", "v2", "--structurer", "llm"], environment: priced)
            #expect(cached.status == 1, "\(cached.stderr)")
            #expect(cached.stdout.contains("LLM usage: 0 calls (1 page from the cache), 0 input + 0 output tokens, about $0.0000."), "\(cached.stdout)")
            #expect(try s.sql("SELECT COUNT(*) FROM batch_llm_calls WHERE venue_id = 'v2' AND outcome = 'cached'") == "1")

        }
    }

    /// `--structurer` defaults to auto when an LLM is configured; a spent budget on an llm import is 69.
    @Test(.enabled(if: ready)) func llmBudgetIsExit69UnlessTheOwnerAgreesToFallBack() throws {
        let s = try Scratch(quota: 3)
        let content = #"{"currency": "USD", "items": [{"category": "Breakfast", "name": "Buttermilk Pancakes", "price": "9.00"}], "questions": []}"#
        let server = try LoopbackLLMServer(reply: LoopbackLLMServer.openAIReply(content))
        let settings = ["BACKOFFICE_LLM_PROVIDER": "openai", "BACKOFFICE_LLM_BASE_URL": server.baseURL, "BACKOFFICE_LLM_MODEL": "test-model",
                        "OPENAI_API_KEY": "sk-test", "BACKOFFICE_LLM_MONTHLY_TOKENS": "50"]
        try s.sql("INSERT INTO venues (id, name, currency, credits_remaining, max_menu_parses_remaining, approval_group_id, created_at, updated_at) VALUES ('v2', 'Other', 'USD', 0, 3, 'g1', '2026-11-01T08:00:00Z', '2026-11-01T08:00:00Z');")
        // v1 spends the budget on its first page
        let first = try s.backoffice(["menu", "import", Self.sample("two_columns_usd.pdf"), "--venue", "v1", "--structurer", "llm"], environment: settings)
        #expect(first.status == 0, "\(first.stderr)")
        let again = try s.backoffice(["menu", "import", Self.sample("two_columns_usd.pdf"), "--venue", "v2", "--structurer", "llm", "--no-cache"], environment: settings)
        #expect(again.status == 0, "another venue has its own budget: \(again.stderr)")
        try s.sql("DELETE FROM batch_menu_imports; DELETE FROM batch_menu_import_items;")
        let over = try s.backoffice(["menu", "import", Self.sample("two_columns_usd.pdf"), "--venue", "v1", "--structurer", "llm", "--no-cache"], environment: settings)
        #expect(over.status == 69, "\(over.stderr)")
        #expect(over.stderr.contains("has used 120 of its 50 LLM tokens this month"), "\(over.stderr)")
        #expect(try s.sql("SELECT COUNT(*) FROM batch_menu_imports") == "0")
        let agreed = try s.backoffice(["menu", "import", Self.sample("two_columns_usd.pdf"), "--venue", "v1", "--structurer", "llm", "--no-cache", "--fallback", "heuristic", "--json"], environment: settings)
        #expect(agreed.status == 1, "\(agreed.stderr)")
        #expect(agreed.stdout.contains("layout_fallback"))
        #expect(try server.requests().count == 2)
        // without --structurer, auto is the default once an LLM is configured
        let defaulted = try BuiltCommand.run(["menu", "extract", Self.sample("two_columns_usd.pdf"), "--json"], environment: settings)
        #expect(defaulted.stdout.contains("\"structurer\" : \"auto\""), "\(defaulted.stderr)")
    }
}
