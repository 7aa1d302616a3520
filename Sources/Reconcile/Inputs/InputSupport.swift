import BackofficeCore
import Foundation

// Small byte-level helpers the four readers share: header lookup by name, field tests without
// making Strings, strict amounts and times with errors that name file, line and column.

/// Header names of a CSV file, looked up case-insensitively (spaces around names ignored).
struct HeaderMap {
    let names: [String]
    private let index: [String: Int]
    /// Columns whose names are the same (any case): each row must give them the same value.
    let duplicates: [[Int]]

    init(_ header: CSVRecord) {
        var names: [String] = []
        var index: [String: Int] = [:]
        var groups: [String: [Int]] = [:]
        for i in 0..<header.count {
            let name = header.string(i).trimmingASCIISpaces()
            names.append(name)
            let key = name.lowercased()
            if index[key] == nil { index[key] = i }
            if !key.isEmpty { groups[key, default: []].append(i) }
        }
        self.names = names
        self.index = index
        self.duplicates = groups.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
    }

    /// The first of `candidates` (any case) that the header has.
    func find(_ candidates: String...) -> Int? {
        for c in candidates { if let i = index[c.lowercased()] { return i } }
        return nil
    }

    /// Columns whose lower-cased name has `prefix` and `suffix`: the part between is the key
    /// (as written in the header), e.g. `order_id (metadata)` or `payment_metadata[order_id]`.
    func keyed(prefix: String, suffix: String) -> [(key: String, column: Int)] {
        var out: [(key: String, column: Int)] = []
        for (i, name) in names.enumerated() {
            let lower = name.lowercased()
            guard lower.count > prefix.count + suffix.count, lower.hasPrefix(prefix), lower.hasSuffix(suffix) else { continue }
            let key = String(name.dropFirst(prefix.count).dropLast(suffix.count)).trimmingASCIISpaces()
            guard !key.isEmpty, !out.contains(where: { $0.key == key }) else { continue }
            out.append((key, i))
        }
        return out
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        guard let f = utf8.first, let l = utf8.last else { return self }
        if f != 32, f != 9, l != 32, l != 9 { return self }
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

/// Bytes of a field without surrounding spaces and tabs.
@inline(__always)
func trimmed(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var a = s.startIndex, b = s.endIndex
    while a < b, s[a] == 32 || s[a] == 9 { a += 1 }
    while b > a, s[b - 1] == 32 || s[b - 1] == 9 { b -= 1 }
    return s[a..<b]
}

/// True when `s` equals the lower-case ASCII `lower`, ignoring case.
@inline(__always)
func equalsIgnoringCase(_ s: ArraySlice<UInt8>, _ lower: StaticString) -> Bool {
    guard s.count == lower.utf8CodeUnitCount else { return false }
    let p = lower.utf8Start
    var j = 0
    for b in s {
        let l = (b >= 65 && b <= 90) ? b | 0x20 : b
        if l != p[j] { return false }
        j += 1
    }
    return true
}

/// True when `s` contains the lower-case ASCII `lower`, ignoring case.
func containsIgnoringCase(_ s: ArraySlice<UInt8>, _ lower: StaticString) -> Bool {
    let n = lower.utf8CodeUnitCount
    guard n > 0, s.count >= n else { return n == 0 }
    let p = lower.utf8Start
    var i = s.startIndex
    let last = s.endIndex - n
    while i <= last {
        var j = 0
        while j < n {
            let b = s[i + j]
            let l = (b >= 65 && b <= 90) ? b | 0x20 : b
            if l != p[j] { break }
            j += 1
        }
        if j == n { return true }
        i += 1
    }
    return false
}

func containsIgnoringCase(_ s: String, _ lower: StaticString) -> Bool {
    containsIgnoringCase(Array(s.utf8)[...], lower)
}

/// Text for an error message: the field as written, shortened.
func quoted(_ s: ArraySlice<UInt8>) -> String {
    let text = String(decoding: s.prefix(40), as: UTF8.self)
    return "'\(text)\(s.count > 40 ? "…" : "")'"
}

/// Where the rows of one file are read, for errors: the file, its header and the header's line,
/// and what the document is ("the Stripe Payments export").
struct RowContext {
    let file: String
    let header: HeaderMap?
    let headerLine: Int
    let document: String

    func failure(line: Int, column: Int?, _ reason: String) -> Failure {
        var name: String?
        if let column, let header, column < header.names.count { name = header.names[column] }
        return Failure.badInput(file: file, line: line, column: name, reason: reason)
    }

    func failure(line: Int, columnName: String?, _ reason: String) -> Failure {
        Failure.badInput(file: file, line: line, column: columnName, reason: reason)
    }

    /// A column named twice in the header must hold the same value twice in every row: a
    /// spreadsheet that duplicated a column and then changed one copy is refused (65), since the
    /// tool cannot tell which one is meant. Nothing is checked when no name repeats.
    @inline(__always)
    func checkDuplicates(_ record: CSVRecord) throws(Failure) {
        guard let header, !header.duplicates.isEmpty else { return }
        for group in header.duplicates where group[0] < record.count {
            let first = trimmed(record.bytes(group[0]))
            for other in group.dropFirst() where other < record.count {
                let value = trimmed(record.bytes(other))
                if !value.elementsEqual(first) {
                    throw failure(line: record.line, column: other,
                                  "the header names this column twice (columns \(group[0] + 1) and \(other + 1)) and this row gives them different values (\(quoted(first)) and \(quoted(value))); keep one of them and run again")
                }
            }
        }
    }

    /// The index of the first of `names` the header has (any case); a file without it is refused
    /// at the header's line, naming the document and the first name.
    func required(_ names: String...) throws(Failure) -> Int {
        for n in names { if let i = header?.find(n) { return i } }
        throw Failure.badInput(file: file, line: headerLine, reason: "\(document) has no '\(names[0])' column")
    }

    /// Strict amount: decimal major units → minor units of `exponent`.
    func amount(_ record: CSVRecord, _ column: Int, exponent: Int, grouping: UInt8? = UInt8(ascii: ",")) throws(Failure) -> Int64 {
        let field = trimmed(record.bytes(column))
        do {
            return try MoneyText.minorUnits(utf8: field, exponent: exponent, groupingSeparator: grouping)
        } catch {
            throw failure(line: record.line, column: column, amountReason(field, error, exponent: exponent))
        }
    }

    /// As `amount`, nil when the field is empty.
    func optionalAmount(_ record: CSVRecord, _ column: Int?, exponent: Int, grouping: UInt8? = UInt8(ascii: ",")) throws(Failure) -> Int64? {
        guard let column else { return nil }
        let field = trimmed(record.bytes(column))
        if field.isEmpty { return nil }
        return try amount(record, column, exponent: exponent, grouping: grouping)
    }

    /// A UTC (offset 0) or local (offset) time in one of the forms `parseTime` reads.
    func time(_ record: CSVRecord, _ column: Int, utcOffsetSeconds: Int = 0, order: DateOrderHint = .any) throws(Failure) -> Timestamp {
        let field = trimmed(record.bytes(column))
        guard !field.isEmpty else { throw failure(line: record.line, column: column, "the time is empty") }
        guard let t = parseTime(field, utcOffsetSeconds: utcOffsetSeconds, order: order) else {
            throw failure(line: record.line, column: column, "\(quoted(field)) is not a date and time (expected YYYY-MM-DD HH:MM:SS\(order == .any ? " or DD-MM-YYYY HH:MM:SS" : ""))")
        }
        return t
    }

    func currency(_ record: CSVRecord, _ column: Int, cache: inout CurrencyCache) throws(Failure) -> Currency {
        let field = trimmed(record.bytes(column))
        guard let c = cache.currency(field) else {
            throw failure(line: record.line, column: column, "\(quoted(field)) is not a currency code")
        }
        return c
    }
}

func amountReason(_ field: ArraySlice<UInt8>, _ error: MoneyText.ParseError, exponent: Int) -> String {
    switch error {
    case .empty: return "the amount is empty"
    case .notANumber: return "\(quoted(field)) is not an amount"
    case .tooManyDecimals(let allowed): return "\(quoted(field)) has more than \(allowed) decimal\(allowed == 1 ? "" : "s")"
    case .outOfRange: return "\(quoted(field)) is too large"
    }
}

/// Three-letter codes already seen, so each row does not build a `Currency`.
struct CurrencyCache {
    private var known: [UInt32: Currency] = [:]

    mutating func currency(_ s: ArraySlice<UInt8>) -> Currency? {
        guard s.count == 3 else { return nil }
        let i = s.startIndex
        let key = UInt32(s[i] | 0x20) << 16 | UInt32(s[i + 1] | 0x20) << 8 | UInt32(s[i + 2] | 0x20)
        if let c = known[key] { return c }
        guard let c = Currency(code: String(decoding: s, as: UTF8.self)) else { return nil }
        known[key] = c
        return c
    }
}

enum DateOrderHint: Equatable { case any, yearFirst, dayFirst }

/// Reads `YYYY-MM-DD HH:MM:SS` and `DD-MM-YYYY HH:MM:SS` (also with `/` or `.` in the date, a `T`
/// instead of the space, no seconds, fractional seconds, a trailing `Z`, or no time at all), as
/// local time at `utcOffsetSeconds`. Nil for anything else or an impossible date.
func parseTime(_ b: ArraySlice<UInt8>, utcOffsetSeconds: Int = 0, order: DateOrderHint = .any) -> Timestamp? {
    var i = b.startIndex
    let end = b.endIndex
    @inline(__always) func digits(_ maxCount: Int) -> (value: Int, count: Int) {
        var v = 0, n = 0
        while i < end, n < maxCount, b[i] >= 48, b[i] <= 57 { v = v * 10 + Int(b[i] - 48); i += 1; n += 1 }
        return (v, n)
    }
    @inline(__always) func isDateSeparator(_ c: UInt8) -> Bool { c == 45 || c == 47 || c == 46 }
    let first = digits(4)
    guard i < end, isDateSeparator(b[i]) else { return nil }
    let sep = b[i]; i += 1
    let second = digits(2)
    guard second.count >= 1, i < end, b[i] == sep else { return nil }
    i += 1
    let third = digits(4)
    var year: Int, month: Int, day: Int
    if first.count == 4, third.count <= 2, third.count >= 1, order != .dayFirst {
        year = first.value; month = second.value; day = third.value
    } else if third.count == 4, first.count <= 2, first.count >= 1, order != .yearFirst {
        day = first.value; month = second.value; year = third.value
    } else {
        return nil
    }
    var hour = 0, minute = 0, sec = 0
    if i < end {
        guard b[i] == 32 || b[i] == UInt8(ascii: "T") else { return nil }
        while i < end, b[i] == 32 || b[i] == UInt8(ascii: "T") { i += 1 }
        let h = digits(2)
        guard h.count >= 1, i < end, b[i] == 58 else { return nil }
        i += 1
        let m = digits(2)
        guard m.count == 2 else { return nil }
        hour = h.value; minute = m.value
        if i < end, b[i] == 58 {
            i += 1
            let s = digits(2)
            guard s.count == 2 else { return nil }
            sec = s.value
            if i < end, b[i] == 46 {
                i += 1
                let f = digits(9)
                guard f.count >= 1 else { return nil }
            }
        }
        if i < end, b[i] == UInt8(ascii: "Z"), utcOffsetSeconds == 0 { i += 1 }
        guard i == end else { return nil }
    }
    return Timestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: sec, utcOffsetSeconds: utcOffsetSeconds)
}

/// `YYYYMMDDHHMMSS` (Daraja TransactionDate) at `utcOffsetSeconds`.
func parseCompactTime(_ b: ArraySlice<UInt8>, utcOffsetSeconds: Int) -> Timestamp? {
    guard b.count == 14, b.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
    func n(_ from: Int, _ count: Int) -> Int {
        var v = 0
        for k in 0..<count { v = v * 10 + Int(b[b.startIndex + from + k] - 48) }
        return v
    }
    return Timestamp(year: n(0, 4), month: n(4, 2), day: n(6, 2), hour: n(8, 2), minute: n(10, 2), second: n(12, 2), utcOffsetSeconds: utcOffsetSeconds)
}

/// A field as text, or nil when it is empty or spaces.
@inline(__always)
func text(_ record: CSVRecord, _ column: Int?) -> String? {
    guard let column else { return nil }
    let f = trimmed(record.bytes(column))
    if f.isEmpty { return nil }
    if record.fields[column].escapedQuotes { return record.string(column).trimmingASCIISpaces() }
    return String(decoding: f, as: UTF8.self)
}

/// True when every field of the row is empty (spreadsheets append rows of bare delimiters).
func isEmptyRow(_ record: CSVRecord) -> Bool {
    for f in record.fields where f.end > f.start { return false }
    return true
}

/// Makes one `String` per distinct value of a column whose values repeat (venue ids, payout ids,
/// purposes), so 900,000 rows do not allocate 900,000 copies. A small direct-mapped table keyed
/// by an FNV hash of the bytes; it switches itself off for a column whose values do not repeat.
struct Interner {
    private var keys: [ArraySlice<UInt8>]
    private var texts: [String]
    private var tries = 0
    private var hits = 0
    private var enabled = true
    private static let slots = 512

    init() {
        keys = Array(repeating: [], count: Interner.slots)
        texts = Array(repeating: "", count: Interner.slots)
    }

    /// `f` as a String, shared with earlier equal values when possible.
    mutating func text(_ f: ArraySlice<UInt8>) -> String {
        if f.count <= 15 || !enabled { return String(decoding: f, as: UTF8.self) } // short strings are stored inline anyway
        tries += 1
        if tries == 2048, hits < 256 { enabled = false }
        // hash the length and the first and last eight bytes (f has at least 16)
        let (head, tail) = f.withUnsafeBytes { r in
            (r.loadUnaligned(fromByteOffset: 0, as: UInt64.self), r.loadUnaligned(fromByteOffset: r.count - 8, as: UInt64.self))
        }
        var h = (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(f.count)
        h ^= h >> 29
        let slot = Int(h % UInt64(Interner.slots))
        if keys[slot].count == f.count, sameBytes(keys[slot], f) {
            hits += 1
            return texts[slot]
        }
        let t = String(decoding: f, as: UTF8.self)
        keys[slot] = f
        texts[slot] = t
        return t
    }

    /// A field of `record` as interned text, nil when empty (quoted fields with `""` are decoded).
    mutating func text(_ record: CSVRecord, _ column: Int?) -> String? {
        guard let column else { return nil }
        if record.fields[column].escapedQuotes { return Reconcile.text(record, column) }
        let f = trimmed(record.bytes(column))
        return f.isEmpty ? nil : text(f)
    }
}

@inline(__always)
func sameBytes(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    return a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0 } }
}
