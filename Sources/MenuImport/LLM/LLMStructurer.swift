import BackofficeCore
import Foundation

/// The `llm` structurer: each page's text goes to a chat model, which answers with the items as
/// JSON. The answer is never trusted: an item whose name or price does not occur in the page's
/// text is flagged (`name_not_in_source`, `price_not_in_source`) for the owner to check.
///
///     let llm = LLMStructurer(configuration: try LLMConfiguration(environment: env),
///                             client: RetryingLLMClient(transport: CurlTransport()))
///     let menu = try llm.structure(textDocument, currency: "EUR")
public struct LLMStructurer: MenuStructuring {
    public var configuration: LLMConfiguration
    public var client: RetryingLLMClient
    public var name: String { "llm" }

    public init(configuration: LLMConfiguration, client: RetryingLLMClient) {
        self.configuration = configuration
        self.client = client
    }

    public func structure(_ document: TextDocument, currency: String?) throws -> MenuDocument {
        try structureTyped(document, currency: currency)
    }

    func structureTyped(_ document: TextDocument, currency: String?) throws(Failure) -> MenuDocument {
        var items: [MenuItemDraft] = []
        var questions: [String] = []
        var answeredCurrency: String?
        for page in document.pages {
            let lines = PageLines(page)
            guard !lines.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { continue }
            let body = try client.send(request(pageNumber: page.number, text: lines.text, currency: currency))
            let answer = try Self.parseAnswer(body, provider: configuration.provider, endpoint: configuration.endpoint)
            if answeredCurrency == nil, let c = answer.currency.flatMap({ Currency(code: $0) }) { answeredCurrency = c.code }
            let code = currency ?? answeredCurrency ?? "USD"
            let exponent = Currency(code: code)?.exponent ?? 2
            for raw in answer.items {
                items.append(Self.verify(raw, page: page, lines: lines, exponent: exponent))
            }
            questions += answer.questions
        }
        return MenuDocument(source: .init(file: document.file, sha256: document.sha256, pages: document.pages.count),
                            structurer: name, currency: currency ?? answeredCurrency ?? "USD", items: items, questions: questions)
    }

    // MARK: - Request

    static let instructions = """
        You read one page of a restaurant menu, given as its text lines. Answer with one JSON object and nothing else:
        {"currency": "<ISO 4217 code if the page shows it, else null>",
         "items": [{"category": "<the heading the dish is under>", "name": "<as printed>", "description": "<as printed, or null>",
                    "price": "<the lowest price exactly as printed, e.g. \\"9.50\\", or null when none is printed>",
                    "sizes": [{"label": "<e.g. Small, 25 cl, glass>", "price": "<as printed>"}],
                    "dietary_tags": ["<only from: vegetarian, vegan, gluten_free, dairy_free, contains_nuts, spicy, halal>"]}],
         "questions": ["<anything a person should confirm, e.g. a price that could be read two ways>"]}
        Copy names and prices exactly as printed; never invent an item, a price or a tag. Prices are strings.
        Leave out opening hours, addresses and prose that are not dishes.
        """

    func request(pageNumber: Int, text: String, currency: String?) -> LLMHTTPRequest {
        let user = "Page \(pageNumber)" + (currency.map { " (prices in \($0))" } ?? "") + ":\n" + text
        var headers = ["Content-Type": "application/json"]
        let payload: [String: Any]
        switch configuration.provider {
        case .openai:
            headers["Authorization"] = "Bearer \(configuration.apiKey)"
            payload = [
                "model": configuration.model,
                "temperature": 0,
                "response_format": ["type": "json_object"],
                "messages": [["role": "system", "content": Self.instructions], ["role": "user", "content": user]],
            ]
        case .anthropic:
            headers["x-api-key"] = configuration.apiKey
            headers["anthropic-version"] = "2023-06-01"
            payload = [
                "model": configuration.model,
                "max_tokens": 8192,
                "temperature": 0,
                "system": Self.instructions,
                "messages": [["role": "user", "content": user]],
            ]
        }
        let body = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])) ?? Data()
        return LLMHTTPRequest(url: configuration.endpoint, headers: headers, body: body)
    }

    // MARK: - Answer

    struct Answer {
        var currency: String?
        var items: [RawItem]
        var questions: [String]
    }

    struct RawItem: Equatable {
        var category: String
        var name: String
        var description: String?
        var price: String?
        var sizes: [(label: String, price: String)]
        var dietaryTags: [String]

        static func == (a: RawItem, b: RawItem) -> Bool {
            a.category == b.category && a.name == b.name && a.description == b.description && a.price == b.price
                && a.sizes.map(\.label) == b.sizes.map(\.label) && a.sizes.map(\.price) == b.sizes.map(\.price) && a.dietaryTags == b.dietaryTags
        }
    }

    /// The items out of a chat-completions (openai) or messages (anthropic) answer.
    static func parseAnswer(_ body: Data, provider: LLMConfiguration.Provider, endpoint: URL) throws(Failure) -> Answer {
        func bad(_ why: String) -> Failure {
            Failure.unavailable("The LLM endpoint \(endpoint.absoluteString) gave an answer that is not the items JSON (\(why)); nothing was imported. Retry, or use --structurer heuristic.")
        }
        guard let envelope = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { throw bad("not JSON") }
        let content: String?
        switch provider {
        case .openai:
            let choices = envelope["choices"] as? [[String: Any]]
            content = (choices?.first?["message"] as? [String: Any])?["content"] as? String
        case .anthropic:
            let blocks = envelope["content"] as? [[String: Any]]
            content = blocks?.compactMap { $0["type"] as? String == "text" ? $0["text"] as? String : nil }.joined()
        }
        guard let content, let start = content.firstIndex(of: "{"), let end = content.lastIndex(of: "}"), start < end else {
            throw bad("no JSON object in the message")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(content[start...end].utf8)) as? [String: Any] else {
            throw bad("the message's JSON does not parse")
        }
        guard let rawItems = object["items"] as? [Any] else { throw bad("no items array") }
        var items: [RawItem] = []
        for case let entry as [String: Any] in rawItems {
            guard let name = text(entry["name"]), !name.isEmpty else { continue }
            var sizes: [(String, String)] = []
            for case let size as [String: Any] in (entry["sizes"] as? [Any]) ?? [] {
                if let label = text(size["label"]), let price = text(size["price"]) { sizes.append((label, price)) }
            }
            let tags = ((entry["dietary_tags"] as? [Any]) ?? []).compactMap { text($0) }
            items.append(RawItem(category: text(entry["category"]) ?? "", name: name, description: text(entry["description"]),
                                 price: text(entry["price"]), sizes: sizes, dietaryTags: tags))
        }
        let questions = ((object["questions"] as? [Any]) ?? []).compactMap { text($0) }
        return Answer(currency: text(object["currency"]), items: items, questions: questions)
    }

    /// A JSON string, or a number written back as text; nil for null or empty.
    static func text(_ value: Any?) -> String? {
        switch value {
        case let s as String:
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty || t.lowercased() == "null" ? nil : t
        case let n as NSNumber:
            let d = n.doubleValue
            if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return "\(d)"
        default:
            return nil
        }
    }

    // MARK: - Checking the answer against the page

    /// Turns a raw item into a draft, flagging what the page's text does not show.
    static func verify(_ raw: RawItem, page: TextPage, lines: PageLines, exponent: Int) -> MenuItemDraft {
        var flags: [MenuFlag] = []
        let compactName = compact(raw.name)
        if !lines.compact.contains(compactName) { flags.append(.nameNotInSource) }

        var prices: [Int64] = []
        var unreadable = false
        var missing = false
        let base = raw.price.flatMap { parsePrice($0, exponent: exponent) }
        if raw.price != nil && base == nil { unreadable = true }
        if let base { prices.append(base); if !lines.containsPrice(base, exponent: exponent) { missing = true } }
        var sizes: [(String, Int64)] = []
        for size in raw.sizes {
            guard let p = parsePrice(size.price, exponent: exponent) else { unreadable = true; continue }
            sizes.append((size.label, p))
            if !lines.containsPrice(p, exponent: exponent) { missing = true }
        }
        prices += sizes.map(\.1)
        if missing || unreadable { flags.append(.priceNotInSource) }
        let lowest = prices.min()
        if lowest == nil { flags.append(.noPrice) }

        var options: [MenuOption] = []
        if sizes.count >= 2, let lowest {
            options = [MenuOption(name: "Size", choices: sizes.map { MenuChoice(value: $0.0, priceDeltaCents: $0.1 - lowest) })]
        }
        var tags: [DietaryTag] = []
        for t in raw.dietaryTags {
            let name = t.lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
            if let tag = DietaryTag(rawValue: name), !tags.contains(tag) { tags.append(tag) }
        }
        let bbox = lines.bbox(containing: compactName) ?? [0, 0, page.width, page.height]
        let confidence = flags.contains(.nameNotInSource) || flags.contains(.priceNotInSource) ? 0.4 : 0.85
        return MenuItemDraft(category: raw.category.isEmpty ? "Menu" : raw.category, name: raw.name, description: raw.description,
                             priceCents: lowest, options: options, dietaryTags: tags, confidence: confidence,
                             flags: flags, source: ItemSource(page: page.number, bbox: bbox))
    }

    /// `"$9.50"`, `"9,50 €"`, `"12.900"` (a 0-exponent currency's thousands), `"15"`.
    static func parsePrice(_ text: String, exponent: Int) -> Int64? {
        let kept = String(text.unicodeScalars.filter { CharacterSet.decimalDigits.contains($0) || $0 == "." || $0 == "," || $0 == "-" }
            .map(Character.init))
        return PriceText.parse(kept, exponent: exponent).flatMap { $0 > 0 ? $0 : nil }
    }

    /// Letters and digits only, folded: letter-spaced headings (`PA S TA`) still match.
    static func compact(_ text: String) -> String {
        TextRules.fold(text).replacingOccurrences(of: " ", with: "")
    }
}

/// A page's text as lines (`TextPage.lines()`), each with its box, for the prompt and for checking
/// the answer.
struct PageLines {
    struct Line {
        var text: String
        var box: [Double]
    }

    var lines: [Line] = []
    var text: String
    var compact: String
    /// Each line compacted, and the page's text as scalars: worked out once, asked once per item.
    private var compactLines: [String]
    private var scalars: [Unicode.Scalar]

    init(_ page: TextPage) {
        // The extractor's lines: split at poppler's line breaks and where glued blocks change row.
        lines = page.lines().map { Line(text: $0.text, box: [$0.x0, $0.y0, $0.x1, $0.y1]) }
        text = lines.map(\.text).joined(separator: "\n")
        // folding keeps letters and digits and compacting drops what lies between them, so the
        // page's compact text is its lines' compact texts end to end: each line is folded once
        compactLines = lines.map { LLMStructurer.compact($0.text) }
        compact = compactLines.joined()
        scalars = Array(text.unicodeScalars)
    }

    /// The box of the first line holding `target` (a compacted name), or of two lines together
    /// when it wraps.
    func bbox(containing target: String) -> [Double]? {
        guard !target.isEmpty else { return nil }
        let compacted = compactLines
        if let i = compacted.firstIndex(where: { $0.contains(target) }) { return lines[i].box }
        for i in lines.indices.dropLast() where (compacted[i] + compacted[i + 1]).contains(target) {
            let a = lines[i].box, b = lines[i + 1].box
            return [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]
        }
        return nil
    }

    /// Whether the page prints `minor` in any usual way (`9.50`, `9,50`, `9.5`, `9`, `12.900`, `12 900`),
    /// as a whole number (not inside a longer one).
    func containsPrice(_ minor: Int64, exponent: Int) -> Bool {
        var scale: Int64 = 1
        for _ in 0..<exponent { scale *= 10 }
        let whole = minor / scale
        let fraction = minor % scale
        var forms: Set<String> = []
        let wholeForms = [String(whole)] + Self.grouped(whole)
        for w in wholeForms {
            if exponent > 0 {
                var f = String(fraction)
                while f.count < exponent { f = "0" + f }
                forms.insert(w + "." + f); forms.insert(w + "," + f)
                var trimmed = f
                while trimmed.hasSuffix("0") { trimmed.removeLast() }
                if trimmed.isEmpty { forms.insert(w) } else { forms.insert(w + "." + trimmed); forms.insert(w + "," + trimmed) }
            } else {
                forms.insert(w)
            }
        }
        for form in forms {
            let f = Array(form.unicodeScalars)
            guard f.count <= scalars.count else { continue }
            var i = 0
            while i + f.count <= scalars.count {
                if scalars[i..<(i + f.count)].elementsEqual(f) {
                    let before = i > 0 ? scalars[i - 1] : " "
                    let after = i + f.count < scalars.count ? scalars[i + f.count] : " "
                    let afterNext = i + f.count + 1 < scalars.count ? scalars[i + f.count + 1] : " "
                    let digit = CharacterSet.decimalDigits
                    let continues = digit.contains(after) || ((after == "." || after == ",") && digit.contains(afterNext))
                    let precededByNumber = digit.contains(before) || ((before == "." || before == ",") && i > 1 && digit.contains(scalars[i - 2]))
                    if !continues && !precededByNumber { return true }
                }
                i += 1
            }
        }
        return false
    }

    /// `12900` → `["12.900", "12,900", "12 900"]`; nothing below 1000.
    static func grouped(_ value: Int64) -> [String] {
        guard value >= 1000 else { return [] }
        let digits = Array(String(value))
        var groups: [String] = []
        var end = digits.count
        while end > 0 {
            let start = max(0, end - 3)
            groups.insert(String(digits[start..<end]), at: 0)
            end = start
        }
        return [".", ",", " ", "\u{00A0}", "\u{202F}"].map { groups.joined(separator: $0) }
    }
}
