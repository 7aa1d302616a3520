import Foundation

/// The items JSON of `menu extract --json` and `menu import --json` (CLI.md fixes its shape).
///
/// Keys are snake_case on the wire; `JSONEncoder` with `.convertToSnakeCase` is *not* used, the
/// coding keys below spell them out so the contract is visible here.
public struct MenuDocument: Codable, Sendable, Equatable {
    public struct Source: Codable, Sendable, Equatable {
        public var file: String
        public var sha256: String
        public var pages: Int
        public init(file: String, sha256: String, pages: Int) {
            self.file = file; self.sha256 = sha256; self.pages = pages
        }
    }

    public var source: Source
    /// `heuristic` or `llm`.
    public var structurer: String
    /// ISO 4217 code of every price in `items`.
    public var currency: String
    public var items: [MenuItemDraft]
    /// What the structurer was unsure of, as questions for the owner.
    public var questions: [String]
    /// Pages with words on them (from the text layer or OCR) that gave no item: a person must look.
    public var unreadPages: [Int]

    enum CodingKeys: String, CodingKey {
        case source, structurer, currency, items, questions
        case unreadPages = "unread_pages"
    }

    public init(source: Source, structurer: String, currency: String, items: [MenuItemDraft], questions: [String], unreadPages: [Int] = []) {
        self.source = source; self.structurer = structurer; self.currency = currency
        self.items = items; self.questions = questions; self.unreadPages = unreadPages
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        source = try c.decode(Source.self, forKey: .source)
        structurer = try c.decode(String.self, forKey: .structurer)
        currency = try c.decode(String.self, forKey: .currency)
        items = try c.decode([MenuItemDraft].self, forKey: .items)
        questions = try c.decode([String].self, forKey: .questions)
        unreadPages = try c.decodeIfPresent([Int].self, forKey: .unreadPages) ?? []
    }

    /// Nothing was read, or a page with words gave nothing: not a success to pass over.
    public var needsAPerson: Bool { items.isEmpty || !unreadPages.isEmpty }

    /// The question that names pages with words but no item (kept with a staged import's questions).
    public static func unreadPagesQuestion(_ pages: [Int]) -> String {
        let list = pages.map(String.init).joined(separator: ", ")
        return pages.count > 1
            ? "Pages \(list) have words on them but no dish was read there. Is there anything to sell on them? Add it in review."
            : "Page \(list) has words on it but no dish was read there. Is there anything to sell on it? Add it in review."
    }

    public static func isUnreadPagesQuestion(_ question: String) -> Bool {
        question.hasSuffix("but no dish was read there. Is there anything to sell on them? Add it in review.")
            || question.hasSuffix("but no dish was read there. Is there anything to sell on it? Add it in review.")
    }
}

/// One dish as read from the PDF.
public struct MenuItemDraft: Codable, Sendable, Equatable {
    public var category: String
    public var name: String
    public var description: String?
    /// The lowest price, minor units; `nil` when the menu prints none (then `flags` has `no_price`).
    public var priceCents: Int64?
    public var options: [MenuOption]
    public var dietaryTags: [DietaryTag]
    /// 0...1
    public var confidence: Double
    /// Why a person should look.
    public var flags: [MenuFlag]
    public var source: ItemSource

    enum CodingKeys: String, CodingKey {
        case category, name, description
        case priceCents = "price_cents"
        case options
        case dietaryTags = "dietary_tags"
        case confidence, flags, source
    }

    public init(category: String, name: String, description: String? = nil, priceCents: Int64?,
                options: [MenuOption] = [], dietaryTags: [DietaryTag] = [], confidence: Double,
                flags: [MenuFlag] = [], source: ItemSource) {
        self.category = category; self.name = name; self.description = description
        self.priceCents = priceCents; self.options = options; self.dietaryTags = dietaryTags
        self.confidence = confidence; self.flags = flags; self.source = source
    }

    /// Encodes `description` and `price_cents` as `null` when absent (the contract shows the keys).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(category, forKey: .category)
        try c.encode(name, forKey: .name)
        try c.encode(description, forKey: .description)
        try c.encode(priceCents, forKey: .priceCents)
        try c.encode(options, forKey: .options)
        try c.encode(dietaryTags, forKey: .dietaryTags)
        try c.encode(confidence, forKey: .confidence)
        try c.encode(flags, forKey: .flags)
        try c.encode(source, forKey: .source)
    }
}

public struct MenuOption: Codable, Sendable, Equatable {
    public var name: String
    public var choices: [MenuChoice]
    public init(name: String, choices: [MenuChoice]) { self.name = name; self.choices = choices }
}

public struct MenuChoice: Codable, Sendable, Equatable {
    public var value: String
    /// Added to the item's `price_cents`.
    public var priceDeltaCents: Int64
    enum CodingKeys: String, CodingKey {
        case value
        case priceDeltaCents = "price_delta_cents"
    }
    public init(value: String, priceDeltaCents: Int64) { self.value = value; self.priceDeltaCents = priceDeltaCents }
}

/// Where an item was read: the evidence a person compares the item with.
public struct ItemSource: Codable, Sendable, Equatable {
    /// 1-based page number.
    public var page: Int
    /// PDF points, origin top-left: `[x0, y0, x1, y1]`.
    public var bbox: [Double]
    /// The lines of the page the item was read from, as printed (`lines`; absent when the item
    /// was not read from lines: added by the owner, or from an LLM's answer).
    public var lines: [String]
    /// Each price as printed and where it stands (`price_cells`): a price column can be far from
    /// the name, and the review shows this cell, not only the item's lines.
    public var priceCells: [PriceCell]

    public init(page: Int, bbox: [Double], lines: [String] = [], priceCells: [PriceCell] = []) {
        self.page = page; self.bbox = bbox; self.lines = lines; self.priceCells = priceCells
    }

    enum CodingKeys: String, CodingKey {
        case page, bbox, lines
        case priceCells = "price_cells"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        page = try c.decode(Int.self, forKey: .page)
        bbox = try c.decode([Double].self, forKey: .bbox)
        lines = try c.decodeIfPresent([String].self, forKey: .lines) ?? []
        priceCells = try c.decodeIfPresent([PriceCell].self, forKey: .priceCells) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(page, forKey: .page)
        try c.encode(bbox, forKey: .bbox)
        if !lines.isEmpty { try c.encode(lines, forKey: .lines) }
        if !priceCells.isEmpty { try c.encode(priceCells, forKey: .priceCells) }
    }

    /// The evidence beyond page and box, as the staging table keeps it (one JSON column).
    public struct Evidence: Codable, Sendable, Equatable {
        public var lines: [String]
        public var priceCells: [PriceCell]
        enum CodingKeys: String, CodingKey {
            case lines
            case priceCells = "price_cells"
        }
        public init(lines: [String], priceCells: [PriceCell]) { self.lines = lines; self.priceCells = priceCells }
        /// `{}`: an item staged before evidence was kept.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            lines = try c.decodeIfPresent([String].self, forKey: .lines) ?? []
            priceCells = try c.decodeIfPresent([PriceCell].self, forKey: .priceCells) ?? []
        }
    }

    public var evidence: Evidence {
        get { Evidence(lines: lines, priceCells: priceCells) }
        set { lines = newValue.lines; priceCells = newValue.priceCells }
    }
}

/// A price as printed on the page (`12,50 €`) and its box (PDF points, origin top-left).
public struct PriceCell: Codable, Sendable, Equatable {
    public var text: String
    public var bbox: [Double]
    public init(text: String, bbox: [Double]) { self.text = text; self.bbox = bbox }
}

/// The contract's dietary vocabulary.
public enum DietaryTag: String, Codable, CaseIterable, Sendable {
    case vegetarian, vegan
    case glutenFree = "gluten_free"
    case dairyFree = "dairy_free"
    case containsNuts = "contains_nuts"
    case spicy, halal
}

/// Why a person should look at an item.
public enum MenuFlag: String, Codable, CaseIterable, Sendable {
    case noPrice = "no_price"
    case priceNotInSource = "price_not_in_source"
    case nameNotInSource = "name_not_in_source"
    case ambiguousPrice = "ambiguous_price"
    case lowConfidence = "low_confidence"
    case possibleDuplicate = "possible_duplicate"
    /// Read from a scanned page by OCR.
    case ocr
    case absurdPrice = "absurd_price"
    /// The model's answer for the item's page could not be used (or no call could be made): the
    /// item is the layout reading's.
    case layoutFallback = "layout_fallback"
}

extension MenuDocument {
    /// The items JSON as `menu extract --json` prints it: two-space indent, keys sorted.
    public func prettyJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // every value here encodes (strings, integers, finite doubles)
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self)
    }
}
