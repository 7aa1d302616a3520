import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
import Output

/// `menu apply`: the owner's filled-in `review.csv`, read back and written to the staged import.
///
///     let edits = try ReviewEdits.parse(bytes: data, file: "review.csv", staged: staged)
///     let report = try ReviewEdits.apply(edits, to: staged, in: live)
///     print(report.lines.joined(separator: "\n"))
///
/// The file may have been re-saved by a spreadsheet (BOM, `;` delimiters, CRLF, decimal commas,
/// the `'` that defused a formula). Every malformed row is reported with file, line and reason,
/// and then nothing is written (exit 65).
public enum ReviewEdits {
    /// One row of the CSV, checked.
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var seq: Int
        /// nil: the owner left the decision empty.
        public var decision: ReviewDecision?
        /// The row's fields, as an item (what a `fix` publishes).
        public var fields: MenuItemDraft
    }

    public static let requiredColumns = ["seq", "decision", "category", "name", "description", "price", "sizes", "dietary_tags"]

    /// How many malformed rows a refusal lists; the rest are counted.
    public static let maxListedProblems = 20

    /// Reads and checks every row. Throws one `Failure` (65) listing the malformed rows (the
    /// first `maxListedProblems` of them, and how many more).
    public static func parse(bytes: [UInt8], file: String, staged: StagedImport) throws(Failure) -> [Row] {
        var reader = CSVReader(bytes: bytes, file: file)
        guard let header = try reader.readHeader() else {
            throw Failure.badInput(file: file, reason: "the file is empty; expected the review.csv that `menu review` wrote")
        }
        var index: [String: Int] = [:]
        for (i, name) in header.strings.enumerated() {
            index[name.trimmed.lowercased()] = i
        }
        let missing = requiredColumns.filter { index[$0] == nil }
        guard missing.isEmpty else {
            throw Failure.badInput(file: file, line: header.line, reason: "the header lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")); expected the review.csv that `menu review` wrote")
        }
        let items = Dictionary(staged.items.map { ($0.seq, $0) }, uniquingKeysWith: { a, _ in a })
        let exponent = staged.currencyExponent
        var rows: [Row] = []
        var problems: [String] = []
        var seen: [Int: Int] = [:]
        while true {
            let record: CSVRecord
            do {
                guard let next = try reader.next() else { break }
                record = next
            } catch {
                problems.append(error.message)
                // A field-count error leaves the reader at the next row; any other (an unclosed
                // quote, text after a closing quote) leaves it where it was: stop there.
                if error.message.contains("fields where the header has") { continue }
                break
            }
            func field(_ name: String) -> String { CSVWriter.undefuse(record.string(index[name]!)).trimmed }
            func problem(_ reason: String) { problems.append("\(file), line \(record.line): \(reason)") }

            let seqText = field("seq")
            guard let seq = Int(seqText), let item = items[seq] else {
                problem(seqText.isEmpty ? "the seq is empty" : "unknown seq '\(seqText)': the import has items 1 to \(staged.items.count)")
                continue
            }
            if let first = seen[seq] {
                problem("seq \(seq) appears again (first on line \(first))")
                continue
            }
            seen[seq] = record.line

            let decisionText = field("decision").lowercased()
            var decision: ReviewDecision?
            if !decisionText.isEmpty {
                guard let d = ReviewDecision(rawValue: decisionText) else {
                    problem("unknown decision '\(field("decision"))' (write keep, fix or drop, or leave it empty)")
                    continue
                }
                decision = d
            }

            var fields = item.draft
            fields.category = field("category")
            fields.name = field("name")
            let description = field("description")
            fields.description = description.isEmpty ? nil : description

            let priceText = field("price")
            var price: Int64?
            if !priceText.isEmpty {
                guard let p = PriceText.parse(priceText, exponent: exponent), p >= 0 else {
                    problem("bad price '\(priceText)' (write it like 9.50, in \(staged.currency))")
                    continue
                }
                price = p
            }

            switch SizesText.parse(field("sizes"), exponent: exponent) {
            case .failure(.notSizes(let piece)):
                problem("bad sizes '\(piece)' (write them like Small=9.00|Large=15.00)")
                continue
            case .failure(.badPrice(let name, let text)):
                problem("bad price '\(text)' for the size \(name) (write it like Small=9.00)")
                continue
            case .success(let sizes):
                if sizes.isEmpty {
                    // The first option is the sizes column; emptied, the item is sold in one size.
                    fields.options = Array(item.draft.options.dropFirst())
                } else {
                    let lowest = sizes.map(\.1).min()!
                    let base = price ?? lowest
                    if let below = sizes.first(where: { $0.1 < base }) {
                        problem("the size \(below.0) costs \(MoneyText.format(below.1, exponent: exponent)), less than the item's price \(MoneyText.format(base, exponent: exponent)); the price is the lowest one")
                        continue
                    }
                    price = base
                    let option = MenuOption(name: item.draft.options.first?.name ?? "Size",
                                            choices: sizes.map { MenuChoice(value: $0.0, priceDeltaCents: $0.1 - base) })
                    fields.options = [option] + item.draft.options.dropFirst()
                }
            }
            fields.priceCents = price

            var tags: [DietaryTag] = []
            var badTag: String?
            for raw in field("dietary_tags").split(whereSeparator: { $0 == "|" || $0 == "," }) {
                let t = raw.trimmed.lowercased()
                    .replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
                if t.isEmpty { continue }
                guard let tag = DietaryTag(rawValue: t) else { badTag = String(raw); break }
                if !tags.contains(tag) { tags.append(tag) }
            }
            if let badTag {
                problem("unknown dietary tag '\(badTag.trimmed)' (known: \(DietaryTag.allCases.map(\.rawValue).joined(separator: ", ")))")
                continue
            }
            fields.dietaryTags = tags

            if decision == .fix {
                if fields.name.isEmpty { problem("a fixed item needs a name"); continue }
                if fields.category.isEmpty { problem("a fixed item needs a category"); continue }
            }
            rows.append(Row(line: record.line, seq: seq, decision: decision, fields: fields))
        }
        if !problems.isEmpty {
            let head = problems.count == 1 ? "" : "\(problems.count) rows of \(file) are malformed; nothing was applied:\n  "
            // a sheet of 100,000 bad rows must not print 100,000 lines: the first few say what is wrong
            let shown = problems.prefix(maxListedProblems)
            let more = problems.count > shown.count ? "\n  … and \(problems.count - shown.count) more malformed rows (the first \(shown.count) are listed)." : ""
            throw Failure(.dataError, head + shown.joined(separator: "\n  ") + more + (problems.count == 1 ? " Nothing was applied." : ""))
        }
        return rows
    }


    /// What applying changed, for the owner.
    public struct Report: Sendable {
        public var lines: [String]
        public var kept: Int
        public var fixed: Int
        public var dropped: Int
        /// Flagged items still without a decision.
        public var undecided: [Int]
        /// Rows whose fields differ from the draft while the decision is not `fix` (ignored).
        public var ignoredEdits: [Int]
        /// 1 while flagged items wait for a decision.
        public var exitStatus: ExitStatus { undecided.isEmpty ? .ok : .needsAttention }
    }

    /// Writes the decisions (and a `fix` row's fields) in one short transaction; status → reviewed.
    public static func apply(_ rows: [Row], to staged: StagedImport, in live: LiveDatabase, now: Timestamp? = nil) throws(Failure) -> Report {
        let now = now ?? Clock.now()
        let exponent = staged.currencyExponent
        let items = Dictionary(staged.items.map { ($0.seq, $0) }, uniquingKeysWith: { a, _ in a })
        var lines: [String] = []
        var kept = 0, fixed = 0, dropped = 0
        var ignored: [Int] = []
        var updates: [(seq: Int, decision: ReviewDecision?, fields: MenuItemDraft?)] = []
        var decided: [Int: ReviewDecision?] = [:]
        for row in rows {
            guard let item = items[row.seq] else { continue }
            let decision: ReviewDecision? = row.decision ?? (item.isFlagged ? nil : .keep)
            decided[row.seq] = decision
            let label = "#\(row.seq) \(item.draft.name)"
            switch decision {
            case .fix?:
                fixed += 1
                let changes = describeChanges(from: item.draft, to: row.fields, exponent: exponent)
                lines.append("\(label): fixed" + (changes.isEmpty ? " (no field changed)" : ": " + changes.joined(separator: "; ")))
                updates.append((row.seq, .fix, row.fields))
            case .drop?:
                dropped += 1
                if item.decision != .drop { lines.append("\(label): dropped") }
                updates.append((row.seq, .drop, nil))
            case .keep?:
                kept += 1
                if item.decision != .keep && item.decision != nil { lines.append("\(label): kept (was \(item.decision!.rawValue))") }
                else if item.isFlagged && item.decision == nil { lines.append("\(label): kept as read") }
                if !describeChanges(from: item.draft, to: row.fields, exponent: exponent).isEmpty { ignored.append(row.seq) }
                updates.append((row.seq, .keep, nil))
            case nil:
                if !describeChanges(from: item.draft, to: row.fields, exponent: exponent).isEmpty { ignored.append(row.seq) }
                updates.append((row.seq, nil, nil))
            }
        }
        for seq in ignored {
            lines.append("#\(seq) \(items[seq]!.draft.name): the row's fields differ from the draft but its decision is not fix, so they were ignored (write fix to apply them)")
        }
        let undecided = staged.items.filter { item in
            let d = decided[item.seq] ?? item.decision
            return item.isFlagged && d == nil
        }.map(\.seq)

        let writer = try live.writer()
        do {
            try writer.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    guard try MenuStore.importRow(db, id: staged.id) != nil else {
                        throw Failure.dataError("The menu import \(staged.id) was removed meanwhile; nothing was applied.")
                    }
                    for u in updates {
                        if let f = u.fields {
                            try db.execute(sql: """
                                UPDATE batch_menu_import_items
                                SET decision = ?, category = ?, name = ?, description = ?, price_cents = ?, options = ?, dietary_tags = ?
                                WHERE import_id = ? AND seq = ?
                                """, arguments: [u.decision?.rawValue, f.category, f.name, f.description, f.priceCents,
                                                 StoredJSON.encode(f.options), StoredJSON.encode(f.dietaryTags), staged.id, u.seq])
                        } else {
                            try db.execute(sql: "UPDATE batch_menu_import_items SET decision = ? WHERE import_id = ? AND seq = ?",
                                           arguments: [u.decision?.rawValue, staged.id, u.seq])
                        }
                    }
                    let changedAnything = fixed > 0 || updates.contains { items[$0.seq]?.decision != $0.decision }
                    if staged.status != .published || changedAnything {
                        try db.execute(sql: "UPDATE batch_menu_imports SET status = 'reviewed', reviewed_at = ? WHERE id = ?",
                                       arguments: [now.iso, staged.id])
                    }
                    return .commit
                }
            }
        } catch {
            throw live.mapError(error)
        }
        return Report(lines: lines, kept: kept, fixed: fixed, dropped: dropped, undecided: undecided, ignoredEdits: ignored)
    }

    /// `price 9.00 → 9.50`, `name 'Margarita' → 'Margherita'`, …
    static func describeChanges(from a: MenuItemDraft, to b: MenuItemDraft, exponent: Int) -> [String] {
        var out: [String] = []
        func money(_ v: Int64?) -> String { v.map { MoneyText.format($0, exponent: exponent) } ?? "none" }
        if a.category != b.category { out.append("category '\(a.category)' → '\(b.category)'") }
        if a.name != b.name { out.append("name '\(a.name)' → '\(b.name)'") }
        if (a.description ?? "") != (b.description ?? "") { out.append("description changed") }
        if a.priceCents != b.priceCents { out.append("price \(money(a.priceCents)) → \(money(b.priceCents))") }
        if a.options != b.options {
            out.append("sizes '\(SizesText.format(a.options.first, base: a.priceCents, exponent: exponent))' → '\(SizesText.format(b.options.first, base: b.priceCents, exponent: exponent))'")
        }
        if Set(a.dietaryTags) != Set(b.dietaryTags) {
            out.append("dietary tags '\(a.dietaryTags.map(\.rawValue).joined(separator: "|"))' → '\(b.dietaryTags.map(\.rawValue).joined(separator: "|"))'")
        }
        return out
    }
}
