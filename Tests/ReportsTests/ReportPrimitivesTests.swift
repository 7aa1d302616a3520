import Foundation
import Output
import Testing
@testable import Reports

struct ReportTemplateTests {

    @Test func reportTemplateUsesTripleBracesOnlyForFragments() {
        // kindsChart and chart are HTMLFragment properties (ReportPage.kindsChart, DailyChart.chart).
        let names = HTML.unescapedNames(in: ReportPage.template) + HTML.unescapedNames(in: ReportPage.tablePartial)
        #expect(Set(names) == ["kindsChart", "chart"])
        let page = Mirror(reflecting: DailyChart(chart: HTMLFragment(trusted: "")))
        #expect(page.children.first { $0.label == "chart" }?.value is HTMLFragment)
    }
}

struct SVGChartTests {
    @Test func labelsAreEscaped() {
        let chart = SVGChart.horizontalBars(title: "<t>", bars: [.init(label: "<script>alert(1)</script>", value: 3, valueText: "3")])
        #expect(!chart.markup.contains("<script>"))
        #expect(chart.markup.contains("&lt;script&gt;"))
        let columns = SVGChart.columns(title: "x", bars: [.init(label: "\"><img src=x>", value: -5, valueText: "-5")])
        #expect(!columns.markup.contains("<img"))
        #expect(columns.markup.hasPrefix("<svg"))
    }
}
