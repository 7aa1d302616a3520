import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
import Output

/// `menu apply`: the owner's decisions read back, from the edits file the review page saved
/// (JSON) or from `review.csv`, and written to the staged import.
///
///     let edits = try ReviewEdits.read(bytes: data, file: "edits.json", staged: staged)
///     let report = try ReviewEdits.apply(edits, to: staged, in: live)
///     print(report.lines.joined(separator: "\n"))
///
/// Both files carry the import id and the hash of the draft they were made from; a file for another
/// import, or from an older state of the draft, is refused (65) before anything else is looked at.
/// The text may be UTF-8 (with or without a BOM), UTF-16 or Windows-1252 (`SheetText`). A sheet may
/// have been re-saved by a spreadsheet (`;` delimiters, CRLF, decimal commas, the `'` that defused a
/// formula). Every malformed row is reported with file, line and reason, and then nothing is
/// written (exit 65).
public enum ReviewEdits {
    /// One item's edit, checked. `seq` is nil for an item the owner added.
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var seq: Int?
        /// nil: the owner left the decision empty.
        public var decision: ReviewDecision?
        /// The row's fields, as an item (what a `fix` publishes).
        public var fields: MenuItemDraft
        public var isAdded: Bool { seq == nil }
    }

    /// The owner's answer to one of the importer's questions.
    public struct Answer: Sendable, Equatable, Codable {
        public var question: String
        public var answer: String
    }

    /// A whole edits file, checked.
    public struct Edits: Sendable, Equatable {
        public var rows: [Row]
        public var answers: [Answer]
    }

    public static let requiredColumns = ["seq", "decision", "category", "name", "description", "price", "sizes", "dietary_tags"]
    public static let identityColumns = ["import_id", "draft"]
    /// The `format` of the edits file the review page saves.
    public static let jsonFormat = "backoffice-menu-edits/1"

    /// How many malformed rows a refusal lists; the rest are counted.
    public static let maxListedProblems = 20

    /// Reads either file (JSON when it starts with `{`), checks that it belongs to this state of
    /// this import, and checks every row. Throws one `Failure` (65) listing every malformed row.
    public static func read(bytes raw: [UInt8], file: String, staged: StagedImport) throws(Failure) -> Edits {
        let bytes = try SheetText.utf8(raw, file: file)
        if bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") {
            return try parseJSON(bytes: bytes, file: file, staged: staged)
        }
        return Edits(rows: try parse(bytes: bytes, file: file, staged: staged), answers: [])
    }

    /// The sentence for a file made for another import or from another state of the draft.
    static func checkIdentity(importId: String, draft: String, file: String, line: Int?, staged: StagedImport) throws(Failure) {
        let place = line.map { "\(file), line \($0)" } ?? file
        guard !importId.isEmpty, !draft.isEmpty else {
            throw Failure(.dataError, "\(place): the file does not say which import and draft it was made from (an older review.csv); nothing was applied. Run `backoffice menu review \(staged.id)` and make the decisions on the new page or sheet.")
        }
        guard importId == staged.id else {
            throw Failure(.dataError, "\(place): the file was made for the menu import \(TerminalText.neutralised(importId)), not \(staged.id); nothing was applied. Run `backoffice menu apply \(TerminalText.neutralised(importId)) --edits \(file)` if that is the import you meant.")
        }
        guard draft == staged.draftHash else {
            throw Failure(.dataError, "\(place): the file was made from an older draft of the import \(staged.id) (draft \(TerminalText.neutralised(draft)); it is now \(staged.draftHash), changed by an apply since); nothing was applied, so newer decisions are not undone. Run `backoffice menu review \(staged.id)` and review the current draft.")
        }
    }

    /// One item's fields as text, from either file; nil keeps the draft's value.
    struct RawFields {
        var decision: String? = nil
        var category: String? = nil
        var name: String? = nil
        var description: String? = nil
        var price: String? = nil
        var sizes: String? = nil
        var dietaryTags: [String]? = nil
        var page: Int? = nil
    }

    /// Checks one item's text against the draft (`base`); a sentence on the first problem.
    static func check(_ raw: RawFields, base: MenuItemDraft, added: Bool, staged: StagedImport) -> Result<(ReviewDecision?, MenuItemDraft), Problem> {
        let exponent = staged.currencyExponent
        let decisionText = (raw.decision ?? "").trimmed.lowercased()
        var decision: ReviewDecision?
        if !decisionText.isEmpty {
            guard let d = ReviewDecision(rawValue: decisionText) else {
                return .failure(Problem("unknown decision '\(TerminalText.neutralised(raw.decision ?? ""))' (write keep, fix or drop, or leave it empty)"))
            }
            decision = d
        }
        var fields = base
        if let v = raw.category { fields.category = v.trimmed }
        if let v = raw.name { fields.name = v.trimmed }
        if let v = raw.description { let d = v.trimmed; fields.description = d.isEmpty ? nil : d }

        var price = base.priceCents
        if let priceText = raw.price?.trimmed {
            if priceText.isEmpty { price = nil } else {
                guard let p = PriceText.parse(priceText, exponent: exponent), p >= 0 else {
                    return .failure(Problem("bad price '\(TerminalText.neutralised(priceText))' (write it like 9.50, in \(staged.currency))"))
                }
                price = p
            }
        }
        if let sizesText = raw.sizes {
            switch SizesText.parse(sizesText, exponent: exponent) {
            case .failure(.notSizes(let piece)):
                return .failure(Problem("bad sizes '\(TerminalText.neutralised(piece))' (write them like Small=9.00|Large=15.00)"))
            case .failure(.badPrice(let name, let text)):
                return .failure(Problem("bad price '\(TerminalText.neutralised(text))' for the size \(TerminalText.neutralised(name)) (write it like Small=9.00)"))
            case .success(let sizes):
                if sizes.isEmpty {
                    // The first option is the sizes column; emptied, the item is sold in one size.
                    fields.options = Array(base.options.dropFirst())
                } else {
                    let lowest = sizes.map(\.1).min()!
                    let basePrice = price ?? lowest
                    if let below = sizes.first(where: { $0.1 < basePrice }) {
                        return .failure(Problem("the size \(TerminalText.neutralised(below.0)) costs \(MoneyText.format(below.1, exponent: exponent)), less than the item's price \(MoneyText.format(basePrice, exponent: exponent)); the price is the lowest one"))
                    }
                    price = basePrice
                    let option = MenuOption(name: base.options.first?.name ?? "Size",
                                            choices: sizes.map { MenuChoice(value: $0.0, priceDeltaCents: $0.1 - basePrice) })
                    fields.options = [option] + base.options.dropFirst()
                }
            }
        } else if let first = base.options.first, let p = price, let old = base.priceCents, p != old {
            // A new price with the sizes untouched: the sizes keep their full prices.
            let full = first.choices.map { ($0.value, old + $0.priceDeltaCents) }
            if let below = full.first(where: { $0.1 < p }) {
                return .failure(Problem("the size \(TerminalText.neutralised(below.0)) costs \(MoneyText.format(below.1, exponent: exponent)), less than the item's new price \(MoneyText.format(p, exponent: exponent)); change the sizes too"))
            }
            fields.options = [MenuOption(name: first.name, choices: full.map { MenuChoice(value: $0.0, priceDeltaCents: $0.1 - p) })] + base.options.dropFirst()
        }
        fields.priceCents = price

        if let rawTags = raw.dietaryTags {
            var tags: [DietaryTag] = []
            for raw in rawTags {
                let t = raw.trimmed.lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
                if t.isEmpty { continue }
                guard let tag = DietaryTag(rawValue: t) else {
                    return .failure(Problem("unknown dietary tag '\(TerminalText.neutralised(raw.trimmed))' (known: \(DietaryTag.allCases.map(\.rawValue).joined(separator: ", ")))"))
                }
                if !tags.contains(tag) { tags.append(tag) }
            }
            fields.dietaryTags = tags
        }
        if added {
            if let page = raw.page {
                guard page >= 1, page <= max(staged.pages, 1) else {
                    return .failure(Problem("page \(page) is not in the menu (it has \(staged.pages) page\(staged.pages == 1 ? "" : "s"))"))
                }
                fields.source = ItemSource(page: page, bbox: [])
            }
            if decision == .drop { return .success((decision, fields)) }
            if fields.name.isEmpty { return .failure(Problem("an added item needs a name")) }
            if fields.category.isEmpty { return .failure(Problem("an added item needs a category")) }
            if fields.priceCents == nil { return .failure(Problem("an added item needs a price (write it like 9.50, in \(staged.currency))")) }
            return .success((.fix, fields))
        }
        if decision == .fix {
            if fields.name.isEmpty { return .failure(Problem("a fixed item needs a name")) }
            if fields.category.isEmpty { return .failure(Problem("a fixed item needs a category")) }
        }
        return .success((decision, fields))
    }

    struct Problem: Error { var reason: String; init(_ reason: String) { self.reason = reason } }

    static func malformed(_ problems: [String], file: String) -> Failure {
        let head = problems.count == 1 ? "" : "\(problems.count) rows of \(file) are malformed; nothing was applied:\n  "
        // a sheet of 100,000 bad rows must not print 100,000 lines: the first few say what is wrong
        let shown = problems.prefix(maxListedProblems)
        let more = problems.count > shown.count ? "\n  … and \(problems.count - shown.count) more malformed rows (the first \(shown.count) are listed)." : ""
        return Failure(.dataError, head + shown.joined(separator: "\n  ") + more + (problems.count == 1 ? " Nothing was applied." : ""))
    }

    /// Reads and checks every row of `review.csv` (UTF-8 bytes). Throws one `Failure` (65)
    /// listing every malformed row. A row with an empty seq is an item the owner added.
    public static func parse(bytes: [UInt8], file: String, staged: StagedImport, checkIdentity: Bool = true) throws(Failure) -> [Row] {
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
        var rows: [Row] = []
        var problems: [String] = []
        var seen: [Int: Int] = [:]
        var identityChecked = !checkIdentity
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
            func field(_ name: String) -> String { index[name].map { CSVWriter.undefuse(record.string($0)).trimmed } ?? "" }
            func problem(_ reason: String) { problems.append("\(file), line \(record.line): \(reason)") }

            if !identityChecked {
                try Self.checkIdentity(importId: field("import_id"), draft: field("draft"), file: file, line: record.line, staged: staged)
                identityChecked = true
            } else if checkIdentity, (field("import_id"), field("draft")) != ("", ""),
                      (field("import_id"), field("draft")) != (staged.id, staged.draftHash) {
                try Self.checkIdentity(importId: field("import_id"), draft: field("draft"), file: file, line: record.line, staged: staged)
            }

            let seqText = field("seq")
            var raw = RawFields(decision: field("decision"), category: field("category"), name: field("name"),
                                description: field("description"), price: field("price"), sizes: field("sizes"),
                                dietaryTags: field("dietary_tags").split(whereSeparator: { $0 == "|" || $0 == "," }).map(String.init))
            let base: MenuItemDraft
            var seq: Int?
            if seqText.isEmpty {
                if raw.decision?.isEmpty != false, raw.name?.isEmpty != false { continue }   // a blank line a spreadsheet kept
                let pageText = field("page")
                if !pageText.isEmpty {
                    guard let page = Int(pageText) else { problem("bad page '\(TerminalText.neutralised(pageText))' (write the page number)"); continue }
                    raw.page = page
                }
                base = MenuItemDraft(category: "", name: "", priceCents: nil, confidence: 1, source: ItemSource(page: raw.page ?? 1, bbox: []))
            } else {
                guard let s = Int(seqText), let item = items[s] else {
                    problem("unknown seq '\(TerminalText.neutralised(seqText))': the import has items 1 to \(staged.items.count) (leave seq empty to add an item)")
                    continue
                }
                if let first = seen[s] {
                    problem("seq \(s) appears again (first on line \(first))")
                    continue
                }
                seen[s] = record.line
                seq = s
                base = item.draft
            }
            switch check(raw, base: base, added: seq == nil, staged: staged) {
            case .failure(let p): problem(p.reason)
            case .success(let (decision, fields)):
                if seq == nil && decision == .drop { continue }
                rows.append(Row(line: record.line, seq: seq, decision: decision, fields: fields))
            }
        }
        if !identityChecked && problems.isEmpty {
            try Self.checkIdentity(importId: "", draft: "", file: file, line: nil, staged: staged)
        }
        if !problems.isEmpty { throw malformed(problems, file: file) }
        return rows
    }

    /// The edits file the review page saves.
    struct EditsFile: Decodable {
        struct Item: Decodable {
            var seq: Int?
            var decision: String?
            var category: String?
            var name: String?
            var description: String?
            var price: String?
            var sizes: String?
            var dietary_tags: [String]?
            var page: Int?
        }
        var format: String?
        var import_id: String?
        var draft: String?
        var items: [Item]?
        var added: [Item]?
        var answers: [Answer]?
    }

    /// Reads and checks the page's edits file (UTF-8 bytes).
    public static func parseJSON(bytes: [UInt8], file: String, staged: StagedImport) throws(Failure) -> Edits {
        let decoded: EditsFile
        do {
            decoded = try JSONDecoder().decode(EditsFile.self, from: Data(bytes))
        } catch {
            throw Failure.badInput(file: file, reason: "this is not the edits file the review page saves (\(Self.jsonReason(error))); nothing was applied")
        }
        guard decoded.format == jsonFormat else {
            throw Failure.badInput(file: file, reason: "this is not the edits file the review page saves (its format is \(decoded.format.map { "'\(TerminalText.neutralised($0))'" } ?? "missing"), expected '\(jsonFormat)'); nothing was applied")
        }
        try Self.checkIdentity(importId: decoded.import_id ?? "", draft: decoded.draft ?? "", file: file, line: nil, staged: staged)
        let items = Dictionary(staged.items.map { ($0.seq, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [Row] = []
        var problems: [String] = []
        var seen: Set<Int> = []
        for (i, item) in (decoded.items ?? []).enumerated() {
            let place = "\(file), item \(i + 1)"
            guard let seq = item.seq, let current = items[seq] else {
                problems.append("\(place): unknown seq \(item.seq.map(String.init) ?? "(none)"): the import has items 1 to \(items.count)")
                continue
            }
            guard seen.insert(seq).inserted else { problems.append("\(place): seq \(seq) appears again"); continue }
            let raw = RawFields(decision: item.decision, category: item.category, name: item.name, description: item.description,
                                price: item.price, sizes: item.sizes, dietaryTags: item.dietary_tags)
            switch check(raw, base: current.draft, added: false, staged: staged) {
            case .failure(let p): problems.append("\(place) (#\(seq)): \(p.reason)")
            case .success(let (decision, fields)): rows.append(Row(line: i + 1, seq: seq, decision: decision, fields: fields))
            }
        }
        for (i, item) in (decoded.added ?? []).enumerated() {
            let place = "\(file), added item \(i + 1)"
            let raw = RawFields(decision: item.decision, category: item.category ?? "", name: item.name ?? "", description: item.description,
                                price: item.price ?? "", sizes: item.sizes, dietaryTags: item.dietary_tags, page: item.page)
            let base = MenuItemDraft(category: "", name: "", priceCents: nil, confidence: 1, source: ItemSource(page: item.page ?? 1, bbox: []))
            switch check(raw, base: base, added: true, staged: staged) {
            case .failure(let p): problems.append("\(place): \(p.reason)")
            case .success(let (decision, fields)):
                if decision == .drop { continue }
                rows.append(Row(line: i + 1, seq: nil, decision: .fix, fields: fields))
            }
        }
        var answers: [Answer] = []
        for a in decoded.answers ?? [] where !a.answer.trimmed.isEmpty {
            guard staged.questions.contains(a.question) else {
                problems.append("\(file): an answer is to a question the import does not ask ('\(TerminalText.neutralised(String(a.question.prefix(60))))')")
                continue
            }
            answers.append(Answer(question: a.question, answer: a.answer.trimmed))
        }
        if !problems.isEmpty { throw malformed(problems, file: file) }
        return Edits(rows: rows, answers: answers)
    }

    static func jsonReason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .dataCorrupted?: return "it is not valid JSON"
        case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?:
            return "the value at \(c.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")) has the wrong type"
        default: return "it does not have the expected shape"
        }
    }

    /// What applying changed, for the owner.
    public struct Report: Sendable {
        public var lines: [String]
        public var kept: Int
        public var fixed: Int
        public var dropped: Int
        public var added: Int = 0
        public var answered: Int = 0
        /// Flagged items still without a decision.
        public var undecided: [Int]
        /// Rows whose fields differ from the draft while the decision is not `fix` (ignored).
        public var ignoredEdits: [Int]
        /// Items whose price now looks absurd: flagged `absurd_price` and waiting for a decision.
        public var absurd: [Int] = []
        /// 1 while flagged items wait for a decision.
        public var exitStatus: ExitStatus { undecided.isEmpty ? .ok : .needsAttention }
    }

    /// `apply` for rows only (a sheet).
    public static func apply(_ rows: [Row], to staged: StagedImport, in live: LiveDatabase, now: Timestamp? = nil) throws(Failure) -> Report {
        try apply(Edits(rows: rows, answers: []), to: staged, in: live, now: now)
    }

    /// Writes the decisions (a `fix` row's fields, added items, answers) in one short transaction;
    /// status → reviewed. A price that the result makes absurd (`AbsurdPrices`) is flagged and
    /// left waiting for the owner's decision.
    public static func apply(_ edits: Edits, to staged: StagedImport, in live: LiveDatabase, now: Timestamp? = nil) throws(Failure) -> Report {
        let now = now ?? Clock.now()
        let exponent = staged.currencyExponent
        let items = Dictionary(staged.items.map { ($0.seq, $0) }, uniquingKeysWith: { a, _ in a })
        func label(_ seq: Int, _ name: String) -> String { "#\(seq) \(TerminalText.neutralised(name))" }
        var lines: [String] = []
        var kept = 0, fixed = 0, dropped = 0
        var ignored: [Int] = []
        var updates: [(seq: Int, decision: ReviewDecision?, fields: MenuItemDraft?)] = []
        var decided: [Int: ReviewDecision?] = [:]
        var result = Dictionary(staged.items.map { ($0.seq, $0) }, uniquingKeysWith: { a, _ in a })
        var nextSeq = (staged.items.map(\.seq).max() ?? 0) + 1
        var inserts: [StagedItem] = []
        for row in edits.rows {
            guard let seq = row.seq else {
                let item = StagedItem(seq: nextSeq, draft: row.fields, decision: .fix)
                nextSeq += 1
                inserts.append(item)
                result[item.seq] = item
                let price = row.fields.priceCents.map { MoneyText.format($0, exponent: exponent) + " " + staged.currency } ?? "no price"
                lines.append("\(label(item.seq, row.fields.name)): added to \(TerminalText.neutralised(row.fields.category)) at \(price) (page \(row.fields.source.page))")
                continue
            }
            guard let item = items[seq] else { continue }
            let decision: ReviewDecision? = row.decision ?? (item.isFlagged ? nil : .keep)
            decided[seq] = decision
            switch decision {
            case .fix?:
                fixed += 1
                let changes = describeChanges(from: item.draft, to: row.fields, exponent: exponent)
                lines.append("\(label(seq, item.draft.name)): fixed" + (changes.isEmpty ? " (no field changed)" : ": " + changes.joined(separator: "; ")))
                updates.append((seq, .fix, row.fields))
                result[seq]?.draft = row.fields
            case .drop?:
                dropped += 1
                if item.decision != .drop { lines.append("\(label(seq, item.draft.name)): dropped") }
                updates.append((seq, .drop, nil))
            case .keep?:
                kept += 1
                if item.decision != .keep && item.decision != nil { lines.append("\(label(seq, item.draft.name)): kept (was \(item.decision!.rawValue))") }
                else if item.isFlagged && item.decision == nil { lines.append("\(label(seq, item.draft.name)): kept as read") }
                if !describeChanges(from: item.draft, to: row.fields, exponent: exponent).isEmpty { ignored.append(seq) }
                updates.append((seq, .keep, nil))
            case nil:
                if !describeChanges(from: item.draft, to: row.fields, exponent: exponent).isEmpty { ignored.append(seq) }
                updates.append((seq, nil, nil))
            }
            result[seq]?.decision = decision
        }
        for seq in ignored {
            lines.append("\(label(seq, items[seq]!.draft.name)): the row's fields differ from the draft but its decision is not fix, so they were ignored (write fix to apply them)")
        }
        // Prices the owner's edits made absurd (a typed 950 for 9.50) wait for a second look.
        let publishable = result.values.filter { $0.effectiveDecision != .drop }
        let absurd = AbsurdPrices.find(publishable.map { AbsurdPrices.Entry(seq: $0.seq, draft: $0.draft) }, currency: staged.currency)
        var newlyAbsurd: [Int] = []
        for (seq, why) in absurd.sorted(by: { $0.key < $1.key }) {
            guard let item = result[seq], !item.draft.flags.contains(.absurdPrice) else { continue }
            newlyAbsurd.append(seq)
            result[seq]?.draft.flags.append(.absurdPrice)
            result[seq]?.decision = nil
            lines.append("\(label(seq, item.draft.name)): \(TerminalText.neutralised(why)) It is flagged absurd_price and waits for your decision in review.")
        }
        let undecided = result.values.filter { $0.isFlagged && $0.decision == nil }
            .map(\.seq).sorted()
        for a in edits.answers { lines.append("Answered: \(TerminalText.neutralised(a.question)) → \(TerminalText.neutralised(a.answer))") }

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
                    for item in inserts {
                        try MenuStore.insertItem(db, importId: staged.id, seq: item.seq, item: item.draft)
                        try db.execute(sql: "UPDATE batch_menu_import_items SET decision = 'fix' WHERE import_id = ? AND seq = ?",
                                       arguments: [staged.id, item.seq])
                    }
                    for seq in newlyAbsurd {
                        try db.execute(sql: "UPDATE batch_menu_import_items SET flags = ?, decision = NULL WHERE import_id = ? AND seq = ?",
                                       arguments: [StoredJSON.encode(result[seq]!.draft.flags), staged.id, seq])
                    }
                    for a in edits.answers {
                        try db.execute(sql: """
                            INSERT INTO batch_menu_import_answers (import_id, question, answer, answered_at) VALUES (?, ?, ?, ?)
                            ON CONFLICT (import_id, question) DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at
                            """, arguments: [staged.id, a.question, a.answer, now.iso])
                    }
                    let changedAnything = fixed > 0 || !inserts.isEmpty || !newlyAbsurd.isEmpty || updates.contains { items[$0.seq]?.decision != $0.decision }
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
        return Report(lines: lines, kept: kept, fixed: fixed, dropped: dropped, added: inserts.count, answered: edits.answers.count,
                      undecided: undecided, ignoredEdits: ignored, absurd: newlyAbsurd)
    }

    /// `price 9.00 → 9.50`, `name 'Margarita' → 'Margherita'`, …
    static func describeChanges(from a: MenuItemDraft, to b: MenuItemDraft, exponent: Int) -> [String] {
        var out: [String] = []
        func money(_ v: Int64?) -> String { v.map { MoneyText.format($0, exponent: exponent) } ?? "none" }
        if a.category != b.category { out.append("category '\(TerminalText.neutralised(a.category))' → '\(TerminalText.neutralised(b.category))'") }
        if a.name != b.name { out.append("name '\(TerminalText.neutralised(a.name))' → '\(TerminalText.neutralised(b.name))'") }
        if (a.description ?? "") != (b.description ?? "") { out.append("description changed") }
        if a.priceCents != b.priceCents { out.append("price \(money(a.priceCents)) → \(money(b.priceCents))") }
        if a.options != b.options {
            out.append(TerminalText.neutralised("sizes '\(SizesText.format(a.options.first, base: a.priceCents, exponent: exponent))' → '\(SizesText.format(b.options.first, base: b.priceCents, exponent: exponent))'"))
        }
        if Set(a.dietaryTags) != Set(b.dietaryTags) {
            out.append("dietary tags '\(a.dietaryTags.map(\.rawValue).joined(separator: "|"))' → '\(b.dietaryTags.map(\.rawValue).joined(separator: "|"))'")
        }
        return out
    }
}
