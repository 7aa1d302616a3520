import BackofficeCore
import Foundation
import Output

/// `review.html`: one self-contained page (inline CSS, no script). Every outside value reaches it
/// through the template's double braces, which escape it (`HTML.render`).
enum ReviewPage {
    struct Context {
        var title: String
        var venue: String
        var file: String
        var sha256: String
        var importId: String
        var structurer: String
        var currency: String
        var status: String
        var itemCount: Int
        var flaggedCount: Int
        var hasNotice: Bool
        var notice: String
        var hasQuestions: Bool
        var questions: [String]
        var hasFlagged: Bool
        var flagged: [ItemContext]
        var hasOthers: Bool
        var others: [ItemContext]
    }

    struct ItemContext {
        var seq: Int
        var category: String
        var name: String
        var description: String
        var hasDescription: Bool
        var price: String
        var hasPrice: Bool
        var sizes: String
        var hasSizes: Bool
        var otherOptions: String
        var hasOtherOptions: Bool
        var tags: String
        var hasTags: Bool
        var flags: [String]
        var isFlagged: Bool
        var confidence: String
        var page: Int
        var decision: String
        var hasDecision: Bool
        var crop: String
        var hasCrop: Bool
    }

    static func render(_ staged: StagedImport, venueName: String?, crops: [Int: String], notice: String?) throws(Failure) -> String {
        let exponent = staged.currencyExponent
        func context(_ item: StagedItem) -> ItemContext {
            let d = item.draft
            let sizes = SizesText.format(d.options.first, base: d.priceCents, exponent: exponent)
                .replacingOccurrences(of: "|", with: " · ").replacingOccurrences(of: "=", with: " ")
            let others = d.options.dropFirst().map { option in
                option.name + ": " + option.choices.map { c in
                    c.value + (c.priceDeltaCents == 0 ? "" : " +" + MoneyText.format(c.priceDeltaCents, exponent: exponent))
                }.joined(separator: ", ")
            }.joined(separator: "; ")
            return ItemContext(
                seq: item.seq, category: d.category, name: d.name,
                description: d.description ?? "", hasDescription: !(d.description ?? "").isEmpty,
                price: d.priceCents.map { MoneyText.format($0, exponent: exponent) + " " + staged.currency } ?? "no price",
                hasPrice: d.priceCents != nil,
                sizes: sizes, hasSizes: !sizes.isEmpty,
                otherOptions: others, hasOtherOptions: !others.isEmpty,
                tags: d.dietaryTags.map(\.rawValue).joined(separator: ", "), hasTags: !d.dietaryTags.isEmpty,
                flags: d.flags.map(\.rawValue), isFlagged: item.isFlagged,
                confidence: ReviewFiles.confidenceText(d.confidence), page: d.source.page,
                decision: item.decision?.rawValue ?? "", hasDecision: item.decision != nil,
                crop: crops[item.seq] ?? "", hasCrop: crops[item.seq] != nil)
        }
        let flagged = staged.items.filter(\.isFlagged).map(context)
        let others = staged.items.filter { !$0.isFlagged }.map(context)
        let venue = venueName.map { "\($0) (\(staged.venueId))" } ?? staged.venueId
        let ctx = Context(
            title: "Menu review: \(staged.file)", venue: venue, file: staged.file, sha256: staged.sha256,
            importId: staged.id, structurer: staged.structurer, currency: staged.currency, status: staged.status.rawValue,
            itemCount: staged.items.count, flaggedCount: flagged.count,
            hasNotice: notice != nil, notice: notice ?? "",
            hasQuestions: !staged.questions.isEmpty, questions: staged.questions,
            hasFlagged: !flagged.isEmpty, flagged: flagged, hasOthers: !others.isEmpty, others: others)
        return try HTML.render(template: template.replacingOccurrences(of: "{{> item}}", with: itemTemplate), ctx)
    }

    static let template = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}}</title>
    <style>
    body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; padding: 24px; color: #1d1d1f; background: #f6f6f4; }
    h1 { font-size: 22px; margin: 0 0 4px; }
    h2 { font-size: 18px; margin: 28px 0 10px; }
    .meta { color: #555; margin: 0 0 16px; }
    .meta code { font-size: 12px; }
    .notice { background: #fff4d6; border: 1px solid #e0b84a; padding: 10px 14px; border-radius: 6px; }
    .how { background: #fff; border: 1px solid #ddd; padding: 10px 14px; border-radius: 6px; }
    .item { display: flex; gap: 18px; background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 12px; margin: 0 0 12px; }
    .item.flagged { border-color: #d9534f; border-left-width: 6px; }
    .crop { flex: 0 0 46%; max-width: 46%; }
    .crop img { max-width: 100%; border: 1px solid #ccc; background: #fff; }
    .nocrop { color: #888; font-style: italic; }
    .fields { flex: 1; }
    .fields h3 { margin: 0 0 6px; font-size: 17px; }
    .seq { color: #888; font-weight: normal; }
    table { border-collapse: collapse; }
    td, th { text-align: left; vertical-align: top; padding: 2px 10px 2px 0; }
    th { color: #666; font-weight: normal; white-space: nowrap; }
    .flag { display: inline-block; background: #fbe3e2; color: #a12622; border-radius: 4px; padding: 0 6px; margin: 0 4px 2px 0; font-size: 13px; }
    .decision { font-weight: bold; }
    @media (max-width: 800px) { .item { flex-direction: column; } .crop { max-width: 100%; } }
    </style>
    </head>
    <body>
    <h1>{{title}}</h1>
    <p class="meta">Venue {{venue}} · import <code>{{importId}}</code> · structurer {{structurer}} · {{currency}} · status {{status}}<br>
    {{itemCount}} items, {{flaggedCount}} flagged for review · file {{file}} (SHA-256 <code>{{sha256}}</code>)</p>
    {{#hasNotice}}<p class="notice">{{notice}}</p>{{/hasNotice}}
    <div class="how"><p>Open <b>review.csv</b> in a spreadsheet. In its <b>decision</b> column write <b>keep</b> (publish as read), <b>fix</b> (publish with the corrections you typed in that row) or <b>drop</b> (leave it off the menu). An empty decision keeps an item nobody flagged; every flagged item needs a decision. Prices are in {{currency}}; sizes read like <code>Small=9.00|Large=15.00</code>; dietary tags like <code>vegetarian|gluten_free</code>. Then run <code>backoffice menu apply {{importId}} --edits review.csv</code>.</p></div>
    {{#hasQuestions}}<h2>Questions</h2>
    <ul>{{#questions}}<li>{{.}}</li>{{/questions}}</ul>{{/hasQuestions}}
    {{#hasFlagged}}<h2>Flagged for review ({{flaggedCount}})</h2>
    {{#flagged}}{{> item}}{{/flagged}}{{/hasFlagged}}
    {{#hasOthers}}<h2>Other items</h2>
    {{#others}}{{> item}}{{/others}}{{/hasOthers}}
    </body>
    </html>
    """

    /// One item's card, put in place of `{{> item}}` before rendering (`HTML.render` takes one template).
    static let itemTemplate = """
    <div class="item{{#isFlagged}} flagged{{/isFlagged}}" id="item-{{seq}}">
    <div class="crop">{{#hasCrop}}<img alt="page {{page}}, where {{name}} was read" src="{{crop}}">{{/hasCrop}}{{^hasCrop}}<p class="nocrop">No crop of page {{page}}.</p>{{/hasCrop}}</div>
    <div class="fields">
    <h3><span class="seq">#{{seq}}</span> {{name}}</h3>
    <table>
    <tr><th>category</th><td>{{category}}</td></tr>
    {{#hasDescription}}<tr><th>description</th><td>{{description}}</td></tr>{{/hasDescription}}
    <tr><th>price</th><td>{{price}}</td></tr>
    {{#hasSizes}}<tr><th>sizes</th><td>{{sizes}}</td></tr>{{/hasSizes}}
    {{#hasOtherOptions}}<tr><th>options</th><td>{{otherOptions}}</td></tr>{{/hasOtherOptions}}
    {{#hasTags}}<tr><th>dietary</th><td>{{tags}}</td></tr>{{/hasTags}}
    {{#isFlagged}}<tr><th>flags</th><td>{{#flags}}<span class="flag">{{.}}</span>{{/flags}}</td></tr>{{/isFlagged}}
    <tr><th>confidence</th><td>{{confidence}} · page {{page}}</td></tr>
    {{#hasDecision}}<tr><th>decision</th><td class="decision">{{decision}}</td></tr>{{/hasDecision}}
    </table>
    </div>
    </div>
    """
}
