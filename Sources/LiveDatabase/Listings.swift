import GRDB

// What `backoffice runs`, `backoffice menu imports` and `backoffice venues` list: the ids, dates,
// states and counts a person needs to pick the next command. Read-only, newest first; a database
// whose batch_* tables were never created lists nothing rather than failing.
//
//     let runs = try live.read { db in try Listings.runs(db, limit: 20) }

/// One committed reconciliation run.
public struct RunListing: Codable, Sendable, Equatable {
    public var id: String
    public var command: String
    public var startedAt: String
    public var finishedAt: String?
    public var periodFrom: String
    public var periodTo: String
    public var venueId: String?
    public var inputs: Int
    public var matched: Int
    public var exceptions: Int

    enum CodingKeys: String, CodingKey {
        case id, command, inputs, matched, exceptions
        case startedAt = "started_at", finishedAt = "finished_at"
        case periodFrom = "period_from", periodTo = "period_to", venueId = "venue_id"
    }

    /// Every key, `null` included: the JSON shape does not change with the data.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(command, forKey: .command)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(periodFrom, forKey: .periodFrom)
        try c.encode(periodTo, forKey: .periodTo)
        try c.encode(venueId, forKey: .venueId)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(matched, forKey: .matched)
        try c.encode(exceptions, forKey: .exceptions)
    }
}

/// Where a staged menu import stands: a draft, the owner's edits applied, or published.
public enum MenuImportState: String, Codable, Sendable, CaseIterable {
    case draft, applied, published

    /// The word `batch_menu_imports.status` stores (`menu apply` marks an import `reviewed`).
    public var storedStatus: String { self == .applied ? "reviewed" : rawValue }

    public init?(storedStatus: String) {
        switch storedStatus {
        case "draft": self = .draft
        case "reviewed": self = .applied
        case "published": self = .published
        default: return nil
        }
    }
}

/// One staged menu import.
public struct MenuImportListing: Codable, Sendable, Equatable {
    public var id: String
    public var venueId: String
    public var venueName: String?
    public var file: String
    public var state: MenuImportState
    public var structurer: String
    public var items: Int
    public var flagged: Int
    public var paidWith: String
    public var createdAt: String
    public var publishedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, file, state, structurer, items, flagged
        case venueId = "venue_id", venueName = "venue_name", paidWith = "paid_with"
        case createdAt = "created_at", publishedAt = "published_at"
    }

    /// Every key, `null` included: the JSON shape does not change with the data.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(venueId, forKey: .venueId)
        try c.encode(venueName, forKey: .venueName)
        try c.encode(file, forKey: .file)
        try c.encode(state, forKey: .state)
        try c.encode(structurer, forKey: .structurer)
        try c.encode(items, forKey: .items)
        try c.encode(flagged, forKey: .flagged)
        try c.encode(paidWith, forKey: .paidWith)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(publishedAt, forKey: .publishedAt)
    }
}

/// One venue of the live service.
public struct VenueListing: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var status: String
    public var currency: String
    public var creditsRemaining: Int64
    public var freeMenuImportsRemaining: Int64
    public var menuItems: Int
    public var menuImports: Int
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, name, status, currency
        case creditsRemaining = "credits_remaining", freeMenuImportsRemaining = "free_menu_imports_remaining"
        case menuItems = "menu_items", menuImports = "menu_imports", createdAt = "created_at"
    }
}

public enum Listings {
    /// Committed runs, newest first (by when they started), at most `limit` when given.
    public static func runs(_ db: Database, limit: Int? = nil) throws -> [RunListing] {
        guard try db.tableExists("batch_runs") else { return [] }
        let inputs = try db.tableExists("batch_run_inputs")
            ? "(SELECT COUNT(*) FROM batch_run_inputs i WHERE i.run_id = r.id)" : "0"
        let rows = try Row.fetchAll(db, sql: """
            SELECT r.id, r.command, r.started_at, r.finished_at, r.period_from, r.period_to, r.venue_id,
                   \(inputs) AS inputs, r.matched, r.exception_count
            FROM batch_runs r
            WHERE r.status = 'committed'
            ORDER BY r.started_at DESC, r.rowid DESC
            LIMIT ?
            """, arguments: [limit ?? -1])
        return rows.map { row in
            RunListing(id: row["id"], command: row["command"], startedAt: row["started_at"], finishedAt: row["finished_at"],
                       periodFrom: row["period_from"], periodTo: row["period_to"], venueId: row["venue_id"],
                       inputs: row["inputs"], matched: row["matched"], exceptions: row["exception_count"])
        }
    }

    /// Staged menu imports, newest first, of one venue and in one state when given.
    public static func menuImports(_ db: Database, venue: String? = nil, state: MenuImportState? = nil) throws -> [MenuImportListing] {
        guard try db.tableExists("batch_menu_imports") else { return [] }
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let venue {
            conditions.append("m.venue_id = ?")
            arguments += [venue]
        }
        if let state {
            conditions.append("m.status = ?")
            arguments += [state.storedStatus]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try Row.fetchAll(db, sql: """
            SELECT m.id, m.venue_id, v.name AS venue_name, m.file, m.status, m.structurer, m.paid_with,
                   m.created_at, m.published_at,
                   (SELECT COUNT(*) FROM batch_menu_import_items i WHERE i.import_id = m.id) AS items,
                   (SELECT COUNT(*) FROM batch_menu_import_items i
                     WHERE i.import_id = m.id AND i.flags NOT IN ('', '[]')) AS flagged
            FROM batch_menu_imports m
            LEFT JOIN venues v ON v.id = m.venue_id
            \(filter)
            ORDER BY m.created_at DESC, m.rowid DESC
            """, arguments: arguments)
        return rows.compactMap { row in
            guard let state = MenuImportState(storedStatus: row["status"]) else { return nil }
            return MenuImportListing(id: row["id"], venueId: row["venue_id"], venueName: row["venue_name"], file: row["file"],
                                     state: state, structurer: row["structurer"], items: row["items"], flagged: row["flagged"],
                                     paidWith: row["paid_with"], createdAt: row["created_at"], publishedAt: row["published_at"])
        }
    }

    /// Venues, newest first, with their credits, free menu imports left and menu counts.
    public static func venues(_ db: Database) throws -> [VenueListing] {
        let imports = try db.tableExists("batch_menu_imports")
            ? "(SELECT COUNT(*) FROM batch_menu_imports m WHERE m.venue_id = v.id)" : "0"
        let rows = try Row.fetchAll(db, sql: """
            SELECT v.id, v.name, v.status, v.currency, v.credits_remaining, v.max_menu_parses_remaining, v.created_at,
                   (SELECT COUNT(*) FROM menu_items i WHERE i.venue_id = v.id AND i.available) AS menu_items,
                   \(imports) AS menu_imports
            FROM venues v
            ORDER BY v.created_at DESC, v.id DESC
            """)
        return rows.map { row in
            VenueListing(id: row["id"], name: row["name"], status: row["status"], currency: row["currency"],
                         creditsRemaining: row["credits_remaining"], freeMenuImportsRemaining: row["max_menu_parses_remaining"],
                         menuItems: row["menu_items"], menuImports: row["menu_imports"], createdAt: row["created_at"])
        }
    }
}
