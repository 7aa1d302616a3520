import Output
/// Bar charts as inline SVG, drawn from numbers and escaped labels: no script, no external file,
/// readable in black and white.
///
///     let chart = SVGChart.horizontalBars(title: "Exceptions by kind", bars: [
///         .init(label: "amount_mismatch", value: 2, valueText: "2"),
///     ])
///     // chart.markup: "<svg …><title>Exceptions by kind</title>…</svg>"
///
/// Every label and title goes through `HTML.escape(_:)`; values only set sizes. Negative values
/// draw as empty bars (the table beside the chart carries the figure).
public enum SVGChart {
    public struct Bar: Sendable, Hashable {
        public var label: String
        public var value: Int64
        public var valueText: String
        public init(label: String, value: Int64, valueText: String) {
            self.label = label
            self.value = value
            self.valueText = valueText
        }
    }

    /// One bar per row, label on the left, value on the right of the bar.
    public static func horizontalBars(title: String, bars: [Bar], width: Int = 640, labelWidth: Int = 220) -> HTMLFragment {
        let rowHeight = 22
        let top = 6
        let height = top * 2 + max(1, bars.count) * rowHeight
        let valueWidth = 90
        let barSpace = max(40, width - labelWidth - valueWidth - 10)
        let maxValue = max(1, bars.map(\.value).max() ?? 1)
        var svg = open(title: title, width: width, height: height)
        for (i, bar) in bars.enumerated() {
            let y = top + i * rowHeight
            let length = bar.value > 0 ? max(2, Int(Double(bar.value) / Double(maxValue) * Double(barSpace))) : 0
            svg += "<text x=\"\(labelWidth - 8)\" y=\(q(y + 15)) text-anchor=\"end\" class=\"chart-label\">\(HTML.escape(bar.label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\(q(y + 3)) width=\(q(length)) height=\"16\" class=\"chart-bar\"/>"
            svg += "<text x=\(q(labelWidth + length + 6)) y=\(q(y + 15)) class=\"chart-value\">\(HTML.escape(bar.valueText))</text>"
        }
        svg += "</svg>"
        return HTMLFragment(trusted: svg)
    }

    /// Columns left to right (days, say), the label under each column and the value above it.
    public static func columns(title: String, bars: [Bar], width: Int = 640, height: Int = 200) -> HTMLFragment {
        let top = 42
        let bottom = 30
        let left = 8
        let plotHeight = max(40, height - top - bottom)
        let slot = Double(width - left * 2) / Double(max(1, bars.count))
        let barWidth = max(4.0, min(60.0, slot * 0.6))
        let maxValue = max(1, bars.map(\.value).max() ?? 1)
        var svg = open(title: title, width: width, height: height)
        svg += "<text x=\"\(left)\" y=\"16\" class=\"chart-title\">\(HTML.escape(title))</text>"
        let baseline = top + plotHeight
        svg += "<line x1=\"\(left)\" y1=\(q(baseline)) x2=\(q(width - left)) y2=\(q(baseline)) class=\"chart-axis\"/>"
        for (i, bar) in bars.enumerated() {
            let center = Double(left) + slot * (Double(i) + 0.5)
            let h = bar.value > 0 ? max(1, Int(Double(bar.value) / Double(maxValue) * Double(plotHeight))) : 0
            let x = center - barWidth / 2
            svg += "<rect x=\(q(fmt(x))) y=\(q(baseline - h)) width=\(q(fmt(barWidth))) height=\(q(h)) class=\"chart-bar\"/>"
            svg += "<text x=\(q(fmt(center))) y=\(q(baseline - h - 4)) text-anchor=\"middle\" class=\"chart-value\">\(HTML.escape(bar.valueText))</text>"
            svg += "<text x=\(q(fmt(center))) y=\(q(baseline + 16)) text-anchor=\"middle\" class=\"chart-label\">\(HTML.escape(bar.label))</text>"
        }
        svg += "</svg>"
        return HTMLFragment(trusted: svg)
    }

    private static func open(title: String, width: Int, height: Int) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-label=\(q(HTML.escape(title))) width=\(q(width)) height=\(q(height)) viewBox=\"0 0 \(width) \(height)\"><title>\(HTML.escape(title))</title>"
    }

    private static func q(_ v: Int) -> String { "\"\(v)\"" }
    private static func q(_ s: String) -> String { "\"\(s)\"" }
    private static func fmt(_ d: Double) -> String {
        let r = (d * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
