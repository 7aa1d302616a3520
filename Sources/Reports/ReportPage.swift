import Output
import BackofficeCore
import Mustache

/// A table as the HTML template sees it: strings only, escaped by the template.
struct TableView {
    struct Header { var title: String; var numeric: Bool }
    struct Cell {
        var text: String
        var numeric: Bool
        var col: String
        /// The raw number (minor units or count), so tests can add the rows up.
        var hasValue: Bool
        var value: String
        var wide: Bool
        /// One long token (an id, a hash): may break anywhere.
        var token: Bool
    }
    struct Row { var cells: [Cell] }
    var id: String
    var headers: [Header]
    var rows: [Row]
    var foot: [Row]
    var hasRows: Bool
    var columnCount: Int
    var emptyText: String

    static func isToken(_ value: ReportValue) -> Bool {
        guard case .text(let s) = value else { return false }
        return s.utf8.count > 20 && !s.contains(" ")
    }

    /// The spec's columns minus `hidden` (by key), with the foot computed from the same rows.
    init(id: String, spec: TableSpec, rows: [[ReportValue]], foot: [[ReportValue]]? = nil, hidden: Set<String> = [], emptyText: String = "None.") {
        let shown = spec.columns.enumerated().filter { !hidden.contains($0.element.key) }
        func isNumeric(_ i: Int) -> Bool { spec.columns[i].summed || rows.contains { $0[i].isNumber } }
        let numeric = Dictionary(uniqueKeysWithValues: shown.map { ($0.offset, isNumeric($0.offset)) })
        func view(_ row: [ReportValue]) -> Row {
            Row(cells: shown.map { i, column in
                Cell(text: row[i].display, numeric: numeric[i]!, col: column.key,
                     hasValue: row[i].number != nil, value: row[i].number.map { String($0) } ?? "", wide: column.wide,
                     token: Self.isToken(row[i]))
            })
        }
        self.id = id
        headers = shown.map { Header(title: $0.element.title, numeric: numeric[$0.offset]!) }
        self.rows = rows.map(view)
        hasRows = !rows.isEmpty
        columnCount = shown.count
        let footRows: [[ReportValue]]
        if let foot {
            footRows = foot
        } else {
            var acc = TotalsAccumulator(spec)
            rows.forEach { acc.add($0) }
            footRows = acc.footRows
        }
        var footViews = footRows.map(view)
        // "Total" goes in the first column shown when its own column is hidden
        if hidden.contains(spec.columns[spec.labelColumn].key) {
            for i in footViews.indices where !footViews[i].cells.isEmpty && footViews[i].cells[0].text.isEmpty {
                footViews[i].cells[0].text = "Total"
            }
        }
        self.foot = footViews
        self.emptyText = emptyText
    }
}

// Table cells are most of a big report's lookups: answered by name, not through `Mirror` (which
// swift-mustache falls back to, and which walks every field for every lookup).
extension TableView.Cell: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "text": text
        case "numeric": numeric
        case "col": col
        case "hasValue": hasValue
        case "value": value
        case "wide": wide
        case "token": token
        default: nil
        }
    }
}

extension TableView.Row: MustacheParent {
    func child(named name: String) -> Any? { name == "cells" ? cells : nil }
}

struct KindGroup {
    var kind: String
    var title: String
    var explanation: String
    var action: String
    var countText: String
    var items: [FindingItem]
}

struct DailyChart { var chart: HTMLFragment }

/// One currency's money at stake, for the top of the page.
struct StakeCard {
    var amount: String       // "KES 2,300.00"
    var note: String         // "1 open: 0 new tonight, 1 older (oldest 3 days); 0 closed since the last report"
}

/// A link from the summary to a kind's findings.
struct KindLink {
    var kind: String
    var text: String
}

/// One finding a person must act on, as the page lists it.
struct FindingItem {
    var id: String
    var age: String
    var stake: String
    var venue: String
    /// Stored, not computed: the template sees stored properties only.
    var hasVenue: Bool
    var detail: String
    var refs: String
}

/// Everything report.html shows, already formatted as text.
struct ReportPage {
    var runId: String
    var period: String
    var periodNote: String
    var command: String
    var finished: String
    var hasVenueFilter: Bool
    var venueFilter: String
    var verdict: String
    var verdictOK: Bool
    var stakeCards: [StakeCard]
    var hasStakeCards: Bool
    var stakeTable: TableView
    var kindLinks: [KindLink]
    var closedTable: TableView
    var matched: String
    var exceptionCount: String
    var inputsTable: TableView
    var providerTable: TableView
    var kindsTable: TableView
    var hasKindsChart: Bool
    var kindsChart: HTMLFragment
    var groups: [KindGroup]
    var hasGroups: Bool
    var dailyCharts: [DailyChart]
    var dailyTable: TableView
    var payoutsTable: TableView
    var ledgerTable: TableView
    var matchesTable: TableView
    var hasMatchesNote: Bool
    var matchesNote: String

    func render() throws(Failure) -> String {
        var library = MustacheLibrary()
        do {
            try library.register(Self.tablePartial, named: "table")
            try library.register(Self.template, named: "page")
        } catch {
            throw Failure.software("the report template does not parse: \(error)")
        }
        guard let html = library.render(self, withTemplate: "page") else {
            throw Failure.software("the report template is missing")
        }
        return html
    }

    static let tablePartial = """
    <div class="table-box"><table id="{{id}}">
    <thead><tr>{{#headers}}<th{{#numeric}} class="num"{{/numeric}}>{{title}}</th>{{/headers}}</tr></thead>
    <tbody>
    {{#rows}}<tr>{{#cells}}<td class="{{#numeric}}num{{/numeric}}{{#wide}} wide{{/wide}}{{#token}} token{{/token}}" data-col="{{col}}"{{#hasValue}} data-value="{{value}}"{{/hasValue}}>{{text}}</td>{{/cells}}</tr>
    {{/rows}}
    {{^hasRows}}<tr><td class="empty" colspan="{{columnCount}}">{{emptyText}}</td></tr>{{/hasRows}}
    </tbody>
    {{#hasRows}}<tfoot>
    {{#foot}}<tr class="total">{{#cells}}<td class="{{#numeric}}num{{/numeric}}" data-col="{{col}}"{{#hasValue}} data-value="{{value}}"{{/hasValue}}>{{text}}</td>{{/cells}}</tr>
    {{/foot}}</tfoot>{{/hasRows}}
    </table></div>
    """

    static let css = """
    :root { --ink: #111; --muted: #555; --rule: #bbb; --soft: #f2f2f2; --bar: #3a3a3a; --warn: #8a1c1c; }
    * { box-sizing: border-box; }
    body { font: 14px/1.45 -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; color: var(--ink); margin: 0; background: #fff; }
    main { max-width: 1100px; margin: 0 auto; padding: 28px 32px 48px; }
    h1 { font-size: 24px; margin: 0 0 4px; }
    h2 { font-size: 19px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); page-break-after: avoid; break-after: avoid; }
    h3 { font-size: 16px; margin: 22px 0 4px; page-break-after: avoid; break-after: avoid; }
    p { margin: 6px 0; }
    .meta { color: var(--muted); margin: 0 0 16px; display: flex; flex-wrap: wrap; gap: 2px 18px; }
    .meta span { overflow-wrap: anywhere; }
    .verdict { font-size: 22px; font-weight: 700; padding: 12px 16px; margin: 12px 0 18px; border: 3px solid var(--ink); }
    .verdict.attention { border-color: var(--warn); color: var(--warn); border-left-width: 12px; }
    .verdict.ok { border-left-width: 12px; }
    .figures { display: flex; gap: 12px; flex-wrap: wrap; margin: 0 0 8px; }
    .figure { border: 1px solid var(--rule); padding: 8px 14px; min-width: 150px; }
    .figure b { display: block; font-size: 22px; }
    .figure span { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
    table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: 13px; }
    th, td { border-bottom: 1px solid var(--rule); padding: 4px 6px; text-align: left; vertical-align: top; }
    th { border-bottom: 2px solid var(--ink); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
    td { overflow-wrap: break-word; }
    td.token { overflow-wrap: anywhere; }
    td.wide { min-width: 10em; }
    /* a table wider than the window scrolls in its own box; the page never scrolls sideways */
    .table-box { overflow-x: auto; }
    .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    /* a long column title wraps, so a table of figures fits the page instead of scrolling */
    th.num { white-space: normal; }
    tbody tr:nth-child(even) td { background: var(--soft); }
    tfoot td { border-top: 2px solid var(--ink); border-bottom: none; font-weight: 700; }
    td.empty { color: var(--muted); font-style: italic; }
    .kind { border-left: 6px solid var(--warn); padding: 2px 0 2px 14px; margin: 18px 0 24px; }
    .kind .explain { margin: 2px 0; }
    .kind .todo { margin: 4px 0 6px; }
    .kind .todo b { text-transform: uppercase; font-size: 12px; letter-spacing: .04em; }
    .note { color: var(--muted); font-style: italic; }
    .stake { border-width: 2px; border-color: var(--warn); flex: 1 1 220px; max-width: 340px; }
    .stake b { font-size: 26px; }
    .stake span { text-transform: none; letter-spacing: 0; font-size: 13px; }
    .kind-links { margin: 6px 0 10px; padding-left: 20px; }
    .kind-links a { color: var(--warn); }
    ul.findings { list-style: none; padding: 0; margin: 8px 0; }
    ul.findings li { border-bottom: 1px solid var(--rule); padding: 6px 0; overflow-wrap: anywhere; }
    ul.findings .fid { font: 700 13px "DejaVu Sans Mono", Menlo, monospace; }
    ul.findings .refs { color: var(--muted); font-size: 12px; }
    @media (max-width: 600px) { main { padding: 16px 12px 32px; } .figure { min-width: 0; flex: 1 1 100%; } .verdict { font-size: 19px; } }
    .charts { display: flex; flex-wrap: wrap; gap: 8px 24px; }
    svg.chart { max-width: 100%; height: auto; }
    svg .chart-bar { fill: var(--bar); }
    svg .chart-axis { stroke: var(--ink); stroke-width: 1; }
    svg text { font: 11px "DejaVu Sans", Helvetica, Arial, sans-serif; fill: var(--ink); }
    svg .chart-title { font-weight: 700; font-size: 12px; }
    code { font: 12px "DejaVu Sans Mono", Menlo, monospace; overflow-wrap: anywhere; }
    footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--rule); padding-top: 8px; }
    @page { size: A4; margin: 14mm 12mm; }
    @media print {
      body { font-size: 10pt; }
      main { max-width: none; padding: 0; }
      table { font-size: 8pt; }
      th { font-size: 7.5pt; }
      thead { display: table-header-group; }
      tfoot { display: table-row-group; }
      tr, .figure, svg.chart { page-break-inside: avoid; break-inside: avoid; }
      .detail { page-break-before: always; break-before: page; }
      tbody tr:nth-child(even) td { background: none; }
      .table-box { overflow: visible; }
      .verdict { color: #000; }
    }
    """

    static let template = """
    {{%CONTENT_TYPE:HTML}}<!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Reconciliation report {{runId}}</title>
    <style>
    \(css)
    </style>
    </head>
    <body>
    <main>
    <header>
    <h1>Reconciliation report</h1>
    <p class="meta"><span>Period: <b id="period">{{period}}</b></span><span>Run: <code id="run-id">{{runId}}</code></span><span>{{command}}, finished {{finished}}</span>{{#hasVenueFilter}}<span>Venue: {{venueFilter}}</span>{{/hasVenueFilter}}</p>
    </header>

    <section id="summary">
    <p class="verdict {{#verdictOK}}ok{{/verdictOK}}{{^verdictOK}}attention{{/verdictOK}}" id="verdict">{{verdict}}</p>
    {{#hasStakeCards}}<div class="figures" id="at-stake">
    {{#stakeCards}}<div class="figure stake"><b>{{amount}}</b><span>{{note}}</span></div>
    {{/stakeCards}}</div>{{/hasStakeCards}}
    {{#hasGroups}}<ul class="kind-links">{{#kindLinks}}<li><a href="#kind-{{kind}}">{{text}}</a></li>{{/kindLinks}}</ul>{{/hasGroups}}
    <div class="figures">
    <div class="figure"><b id="matched">{{matched}}</b><span>payments matched</span></div>
    <div class="figure"><b id="exception-count">{{exceptionCount}}</b><span>need a person</span></div>
    </div>
    <h2>Money at stake</h2>
    {{#stakeTable}}{{>table}}{{/stakeTable}}
    <p class="note">{{periodNote}}</p>

    <h2>Takings by provider</h2>
    {{#providerTable}}{{>table}}{{/providerTable}}

    <h2>Exceptions by kind</h2>
    {{#hasKindsChart}}<div class="charts">{{{kindsChart}}}</div>{{/hasKindsChart}}
    {{#kindsTable}}{{>table}}{{/kindsTable}}
    </section>

    <section id="exceptions">
    <h2>What needs you</h2>
    {{^hasGroups}}<p>Nothing is open: every provider record matched the database, and every ledger adds up.</p>{{/hasGroups}}
    {{#groups}}
    <div class="kind" id="kind-{{kind}}">
    <h3>{{title}} <small>({{countText}})</small></h3>
    <p class="explain">{{explanation}}</p>
    <p class="todo"><b>What to do:</b> {{action}}</p>
    <ul class="findings">{{#items}}<li id="{{id}}"><span class="fid">{{id}}</span> · {{age}} · {{stake}}{{#hasVenue}} · {{venue}}{{/hasVenue}}<br>{{detail}}<br><span class="refs">{{refs}}</span></li>
    {{/items}}</ul>
    </div>
    {{/groups}}
    <h2>Resolved or cleared since the last report</h2>
    {{#closedTable}}{{>table}}{{/closedTable}}
    </section>

    <section id="detail" class="detail">
    <h2>Daily takings</h2>
    <div class="charts">{{#dailyCharts}}{{{chart}}}{{/dailyCharts}}</div>
    {{#dailyTable}}{{>table}}{{/dailyTable}}

    <h2>Payouts</h2>
    {{#payoutsTable}}{{>table}}{{/payoutsTable}}

    <h2>Credit ledger</h2>
    <p class="note">Credits by venue over the period: opening balance, movements, closing balance; Balance is the venue's credits_remaining, Drift the balance minus its whole ledger.</p>
    {{#ledgerTable}}{{>table}}{{/ledgerTable}}

    <h2>Matched payments</h2>
    {{#hasMatchesNote}}<p class="note" id="matches-note">{{matchesNote}}</p>{{/hasMatchesNote}}
    {{#matchesTable}}{{>table}}{{/matchesTable}}

    <h2>Inputs</h2>
    <p class="note">The files this run read, with their SHA-256: proof of which exports were reconciled.</p>
    {{#inputsTable}}{{>table}}{{/inputsTable}}
    </section>

    <footer>Amounts are in major units of the currency shown beside them; credits are whole numbers. Times are UTC, written as spreadsheets read them. Phone numbers are masked. The same figures are in the CSV files beside this page.</footer>
    </main>
    </body>
    </html>
    """
}
