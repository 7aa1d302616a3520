import Foundation
import LiveDatabase
import TestSupport
import Testing

/// `backoffice runs`, `venues` and `menu imports` on scratch databases: empty, one, many, and the
/// JSON shape.
@Suite(.enabled(if: BuiltCommand.isBuilt)) struct ListingsEndToEnd {
    /// A live database made from the live schema, with what each test inserts.
    struct Scratch {
        let folder: TemporaryFolder
        var db: String { folder.file("live.db").path }

        init() throws {
            folder = try TemporaryFolder("listings")
            try sql(LiveSchema.sql)
        }

        @discardableResult
        func sql(_ text: String) throws -> String {
            let r = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["sqlite3", db], stdin: text)
            #expect(r.status == 0, "sqlite3: \(r.stderr)")
            return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func venue(_ id: String, name: String, created: String) throws {
            try sql("""
                INSERT INTO venues (id, name, currency, credits_remaining, max_menu_parses_remaining, approval_group_id, created_at, updated_at)
                VALUES ('\(id)', '\(name)', 'USD', 25, 3, 'g1', '\(created)', '\(created)');
                INSERT INTO credit_transactions (id, venue_id, amount, type, created_at) VALUES ('b-\(id)', '\(id)', 25, 'bonus', '\(created)');
                """)
        }

        func backoffice(_ args: [String]) throws -> ProcessResult {
            try BuiltCommand.run(args + ["--db", db], in: folder.url)
        }
    }

    /// The rows of a listing's table, without its header.
    static func rows(_ stdout: String) -> [String] {
        Array(stdout.split(separator: "\n").map(String.init).dropFirst())
    }

    static func jsonArray(_ stdout: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [[String: Any]], "not a JSON array: \(stdout)")
    }

    @Test func venuesEmptyOneManyAndJSON() throws {
        let s = try Scratch()
        let empty = try s.backoffice(["venues"])
        #expect(empty.status == 0)
        #expect(empty.stdout.hasPrefix("No venues in "), "\(empty.stdout)")
        #expect(try s.backoffice(["venues", "--json"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")

        try s.venue("v-old", name: "Corner Bistro", created: "2025-01-01T09:00:00Z")
        let one = try s.backoffice(["venues"])
        #expect(one.status == 0)
        #expect(one.stdout.hasPrefix("VENUE "))
        #expect(Self.rows(one.stdout).count == 1)
        #expect(Self.rows(one.stdout).first?.contains("v-old  Corner Bistro") == true)

        // a name with a terminal escape in it is shown inert; the newest venue comes first
        try s.venue("v-new", name: "Evil\u{1B}[2J Diner", created: "2026-06-01T09:00:00Z")
        try s.venue("v-mid", name: "Harbor Grill", created: "2025-06-01T09:00:00Z")
        let many = try s.backoffice(["venues"])
        let rows = Self.rows(many.stdout)
        #expect(rows.map { String($0.prefix(5)) } == ["v-new", "v-mid", "v-old"])
        #expect(!many.stdout.contains("\u{1B}"))
        #expect(rows[0].contains("Evil?[2J Diner"))
        // the columns line up: every row is as wide as the header up to the last column
        let header = many.stdout.split(separator: "\n")[0]
        let created = try #require(header.range(of: "CREATED")).lowerBound.utf16Offset(in: header)
        for row in rows { #expect(row.utf16.count >= created && Array(row.utf16)[created - 2] == 32) }

        let json = try Self.jsonArray(try s.backoffice(["venues", "--json"]).stdout)
        #expect(json.count == 3)
        #expect(Set(json[0].keys) == ["id", "name", "status", "currency", "credits_remaining", "free_menu_imports_remaining",
                                      "menu_items", "menu_imports", "created_at"])
        #expect(json[0]["id"] as? String == "v-new")
        #expect(json[2]["credits_remaining"] as? Int == 25)
    }

    @Test func menuImportsEmptyOneManyFiltersAndJSON() throws {
        let s = try Scratch()
        try s.venue("v1", name: "Corner Bistro", created: "2025-01-01T09:00:00Z")
        try s.venue("v2", name: "Harbor Grill", created: "2025-02-01T09:00:00Z")
        let empty = try s.backoffice(["menu", "imports"])
        #expect(empty.status == 0)
        #expect(empty.stdout.hasPrefix("No menu imports yet; `backoffice menu import"), "\(empty.stdout)")

        let menus = BuiltCommand.packageRoot.appendingPathComponent("samples/menus")
        let first = try s.backoffice(["menu", "import", menus.appendingPathComponent("single_column_eur.pdf").path, "--venue", "v1"])
        try #require(first.status <= 1, "\(first.stderr)")
        let firstId = String(first.stdout.prefix(while: { $0 != "\n" }))
        let one = try s.backoffice(["menu", "imports"])
        #expect(Self.rows(one.stdout).count == 1)
        #expect(Self.rows(one.stdout).first?.hasPrefix(firstId + "  Corner Bistro  draft") == true, "\(one.stdout)")

        let second = try s.backoffice(["menu", "import", menus.appendingPathComponent("two_columns_usd.pdf").path, "--venue", "v2"])
        try #require(second.status <= 1, "\(second.stderr)")
        let secondId = String(second.stdout.prefix(while: { $0 != "\n" }))
        try s.sql("UPDATE batch_menu_imports SET status = 'reviewed' WHERE id = '\(firstId)'")

        let many = try s.backoffice(["menu", "imports"])
        #expect(Self.rows(many.stdout).map { String($0.prefix(36)) } == [secondId, firstId])   // newest first
        #expect(Self.rows(try s.backoffice(["menu", "imports", "--venue", "v1"]).stdout).count == 1)
        let applied = try s.backoffice(["menu", "imports", "--state", "applied"])
        #expect(Self.rows(applied.stdout).map { String($0.prefix(36)) } == [firstId])
        let none = try s.backoffice(["menu", "imports", "--state", "published"])
        #expect(none.status == 0)
        #expect(none.stdout.hasPrefix("No menu imports in state published"))
        #expect(try s.backoffice(["menu", "imports", "--state", "shipped"]).status == 64)

        let json = try Self.jsonArray(try s.backoffice(["menu", "imports", "--json"]).stdout)
        #expect(json.map { $0["id"] as? String } == [secondId, firstId])
        #expect(Set(json[0].keys) == ["id", "venue_id", "venue_name", "file", "state", "structurer", "items", "flagged",
                                      "paid_with", "created_at", "published_at"])
        #expect(json[1]["state"] as? String == "applied")
        #expect(json[1]["published_at"] is NSNull)
        #expect((json[0]["items"] as? Int ?? 0) > 0)
    }

    @Test func runsEmptyOneManyLimitAndJSON() throws {
        let scratch = try TemporaryFolder("listings-runs")
        let db = scratch.file("live.db").path
        let made = try BuiltCommand.run(["samples", "--out", scratch.path, "--quiet", "--venues", "2", "--days", "2", "--orders-per-day", "5"])
        try #require(made.status == 0, "\(made.stderr)")

        let empty = try BuiltCommand.run(["runs", "--db", db])
        #expect(empty.status == 0)
        #expect(empty.stdout.hasPrefix("No runs recorded yet; `backoffice reconcile"), "\(empty.stdout)")
        #expect(try BuiltCommand.run(["runs", "--json", "--db", db]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")

        let exports = scratch.file("exports")
        let stripe = try BuiltCommand.run(["reconcile", exports.appendingPathComponent("stripe").path, "--db", db, "--json"])
        try #require(stripe.status <= 1, "\(stripe.stderr)")
        let stripeRun = try #require(try JSONSerialization.jsonObject(with: Data(stripe.stdout.utf8)) as? [String: Any])["run_id"] as? String
        let one = try BuiltCommand.run(["runs", "--db", db])
        #expect(Self.rows(one.stdout).count == 1)
        #expect(Self.rows(one.stdout).first?.hasPrefix(try #require(stripeRun) + "  reconcile") == true, "\(one.stdout)")

        let mpesa = try BuiltCommand.run(["reconcile", exports.appendingPathComponent("mpesa").path, "--db", db, "--json"])
        try #require(mpesa.status <= 1, "\(mpesa.stderr)")
        let mpesaRun = try #require(try JSONSerialization.jsonObject(with: Data(mpesa.stdout.utf8)) as? [String: Any])["run_id"] as? String
        let many = try BuiltCommand.run(["runs", "--db", db])
        #expect(Self.rows(many.stdout).map { String($0.prefix(while: { $0 != " " })) } == [mpesaRun, stripeRun])   // newest first

        let limited = try BuiltCommand.run(["runs", "--limit", "1", "--db", db])
        #expect(Self.rows(limited.stdout).count == 1)
        #expect(limited.stderr.contains("--limit N shows more"))
        #expect(try BuiltCommand.run(["runs", "--limit", "0", "--db", db]).status == 64)

        let json = try Self.jsonArray(try BuiltCommand.run(["runs", "--json", "--db", db]).stdout)
        #expect(json.map { $0["id"] as? String } == [mpesaRun, stripeRun])
        #expect(Set(json[0].keys) == ["id", "command", "started_at", "finished_at", "period_from", "period_to", "venue_id",
                                      "inputs", "matched", "exceptions"])
        #expect(json[0]["venue_id"] is NSNull)
        #expect(json[1]["inputs"] as? Int == 2)
    }

    @Test(arguments: [["runs"], ["venues"], ["menu", "imports"]])
    func missingDatabaseIs66(_ command: [String]) throws {
        let result = try BuiltCommand.run(command + ["--db", "/nonexistent/live.db"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("/nonexistent/live.db does not exist"))
    }
}
