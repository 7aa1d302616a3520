import BackofficeCore
import Foundation
import Mustache

/// HTML escaping and template rendering.
///
/// Outside values (venue and customer names, provider descriptions, menu text) only ever reach a
/// page through `HTML.escape(_:)` or a template's double-brace `{{name}}`, which escapes the same
/// five characters. Triple braces `{{{name}}}` are reserved for `HTMLFragment` values, markup this
/// module built from escaped parts (the SVG charts).
///
///     HTML.escape("<b>\"Tom's\" & co</b>")  // "&lt;b&gt;&quot;Tom&#39;s&quot; &amp; co&lt;/b&gt;"
public enum HTML {
    /// Escapes `& < > " '` so the text is safe in element content and in quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Renders a swift-mustache template (HTML content type: `{{ }}` escapes) with `context`
    /// (structs, dictionaries and arrays, read by property name).
    ///
    /// Throws `Failure.software` if the template itself does not parse: templates are ours.
    public static func render(template: String, _ context: Any) throws(Failure) -> String {
        let parsed: MustacheTemplate
        do {
            parsed = try MustacheTemplate(string: template)
        } catch {
            throw Failure.software("an HTML template does not parse: \(error)")
        }
        return parsed.render(context)
    }

    /// The names a template renders without escaping (`{{{name}}}` or `{{& name}}`), so a test can
    /// check that each one is an `HTMLFragment`.
    public static func unescapedNames(in template: String) -> [String] {
        var names: [String] = []
        for pattern in [#"\{\{\{\s*([^}\s]+)\s*\}\}\}"#, #"\{\{&\s*([^}\s]+)\s*\}\}"#] {
            let regex = try! NSRegularExpression(pattern: pattern)
            let ns = template as NSString
            for m in regex.matches(in: template, range: NSRange(location: 0, length: ns.length)) {
                names.append(ns.substring(with: m.range(at: 1)))
            }
        }
        return names
    }
}

/// Markup built by this module from escaped parts, safe to place with `{{{ }}}`.
///
/// Only `HTMLFragment(escaping:)` takes outside text; `HTMLFragment(trusted:)` is for markup
/// written here in code (tags and numbers), with every outside value already passed through
/// `HTML.escape(_:)`.
public struct HTMLFragment: Sendable, Hashable, CustomStringConvertible, MustacheCustomRenderable {
    public let markup: String

    /// Text from anywhere, escaped.
    public init(escaping text: String) { markup = HTML.escape(text) }

    /// Markup this module wrote. Never pass an outside value here unescaped.
    public init(trusted markup: String) { self.markup = markup }

    public static func + (a: HTMLFragment, b: HTMLFragment) -> HTMLFragment { HTMLFragment(trusted: a.markup + b.markup) }

    public var description: String { markup }
    public var renderText: String { markup }
    public var isNull: Bool { markup.isEmpty }
}
