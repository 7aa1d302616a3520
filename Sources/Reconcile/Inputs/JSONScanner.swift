import BackofficeCore
import Foundation

/// One JSON value read into a flat list of nodes (a "tape") that point into the file's bytes.
/// Numbers keep their text (`1.00` stays `1.00`), so amounts never pass through `Double`; strings
/// are decoded only when asked for; member names are compared as bytes.
struct JSONTape {
    enum Kind: UInt8 { case object, array, string, number, bool, null }

    struct Node {
        var kind: Kind
        /// Bytes of a string's content (between the quotes) or a number/literal's text.
        var start: Int
        var end: Int
        /// The string holds `\` escapes (decode before use).
        var escaped: Bool
        /// Index of the node after this one's subtree. An object's children are key, value, key,
        /// value…; an array's are its elements.
        var after: Int
    }

    let bytes: [UInt8]
    var nodes: [Node] = []

    init(bytes: [UInt8]) { self.bytes = bytes }

    func kind(_ n: Int) -> Kind { nodes[n].kind }

    /// The value of member `key` of object node `n`, or nil.
    func member(_ n: Int, _ key: StaticString) -> Int? {
        guard nodes[n].kind == .object else { return nil }
        var i = n + 1
        let end = nodes[n].after
        while i < end {
            let k = nodes[i]
            if !k.escaped, equals(k.start, k.end, key) { return i + 1 }
            if k.escaped, string(i) == String(decoding: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount), as: UTF8.self) { return i + 1 }
            i = nodes[i + 1].after
        }
        return nil
    }

    /// The element nodes of array node `n`.
    func elements(_ n: Int) -> [Int] {
        guard nodes[n].kind == .array else { return [] }
        var out: [Int] = []
        var i = n + 1
        while i < nodes[n].after { out.append(i); i = nodes[i].after }
        return out
    }

    private func equals(_ start: Int, _ end: Int, _ key: StaticString) -> Bool {
        let n = key.utf8CodeUnitCount
        guard end - start == n else { return false }
        return bytes.withUnsafeBytes { memcmp($0.baseAddress! + start, key.utf8Start, n) == 0 }
    }

    /// True when string node `n` equals `text`.
    func isString(_ n: Int, _ text: StaticString) -> Bool {
        let node = nodes[n]
        guard node.kind == .string else { return false }
        if !node.escaped { return equals(node.start, node.end, text) }
        return string(n) == String(decoding: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount), as: UTF8.self)
    }

    /// A string node decoded, or a number's text.
    func string(_ n: Int) -> String {
        let node = nodes[n]
        guard node.escaped else { return String(decoding: bytes[node.start..<node.end], as: UTF8.self) }
        return JSONTape.unescape(bytes[node.start..<node.end])
    }

    /// The raw bytes of a string (without quotes) or number node whose text needs no decoding,
    /// nil for other kinds or an escaped string.
    func rawScalar(_ n: Int) -> ArraySlice<UInt8>? {
        let node = nodes[n]
        guard node.kind == .string || node.kind == .number, !node.escaped else { return nil }
        return bytes[node.start..<node.end]
    }

    /// The text of a string or number node, nil for other kinds.
    func scalarText(_ n: Int) -> String? {
        switch nodes[n].kind {
        case .string, .number: return string(n)
        default: return nil
        }
    }

    /// Content of a string whose escapes the scanner has already validated.
    static func unescape(_ s: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = s.startIndex
        func hex4(_ at: Int) -> UInt32 {
            var v: UInt32 = 0
            for k in 0..<4 {
                let c = s[at + k]
                v = v << 4 | UInt32(c <= 57 ? c - 48 : (c | 0x20) - 87)
            }
            return v
        }
        while i < s.endIndex {
            let b = s[i]
            if b != 0x5C { out.append(b); i += 1; continue }
            let e = s[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    let low = hex4(i + 2)
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            default: out.append(e) // " \ /
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A strict JSON reader over UTF-8 bytes for a sequence of top-level values: one value, or several
/// written one after another (as logs write them), with whitespace or commas between. It reads one
/// value at a time into a `JSONTape` and tracks lines so errors can name them.
struct JSONScanner {
    private let bytes: [UInt8]
    private let file: String
    private var i: Int
    private(set) var line = 1
    private var lineStart = 0
    private let maxDepth = 64
    private var tape: JSONTape

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        self.i = start
        self.lineStart = start
        self.tape = JSONTape(bytes: bytes)
    }

    /// Skips whitespace (and commas between top-level values when `commas`); true at the end.
    mutating func skipSeparators(commas: Bool) -> Bool {
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0A { line += 1; lineStart = i + 1 }
            else if b == 0x20 || b == 0x09 || b == 0x0D || (commas && b == 0x2C) {}
            else { return false }
            i += 1
        }
        return true
    }

    /// The next top-level value (node 0 of the returned tape) and the line it starts on, or nil at the end.
    mutating func nextTopLevel() throws(Failure) -> (tape: JSONTape, line: Int)? {
        if skipSeparators(commas: true) { return nil }
        let start = line
        tape.nodes.removeAll(keepingCapacity: true)
        try value(depth: 0)
        return (tape, start)
    }

    /// True when the next significant byte opens an array (consumed).
    mutating func openTopLevelArray() -> Bool {
        if skipSeparators(commas: false) { return false }
        if bytes[i] == UInt8(ascii: "[") { i += 1; return true }
        return false
    }

    /// Inside a top-level array: the next element and its line, or nil after the closing `]`.
    mutating func nextElement(first: Bool) throws(Failure) -> (tape: JSONTape, line: Int)? {
        _ = skipSeparators(commas: false)
        guard i < bytes.count else { throw error("the array is never closed") }
        if bytes[i] == UInt8(ascii: "]") { i += 1; return nil }
        if !first {
            guard bytes[i] == UInt8(ascii: ",") else { throw error("expected ',' or ']' between array elements") }
            i += 1
            _ = skipSeparators(commas: false)
        }
        let start = line
        tape.nodes.removeAll(keepingCapacity: true)
        try value(depth: 1)
        return (tape, start)
    }

    func error(_ reason: String) -> Failure {
        let column = i - lineStart + 1
        return Failure.badInput(file: file, line: line, reason: "\(reason) (at character \(column))")
    }

    private mutating func push(_ kind: JSONTape.Kind, _ start: Int, _ end: Int, escaped: Bool = false) {
        tape.nodes.append(JSONTape.Node(kind: kind, start: start, end: end, escaped: escaped, after: tape.nodes.count + 1))
    }

    private mutating func value(depth: Int) throws(Failure) {
        guard depth < maxDepth else { throw error("JSON nested too deeply") }
        _ = skipSeparators(commas: false)
        guard i < bytes.count else { throw error("the JSON ends where a value was expected") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            let me = tape.nodes.count
            push(.object, i, i)
            i += 1
            _ = skipSeparators(commas: false)
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                i += 1
            } else {
                while true {
                    _ = skipSeparators(commas: false)
                    guard i < bytes.count else { throw error("an object is never closed") }
                    guard bytes[i] == UInt8(ascii: "\"") else { throw error("expected a quoted member name") }
                    try string()
                    _ = skipSeparators(commas: false)
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after a member name") }
                    i += 1
                    try value(depth: depth + 1)
                    _ = skipSeparators(commas: false)
                    guard i < bytes.count else { throw error("an object is never closed") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; break }
                    throw error("expected ',' or '}' in an object")
                }
            }
            tape.nodes[me].end = i
            tape.nodes[me].after = tape.nodes.count
        case UInt8(ascii: "["):
            let me = tape.nodes.count
            push(.array, i, i)
            i += 1
            _ = skipSeparators(commas: false)
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                i += 1
            } else {
                while true {
                    try value(depth: depth + 1)
                    _ = skipSeparators(commas: false)
                    guard i < bytes.count else { throw error("an array is never closed") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; break }
                    throw error("expected ',' or ']' in an array")
                }
            }
            tape.nodes[me].end = i
            tape.nodes[me].after = tape.nodes.count
        case UInt8(ascii: "\""):
            try string()
        case UInt8(ascii: "t"):
            let s = i; try literal("true"); push(.bool, s, i)
        case UInt8(ascii: "f"):
            let s = i; try literal("false"); push(.bool, s, i)
        case UInt8(ascii: "n"):
            let s = i; try literal("null"); push(.null, s, i)
        case UInt8(ascii: "-"), 48...57:
            try number()
        default:
            throw error("unexpected '\(String(decoding: [bytes[i]], as: UTF8.self))'")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw error("unexpected end of the JSON") }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { throw error("unexpected text") }
        i += n
    }

    /// A JSON number, validated; its node keeps the text.
    private mutating func number() throws(Failure) {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        func digits() -> Int {
            var n = 0
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1; n += 1 }
            return n
        }
        guard digits() > 0 else { throw error("a number has no digits") }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw error("a number has no digits after the decimal point") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw error("a number has no digits in its exponent") }
        }
        push(.number, start, i)
    }

    /// The index of the first `"`, `\` or control character at or after `from`, or the end:
    /// eight bytes at a time (SWAR).
    private static func findStringStop(_ bytes: [UInt8], from: Int) -> Int {
        bytes.withUnsafeBytes { raw in
            let n = raw.count
            var i = from
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            let quotes = ones &* 0x22, backslashes = ones &* 0x5C, space = ones &* 0x20
            while i &+ 8 <= n {
                let v = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let q = v ^ quotes, b = v ^ backslashes
                // zero bytes of q or b are quotes or backslashes; (v - 0x20…) & ~v flags bytes below 0x20
                let hits = ((q &- ones) & ~q & highs) | ((b &- ones) & ~b & highs) | ((v &- space) & ~v & highs)
                if hits != 0 { return i &+ (hits.trailingZeroBitCount >> 3) }
                i &+= 8
            }
            while i < n {
                let c = raw[i]
                if c == 0x22 || c == 0x5C || c < 0x20 { return i }
                i += 1
            }
            return n
        }
    }

    /// A quoted string (at its opening quote); escapes are validated here, decoded on demand.
    private mutating func string() throws(Failure) {
        i += 1
        let start = i
        var escaped = false
        while i < bytes.count {
            i = JSONScanner.findStringStop(bytes, from: i)
            guard i < bytes.count else { break }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                push(.string, start, i, escaped: escaped)
                i += 1
                return
            }
            if b < 0x20 { throw error("a control character inside a string") }
            if b == UInt8(ascii: "\\") {
                escaped = true
                guard i + 1 < bytes.count else { break }
                let e = bytes[i + 1]
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    i += 2
                    let high = try hex4()
                    if (0xD800...0xDBFF).contains(high) {
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw error("an unpaired surrogate in a \\u escape")
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("an unpaired surrogate in a \\u escape") }
                    } else if (0xDC00...0xDFFF).contains(high) {
                        throw error("an unpaired surrogate in a \\u escape")
                    }
                default:
                    throw error("an invalid escape '\\\(String(decoding: [e], as: UTF8.self))'")
                }
                continue
            }
            i += 1
        }
        throw error("a string is never closed")
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard i + 4 <= bytes.count else { throw error("a \\u escape is cut short") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 65...70: d = UInt32(c - 55)
            case 97...102: d = UInt32(c - 87)
            default: throw error("a \\u escape has a non-hex digit")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }
}
