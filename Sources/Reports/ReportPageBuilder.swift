import Output
import BackofficeCore

extension ReportPage {
    static func build(
        run: RunHeader, inputRows: [[ReportValue]], exceptions allFindings: [ExceptionRecord], closed: [ExceptionRecord], coverage: [String],
        daily: [DailyRecord], dailyRows: [[ReportValue]], payoutRows: [[ReportValue]], ledgerRows: [[ReportValue]],
        matchRows: [[ReportValue]], matchTotal: Int, matchFoot: [[ReportValue]]
    ) -> ReportPage {
        // What needs a person: the open findings (the run's and older ones it did not cover).
        let exceptions = allFindings.filter { $0.state == "open" }
        let count = exceptions.count
        let noData = coverage == ["none"]   // the recorder's mark for a run that saw no provider data
        let verdict: String
        if count == 0 && noData && !inputRows.isEmpty {
            verdict = "No provider data for \(run.periodFrom) to \(run.periodTo): nothing was checked"
        } else {
            verdict = count == 0 ? "Everything matched" : (count == 1 ? "1 thing needs you" : "\(count) things need you")
        }

        // Findings grouped by kind; already sorted by kind.
        var groups: [KindGroup] = []
        var links: [KindLink] = []
        var start = 0
        while start < exceptions.count {
            let kind = exceptions[start].kind
            var end = start
            while end < exceptions.count, exceptions[end].kind == kind { end += 1 }
            let n = end - start
            // a missing export is about files, not money: it says whose exports are missing instead
            let aboutFiles = kind == ExceptionKind.missingExport.rawValue
            let items = exceptions[start..<end].map { e in
                FindingItem(id: e.findingId ?? "(no id)", age: e.isNew || e.ageDays == 0 ? "new tonight" : (e.ageDays == 1 ? "1 day old" : "\(e.ageDays) days old"),
                            stake: aboutFiles ? missingExportsText(e.provider) : stakeText(e.atStake, e.unit) + " at stake",
                            venue: PhoneMask.maskText(e.venueName ?? e.venueId ?? ""), hasVenue: !(e.venueName ?? e.venueId ?? "").isEmpty,
                            detail: PhoneMask.maskText(e.detail), refs: PhoneMask.maskText(e.refsText))
            }
            var stakes: [String: (AmountUnit, Int64)] = [:]
            for e in exceptions[start..<end] { stakes[e.unit.label, default: (e.unit, 0)].1 += e.atStake }
            let stakeSummary = stakes.keys.sorted().map { stakeText(stakes[$0]!.1, stakes[$0]!.0) }.joined(separator: ", ")
            groups.append(KindGroup(
                kind: kind, title: ExceptionKinds.title(kind), explanation: ExceptionKinds.explanation(kind),
                action: ExceptionKinds.suggestedAction(kind), countText: n == 1 ? "1 finding" : "\(n) findings", items: items))
            links.append(KindLink(kind: kind, text: "\(ExceptionKinds.title(kind)): \(n)" + (aboutFiles ? "" : ", \(stakeSummary)")))
            start = end
        }
        let stakeRows = ReportTables.atStakeRows(open: exceptions, closed: closed)
        let cards = stakeRows.map { row -> StakeCard in
            let unit = row[0].display
            let amount = unit == "credits" ? "\(row[1].display) credits" : "\(unit) \(row[1].display)"
            let oldest = (row[7].number ?? 0) == 1 ? "1 day" : "\(row[7].number ?? 0) days"
            return StakeCard(amount: amount, note: "open at stake in \(row[2].display) finding(s): \(row[3].display) new tonight; \(row[5].display) older, oldest \(oldest); \(row[8].display) resolved or cleared since the last report")
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
            verdict: verdict, verdictOK: count == 0 && !(noData && !inputRows.isEmpty),
            stakeCards: cards, hasStakeCards: !cards.isEmpty,
            stakeTable: TableView(id: "at-stake-table", spec: ReportTables.atStake, rows: stakeRows, foot: [], emptyText: "Nothing open and nothing closed."),
            kindLinks: links,
            closedTable: TableView(id: "closed", spec: ReportTables.closed, rows: closed.map(ReportTables.closedRow), emptyText: "Nothing was resolved or cleared since the last report."),
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

    /// "KES 2,300.00", or "3 credits".
    /// "M-PESA exports missing", for a `missing_export` finding in place of an amount at stake.
    static func missingExportsText(_ provider: String?) -> String {
        switch provider {
        case "stripe": return "Stripe exports missing"
        case "mpesa": return "M-PESA exports missing"
        default: return "exports missing"
        }
    }

        static func stakeText(_ minor: Int64, _ unit: AmountUnit) -> String {
        switch unit {
        case .currency(let c): return "\(c.code) \(MoneyText.grouped(minor, exponent: c.exponent))"
        case .credits: return minor == 1 ? "1 credit" : "\(minor) credits"
        }
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
