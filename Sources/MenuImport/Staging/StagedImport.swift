import BackofficeCore
import Foundation
import GRDB
import LiveDatabase

/// A menu import as staged in `batch_menu_imports` / `batch_menu_import_items`: the structurer's
/// items, the owner's decisions, and where each item went in `menu_items`.
public struct StagedImport: Sendable, Equatable {
    public enum Status: String, Sendable { case draft, reviewed, published }

    public var id: String
    public var venueId: String
    /// The PDF's name, as in the items JSON.
    public var file: String
    /// Where the PDF was read, for the review's page crops.
    public var pdfPath: String
    public var sha256: String
    public var pages: Int
    public var structurer: String
    public var currency: String
    public var status: Status
    /// `quota` or `credits`.
    public var paidWith: String
    public var creditTransactionId: String?
    public var questions: [String]
    public var createdAt: String
    public var reviewedAt: String?
    public var publishedAt: String?
    public var items: [StagedItem]

    /// The items JSON of the contract, rebuilt from what is staged (owner's fixes included).
    public var document: MenuDocument {
        MenuDocument(
            source: .init(file: file, sha256: sha256, pages: pages),
            structurer: structurer, currency: currency,
            items: items.map(\.draft), questions: questions)
    }

    /// Items with at least one flag.
    public var flaggedCount: Int { items.filter { !$0.draft.flags.isEmpty }.count }

    public var currencyExponent: Int { Currency(code: currency)?.exponent ?? 2 }
}

/// One staged item: the draft (as read, or as the owner fixed it) and the owner's decision.
public struct StagedItem: Sendable, Equatable {
    /// 1-based position in the import; the review CSV's `seq`.
    public var seq: Int
    public var draft: MenuItemDraft
    /// nil: no decision yet.
    public var decision: ReviewDecision?
    /// The live `menu_items` row it became when published.
    public var menuItemId: String?

    public init(seq: Int, draft: MenuItemDraft, decision: ReviewDecision? = nil, menuItemId: String? = nil) {
        self.seq = seq; self.draft = draft; self.decision = decision; self.menuItemId = menuItemId
    }

    public var isFlagged: Bool { !draft.flags.isEmpty }

    /// What publishing does with it: dropped items are left out; an undecided item is published
    /// only when nothing flags it.
    public var effectiveDecision: ReviewDecision? {
        if let decision { return decision }
        return isFlagged ? nil : .keep
    }
}

/// The owner's verdict on one item in review.
public enum ReviewDecision: String, Sendable, CaseIterable {
    case keep, fix, drop
}

/// JSON for the TEXT columns (options, tags, flags, bbox, evidence, questions), with sorted keys so equal
/// values are equal text.
enum StoredJSON {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?, column: String) throws(Failure) -> T? {
        guard let text, !text.isEmpty else { return nil }
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw Failure.dataError("The staged column \(column) does not hold valid JSON (\(text.prefix(60))); the import is damaged, import the menu again.")
        }
    }
}

/// Reads and writes the batch menu tables. Every function runs inside the caller's transaction.
enum MenuStore {
    static func importRow(_ db: Database, id: String) throws -> Row? {
        try Row.fetchOne(db, sql: "SELECT * FROM batch_menu_imports WHERE id = ?", arguments: [id])
    }

    static func existingImportId(_ db: Database, venueId: String, sha256: String, structurer: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT id FROM batch_menu_imports WHERE venue_id = ? AND sha256 = ? AND structurer = ?",
                            arguments: [venueId, sha256, structurer])
    }

    /// The import and its items, or nil when there is none with that id.
    static func load(_ db: Database, id: String) throws -> StagedImport? {
        guard let row = try importRow(db, id: id) else { return nil }
        let questions = try StoredJSON.decode([String].self, row["questions"], column: "questions") ?? []
        var items: [StagedItem] = []
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM batch_menu_import_items WHERE import_id = ? ORDER BY seq", arguments: [id])
        for r in rows {
            var draft = MenuItemDraft(
                category: r["category"], name: r["name"], description: r["description"],
                priceCents: r["price_cents"],
                options: try StoredJSON.decode([MenuOption].self, r["options"], column: "options") ?? [],
                dietaryTags: try StoredJSON.decode([DietaryTag].self, r["dietary_tags"], column: "dietary_tags") ?? [],
                confidence: r["confidence"],
                flags: try StoredJSON.decode([MenuFlag].self, r["flags"], column: "flags") ?? [],
                source: ItemSource(page: r["page"], bbox: try StoredJSON.decode([Double].self, r["bbox"], column: "bbox") ?? []))
            if let evidence = try StoredJSON.decode(ItemSource.Evidence.self, r["evidence"], column: "evidence") {
                draft.source.evidence = evidence
            }
            let decisionText: String? = r["decision"]
            items.append(StagedItem(seq: r["seq"], draft: draft,
                                    decision: decisionText.flatMap(ReviewDecision.init(rawValue:)),
                                    menuItemId: r["menu_item_id"]))
        }
        let statusText: String = row["status"]
        return StagedImport(
            id: row["id"], venueId: row["venue_id"], file: row["file"], pdfPath: row["pdf_path"],
            sha256: row["sha256"], pages: row["pages"], structurer: row["structurer"], currency: row["currency"],
            status: StagedImport.Status(rawValue: statusText) ?? .draft, paidWith: row["paid_with"],
            creditTransactionId: row["credit_transaction_id"], questions: questions,
            createdAt: row["created_at"], reviewedAt: row["reviewed_at"], publishedAt: row["published_at"],
            items: items)
    }

    static func insertItem(_ db: Database, importId: String, seq: Int, item: MenuItemDraft) throws {
        try db.execute(sql: """
            INSERT INTO batch_menu_import_items
                (import_id, seq, category, name, description, price_cents, options, dietary_tags, confidence, flags, page, bbox, evidence)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                importId, seq, item.category, item.name, item.description, item.priceCents,
                StoredJSON.encode(item.options), StoredJSON.encode(item.dietaryTags),
                item.confidence.isFinite ? item.confidence : 0, StoredJSON.encode(item.flags),
                item.source.page, StoredJSON.encode(item.source.bbox), StoredJSON.encode(item.source.evidence),
            ])
    }
}

/// Loads an import for a command, or fails with a sentence naming the id.
public enum StagedImports {
    public static func load(_ live: LiveDatabase, id: String) throws(Failure) -> StagedImport {
        try live.migrate()
        let found = try live.read { db in try MenuStore.load(db, id: id) }
        guard let found else {
            throw Failure.dataError("No menu import with id \(id) in \(live.path); `backoffice menu import` prints the id of each import.")
        }
        return found
    }

    /// The owner's answers to the import's questions, by question.
    public static func answers(_ live: LiveDatabase, id: String) throws(Failure) -> [String: String] {
        let rows = try live.read { db in
            try Row.fetchAll(db, sql: "SELECT question, answer FROM batch_menu_import_answers WHERE import_id = ?", arguments: [id])
        }
        return Dictionary(rows.map { ($0["question"] as String, $0["answer"] as String) }, uniquingKeysWith: { a, _ in a })
    }

    /// The venue's name, for page titles; nil when the venue is gone.
    public static func venueName(_ live: LiveDatabase, id: String) throws(Failure) -> String? {
        try live.read { db in try String.fetchOne(db, sql: "SELECT name FROM venues WHERE id = ?", arguments: [id]) }
    }
}

/// Now, as the database writes it.
enum Clock {
    static func now() -> Timestamp { Timestamp(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))) }
}

/// A random (version 4) UUID, lower case, as the live service writes ids.
func newUUID() -> String { UUID().uuidString.lowercased() }
