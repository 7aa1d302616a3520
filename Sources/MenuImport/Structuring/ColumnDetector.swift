/// Reading order for a page: a recursive XY cut over the text chunks. A region is cut first at
/// vertical gutters (x ranges no chunk covers, across the whole region), then at wide horizontal
/// gaps, until it cannot be cut; regions come out left to right, top to bottom.
///
/// Prices and size labels do not vote for gutters (a right-aligned price column must not become a
/// column of its own); they are placed afterwards into the region to their left.
///
///     let regions = ColumnDetector().regions(layout: textChunks, attached: priceChunks)
public struct ColumnDetector: Sendable {
    /// A gutter is at least this many times the median font size wide.
    public var minGutter: Double = 1.0
    /// A horizontal cut needs a gap of at least this many times the median font size.
    public var minBandGap: Double = 2.2

    public init() {}

    /// Where the prices of the page are: text starting right after a price column is a new column.
    var priceRects: [Rect] = []

    /// Each region's chunks (layout and attached), in reading order.
    public func regions(layout: [Chunk], attached: [Chunk]) -> [[Chunk]] {
        guard !layout.isEmpty else { return attached.isEmpty ? [] : [attached] }
        let sizes = layout.map(\.size).sorted()
        let median = sizes[sizes.count / 2]
        var leaves: [[Int]] = []
        var detector = self
        detector.priceRects = attached.map(\.rect)
        detector.cut(Array(layout.indices), layout, median: median, depth: 0, into: &leaves)
        var out: [[Chunk]] = leaves.map { $0.map { layout[$0] } }
        let boxes = out.map { cs in cs.dropFirst().reduce(cs[0].rect) { $0.union($1.rect) } }
        for a in attached {
            // a row of prices with no text on it (`P.4.50€  M.7.30€  G.11.30€` under a description)
            // belongs to the text just above it in its own column, not to a column on its left
            if !layout.contains(where: { $0.rect.verticalOverlap(a.rect) > 0.5 }),
               let above = boxes.indices.filter({ i in
                   let b = boxes[i]
                   return a.rect.x0 >= b.x0 - 2 && b.y0 < a.rect.y0 && a.rect.y0 - b.y1 <= 3 * max(median, a.rect.height)
               }).max(by: { boxes[$0].x0 < boxes[$1].x0 }) {
                // of the regions just above, the one whose column starts nearest on the left
                out[above].append(a)
                continue
            }
            // the region on the same rows whose left edge is left of the chunk and nearest to it
            var best: Int? = nil
            var bestScore = Double.infinity
            for (i, b) in boxes.enumerated() {
                let vOverlap = a.rect.y1 >= b.y0 - median && a.rect.y0 <= b.y1 + median
                guard vOverlap else { continue }
                let score: Double
                if a.rect.x0 >= b.x0 - 2 { score = max(0, a.rect.x0 - b.x1) } else { score = 1000 + b.x0 - a.rect.x0 }
                if score < bestScore { bestScore = score; best = i }
            }
            if let best { out[best].append(a) } else { out.append([a]) }
        }
        return out
    }

    func cut(_ ids: [Int], _ all: [Chunk], median: Double, depth: Int, into leaves: inout [[Int]]) {
        guard ids.count > 1, depth < 12 else { leaves.append(ids); return }
        // vertical gutters
        let xs = ids.map { (all[$0].rect.x0, all[$0].rect.x1) }.sorted { $0.0 < $1.0 }
        var groups: [[Int]] = []
        var splits: [Double] = []
        var reach = xs[0].1
        for (x0, x1) in xs.dropFirst() {
            let gap = x0 - reach
            // a wide empty strip, or a narrower one with a column's left edge right after it
            if gap >= minGutter * median || (gap >= 0.4 * median && alignedStarts(at: x0, ids, all) >= 4) {
                splits.append((reach + x0) / 2)
            }
            reach = max(reach, x1)
        }
        splits = sideBySide(splits, ids, all)
        // the menu's title over columns it does not span (centred over the middle one) is read first
        if !splits.isEmpty, let title = titleBand(ids, all, median: median) {
            leaves.append(title)
            cut(ids.filter { !title.contains($0) }, all, median: median, depth: depth + 1, into: &leaves)
            return
        }
        if !splits.isEmpty {
            groups = Array(repeating: [], count: splits.count + 1)
            for i in ids {
                let x = all[i].rect.x0
                let g = splits.firstIndex { x < $0 } ?? splits.count
                groups[g].append(i)
            }
            for g in groups where !g.isEmpty { cut(g, all, median: median, depth: depth + 1, into: &leaves) }
            return
        }
        // horizontal bands
        let ys = ids.map { (all[$0].rect.y0, all[$0].rect.y1) }.sorted { $0.0 < $1.0 }
        var hsplits: [Double] = []
        var bottom = ys[0].1
        for (y0, y1) in ys.dropFirst() {
            if y0 - bottom >= minBandGap * median { hsplits.append((bottom + y0) / 2) }
            bottom = max(bottom, y1)
        }
        if !hsplits.isEmpty {
            groups = Array(repeating: [], count: hsplits.count + 1)
            for i in ids {
                let y = all[i].rect.midY
                let g = hsplits.firstIndex { y < $0 } ?? hsplits.count
                groups[g].append(i)
            }
            for g in groups where !g.isEmpty { cut(g, all, median: median, depth: depth + 1, into: &leaves) }
            return
        }
        // a title or footer across the columns: set the few widest chunks aside and try again
        let left = ids.map { all[$0].rect.x0 }.min()!, right = ids.map { all[$0].rect.x1 }.max()!
        let wide = ids.filter { all[$0].rect.width > (right - left) * 0.45 }.sorted { all[$0].rect.width > all[$1].rect.width }
        let allowance = max(1, ids.count / 12)
        if !wide.isEmpty, depth < 10 {
            for k in 1...min(allowance, wide.count) {
                let aside = Set(wide.prefix(k))
                let rest = ids.filter { !aside.contains($0) }
                guard rest.count > 1 else { break }
                if hasGutter(rest, all, median: median) {
                    var sub: [[Int]] = []
                    cut(rest, all, median: median, depth: depth + 1, into: &sub)
                    // a set-aside chunk that starts inside a column and sits among its rows belongs to it
                    var above: [Int] = [], below: [Int] = []
                    let midY = rest.map { all[$0].rect.midY }.reduce(0, +) / Double(rest.count)
                    for a in aside.sorted(by: { all[$0].rect.midY < all[$1].rect.midY }) {
                        let r = all[a].rect
                        if let k = sub.firstIndex(where: { leaf in
                            let b = leaf.dropFirst().reduce(all[leaf[0]].rect) { $0.union(all[$1].rect) }
                            return min(r.x1, b.x1) - max(r.x0, b.x0) >= 0.6 * r.width && r.midY >= b.y0 - median && r.midY <= b.y1 + median
                        }) {
                            sub[k].append(a)
                        } else if r.midY < midY { above.append(a) } else { below.append(a) }
                    }
                    for a in above { leaves.append([a]) }
                    leaves += sub
                    for b in below { leaves.append([b]) }
                    return
                }
            }
        }
        // text that starts just right of a price, on several rows at the same x: the next column
        if let x = priceDelimitedSplit(ids, all, median: median), !sideBySide([x], ids, all).isEmpty {
            let left = ids.filter { all[$0].rect.x0 < x }
            let right = ids.filter { all[$0].rect.x0 >= x }
            if !left.isEmpty && !right.isEmpty {
                cut(left, all, median: median, depth: depth + 1, into: &leaves)
                cut(right, all, median: median, depth: depth + 1, into: &leaves)
                return
            }
        }
        leaves.append(ids)
    }

    /// The x where a column starts right of a price column, seen on at least three rows.
    func priceDelimitedSplit(_ ids: [Int], _ all: [Chunk], median: Double) -> Double? {
        let y0 = ids.map { all[$0].rect.y0 }.min()!, y1 = ids.map { all[$0].rect.y1 }.max()!
        var starts: [Double] = []
        for p in priceRects where p.midY >= y0 && p.midY <= y1 {
            // the nearest text to the right of the price on its row
            var best: Double? = nil
            for i in ids {
                let r = all[i].rect
                guard r.x0 >= p.x1 - 1, r.x0 - p.x1 < 6 * median, r.verticalOverlap(p) > 0.5 else { continue }
                if best == nil || r.x0 < best! { best = r.x0 }
            }
            if let b = best { starts.append(b) }
        }
        guard starts.count >= 3 else { return nil }
        starts.sort()
        // the biggest cluster of starts within 1.5 em
        var bestCluster: ArraySlice<Double> = []
        var lo = 0
        for hi in starts.indices {
            while starts[hi] - starts[lo] > 1.5 * median { lo += 1 }
            if hi - lo + 1 > bestCluster.count { bestCluster = starts[lo...hi] }
        }
        guard bestCluster.count >= 3 else { return nil }
        return bestCluster.first! - 1
    }

    /// The few chunks above the region's first wide horizontal gap when they hold its largest type
    /// (half again the body size): a title, to be read before whatever columns stand under it.
    func titleBand(_ ids: [Int], _ all: [Chunk], median: Double) -> [Int]? {
        let sorted = ids.sorted { all[$0].rect.y0 < all[$1].rect.y0 }
        var bottom = all[sorted[0]].rect.y1
        for (k, i) in sorted.enumerated().dropFirst() {
            if all[i].rect.y0 - bottom >= minBandGap * median {
                let top = Array(sorted[..<k])
                guard top.count <= 4, k < sorted.count else { return nil }
                let titleSize = top.map { all[$0].size }.max()!
                let restSize = sorted[k...].map { all[$0].size }.max()!
                return titleSize >= 1.5 * median && titleSize > restSize ? top : nil
            }
            bottom = max(bottom, all[i].rect.y1)
        }
        return nil
    }

    /// How many chunks start at `x` (within a point): a column's left edge.
    func alignedStarts(at x: Double, _ ids: [Int], _ all: [Chunk]) -> Int {
        ids.filter { abs(all[$0].rect.x0 - x) <= 1 }.count
    }

    func hasGutter(_ ids: [Int], _ all: [Chunk], median: Double) -> Bool {
        let xs = ids.map { (all[$0].rect.x0, all[$0].rect.x1) }.sorted { $0.0 < $1.0 }
        var splits: [Double] = []
        var reach = xs[0].1
        for (x0, x1) in xs.dropFirst() {
            if x0 - reach >= minGutter * median { splits.append((reach + x0) / 2) }
            reach = max(reach, x1)
        }
        return !sideBySide(splits, ids, all).isEmpty
    }

    /// The splits whose sides are columns standing side by side. Two neighbouring sides none of
    /// whose chunks share a row, one less than half the size of the other, are one column: the
    /// smaller sits between the larger one's rows (centred headings over left-aligned dishes, a
    /// column of headings left of indented names).
    func sideBySide(_ splits: [Double], _ ids: [Int], _ all: [Chunk]) -> [Double] {
        var splits = splits
        let order = ids.sorted { all[$0].rect.y0 < all[$1].rect.y0 }
        while !splits.isEmpty {
            let side = { (i: Int) in splits.firstIndex { all[i].rect.x0 < $0 } ?? splits.count }
            // per split, whether the sides either side of it share a row
            var beside = Array(repeating: false, count: splits.count)
            var counts = Array(repeating: 0, count: splits.count + 1)
            for (k, a) in order.enumerated() {
                let ra = all[a].rect, sa = side(a)
                counts[sa] += 1
                for b in order[(k + 1)...] {
                    let rb = all[b].rect
                    if rb.y0 >= ra.y1 { break }
                    let sb = side(b)
                    if abs(sa - sb) == 1 && min(ra.y1, rb.y1) > max(ra.y0, rb.y0) { beside[min(sa, sb)] = true }
                }
            }
            guard let j = beside.indices.first(where: { !beside[$0] && 2 * min(counts[$0], counts[$0 + 1]) <= max(counts[$0], counts[$0 + 1]) })
            else { break }
            splits.remove(at: j)
        }
        return splits
    }

    /// Chunks of one region grouped into lines (vertical overlap), top to bottom, each left to right.
    public func lines(_ chunks: [Chunk], page: Int) -> [LayoutLine] {
        let sorted = chunks.sorted { $0.rect.midY < $1.rect.midY }
        var rows: [[Chunk]] = []
        var rects: [Rect] = []
        for c in sorted {
            // against the row's first chunk, so that rows cannot chain into each other
            if let i = rows.indices.last,
               rects[i].verticalOverlap(c.rect) > 0.6 || abs(rects[i].midY - c.rect.midY) < min(rects[i].height, c.rect.height) * 0.62 {
                rows[i].append(c)
            } else {
                rows.append([c]); rects.append(c.rect)
            }
        }
        return rows.map { LayoutLine(chunks: $0.sorted { $0.rect.x0 < $1.rect.x0 }, page: page) }
    }
}
