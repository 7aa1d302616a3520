import BackofficeCore

/// The items JSON written directly, byte for byte as `JSONEncoder` writes it with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` (two-space indent, `" : "`, keys in
/// UTF-8 order, empty arrays as `[\n\n  ]`, whole doubles without `.0`, control characters escaped).
///
///     let text = menu.prettyJSON()      // what `menu extract --json` prints
///
/// `menu extract` runs once per menu: the generic encoder's reflection and dynamic casts cost more
/// than the writing. Tests compare both on awkward text (MenuJSONTests).
extension MenuDocument {
    public func prettyJSON() -> String {
        var w = PrettyJSONWriter()
        w.object { w in
            w.key("currency") { $0.string(currency) }
            w.key("items") { w in
                w.array(items) { w, item in item.write(to: &w) }
            }
            w.key("questions") { w in w.array(questions) { w, q in w.string(q) } }
            w.key("source") { w in
                w.object { w in
                    w.key("file") { $0.string(source.file) }
                    w.key("pages") { $0.int(Int64(source.pages)) }
                    w.key("sha256") { $0.string(source.sha256) }
                }
            }
            w.key("structurer") { $0.string(structurer) }
        }
        return String(decoding: w.bytes, as: UTF8.self)
    }
}

extension MenuItemDraft {
    fileprivate func write(to w: inout PrettyJSONWriter) {
        w.object { w in
            w.key("category") { $0.string(category) }
            w.key("confidence") { $0.double(confidence) }
            w.key("description") { w in if let description { w.string(description) } else { w.null() } }
            w.key("dietary_tags") { w in w.array(dietaryTags) { w, t in w.string(t) } }
            w.key("flags") { w in w.array(flags) { w, f in w.string(f) } }
            w.key("name") { $0.string(name) }
            w.key("options") { w in
                w.array(options) { w, option in
                    w.object { w in
                        w.key("choices") { w in
                            w.array(option.choices) { w, choice in
                                w.object { w in
                                    w.key("price_delta_cents") { $0.int(choice.priceDeltaCents) }
                                    w.key("value") { $0.string(choice.value) }
                                }
                            }
                        }
                        w.key("name") { $0.string(option.name) }
                    }
                }
            }
            w.key("price_cents") { w in if let priceCents { w.int(priceCents) } else { w.null() } }
            w.key("source") { w in
                w.object { w in
                    w.key("bbox") { w in w.array(source.bbox) { w, v in w.double(v) } }
                    w.key("page") { $0.int(Int64(source.page)) }
                }
            }
        }
    }
}

/// The pretty printer: callers give an object's keys already in UTF-8 order.
struct PrettyJSONWriter {
    var bytes: [UInt8] = []
    private var indent = 0
    private var firstInContainer = true

    init() { bytes.reserveCapacity(1 << 16) }

    mutating func object(_ body: (inout PrettyJSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        bytes.append(UInt8(ascii: "\n"))
        indent += 1
        let outer = firstInContainer
        firstInContainer = true
        body(&self)
        firstInContainer = outer
        bytes.append(UInt8(ascii: "\n"))
        indent -= 1
        writeIndent()
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func key(_ name: StaticString, _ value: (inout PrettyJSONWriter) -> Void) {
        if firstInContainer { firstInContainer = false } else { bytes.append(UInt8(ascii: ",")); bytes.append(UInt8(ascii: "\n")) }
        writeIndent()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: " ")])
        value(&self)
    }

    mutating func array<C: Collection>(_ elements: C, _ element: (inout PrettyJSONWriter, C.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        bytes.append(UInt8(ascii: "\n"))
        indent += 1
        let outer = firstInContainer
        var first = true
        for e in elements {
            if first { first = false } else { bytes.append(UInt8(ascii: ",")); bytes.append(UInt8(ascii: "\n")) }
            writeIndent()
            firstInContainer = true
            element(&self, e)
        }
        firstInContainer = outer
        bytes.append(UInt8(ascii: "\n"))
        indent -= 1
        writeIndent()
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func null() { bytes.append(contentsOf: Array("null".utf8)) }

    mutating func int(_ value: Int64) { bytes.append(contentsOf: String(value).utf8) }

    /// As the encoder: the shortest round-trip text, without a trailing `.0`.
    mutating func double(_ value: Double) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func string(_ value: String) {
        JSONText.appendString(value, to: &bytes)
    }

    private mutating func writeIndent() {
        for _ in 0..<indent { bytes.append(UInt8(ascii: " ")); bytes.append(UInt8(ascii: " ")) }
    }
}
