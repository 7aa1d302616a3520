import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
import Output

/// `menu publish`: the reviewed draft against the venue's live `menu_items`, then applied in one
/// short transaction.
///
///     let plan = try MenuPublisher.plan(staged, in: live)      // the diff (and what blocks it)
///     print(plan.text)
///     if plan.blockers.isEmpty { try MenuPublisher.publish(staged, in: live) }
///
/// Items match live rows by the row they became last time (`menu_item_id`), then by normalised
/// name + category. New items are inserted, changed ones updated, live items missing from the new
/// menu set `available = 0` (never deleted: orders reference them). Publishing twice changes
/// nothing the second time.
public enum MenuPublisher {
    /// The diff, and why it cannot be published yet.
    public struct Plan: Sendable, Equatable, Encodable {
        public var importId: String
        public var venueId: String
        public var currency: String
        public var new: [NewItem]
        public var changed: [ChangedItem]
        public var removed: [RemovedItem]
        public var unchanged: Int
        /// Items that stop publishing: no price, or flagged without a decision.
        public var blockers: [String]
        /// seq → live id, for every published item that matched a live row.
        var matches: [Int: String]

        public var isEmpty: Bool { new.isEmpty && changed.isEmpty && removed.isEmpty }

        enum CodingKeys: String, CodingKey {
            case importId = "import_id", venueId = "venue_id", currency, new, changed, removed, unchanged, blockers
        }
    }

    public struct NewItem: Sendable, Equatable, Encodable {
        public var seq: Int
        public var category: String
        public var name: String
        public var priceCents: Int64?
        enum CodingKeys: String, CodingKey { case seq, category, name, priceCents = "price_cents" }
    }

    public struct ChangedItem: Sendable, Equatable, Encodable {
        public var seq: Int
        public var menuItemId: String
        public var category: String
        public var name: String
        public var changes: [FieldChange]
        enum CodingKeys: String, CodingKey { case seq, menuItemId = "menu_item_id", category, name, changes }
    }

    /// `{"field": "price_cents", "from": "900", "to": "950"}`; options and tags as their JSON.
    public struct FieldChange: Sendable, Equatable, Encodable {
        public var field: String
        public var from: String
        public var to: String
    }

    public struct RemovedItem: Sendable, Equatable, Encodable {
        public var menuItemId: String
        public var category: String
        public var name: String
        enum CodingKeys: String, CodingKey { case menuItemId = "menu_item_id", category, name }
    }

    /// What `publish` did.
    public struct Outcome: Sendable, Encodable {
        public var plan: Plan
        /// False when there was nothing to write (published already, nothing changed).
        public var wrote: Bool
    }

    // MARK: - The diff

    /// Case, accents, punctuation and spacing do not make a different dish (`TextRules.fold`, the
    /// structurer's own comparison: `Straße` is `strasse`).
    static func key(category: String, name: String) -> String { TextRules.fold(category) + "\u{1F}" + TextRules.fold(name) }

    /// The plan for `staged` against `live` (the venue's rows, available or not).
    static func plan(_ staged: StagedImport, live: [MenuItem]) -> Plan {
        var blockers: [String] = []
        let publishable = staged.items.filter { item in
            switch item.effectiveDecision {
            case .keep?, .fix?: return true
            case .drop?: return false
            case nil:
                blockers.append("#\(item.seq) \(item.draft.name) is flagged (\(item.draft.flags.map(\.rawValue).joined(separator: ", "))) and has no decision")
                return false
            }
        }
        for item in publishable where (item.draft.priceCents ?? 0) <= 0 {
            blockers.append("#\(item.seq) \(item.draft.name) has no price")
        }
        // An absurd price is a question for the owner before it is published (`markAbsurd`).
        let absurd = AbsurdPrices.find(publishable.map { AbsurdPrices.Entry(seq: $0.seq, draft: $0.draft) }, currency: staged.currency)
        for item in publishable where absurd[item.seq] != nil && !item.draft.flags.contains(.absurdPrice) {
            blockers.append("#\(item.seq) \(item.draft.name): \(absurd[item.seq]!) Confirm it (keep) or correct it in review")
        }
        blockers = blockers.map(TerminalText.neutralised)

        let rows = live.sorted { ($0.available ? 0 : 1, $0.id) < ($1.available ? 0 : 1, $1.id) }
        let byId = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var claimed: Set<String> = []
        var matches: [Int: String] = [:]
        // First the rows each item became last time, then names.
        for item in publishable {
            if let id = item.menuItemId, byId[id] != nil, !claimed.contains(id) {
                claimed.insert(id)
                matches[item.seq] = id
            }
        }
        var byKey: [String: [MenuItem]] = [:]
        for row in rows { byKey[key(category: row.category, name: row.name), default: []].append(row) }
        for item in publishable where matches[item.seq] == nil {
            let k = key(category: item.draft.category, name: item.draft.name)
            if let row = byKey[k]?.first(where: { !claimed.contains($0.id) }) {
                claimed.insert(row.id)
                matches[item.seq] = row.id
            }
        }

        var new: [NewItem] = []
        var changed: [ChangedItem] = []
        var unchanged = 0
        for item in publishable {
            let d = item.draft
            guard let id = matches[item.seq], let row = byId[id] else {
                new.append(NewItem(seq: item.seq, category: d.category, name: d.name, priceCents: d.priceCents))
                continue
            }
            let changes = fieldChanges(row, d)
            if changes.isEmpty { unchanged += 1 } else {
                changed.append(ChangedItem(seq: item.seq, menuItemId: id, category: d.category, name: d.name, changes: changes))
            }
        }
        let removed = rows.filter { $0.available && !claimed.contains($0.id) }
            .map { RemovedItem(menuItemId: $0.id, category: $0.category, name: $0.name) }
            .sorted { ($0.category, $0.name, $0.menuItemId) < ($1.category, $1.name, $1.menuItemId) }
        return Plan(importId: staged.id, venueId: staged.venueId, currency: staged.currency,
                    new: new, changed: changed, removed: removed, unchanged: unchanged, blockers: blockers, matches: matches)
    }

    static func fieldChanges(_ row: MenuItem, _ d: MenuItemDraft) -> [FieldChange] {
        var out: [FieldChange] = []
        if row.category != d.category { out.append(FieldChange(field: "category", from: row.category, to: d.category)) }
        if row.name != d.name { out.append(FieldChange(field: "name", from: row.name, to: d.name)) }
        if let price = d.priceCents, row.basePriceCents != price {
            out.append(FieldChange(field: "price_cents", from: String(row.basePriceCents), to: String(price)))
        }
        if (row.description ?? "") != (d.description ?? "") {
            out.append(FieldChange(field: "description", from: row.description ?? "", to: d.description ?? ""))
        }
        let liveOptions = decodeLiveList(row.options, of: MenuOption.self)
        if liveOptions != d.options {
            out.append(FieldChange(field: "options", from: row.options ?? "", to: StoredJSON.encode(d.options)))
        }
        let liveTags = decodeLiveList(row.dietaryTags, of: DietaryTag.self)
        if liveTags.map(Set.init) != Set(d.dietaryTags) {
            out.append(FieldChange(field: "dietary_tags", from: row.dietaryTags ?? "", to: StoredJSON.encode(d.dietaryTags)))
        }
        if !row.available { out.append(FieldChange(field: "available", from: "0", to: "1")) }
        return out
    }

    /// A live JSON list column (options, dietary tags): empty for NULL, blank or `null`; nil when
    /// it does not parse (then it counts as changed and is rewritten).
    static func decodeLiveList<T: Decodable>(_ text: String?, of type: T.Type) -> [T]? {
        guard let text, !text.trimmed.isEmpty, text != "null" else { return [] }
        return try? JSONDecoder().decode([T].self, from: Data(text.utf8))
    }

    static func liveItems(_ db: Database, venueId: String) throws -> [MenuItem] {
        try MenuItem.fetchAll(db, sql: "SELECT * FROM menu_items WHERE venue_id = ?", arguments: [venueId])
    }

    // MARK: - Commands

    /// The diff against the live menu now, in one snapshot.
    public static func plan(_ staged: StagedImport, in live: LiveDatabase) throws(Failure) -> Plan {
        let rows = try live.read { db in try liveItems(db, venueId: staged.venueId) }
        return plan(staged, live: rows)
    }

    /// Flags `absurd_price` on every item to publish whose price is absurd and not yet flagged, and
    /// takes its decision away, in one short transaction: the owner answers it in review before it
    /// is published. Returns the seqs it flagged (none: nothing was written).
    public static func markAbsurd(_ staged: StagedImport, in live: LiveDatabase) throws(Failure) -> [Int] {
        let publishable = staged.items.filter { $0.effectiveDecision != .drop }
        let absurd = AbsurdPrices.find(publishable.map { AbsurdPrices.Entry(seq: $0.seq, draft: $0.draft) }, currency: staged.currency)
        let toFlag = publishable.filter { absurd[$0.seq] != nil && !$0.draft.flags.contains(.absurdPrice) }
        guard !toFlag.isEmpty else { return [] }
        let writer = try live.writer()
        do {
            try writer.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    for item in toFlag {
                        try db.execute(sql: "UPDATE batch_menu_import_items SET flags = ?, decision = NULL WHERE import_id = ? AND seq = ?",
                                       arguments: [StoredJSON.encode(item.draft.flags + [.absurdPrice]), staged.id, item.seq])
                    }
                    return .commit
                }
            }
        } catch {
            throw live.mapError(error)
        }
        return toFlag.map(\.seq)
    }

    /// Applies the plan in one immediate transaction (the diff is computed again inside it, so a
    /// change by the live service meanwhile is taken into account). Refuses (exit 1) while
    /// anything blocks it.
    public static func publish(_ staged: StagedImport, in live: LiveDatabase, now: Timestamp? = nil) throws(Failure) -> Outcome {
        let now = (now ?? Clock.now()).iso
        let writer = try live.writer()
        do {
            return try writer.writeWithoutTransaction { db in
                var outcome: Outcome?
                try db.inTransaction(.immediate) {
                    guard let fresh = try MenuStore.load(db, id: staged.id) else {
                        throw Failure.dataError("The menu import \(staged.id) was removed meanwhile; nothing was published.")
                    }
                    // the live service may have deleted the venue since the import: a sentence, not a
                    // foreign-key error from SQLite (exit 70)
                    guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM venues WHERE id = ?)", arguments: [fresh.venueId]) ?? false else {
                        throw Failure.dataError("The venue \(fresh.venueId) of menu import \(fresh.id) is no longer in the live database (deleted since the import); nothing was published.")
                    }
                    let p = plan(fresh, live: try liveItems(db, venueId: fresh.venueId))
                    guard p.blockers.isEmpty else { throw blocked(p) }
                    let recorded = Dictionary(fresh.items.map { ($0.seq, $0.menuItemId) }, uniquingKeysWith: { a, _ in a })
                    var ids = p.matches
                    let items = Dictionary(fresh.items.map { ($0.seq, $0) }, uniquingKeysWith: { a, _ in a })
                    for n in p.new {
                        let d = items[n.seq]!.draft
                        let id = newUUID()
                        ids[n.seq] = id
                        try db.execute(sql: """
                            INSERT INTO menu_items (id, venue_id, category, name, description, base_price_cents, options,
                                                    modifications_allowed, dietary_tags, available, created_at, updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, 1, ?, ?)
                            """, arguments: [id, fresh.venueId, d.category, d.name, d.description, d.priceCents,
                                             StoredJSON.encode(d.options), StoredJSON.encode(d.dietaryTags), now, now])
                    }
                    for c in p.changed {
                        let d = items[c.seq]!.draft
                        try db.execute(sql: """
                            UPDATE menu_items SET category = ?, name = ?, description = ?, base_price_cents = ?, options = ?,
                                                  dietary_tags = ?, available = 1, updated_at = ?
                            WHERE id = ? AND venue_id = ?
                            """, arguments: [d.category, d.name, d.description, d.priceCents, StoredJSON.encode(d.options),
                                             StoredJSON.encode(d.dietaryTags), now, c.menuItemId, fresh.venueId])
                    }
                    for r in p.removed {
                        try db.execute(sql: "UPDATE menu_items SET available = 0, updated_at = ? WHERE id = ? AND venue_id = ?",
                                       arguments: [now, r.menuItemId, fresh.venueId])
                    }
                    var wrote = !p.isEmpty
                    for item in fresh.items {
                        let id = ids[item.seq]
                        if recorded[item.seq] ?? nil != id {
                            try db.execute(sql: "UPDATE batch_menu_import_items SET menu_item_id = ? WHERE import_id = ? AND seq = ?",
                                           arguments: [id, fresh.id, item.seq])
                            wrote = true
                        }
                    }
                    if fresh.status != .published || wrote {
                        try db.execute(sql: "UPDATE batch_menu_imports SET status = 'published', published_at = ? WHERE id = ?",
                                       arguments: [now, fresh.id])
                        wrote = true
                    }
                    outcome = Outcome(plan: p, wrote: wrote)
                    return wrote ? .commit : .rollback
                }
                guard let outcome else { throw Failure.software("publish ended without an outcome") }
                return outcome
            }
        } catch {
            throw live.mapError(error)
        }
    }

    /// The refusal: exit 1 with the list of what blocks publishing.
    public static func blocked(_ plan: Plan) -> Failure {
        Failure(.needsAttention, "The import \(plan.importId) cannot be published yet; nothing was changed. Give these items a price or a decision in review (`menu review \(plan.importId)`, then `menu apply`):\n  " + plan.blockers.joined(separator: "\n  "))
    }
}

extension MenuPublisher.Plan {
    /// The diff for a person, one line per item.
    public var text: String {
        var lines = ["Menu diff for import \(importId) (venue \(venueId)): \(new.count) new, \(changed.count) changed, \(removed.count) no longer on the menu, \(unchanged) unchanged."]
        let exponent = Currency(code: currency)?.exponent ?? 2
        for n in new {
            let price = n.priceCents.map { MoneyText.format($0, exponent: exponent) + " " + currency } ?? "no price"
            lines.append("  + new      \(TerminalText.neutralised(n.category)) / \(TerminalText.neutralised(n.name)): \(price)")
        }
        for c in changed {
            let what = c.changes.map { change -> String in
                switch change.field {
                case "price_cents":
                    let from = Int64(change.from).map { MoneyText.format($0, exponent: exponent) } ?? change.from
                    let to = Int64(change.to).map { MoneyText.format($0, exponent: exponent) } ?? change.to
                    return "price \(from) → \(to)"
                case "available": return "back on the menu"
                case "name", "category": return "\(change.field) '\(TerminalText.neutralised(change.from))' → '\(TerminalText.neutralised(change.to))'"
                default: return "\(change.field) changed"
                }
            }.joined(separator: "; ")
            lines.append("  ~ changed  \(TerminalText.neutralised(c.category)) / \(TerminalText.neutralised(c.name)): \(what)")
        }
        for r in removed {
            lines.append("  - removed  \(TerminalText.neutralised(r.category)) / \(TerminalText.neutralised(r.name)) (kept, set available = 0)")
        }
        if !blockers.isEmpty {
            lines.append("Cannot publish yet:")
            lines += blockers.map { "  ! " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}
