import BackofficeCore
import Foundation
import Output

/// `review.html`: the owner's review, one self-contained page (inline CSS and a small inline
/// script, no network). Each item is a card beside its crop, editable in place; cards can be kept,
/// dropped, selected and moved to another category together; missed items are added beside a
/// picture of their page; the importer's questions are answered. The page saves all of it as an
/// edits file (JSON, `ReviewEdits.jsonFormat`) that the owner hands to `menu apply`. Work in
/// progress is kept in the browser's localStorage under the import id and draft hash, so a reload
/// (a phone that drops the tab) loses nothing, and a page for a newer draft never restores it.
///
/// Every outside value reaches the page through the template's double braces, which escape it
/// (`HTML.render`), into element text or quoted attribute values; the script reads them back with
/// `.value` and `.textContent` and writes text only with `textContent`, never as markup.
enum ReviewPage {
    struct Context {
        var title: String
        var venue: String
        var file: String
        var sha256: String
        var importId: String
        var draft: String
        var structurer: String
        var currency: String
        var status: String
        var itemCount: Int
        var flaggedCount: Int
        var hasNotice: Bool
        var notice: String
        var hasQuestions: Bool
        var questions: [QuestionContext]
        var hasFlagged: Bool
        var flagged: [ItemContext]
        var hasOthers: Bool
        var others: [ItemContext]
        var categories: [String]
        var pages: [PageContext]
        var hasPages: Bool
        var newTags: [TagContext]
        var pickPage: Bool
        /// The CSP source of the one script the page may run (`sha256-…`): an injected inline
        /// handler would not run even if escaping ever failed.
        var scriptHash: String
    }

    struct QuestionContext { var question: String; var answer: String }
    struct PageContext { var page: Int; var image: String; var hasImage: Bool; var first: Bool }
    struct TagContext { var tag: String; var label: String; var on: Bool }
    struct FlagContext { var code: String; var text: String }

    struct ItemContext {
        var seq: Int
        var category: String
        var name: String
        var description: String
        var price: String
        var sizes: String
        var otherOptions: String
        var hasOtherOptions: Bool
        var tags: [TagContext]
        var flags: [FlagContext]
        var isFlagged: Bool
        var confidence: String
        var page: Int
        var decision: String
        var crop: String
        var hasCrop: Bool
        var added: Bool
        /// The prices as printed (`12,50 €`), outlined on the crop.
        var printed: String
        var hasPrinted: Bool
    }

    static let scriptHash: String = {
        let hex = Array(SHA256Digest.hex(Array(script.utf8)).utf8)
        var bytes: [UInt8] = []
        var i = 0
        while i + 1 < hex.count {
            bytes.append(UInt8(String(decoding: hex[i...i + 1], as: UTF8.self), radix: 16)!)
            i += 2
        }
        return "sha256-" + Data(bytes).base64EncodedString()
    }()

    static func tagLabel(_ tag: DietaryTag) -> String { tag.rawValue.replacingOccurrences(of: "_", with: " ") }

    static func render(_ staged: StagedImport, venueName: String?, crops: [Int: String], pages: [Int: String] = [:],
                       answers: [String: String] = [:], notice: String?) throws(Failure) -> String {
        let exponent = staged.currencyExponent
        let absurd = AbsurdPrices.find(staged.items.filter { $0.effectiveDecision != .drop }.map { AbsurdPrices.Entry(seq: $0.seq, draft: $0.draft) },
                                       currency: staged.currency)
        func context(_ item: StagedItem) -> ItemContext {
            let d = item.draft
            let others = d.options.dropFirst().map { option in
                option.name + ": " + option.choices.map { c in
                    c.value + (c.priceDeltaCents == 0 ? "" : " +" + MoneyText.format(c.priceDeltaCents, exponent: exponent))
                }.joined(separator: ", ")
            }.joined(separator: "; ")
            return ItemContext(
                seq: item.seq, category: d.category, name: d.name, description: d.description ?? "",
                price: d.priceCents.map { MoneyText.format($0, exponent: exponent) } ?? "",
                sizes: SizesText.format(d.options.first, base: d.priceCents, exponent: exponent),
                otherOptions: others, hasOtherOptions: !others.isEmpty,
                tags: DietaryTag.allCases.map { TagContext(tag: $0.rawValue, label: tagLabel($0), on: d.dietaryTags.contains($0)) },
                flags: d.flags.map { FlagContext(code: $0.rawValue, text: FlagText.explain($0, d, currency: staged.currency, absurd: absurd[item.seq])) },
                isFlagged: item.isFlagged,
                confidence: ReviewFiles.confidenceText(d.confidence), page: d.source.page,
                decision: item.decision?.rawValue ?? "",
                crop: crops[item.seq] ?? "", hasCrop: crops[item.seq] != nil, added: d.source.bbox.isEmpty,
                printed: d.source.priceCells.map(\.text).joined(separator: " · "), hasPrinted: !d.source.priceCells.isEmpty)
        }
        let flagged = staged.items.filter(\.isFlagged).map(context)
        let others = staged.items.filter { !$0.isFlagged }.map(context)
        let venue = venueName.map { "\($0) (\(staged.venueId))" } ?? staged.venueId
        var categories: [String] = []
        for item in staged.items where !categories.contains(item.draft.category) { categories.append(item.draft.category) }
        let pageList = (1...max(1, staged.pages)).map { PageContext(page: $0, image: pages[$0] ?? "", hasImage: pages[$0] != nil, first: $0 == 1) }
        let ctx = Context(
            title: "Menu review: \(staged.file)", venue: venue, file: staged.file, sha256: staged.sha256,
            importId: staged.id, draft: staged.draftHash, structurer: staged.structurer, currency: staged.currency, status: staged.status.rawValue,
            itemCount: staged.items.count, flaggedCount: flagged.count,
            hasNotice: notice != nil, notice: notice ?? "",
            hasQuestions: !staged.questions.isEmpty,
            questions: staged.questions.map { QuestionContext(question: $0, answer: answers[$0] ?? "") },
            hasFlagged: !flagged.isEmpty, flagged: flagged, hasOthers: !others.isEmpty, others: others,
            categories: categories, pages: pageList, hasPages: !pages.isEmpty,
            newTags: DietaryTag.allCases.map { TagContext(tag: $0.rawValue, label: tagLabel($0), on: false) },
            pickPage: staged.pages > 1, scriptHash: scriptHash)
        return try HTML.render(template: template.replacingOccurrences(of: "{{> item}}", with: itemTemplate)
            .replacingOccurrences(of: "{{> script}}", with: script), ctx)
    }

    static let template = #"""
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '{{scriptHash}}'">
    <title>{{title}}</title>
    <style>
    * { box-sizing: border-box; }
    body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; padding: 16px 24px 90px; color: #1d1d1f; background: #f6f6f4; }
    h1 { font-size: 22px; margin: 0 0 4px; overflow-wrap: anywhere; }
    h2 { font-size: 18px; margin: 28px 0 10px; }
    .meta { color: #555; margin: 0 0 16px; overflow-wrap: anywhere; }
    .meta code { font-size: 12px; }
    .notice { background: #fff4d6; border: 1px solid #e0b84a; padding: 10px 14px; border-radius: 6px; }
    .how { background: #fff; border: 1px solid #ddd; padding: 4px 14px; border-radius: 6px; }
    kbd { border: 1px solid #bbb; border-radius: 3px; padding: 0 4px; font-size: 12px; background: #fafafa; }
    .item { display: flex; gap: 18px; background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 12px; margin: 0 0 12px; scroll-margin-top: 70px; }
    .item.flagged { border-left: 6px solid #d9534f; }
    .item.current { outline: 3px solid #2d6cdf; }
    .item[data-decision="drop"] { opacity: .55; }
    .item[data-decision="drop"] .crop { filter: grayscale(1); }
    .crop { flex: 0 0 44%; max-width: 44%; }
    .crop img { max-width: 100%; border: 1px solid #ccc; background: #fff; }
    .nocrop { color: #888; font-style: italic; }
    .fields { flex: 1; min-width: 0; }
    .head { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 0 0 6px; }
    .state { font-weight: bold; font-size: 13px; padding: 1px 8px; border-radius: 10px; background: #eee; }
    .state.keep { background: #dff3e0; color: #1e6b25; } .state.drop { background: #f3dede; color: #8a1f1f; } .state.fix { background: #dde8fb; color: #1f4a8a; } .state.todo { background: #fbe3e2; color: #a12622; }
    ul.flags { margin: 0 0 8px; padding-left: 18px; color: #8a1f1f; }
    label.f { display: block; margin: 0 0 6px; font-size: 13px; color: #555; }
    label.f input, label.f textarea { display: block; width: 100%; font: inherit; color: #1d1d1f; padding: 5px 7px; border: 1px solid #bbb; border-radius: 5px; background: #fff; }
    label.f textarea { min-height: 2.6em; resize: vertical; }
    .row2 { display: flex; gap: 10px; } .row2 label.f { flex: 1; min-width: 0; }
    fieldset.tags { border: 0; padding: 0; margin: 0 0 8px; font-size: 13px; }
    fieldset.tags label { display: inline-block; margin: 0 10px 4px 0; white-space: nowrap; }
    .actions button, .bar button, .add button, .primary { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid #999; background: #fff; cursor: pointer; min-height: 36px; }
    .actions button[data-act="keep"] { border-color: #2f8a3a; color: #1e6b25; }
    .actions button[data-act="drop"] { border-color: #b33; color: #8a1f1f; }
    .bar .primary { background: #2d6cdf; color: #fff; border-color: #2d6cdf; font-weight: bold; }
    .muted { color: #777; font-size: 13px; }
    .printed .cell { color: #222; border: 1.5px solid #e65a00; padding: 0 3px; }
    .bar { position: fixed; left: 0; right: 0; bottom: 0; background: #fff; border-top: 1px solid #ccc; padding: 8px 16px; display: flex; flex-wrap: wrap; gap: 8px; align-items: center; z-index: 5; }
    .bar input { font: inherit; padding: 5px 7px; border: 1px solid #bbb; border-radius: 5px; width: 11em; max-width: 40vw; }
    .add, ol.questions li { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 12px; margin: 0 0 12px; }
    .add .pageimg img { max-width: 100%; max-height: 70vh; border: 1px solid #ccc; }
    .pagepick button.on { background: #2d6cdf; color: #fff; }
    #added .item { border-left: 6px solid #2d6cdf; }
    #saved { font-size: 13px; overflow-wrap: anywhere; }
    @media (max-width: 700px) {
      body { padding: 10px 10px 150px; }
      .item { flex-direction: column; gap: 8px; }
      .crop { max-width: 100%; flex: none; }
      .row2 { flex-direction: column; gap: 0; }
    }
    </style>
    </head>
    <body data-import="{{importId}}" data-draft="{{draft}}" data-currency="{{currency}}">
    <h1>{{title}}</h1>
    <p class="meta">Venue {{venue}} · import <code>{{importId}}</code> · draft <code>{{draft}}</code> · {{currency}} · status {{status}}<br>
    {{itemCount}} items, {{flaggedCount}} flagged for review · file {{file}} (SHA-256 <code>{{sha256}}</code>) · structurer {{structurer}}</p>
    {{#hasNotice}}<p class="notice">{{notice}}</p>{{/hasNotice}}
    <div class="how"><p>Check each item against the picture of the menu beside it and correct it in place. <b>Keep</b> publishes it as shown, <b>Drop</b> leaves it off the menu; an item you change is published with your changes. Flagged items (red edge) need a decision. Tick several items to move them to another category at once. When you are done, press <b>Save decisions</b> and run the command it shows with the file it saves. Keys: <kbd>j</kbd>/<kbd>↓</kbd> next item, <kbd>k</kbd>/<kbd>↑</kbd> previous, <kbd>y</kbd> keep, <kbd>x</kbd> drop.</p></div>
    <p class="notice" id="restored" hidden>Your changes from an earlier visit to this page were brought back (they are kept in this browser until the draft changes). <button type="button" id="start-over">Start over</button></p>
    <datalist id="cats">{{#categories}}<option value="{{.}}">{{/categories}}</datalist>
    {{#hasQuestions}}<h2>The importer's questions</h2>
    <ol class="questions">{{#questions}}<li><p class="q">{{question}}</p><label class="f">Your answer <textarea class="answer">{{answer}}</textarea></label></li>{{/questions}}</ol>{{/hasQuestions}}
    {{#hasFlagged}}<h2>Flagged for review ({{flaggedCount}})</h2>
    {{#flagged}}{{> item}}{{/flagged}}{{/hasFlagged}}
    {{#hasOthers}}<h2>Other items</h2>
    {{#others}}{{> item}}{{/others}}{{/hasOthers}}
    <h2>Items you added</h2>
    <div id="added"><p class="muted" id="none-added">None yet.</p></div>
    <section class="add" id="add">
    <h3>Add an item the importer missed</h3>
    {{#pickPage}}<p class="pagepick">Page: {{#pages}}<button type="button" data-page="{{page}}"{{#first}} class="on"{{/first}}>{{page}}</button> {{/pages}}</p>{{/pickPage}}
    {{#hasPages}}{{#pages}}<div class="pageimg" data-page="{{page}}"{{^first}} hidden{{/first}}>{{#hasImage}}<img alt="page {{page}} of the menu" src="{{image}}">{{/hasImage}}</div>{{/pages}}{{/hasPages}}
    <label class="f">Name <input name="name"></label>
    <div class="row2"><label class="f">Category <input name="category" list="cats"></label><label class="f">Price ({{currency}}) <input name="price" inputmode="decimal" placeholder="e.g. 9.50"></label></div>
    <label class="f">Description <textarea name="description"></textarea></label>
    <label class="f">Sizes <input name="sizes" placeholder="one size (or e.g. Small=9.00|Large=15.00)"></label>
    <fieldset class="tags">{{#newTags}}<label><input type="checkbox" name="tag" value="{{tag}}"> {{label}}</label>{{/newTags}}</fieldset>
    <button type="button" id="add-item">Add this item</button> <span class="muted" id="add-msg"></span>
    </section>
    <div class="bar">
    <span id="count" class="muted"></span>
    <span><span id="nsel">0</span> ticked → <input id="move-to" list="cats" placeholder="category" aria-label="Move ticked items to category"> <button type="button" id="move">Move</button></span>
    <button type="button" class="primary" id="save">Save decisions</button>
    <span id="saved"></span>
    </div>
    <script>{{> script}}</script>
    </body>
    </html>
    """#

    /// One item's card, put in place of `{{> item}}` before rendering (`HTML.render` takes one template).
    static let itemTemplate = #"""
    <article class="item{{#isFlagged}} flagged{{/isFlagged}}" id="item-{{seq}}" data-seq="{{seq}}" data-decision="{{decision}}" data-flagged="{{#isFlagged}}1{{/isFlagged}}" tabindex="-1">
    <div class="crop">{{#hasCrop}}<img alt="page {{page}}, where {{name}} was read" src="{{crop}}">{{/hasCrop}}{{^hasCrop}}<p class="nocrop">No picture of page {{page}}.</p>{{/hasCrop}}</div>
    <div class="fields">
    <div class="head"><label><input type="checkbox" class="sel" aria-label="tick #{{seq}}"> #{{seq}}</label> <span class="state"></span> <span class="muted">page {{page}} · confidence {{confidence}}{{#added}} · added by you{{/added}}</span></div>
    {{#isFlagged}}<ul class="flags">{{#flags}}<li data-flag="{{code}}">{{text}}</li>{{/flags}}</ul>{{/isFlagged}}
    <label class="f">Name <input name="name" value="{{name}}"></label>
    <div class="row2"><label class="f">Category <input name="category" value="{{category}}" list="cats"></label><label class="f">Price <input name="price" value="{{price}}" inputmode="decimal" placeholder="no price"></label></div>
    {{#hasPrinted}}<p class="printed muted">Printed: <span class="cell">{{printed}}</span> (outlined in the picture)</p>{{/hasPrinted}}
    <label class="f">Description <textarea name="description">{{description}}</textarea></label>
    <label class="f">Sizes <input name="sizes" value="{{sizes}}" placeholder="one size (or e.g. Small=9.00|Large=15.00)"></label>
    {{#hasOtherOptions}}<p class="muted">Other options (kept as read): {{otherOptions}}</p>{{/hasOtherOptions}}
    <fieldset class="tags">{{#tags}}<label><input type="checkbox" name="tag" value="{{tag}}"{{#on}} checked{{/on}}> {{label}}</label>{{/tags}}</fieldset>
    <div class="actions"><button type="button" data-act="keep">Keep</button> <button type="button" data-act="drop">Drop</button> <button type="button" data-act="undo">Undo changes</button></div>
    </div>
    </article>
    """#

    /// The page's only script: inline, no network, text written only through `textContent`.
    static let script = #"""
    (function () {
      "use strict";
      var body = document.body, cards = Array.prototype.slice.call(document.querySelectorAll("article.item"));
      var added = [], current = -1, page = 1, restoring = false;
      var key = "backoffice-review/" + body.getAttribute("data-import") + "/" + body.getAttribute("data-draft");
      function $(sel, root) { return (root || document).querySelector(sel); }
      function fields(root) {
        var tags = Array.prototype.slice.call(root.querySelectorAll("input[name=tag]")).filter(function (t) { return t.checked; }).map(function (t) { return t.value; });
        return { name: $("[name=name]", root).value.trim(), category: $("[name=category]", root).value.trim(),
                 description: $("[name=description]", root).value.trim(), price: $("[name=price]", root).value.trim(),
                 sizes: $("[name=sizes]", root).value.trim(), dietary_tags: tags };
      }
      function changed(card) {
        var els = card.querySelectorAll("input:not(.sel), textarea");
        for (var i = 0; i < els.length; i++) {
          var e = els[i];
          if (e.type === "checkbox" ? e.checked !== e.defaultChecked : e.value.trim() !== e.defaultValue.trim()) return true;
        }
        return false;
      }
      function decision(card) {
        var d = card.getAttribute("data-decision");
        if (d === "drop") return "drop";
        if (changed(card)) return "fix";
        return d;
      }
      function show(card) {
        var d = decision(card), s = $(".state", card);
        var todo = !d && card.getAttribute("data-flagged") === "1";
        s.textContent = todo ? "needs a decision" : d === "fix" ? "changed" : d === "keep" ? "kept" : d === "drop" ? "dropped" : "kept as read";
        s.className = "state " + (todo ? "todo" : d || "");
      }
      function refresh() {
        cards.forEach(show);
        var todo = cards.filter(function (c) { return !decision(c) && c.getAttribute("data-flagged") === "1"; }).length;
        $("#count").textContent = todo ? todo + (todo === 1 ? " flagged item still needs a decision" : " flagged items still need a decision") : "Every flagged item has a decision";
        $("#nsel").textContent = String(document.querySelectorAll("input.sel:checked").length);
      }
      function state() {
        return { cards: cards.map(function (c) { var f = fields(c); f.seq = c.getAttribute("data-seq"); f.d = c.getAttribute("data-decision"); return f; }),
                 added: added, answers: Array.prototype.map.call(document.querySelectorAll("textarea.answer"), function (t) { return t.value; }) };
      }
      function remember() { if (!restoring) { try { localStorage.setItem(key, JSON.stringify(state())); } catch (e) { /* private mode: nothing kept */ } } }
      function touch() { remember(); refresh(); }
      function setDecision(card, d) { card.setAttribute("data-decision", d); touch(); }
      cards.forEach(function (card) {
        card.addEventListener("input", function (e) { if (!e.target.classList.contains("sel")) touch(); else refresh(); });
        card.addEventListener("change", refresh);
        card.addEventListener("click", function (e) {
          var act = e.target.getAttribute && e.target.getAttribute("data-act");
          if (act === "keep") setDecision(card, changed(card) ? "fix" : "keep");
          else if (act === "drop") setDecision(card, "drop");
          else if (act === "undo") {
            Array.prototype.forEach.call(card.querySelectorAll("input:not(.sel), textarea"), function (el) {
              if (el.type === "checkbox") el.checked = el.defaultChecked; else el.value = el.defaultValue;
            });
            setDecision(card, "");
          }
          if (act) focusCard(cards.indexOf(card), false);
        });
      });
      function focusCard(i, scroll) {
        if (i < 0 || i >= cards.length) return;
        if (current >= 0) cards[current].classList.remove("current");
        current = i;
        cards[i].classList.add("current");
        if (scroll) { cards[i].scrollIntoView({ block: "start" }); cards[i].focus({ preventScroll: true }); }
      }
      document.addEventListener("keydown", function (e) {
        var t = e.target.tagName;
        if (t === "INPUT" || t === "TEXTAREA" || e.ctrlKey || e.metaKey || e.altKey) return;
        var k = e.key;
        if (k === "j" || k === "ArrowDown") { focusCard(current + 1, true); e.preventDefault(); }
        else if (k === "k" || k === "ArrowUp") { focusCard(Math.max(current - 1, 0), true); e.preventDefault(); }
        else if ((k === "y" || k === "x") && current >= 0) {
          var c = cards[current];
          setDecision(c, k === "x" ? "drop" : (changed(c) ? "fix" : "keep"));
          focusCard(current + 1, true);
        }
      });
      $("#move").addEventListener("click", function () {
        var to = $("#move-to").value.trim();
        if (!to) { $("#move-to").focus(); return; }
        Array.prototype.forEach.call(document.querySelectorAll("input.sel:checked"), function (box) {
          var card = box.closest("article.item");
          $("[name=category]", card).value = to;
          box.checked = false;
        });
        touch();
      });
      Array.prototype.forEach.call(document.querySelectorAll(".pagepick button"), function (b) {
        b.addEventListener("click", function () {
          page = parseInt(b.getAttribute("data-page"), 10);
          Array.prototype.forEach.call(document.querySelectorAll(".pagepick button"), function (o) { o.className = o === b ? "on" : ""; });
          Array.prototype.forEach.call(document.querySelectorAll(".pageimg"), function (d) { d.hidden = d.getAttribute("data-page") !== String(page); });
        });
      });
      function el(tag, text, cls) { var e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; }
      function addCard(f) {
        added.push(f);
        var card = el("div", "", "item");
        var info = el("div", "", "fields");
        info.appendChild(el("b", f.name));
        info.appendChild(el("p", f.category + " · " + f.price + " " + body.getAttribute("data-currency") + (f.sizes ? " · " + f.sizes : "") + " · page " + f.page, "muted"));
        if (f.description) info.appendChild(el("p", f.description));
        var rm = el("button", "Remove");
        rm.type = "button";
        rm.addEventListener("click", function () { added.splice(added.indexOf(f), 1); card.remove(); touch(); });
        info.appendChild(rm);
        card.appendChild(info);
        $("#added").appendChild(card);
        $("#none-added").hidden = true;
      }
      $("#add-item").addEventListener("click", function () {
        var form = $("#add"), f = fields(form), msg = $("#add-msg");
        if (!f.name || !f.category || !f.price) { msg.textContent = "Give it a name, a category and a price."; return; }
        f.page = page;
        addCard(f);
        Array.prototype.forEach.call(form.querySelectorAll("input, textarea"), function (i) { if (i.type === "checkbox") i.checked = false; else i.value = ""; });
        msg.textContent = "Added " + f.name + ".";
        touch();
      });
      function restore() {
        var saved = null;
        try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
        if (!saved || !saved.cards) return;
        restoring = true;
        saved.cards.forEach(function (f) {
          var c = document.getElementById("item-" + f.seq);
          if (!c) return;
          ["name", "category", "description", "price", "sizes"].forEach(function (n) { if (typeof f[n] === "string") $("[name=" + n + "]", c).value = f[n]; });
          Array.prototype.forEach.call(c.querySelectorAll("input[name=tag]"), function (t) { t.checked = (f.dietary_tags || []).indexOf(t.value) >= 0; });
          c.setAttribute("data-decision", f.d || "");
        });
        (saved.added || []).forEach(addCard);
        Array.prototype.forEach.call(document.querySelectorAll("textarea.answer"), function (t, i) { if (saved.answers && typeof saved.answers[i] === "string") t.value = saved.answers[i]; });
        restoring = false;
        $("#restored").hidden = false;
      }
      $("#start-over").addEventListener("click", function () { try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ } location.reload(); });
      document.addEventListener("input", function (e) { if (e.target.classList.contains("answer")) remember(); });
      $("#save").addEventListener("click", function () {
        var counts = { keep: 0, fix: 0, drop: 0 };
        var items = cards.map(function (card) {
          var f = fields(card), d = decision(card);
          if (counts[d] !== undefined) counts[d]++;
          f.seq = parseInt(card.getAttribute("data-seq"), 10);
          f.decision = d;
          return f;
        });
        var answers = Array.prototype.map.call(document.querySelectorAll("ol.questions li"), function (li) {
          return { question: $(".q", li).textContent, answer: $(".answer", li).value.trim() };
        }).filter(function (a) { return a.answer; });
        var edits = { format: "backoffice-menu-edits/1", import_id: body.getAttribute("data-import"), draft: body.getAttribute("data-draft"),
                      items: items, added: added, answers: answers };
        var name = "menu-edits-" + edits.import_id.slice(0, 8) + "-" + edits.draft.slice(0, 8) + ".json";
        var url = URL.createObjectURL(new Blob([JSON.stringify(edits, null, 1)], { type: "application/json" }));
        var a = el("a");
        a.href = url; a.download = name;
        document.body.appendChild(a); a.click(); a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        $("#saved").textContent = "Saved " + name + " (" + counts.keep + " kept, " + counts.fix + " changed, " + counts.drop + " dropped, " + added.length + " added). Then run: backoffice menu apply " + edits.import_id + " --edits " + name;
        body.setAttribute("data-saved", name);
      });
      restore();
      refresh();
    })();
    """#
}
