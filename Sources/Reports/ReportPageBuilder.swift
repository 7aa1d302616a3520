import Output
import BackofficeCore

extension ReportPage {
    static func build(
        run: RunHeader, inputRows: [[ReportValue]], exceptions: [ExceptionRecord], exceptionRows: [[ReportValue]],
        daily: [DailyRecord], dailyRows: [[ReportValue]], payoutRows: [[ReportValue]], ledgerRows: [[ReportValue]],
        matchRows: [[ReportValue]], matchTotal: Int, matchFoot: [[ReportValue]]
    ) -> ReportPage {
        let count = exceptions.count
        let verdict = count == 0 ? "Everything matched" : (count == 1 ? "1 thing needs you" : "\(count) things need you")

        // Exceptions grouped by kind; rows already sorted by kind.
        var groups: [KindGroup] = []
        var start = 0
        while start < exceptions.count {
            let kind = exceptions[start].kind
            var end = start
            while end < exceptions.count, exceptions[end].kind == kind { end += 1 }
            let rows = Array(exceptionRows[start..<end])
            let n = end - start
            groups.append(KindGroup(
                kind: kind, title: ExceptionKinds.title(kind), explanation: ExceptionKinds.explanation(kind),
                action: ExceptionKinds.suggestedAction(kind), countText: n == 1 ? "1 finding" : "\(n) findings",
                table: TableView(id: "exceptions-\(kind)", spec: ReportTables.exceptions, rows: rows,
                                 hidden: ["kind", "venue_id", "suggested_action"])))
            start = end
        }

        let kindRows = ReportTables.kindRows(exceptions)
        var kindCounts: [(String, Int64)] = []
        for row in kindRows {
            let kind = row[0].display
            if let i = kindCounts.firstIndex(where: { $0.0 == kind }) { kindCounts[i].1 += row[1].number ?? 0 } else { kindCounts.append((kind, row[1].number ?? 0)) }
        }
        let kindsChart = SVGChart.horizontalBars(title: "Exceptions by kind", bars: kindCounts.map {
            SVGChart.Bar(label: $0.0, value: $0.1, valueText: String($0.1))
        }, width: 720, labelWidth: 340)

        // One small chart per venue and currency: gross takings per day.
        let days = Array(Set(daily.map(\.day))).sorted()
        var series: [String: (venue: String, currency: Currency, byDay: [String: Int64])] = [:]
        var seriesOrder: [String] = []
        for d in daily {
            let key = d.venueId + "\u{0}" + d.currency.code
            if series[key] == nil { series[key] = (d.venueName, d.currency, [:]); seriesOrder.append(key) }
            series[key]!.byDay[d.day, default: 0] += d.gross
        }
        seriesOrder.sort { (series[$0]!.venue, $0) < (series[$1]!.venue, $1) }
        let charts = seriesOrder.map { key -> DailyChart in
            let s = series[key]!
            let bars = days.map { day -> SVGChart.Bar in
                let v = s.byDay[day] ?? 0
                return SVGChart.Bar(label: String(day.suffix(5)), value: v, valueText: compact(v, s.currency))
            }
            return DailyChart(chart: SVGChart.columns(title: "\(PhoneMask.maskText(s.venue)): gross takings per day, \(s.currency.code)",
                                                      bars: bars, width: 520, height: 190))
        }

        let matchesNote: String
        if matchTotal > matchRows.count {
            matchesNote = "The first \(matchRows.count) of \(matchTotal) matched payments are listed here; the totals below add up these \(matchRows.count) rows. matches.csv has all \(matchTotal)."
        } else {
            matchesNote = ""
        }

        let to = run.periodTo
        return ReportPage(
            runId: run.id,
            period: "\(run.periodFrom) to \(to)",
            periodNote: "The period runs from its first instant up to, not including, its last (UTC). Totals below add up the rows above them, per currency.",
            command: run.command,
            finished: run.finishedAt ?? run.startedAt,
            hasVenueFilter: run.venueId != nil, venueFilter: run.venueId ?? "",
            verdict: verdict, verdictOK: count == 0,
            matched: String(run.matched), exceptionCount: String(count),
            inputsTable: TableView(id: "inputs", spec: ReportTables.inputs, rows: inputRows, emptyText: "No input files."),
            providerTable: TableView(id: "providers", spec: ReportTables.providerTotals, rows: ReportTables.providerRows(daily), emptyText: "No takings in this run."),
            kindsTable: TableView(id: "kinds", spec: ReportTables.kinds, rows: kindRows, emptyText: "No exceptions."),
            hasKindsChart: !kindCounts.isEmpty, kindsChart: kindsChart,
            groups: groups, hasGroups: !groups.isEmpty,
            dailyCharts: charts,
            dailyTable: TableView(id: "daily", spec: ReportTables.daily, rows: dailyRows, hidden: ["venue_id"], emptyText: "No takings in this run."),
            payoutsTable: TableView(id: "payouts", spec: ReportTables.payouts, rows: payoutRows, emptyText: "No payouts in the inputs."),
            ledgerTable: TableView(id: "ledger", spec: ReportTables.ledger, rows: ledgerRows, hidden: ["venue_id"], emptyText: "No credit ledger in this run."),
            matchesTable: TableView(id: "matches", spec: ReportTables.matches, rows: matchRows, foot: matchFoot,
                                    hidden: ["venue_id", "order_id", "invoice_id", "charge_id", "payment_id", "payout_id"],
                                    emptyText: "No matched payments."),
            hasMatchesNote: !matchesNote.isEmpty, matchesNote: matchesNote)
    }

    /// A short amount for a chart label: "1,234" in major units, rounded down.
    static func compact(_ minor: Int64, _ currency: Currency) -> String {
        var scale: Int64 = 1
        for _ in 0..<currency.exponent { scale *= 10 }
        let whole = minor / scale
        var digits = String(whole.magnitude)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        return (whole < 0 ? "-" : "") + digits + grouped
    }
}
