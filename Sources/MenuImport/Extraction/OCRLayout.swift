import Foundation

/// Turns the words OCR read from a page into the glyphs the structurer reads, so scanned pages
/// go through the same steps as pages with a text layer.
///
/// What OCR makes of a printed menu that a text layer never has: dot leaders read as runs of
/// dots, commas or letters (`SOUP.........cccseee`, `nncccccoccst`), set low and thin on the
/// line; these are taken out, so that the name and its price stand apart as on a text page.
public enum OCRLayout {
    /// Below this confidence (0...100) a word is marked uncertain, and items over it are flagged.
    public static let uncertainBelow = 60.0

    public static func page(number: Int, width: Double, height: Double, words: [OCRWord], fonts: inout [FontStyle]) -> TextPage {
        var lines: [[OCRWord]] = []
        var index: [[Int]: Int] = [:]
        for w in words {
            if let i = index[w.line] { lines[i].append(w) } else { index[w.line] = lines.count; lines.append([w]) }
        }
        var glyphs: [Glyph] = []
        var uncertain: [[Double]] = []
        for line in lines {
            let kept = clean(line)
            guard !kept.isEmpty else { continue }
            // one top and bottom for the line: a word's own box moves with its ascenders and descenders
            let top = median(kept.map(\.y0)), bottom = median(kept.map(\.y1))
            let size = ((bottom - top) * 2).rounded() / 2
            let style = FontStyle(name: "OCR", size: max(size, 1), bold: false, italic: false, red: 0, green: 0, blue: 0)
            let font: Int
            if let known = fonts.firstIndex(of: style) { font = known } else { font = fonts.count; fonts.append(style) }
            for (k, w) in kept.sorted(by: { $0.x0 < $1.x0 }).enumerated() {
                if k > 0, let previous = glyphs.last {
                    glyphs.append(Glyph(scalar: " ", x0: previous.x1, y0: top, x1: max(previous.x1, w.x0), y1: bottom, font: font))
                }
                let scalars = Array(w.text.unicodeScalars)
                let step = (w.x1 - w.x0) / Double(scalars.count)
                for (i, s) in scalars.enumerated() {
                    glyphs.append(Glyph(scalar: s, x0: w.x0 + Double(i) * step, y0: top, x1: w.x0 + Double(i + 1) * step, y1: bottom, font: font))
                }
                if w.confidence < uncertainBelow { uncertain.append([w.x0, top, w.x1, bottom]) }
            }
        }
        return TextPage(number: number, width: width, height: height, glyphs: glyphs, imageOnly: false, ocr: true, uncertain: uncertain)
    }

    /// A line's words without leader junk: a run of three or more leader marks cuts a word there
    /// (an amount glued after the run is kept as a word of its own); words much thinner than the
    /// line's text and without a digit are dots; words Tesseract gave no confidence at all are
    /// kept only when they hold a digit.
    static func clean(_ line: [OCRWord]) -> [OCRWord] {
        var out: [OCRWord] = []
        for w in line {
            let text = w.text
            if let run = text.patternRange(leaderRun) {
                let before = String(text[..<run.lowerBound]).trimmed
                let after = String(text[run.upperBound...]).trimmed
                let width = w.x1 - w.x0
                let perScalar = width / Double(max(text.unicodeScalars.count, 1))
                if before.contains(where: { $0.isLetter || $0.isNumber }) {
                    var b = w
                    b.text = before
                    b.x1 = w.x0 + perScalar * Double(before.unicodeScalars.count)
                    out.append(b)
                }
                if after.patternRange(amount) != nil {
                    var a = w
                    a.text = after
                    a.x0 = w.x1 - perScalar * Double(after.unicodeScalars.count)
                    out.append(a)
                }
                continue
            }
            out.append(w)
        }
        let heights = out.filter { $0.text.contains(where: { $0.isLetter || $0.isNumber }) }.map { $0.y1 - $0.y0 }
        let lineHeight = heights.isEmpty ? 0 : median(heights)
        return out.filter { w in
            let digit = w.text.contains(where: \.isNumber)
            if !w.text.contains(where: { $0.isLetter || $0.isNumber }) && w.text.count >= 2 { return false }
            if !digit && w.y1 - w.y0 < lineHeight * 0.45 { return false }
            if !digit && w.confidence < 1 { return false }
            return true
        }
    }

    private static let leaderRun = TextPattern.compiled(#"[.·•…,:;_~'`"\-–—]{3,}"#)
    private static let amount = TextPattern.compiled(#"^[$€£₹]?\d+([.,]\d{1,3})*[€]?$"#)

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
