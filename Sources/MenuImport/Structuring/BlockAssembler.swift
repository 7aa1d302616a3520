/// Menus that set the price beside the middle of a dish's block rather than on its name's row
/// (`GARLIC BREAD (2)` / `Toasted ciabatta w’ house made   7` / `garlic butter`), and size rows
/// that float between two blocks (`S 14` above the name, `R 16` below it).
///
/// A block is a name line in capitals and the description lines under it; every price of the region
/// goes to the block whose rows it sits among; size-labelled rows that follow each other stay together.
/// A price printed under a heading before any block (`Regular 10inch Pizza Base   24`) is the price of
/// the section's blocks that print none.
extension ItemAssembler {
    /// True when most capitals name lines of the region carry no price on their own row.
    /// A heading in a block layout: set clearly larger than the dishes (capitals alone say nothing there).
    func isBlockHeading(_ li: AnalyzedLine) -> Bool {
        !li.hasPrices && headings.isHeading(li, next: nil) && (li.size >= facts.bodySize * 1.18 || !Self.isBlockName(li))
    }

    func wantsBlocks(_ lines: [AnalyzedLine]) -> Bool {
        // capitals names with a description under them
        let names = lines.indices.filter { i in
            Self.isBlockName(lines[i]) && !isBlockHeading(lines[i]) && i + 1 < lines.count && !lines[i + 1].caps
                && lines[i + 1].rect.y0 - lines[i].rect.y1 < lines[i].rect.height
        }.map { lines[$0] }
        guard names.count >= 3 else { return false }
        let priced = names.filter { $0.hasPrices && $0.rowLabel == nil }.count
        let pricedRows = lines.filter(\.hasPrices).count
        if pricedRows == 0, let c = carriedSection, c.page == lines.first?.line.page { return true }
        // many priced lines in plain type are dishes of their own under capitals sub-headings, not blocks
        let pricedPlain = lines.filter { $0.hasPrices && !$0.caps && !$0.text.isEmpty && $0.rowLabel == nil }.count
        if Double(pricedPlain) > 1.3 * Double(names.count) { return false }
        return priced * 2 < names.count && pricedRows >= 1
    }

    static func isBlockName(_ li: AnalyzedLine) -> Bool {
        li.caps && li.text.letterCount >= 3 && !li.text.hasPrefix("(")
    }

    mutating func blocks(_ lines: [AnalyzedLine]) {
        struct Block { var draft: ItemDraft; var top: Double; var bottom: Double; var hasDescription = false }
        struct PriceGroup { var rows: [(prices: [PriceToken], rects: [Rect], label: String?)]; var midY: Double; var top: Double; var bottom: Double }
        var blocks: [Block] = []
        var groups: [PriceGroup] = []
        var sections: [(start: Int, price: (prices: [PriceToken], rects: [Rect], label: String?)?)] = []
        let lineHeight = lines.map { $0.rect.height }.sorted().dropFirst(lines.count / 2).first ?? 10

        for li in lines {
            if li.isAddOn {
                questions.append("Is '\(Self.addOnText(li))' an extra for the items above, not an item of its own?")
                continue
            }
            if isBlockHeading(li) {
                setCategory(li)
                sections.append((blocks.count, nil))
                continue
            }
            if li.hasPrices {
                let row = (li.prices, li.priceRects, li.rowLabel)
                // a price line that is not a dish, under a heading before any dish: the section's price
                if !Self.isBlockName(li), !li.text.isEmpty, sections.last.map({ $0.start == blocks.count && $0.price == nil }) ?? blocks.isEmpty {
                    carriedSection = (li.line.page, li.rect.y0, row)
                    if !sections.isEmpty { sections[sections.count - 1].price = row } else { sections.append((blocks.count, row)) }
                    continue
                }
                let mid = (li.priceRects.map(\.midY).reduce(0, +)) / Double(max(li.priceRects.count, 1))
                // `S 32` / `R 40` stay together; an `S` after an `R` starts the next dish's sizes
                if let last = groups.last, let label = li.rowLabel, last.rows.last?.label != nil,
                   !last.rows.contains(where: { $0.label == label }), mid - last.bottom < lineHeight * 1.6 {
                    groups[groups.count - 1].rows.append(row)
                    groups[groups.count - 1].bottom = li.rect.y1
                    groups[groups.count - 1].midY = (groups[groups.count - 1].top + li.rect.y1) / 2
                } else {
                    groups.append(PriceGroup(rows: [row], midY: mid, top: li.rect.y0, bottom: li.rect.y1))
                }
            }
            if li.text.isEmpty || TextRules.isNoise(li.text) { continue }
            if Self.isBlockName(li) {
                if var b = blocks.last, !b.hasDescription, li.rect.y0 - b.bottom < lineHeight * 0.8, li.font == b.draft.font {
                    // a name on two lines
                    b.draft.name = TextRules.cleanName(b.draft.name + " " + li.text)
                    b.draft.lines.append(li); b.bottom = li.rect.y1
                    blocks[blocks.count - 1] = b
                    continue
                }
                var d = ItemDraft(name: TextRules.cleanName(li.text), font: li.font, caps: true, category: category)
                d.lines = [li]
                d.header = header
                blocks.append(Block(draft: d, top: li.rect.y0, bottom: li.rect.y1))
            } else if var b = blocks.last, li.rect.y0 - b.bottom < lineHeight * 1.5 {
                b.draft.description.append(li.text)
                b.draft.lines.append(li); b.bottom = li.rect.y1; b.hasDescription = true
                blocks[blocks.count - 1] = b
            }
        }
        // each price group to the block among whose rows it sits
        for g in groups {
            let inside = blocks.indices.filter { g.midY >= blocks[$0].top - lineHeight * 0.6 && g.midY <= blocks[$0].bottom + lineHeight * 0.3 }
            let pick: Int?
            if let i = inside.first(where: { blocks[$0].draft.rows.isEmpty }) ?? inside.first { pick = i }
            else {
                pick = blocks.indices.min { distance(g.midY, blocks[$0].top, blocks[$0].bottom) < distance(g.midY, blocks[$1].top, blocks[$1].bottom) }
                    .flatMap { distance(g.midY, blocks[$0].top, blocks[$0].bottom) < lineHeight * 1.5 ? $0 : nil }
            }
            if let i = pick { blocks[i].draft.rows += g.rows }
        }
        // a column of dishes without any price, beside the section that printed one (`GOURMET PIZZA … 29`)
        let carried: (prices: [PriceToken], rects: [Rect], label: String?)? = {
            guard sections.isEmpty, !blocks.isEmpty, blocks.allSatisfy({ $0.draft.rows.isEmpty }),
                  let c = carriedSection, c.page == (lines.first?.line.page ?? 0), c.y <= blocks[0].top else { return nil }
            return c.row
        }()
        for (k, var b) in blocks.enumerated() {
            if b.draft.rows.isEmpty, let s = sections.last(where: { $0.start <= k }), let price = s.price {
                b.draft.rows = [price]
                b.draft.confidence -= 0.15
            } else if b.draft.rows.isEmpty, let carried {
                b.draft.rows = [carried]
                b.draft.confidence -= 0.25
            }
            if b.draft.rows.count > 4 { b.draft.confidence -= 0.3 }
            var current: ItemDraft? = b.draft
            var pending: [AnalyzedLine] = []
            close(&current, &pending)
        }
    }

    private func distance(_ y: Double, _ top: Double, _ bottom: Double) -> Double {
        y < top ? top - y : (y > bottom ? y - bottom : 0)
    }
}
