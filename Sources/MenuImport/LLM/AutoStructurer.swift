import BackofficeCore
import Foundation

/// `--structurer auto`: the layout reading everywhere, the model only where the layout reading is
/// unsure of a page (no item on a page that prints prices, low confidence, many flags). On those
/// pages the two readings are compared: where they agree an item's confidence rises; where they
/// disagree the owner gets a question showing both; a page the layout could not read takes the
/// model's items (grounded against the page like any model answer).
///
///     let auto = AutoStructurer(llm: llmStructurer)
///     let menu = try auto.structure(document, currency: nil)   // menu.structurer == "auto"
public struct AutoStructurer: MenuStructuring {
    public var layout: any MenuStructuring
    public var llm: LLMStructurer
    public var name: String { "auto" }

    public init(layout: any MenuStructuring = HeuristicStructurer(), llm: LLMStructurer) {
        self.layout = layout
        self.llm = llm
    }

    public func structure(_ document: TextDocument, currency: String?) throws -> MenuDocument {
        var menu = try layout.structure(document, currency: currency)
        menu.structurer = name
        let unsure = Self.unsurePages(menu, document: document)
        guard !unsure.isEmpty else { return menu }
        let readings = try self.llm.read(document, pages: unsure, currency: currency ?? menu.currency)
        let exponent = Currency(code: menu.currency)?.exponent ?? 2
        var unread = Set(menu.unreadPages)
        for page in document.pages where unsure.contains(page.number) {
            guard let reading = readings[page.number] else { continue }
            let lines = PageLines(page)
            guard case .answered(let answer) = reading else {
                if case .skipped(let why) = reading {
                    menu.questions.append("Page \(page.number) was not cross-checked by the model (\(why)); the layout reading stands.")
                } else if case .unusable(let why) = reading {
                    menu.questions.append("Page \(page.number) was not cross-checked: the model's \(why). The layout reading stands.")
                }
                continue
            }
            let modelItems = LLMStructurer.verifyAll(answer, page: page, lines: lines, exponent: exponent)
            menu.questions += LLMStructurer.injectionQuestions(lines, page: page.number)
            let layoutIndices = menu.items.indices.filter { menu.items[$0].source.page == page.number }
            if layoutIndices.isEmpty {
                // the layout read nothing here: the model's reading, checked against the page
                let grounded = modelItems.filter { !$0.flags.contains(.nameNotInSource) }
                menu.items += grounded
                if !grounded.isEmpty { unread.remove(page.number) }
                continue
            }
            var matched: Set<Int> = []
            for i in layoutIndices {
                let key = LLMStructurer.compact(menu.items[i].name)
                guard let m = modelItems.indices.first(where: { !matched.contains($0) && Self.sameName(key, LLMStructurer.compact(modelItems[$0].name)) }) else { continue }
                matched.insert(m)
                let model = modelItems[m]
                if Self.prices(menu.items[i]) == Self.prices(model) {
                    menu.items[i].confidence = min(0.99, menu.items[i].confidence + 0.15)
                    if menu.items[i].confidence >= 0.6 { menu.items[i].flags.removeAll { $0 == .lowConfidence } }
                } else if !model.flags.contains(.priceNotInSource) {
                    let currency = Currency(code: menu.currency) ?? .EUR
                    func show(_ item: MenuItemDraft) -> String {
                        let p = Self.prices(item).map { MoneyText.format($0, currency) }
                        return p.isEmpty ? "no price" : p.joined(separator: " / ")
                    }
                    menu.questions.append("Page \(page.number), '\(menu.items[i].name)': the layout reading gives \(show(menu.items[i])), the model \(show(model)). Which is right?")
                }
            }
            for (m, model) in modelItems.enumerated() where !matched.contains(m)
                && !model.flags.contains(.nameNotInSource) && !model.flags.contains(.priceNotInSource) {
                var added = model
                added.confidence = 0.5
                added.flags.append(.lowConfidence)
                menu.items.append(added)
                menu.questions.append("Page \(page.number): the model read '\(model.name)', which the layout reading did not list. Keep it only if it is on the menu.")
            }
        }
        let stillUnread = menu.unreadPages.filter { unread.contains($0) }
        if stillUnread != menu.unreadPages {
            menu.questions.removeAll(where: MenuDocument.isUnreadPagesQuestion)
            if !stillUnread.isEmpty { menu.questions.append(MenuDocument.unreadPagesQuestion(stillUnread)) }
            menu.unreadPages = stillUnread
        }
        // items in reading order: by page, the layout's order kept within a page
        menu.items = menu.items.enumerated().sorted { ($0.element.source.page, $0.offset) < ($1.element.source.page, $1.offset) }.map(\.element)
        return menu
    }

    /// Pages the layout reading is unsure of: words but no item (or in `unread_pages`), an average
    /// confidence below 0.7, or a third or more of its items flagged (OCR alone is no doubt).
    public static func unsurePages(_ menu: MenuDocument, document: TextDocument) -> [Int] {
        document.pages.compactMap { page -> Int? in
            let items = menu.items.filter { $0.source.page == page.number }
            if menu.unreadPages.contains(page.number) { return page.number }
            if items.isEmpty {
                return page.glyphs.contains { CharacterSet.decimalDigits.contains($0.scalar) } ? page.number : nil
            }
            let mean = items.map(\.confidence).reduce(0, +) / Double(items.count)
            let flagged = items.filter { !$0.flags.filter { $0 != .ocr }.isEmpty }.count
            return mean < 0.7 || Double(flagged) >= Double(items.count) / 3 ? page.number : nil
        }
    }

    static func sameName(_ a: String, _ b: String) -> Bool {
        !a.isEmpty && !b.isEmpty && (a == b || (min(a.count, b.count) >= 5 && (a.contains(b) || b.contains(a))))
    }

    /// The item's prices: the lowest and each size's.
    static func prices(_ item: MenuItemDraft) -> [Int64] {
        guard let base = item.priceCents else { return [] }
        return ([base] + item.options.flatMap { $0.choices.map { base + $0.priceDeltaCents } }).reduce(into: [Int64]()) { if !$0.contains($1) { $0.append($1) } }.sorted()
    }
}
