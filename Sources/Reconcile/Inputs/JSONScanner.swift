import BackofficeCore

/// A JSON value whose numbers keep their text (`1.00` stays `"1.00"`), so amounts never pass
/// through `Double`.
indirect enum JSONValue: Sendable, Equatable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(x), .array(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    /// The member `key` of an object (first match), else nil.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// A string's text or a number's text.
    var scalarText: String? {
        switch self {
        case .string(let s), .number(let s): return s
        default: return nil
        }
    }
}

/// A small strict JSON reader over UTF-8 bytes that reads a sequence of top-level values: one
/// value, or several written one after another (as logs write them), with optional whitespace or
/// commas between. It tracks lines so errors can name them.
struct JSONScanner {
    private let bytes: [UInt8]
    private let file: String
    private var i: Int
    private(set) var line = 1
    private var lineStart = 0
    private let maxDepth = 64

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        self.i = start
        self.lineStart = start
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

    /// The next top-level value and the line it starts on, or nil at the end.
    mutating func nextTopLevel() throws(Failure) -> (value: JSONValue, line: Int)? {
        if skipSeparators(commas: true) { return nil }
        let start = line
        return (try value(depth: 0), start)
    }

    /// True when the next significant byte opens an array (consumed).
    mutating func openTopLevelArray() -> Bool {
        if skipSeparators(commas: false) { return false }
        if bytes[i] == UInt8(ascii: "[") { i += 1; return true }
        return false
    }

    /// Inside a top-level array: the next element and its line, or nil after the closing `]`.
    mutating func nextElement(first: Bool) throws(Failure) -> (value: JSONValue, line: Int)? {
        _ = skipSeparators(commas: false)
        guard i < bytes.count else { throw error("the array is never closed") }
        if bytes[i] == UInt8(ascii: "]") { i += 1; return nil }
        if !first {
            guard bytes[i] == UInt8(ascii: ",") else { throw error("expected ',' or ']' between array elements") }
            i += 1
            _ = skipSeparators(commas: false)
        }
        let start = line
        return (try value(depth: 1), start)
    }

    func error(_ reason: String) -> Failure {
        let column = i - lineStart + 1
        return Failure.badInput(file: file, line: line, reason: "\(reason) (at character \(column))")
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard depth < maxDepth else { throw error("JSON nested too deeply") }
        _ = skipSeparators(commas: false)
        guard i < bytes.count else { throw error("the JSON ends where a value was expected") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var members: [(key: String, value: JSONValue)] = []
            _ = skipSeparators(commas: false)
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                _ = skipSeparators(commas: false)
                guard i < bytes.count else { throw error("an object is never closed") }
                guard bytes[i] == UInt8(ascii: "\"") else { throw error("expected a quoted member name") }
                let key = try string()
                _ = skipSeparators(commas: false)
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after the member name \"\(key)\"") }
                i += 1
                let v = try value(depth: depth + 1)
                members.append((key, v))
                _ = skipSeparators(commas: false)
                guard i < bytes.count else { throw error("an object is never closed") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw error("expected ',' or '}' in an object")
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [JSONValue] = []
            _ = skipSeparators(commas: false)
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                items.append(try value(depth: depth + 1))
                _ = skipSeparators(commas: false)
                guard i < bytes.count else { throw error("an array is never closed") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw error("expected ',' or ']' in an array")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true"); return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false"); return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null"); return .null
        case UInt8(ascii: "-"), 48...57:
            return .number(try number())
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

    /// A JSON number, validated, as its text.
    private mutating func number() throws(Failure) -> String {
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
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    /// A quoted string (at its opening quote), unescaped.
    private mutating func string() throws(Failure) -> String {
        i += 1
        let start = i
        // fast path: no escapes
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: bytes[start..<i], as: UTF8.self)
                i += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("a control character inside a string") }
            i += 1
        }
        var out = Array(bytes[start..<i])
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if b < 0x20 { throw error("a control character inside a string") }
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            i += 1
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw error("an unpaired surrogate in a \\u escape")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("an unpaired surrogate in a \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw error("an unpaired surrogate in a \\u escape")
                }
                guard let u = Unicode.Scalar(scalar) else { throw error("an invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw error("an invalid escape '\\\(String(decoding: [e], as: UTF8.self))'")
            }
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
