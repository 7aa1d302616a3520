import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
import Logging

/// `menu import`: reads a PDF, structures it, and stages the result as a draft, taking the venue's
/// quota (or 5 credits) in the same short write transaction.
///
///     let importer = MenuImporter(database: live, extract: { file throws(Failure) in try PDFExtractor.read(file) },
///                                 structurer: HeuristicStructurer())
///     let outcome = try importer.run(pdfPath: "menu.pdf", venueId: venue, useCredits: false)
///
/// Re-importing the same PDF (same sha256, venue and structurer) reads nothing, charges nothing
/// and returns the existing draft (`outcome.reused`).
public struct MenuImporter: Sendable {
    /// What an import costs when the venue's free parses are used up.
    public static let creditCost: Int64 = 5

    public let database: LiveDatabase
    /// Extracts the text of a PDF read (and hashed) by `run`.
    public let extract: @Sendable (PDFFile) throws(Failure) -> TextDocument
    public let structurer: any MenuStructuring
    public let logger: Logger

    public init(database: LiveDatabase,
                extract: @escaping @Sendable (PDFFile) throws(Failure) -> TextDocument,
                structurer: any MenuStructuring,
                logger: Logger = Logger(label: "menu-import")) {
        self.database = database
        self.extract = extract
        self.structurer = structurer
        self.logger = logger
    }

    /// Reads the PDF, structures it and stages it (or finds the same import staged before).
    public func run(pdfPath: String, venueId: String, useCredits: Bool) throws(Failure) -> ImportOutcome {
        let absolute = URL(fileURLWithPath: pdfPath).standardizedFileURL.path
        // read and hashed once: the hash finds a re-import, the same bytes are extracted
        let file = try PDFFile.load(pdfPath)
        let sha256 = file.sha256
        try database.migrate()

        // Before the (possibly slow, possibly paid) extraction: the same import staged already,
        // an unknown venue, no quota left. Checked again inside the write transaction.
        // One read: the venue's row also gives the currency the structurer is told.
        let before = try database.read { db -> (existing: String?, currency: String?) in
            if let id = try MenuStore.existingImportId(db, venueId: venueId, sha256: sha256, structurer: structurer.name) {
                return (id, nil)
            }
            return (nil, try Self.checkAffordable(db, venueId: venueId, useCredits: useCredits).venue.currency)
        }
        if let existing = before.existing { return try outcome(id: existing, reused: true) }

        let text = try extract(file)
        var document: MenuDocument
        do {
            document = try structurer.structure(text, currency: before.currency)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure.software("the \(structurer.name) structurer failed: \(error)")
        }
        document.source.sha256 = sha256
        if document.source.file.isEmpty { document.source.file = URL(fileURLWithPath: pdfPath).lastPathComponent }
        if document.source.pages == 0 { document.source.pages = text.pages.count }

        let staged = try stage(document, venueId: venueId, pdfPath: absolute, useCredits: useCredits)
        return try outcome(id: staged.id, reused: staged.reused)
    }

    /// Stages an already structured document: one immediate write transaction that inserts the
    /// import and its items, then takes the quota or the credits. Nothing is written when any step fails.
    public func stage(_ document: MenuDocument, venueId: String, pdfPath: String, useCredits: Bool,
                      now: Timestamp? = nil) throws(Failure) -> (id: String, reused: Bool) {
        let now = now ?? Clock.now()
        let writer = try database.writer()
        do {
            return try writer.writeWithoutTransaction { db in
                var result: (id: String, reused: Bool) = ("", false)
                try db.inTransaction(.immediate) {
                    if let existing = try MenuStore.existingImportId(db, venueId: venueId, sha256: document.source.sha256, structurer: document.structurer) {
                        result = (existing, true)
                        return .commit
                    }
                    let payment = try Self.checkAffordable(db, venueId: venueId, useCredits: useCredits).payment
                    let id = newUUID()
                    let creditTransactionId = payment == .credits ? newUUID() : nil
                    try db.execute(sql: """
                        INSERT INTO batch_menu_imports
                            (id, venue_id, file, pdf_path, sha256, pages, structurer, currency, status, paid_with,
                             credit_transaction_id, questions, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?)
                        """, arguments: [
                            id, venueId, document.source.file, pdfPath, document.source.sha256, document.source.pages,
                            document.structurer, document.currency, payment.rawValue, creditTransactionId,
                            StoredJSON.encode(document.questions), now.iso,
                        ])
                    let absurd = AbsurdPrices.find(document.items.enumerated().map { AbsurdPrices.Entry(seq: $0.offset + 1, draft: $0.element) },
                                                   currency: document.currency)
                    for (index, item) in document.items.enumerated() {
                        var item = item
                        if absurd[index + 1] != nil, !item.flags.contains(.absurdPrice) { item.flags.append(.absurdPrice) }
                        try MenuStore.insertItem(db, importId: id, seq: index + 1, item: item)
                    }
                    switch payment {
                    case .quota:
                        try db.execute(sql: """
                            UPDATE venues SET max_menu_parses_remaining = max_menu_parses_remaining - 1, updated_at = ?
                            WHERE id = ? AND max_menu_parses_remaining > 0
                            """, arguments: [now.iso, venueId])
                    case .credits:
                        try db.execute(sql: """
                            INSERT INTO credit_transactions (id, venue_id, amount, type, stripe_payment_id, order_id, created_at)
                            VALUES (?, ?, ?, 'menu_import', NULL, NULL, ?)
                            """, arguments: [creditTransactionId, venueId, -Self.creditCost, now.iso])
                        try db.execute(sql: """
                            UPDATE venues SET credits_remaining = credits_remaining - ?, updated_at = ?
                            WHERE id = ? AND credits_remaining >= ?
                            """, arguments: [Self.creditCost, now.iso, venueId, Self.creditCost])
                    }
                    guard db.changesCount == 1 else {
                        throw Failure.software("the venue's quota or credits changed while the import was being staged")
                    }
                    result = (id, false)
                    return .commit
                }
                return result
            }
        } catch {
            throw database.mapError(error)
        }
    }

    enum Payment: String { case quota, credits }

    /// How the import is paid for, and the venue's row (a refusal is a Failure with its sentence).
    static func checkAffordable(_ db: Database, venueId: String, useCredits: Bool) throws -> (payment: Payment, venue: Venue) {
        guard let venue = try Venue.fetchOne(db, sql: "SELECT * FROM venues WHERE id = ?", arguments: [venueId]) else {
            throw Failure.dataError("No venue with id \(venueId) in the database; check the --venue id.")
        }
        if venue.maxMenuParsesRemaining > 0 { return (.quota, venue) }
        guard useCredits else {
            throw Failure(.needsAttention, "\(venue.name) has no menu imports left in its quota; nothing was imported. Run it again with --use-credits to pay \(creditCost) credits (it has \(venue.creditsRemaining)).")
        }
        guard venue.creditsRemaining >= creditCost else {
            throw Failure(.needsAttention, "\(venue.name) has no menu imports left and \(venue.creditsRemaining) credits, fewer than the \(creditCost) an import costs; nothing was imported. Buy a credit pack first.")
        }
        return (.credits, venue)
    }

    private func outcome(id: String, reused: Bool) throws(Failure) -> ImportOutcome {
        let staged = try database.read { db in try MenuStore.load(db, id: id) }
        guard let staged else { throw Failure.software("the staged import \(id) vanished") }
        return ImportOutcome(staged: staged, reused: reused)
    }
}

/// What `menu import` did.
public struct ImportOutcome: Sendable {
    public var staged: StagedImport
    /// True when the same PDF had been imported for this venue with this structurer: nothing was charged.
    public var reused: Bool

    public var importId: String { staged.id }

    /// The items JSON with `import_id` added, as `menu import --json` prints it.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(ImportJSON(importId: staged.id, document: staged.document))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// `Import 1f… staged: 42 items, 3 flagged for review, 1 question.`
    public var summary: String {
        let items = staged.items.count
        let flagged = staged.flaggedCount
        let questions = staged.questions.count
        return "\(items) item\(items == 1 ? "" : "s"), \(flagged) flagged for review, \(questions) question\(questions == 1 ? "" : "s")"
    }

    /// 1 while any flagged item waits for the owner's decision, when nothing was read, or while a
    /// page with words that gave no dish waits for a first review; a re-import of a reviewed draft is 0.
    public var exitStatus: ExitStatus {
        let flagged = staged.items.contains { $0.isFlagged && $0.decision == nil }
        let unreviewed = staged.items.allSatisfy { $0.decision == nil }
        let unread = staged.questions.contains(where: MenuDocument.isUnreadPagesQuestion)
        return flagged || staged.items.isEmpty || (unreviewed && unread) ? .needsAttention : .ok
    }
}

private struct ImportJSON: Encodable {
    var importId: String
    var document: MenuDocument
    enum Keys: String, CodingKey { case importId = "import_id" }
    func encode(to encoder: any Encoder) throws {
        try document.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(importId, forKey: .importId)
    }
}
