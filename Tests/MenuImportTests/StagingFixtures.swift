import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
import TestSupport
@testable import MenuImport

/// A scratch live database (LiveSchema.sql) with one venue, in its own temporary folder.
final class MenuFixture {
    private let scratch: TemporaryFolder
    var dir: URL { scratch.url }
    let path: String
    let live: LiveDatabase
    let venueId = "7c9e6679-7425-40de-944b-e07fc1f90ae7"

    init(quota: Int = 3, credits: Int = 25, currency: String = "EUR") throws {
        scratch = try TemporaryFolder("menuflow")
        path = scratch.file("live.db").path
        let queue = try DatabaseQueue(path: path)
        let venueId = self.venueId
        try queue.write { db in
            try db.execute(sql: LiveSchema.sql)
            try db.execute(sql: """
                INSERT INTO venues (id, name, currency, credits_remaining, max_menu_parses_remaining, approval_group_id, created_at, updated_at)
                VALUES (?, 'Corner Bistro', ?, ?, ?, 'grp-1', '2026-11-01T08:00:00Z', '2026-11-01T08:00:00Z')
                """, arguments: [venueId, currency, credits, quota])
            try db.execute(sql: "INSERT INTO credit_transactions (id, venue_id, amount, type, created_at) VALUES ('bonus-1', ?, ?, 'bonus', '2026-11-01T08:00:00Z')",
                           arguments: [venueId, credits])
        }
        try queue.close()
        live = try LiveDatabase(path: path)
        try live.migrate()
    }

    func queue() throws -> DatabaseQueue { try DatabaseQueue(path: path) }

    func scalar<T: DatabaseValueConvertible>(_ sql: String, _ arguments: StatementArguments = []) throws -> T? {
        try queue().read { db in try T.fetchOne(db, sql: sql, arguments: arguments) }
    }

    func count(_ table: String) throws -> Int { try scalar("SELECT COUNT(*) FROM \(table)") ?? -1 }

    var quota: Int { get throws { try scalar("SELECT max_menu_parses_remaining FROM venues WHERE id = ?", [venueId]) ?? -1 } }
    var credits: Int { get throws { try scalar("SELECT credits_remaining FROM venues WHERE id = ?", [venueId]) ?? -1 } }

    /// Stages `document` through the importer's transaction.
    func stage(_ document: MenuDocument = MenuSample.document(), pdfPath: String = "/nonexistent/menu.pdf", useCredits: Bool = false) throws -> StagedImport {
        let importer = MenuImporter(database: live, extract: { _ throws(Failure) in throw Failure.software("no extraction in this test") },
                                    structurer: FakeStructurer(document: document))
        let staged = try importer.stage(document, venueId: venueId, pdfPath: pdfPath, useCredits: useCredits)
        return try StagedImports.load(live, id: staged.id)
    }

    /// A live menu row for this venue.
    func insertLiveItem(id: String, category: String, name: String, price: Int64, description: String? = nil,
                        options: String? = nil, tags: String? = nil, available: Bool = true) throws {
        try queue().write { db in
            try db.execute(sql: """
                INSERT INTO menu_items (id, venue_id, category, name, description, base_price_cents, options, dietary_tags, available, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z')
                """, arguments: [id, venueId, category, name, description, price, options, tags, available ? 1 : 0])
        }
    }

    /// Every menu_items row as text, to compare before and after.
    func menuSnapshot() throws -> [[String]] {
        try queue().read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM menu_items ORDER BY id").map { row in
                row.columnNames.map { name in (row[name] as DatabaseValue).description }
            }
        }
    }
}

/// Returns a fixed document, whatever it is given.
struct FakeStructurer: MenuStructuring {
    var document: MenuDocument
    var name: String { document.structurer }
    func structure(_ text: TextDocument, currency: String?) throws -> MenuDocument { document }
}

/// Counts calls, across threads.
final class CallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}

enum MenuSample {
    static var uuidV4: Regex<Substring> { #/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/# }
    static var isoZ: Regex<Substring> { #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/# }

    /// Four items: two clean pizzas (one in sizes), one flagged ambiguous, one without a price.
    static func items() -> [MenuItemDraft] {
        [
            MenuItemDraft(category: "Pizzas", name: "Margherita", description: "Tomato, mozzarella, basil", priceCents: 900,
                          options: [MenuOption(name: "Size", choices: [MenuChoice(value: "Small", priceDeltaCents: 0), MenuChoice(value: "Large", priceDeltaCents: 600)])],
                          dietaryTags: [.vegetarian], confidence: 0.93, source: ItemSource(page: 1, bbox: [72, 100, 400, 120])),
            MenuItemDraft(category: "Pizzas", name: "Diavola", description: "Spicy salami", priceCents: 1100,
                          dietaryTags: [.spicy], confidence: 0.9, source: ItemSource(page: 1, bbox: [72, 130, 400, 150])),
            MenuItemDraft(category: "Starters", name: "Garlic Knots (6)", priceCents: 550, confidence: 0.6,
                          flags: [.ambiguousPrice], source: ItemSource(page: 1, bbox: [72, 160, 400, 180])),
            MenuItemDraft(category: "Mains", name: "Catch of the day", description: "Ask your server", priceCents: nil,
                          confidence: 0.7, flags: [.noPrice], source: ItemSource(page: 1, bbox: [72, 190, 400, 210])),
        ]
    }

    static func document(items: [MenuItemDraft] = items(), sha256: String = String(repeating: "ab", count: 32), structurer: String = "heuristic") -> MenuDocument {
        MenuDocument(source: .init(file: "menu.pdf", sha256: sha256, pages: 1), structurer: structurer, currency: "EUR",
                     items: items, questions: ["Is 'Garlic Knots (6)' one item priced 5.50, or six?"])
    }

    /// A small valid one-page PDF (Helvetica text at the given top-left positions), hand-written so
    /// the tests need no sample files.
    static func pdf(lines: [(text: String, x: Double, y: Double)] = [
        ("Margherita 9.00", 72, 115), ("Diavola 11.00", 72, 145), ("Garlic Knots (6) 5.50", 72, 175), ("Catch of the day", 72, 205),
    ]) -> Data {
        let height = 842.0
        var content = "BT /F1 12 Tf\n"
        for line in lines {
            let escaped = line.text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
            content += "1 0 0 1 \(line.x) \(height - line.y) Tm (\(escaped)) Tj\n"
        }
        content += "ET\n"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)endstream",
        ]
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (i, body) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(i + 1) 0 obj\n\(body)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets {
            let s = String(o)
            out += String(repeating: "0", count: 10 - s.count) + s + " 00000 n \n"
        }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(out.utf8)
    }
}
