import Foundation

/// A strict RFC 4180 reader that works on UTF-8 bytes, for exports of hundreds of MB.
///
/// - Recognises `,` or `;` as the delimiter from the first line it is asked to treat as a header
///   (or takes the one given), LF or CRLF line ends, a UTF-8 byte-order mark, quoted fields with `""`.
/// - A row whose field count differs from the header's is an error naming the file and line, so an
///   unclosed quote cannot silently swallow the rest of the file.
///
///     var reader = CSVReader(bytes: data, file: "payments.csv")
///     while let record = try reader.next() { print(record.string(0)) }
public struct CSVReader: Sendable {
    public let file: String
    public private(set) var delimiter: UInt8
    private let bytes: [UInt8]
    private var position: Int
    /// 1-based line number of the next record's first line.
    public private(set) var line: Int = 1
    /// Field count every row must have (set by `readHeader()` or the first `next()`), if known.
    public var expectedFields: Int?
    /// The last record's field list, handed back to `next()` for reuse.
    private var fieldBuffer: [CSVField] = []

    public init(bytes: [UInt8], file: String, delimiter: UInt8? = nil) {
        self.bytes = bytes
        self.file = file
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        self.position = start
        self.delimiter = delimiter ?? CSVReader.guessDelimiter(bytes, from: start)
    }

    /// `;` when the first line has more semicolons than commas outside quotes, else `,`.
    static func guessDelimiter(_ bytes: [UInt8], from start: Int) -> UInt8 {
        var commas = 0, semicolons = 0, inQuotes = false
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 { inQuotes.toggle() }
            else if !inQuotes {
                if b == 0x0A { break }
                if b == 0x2C { commas += 1 } else if b == 0x3B { semicolons += 1 }
            }
            i += 1
        }
        return semicolons > commas ? 0x3B : 0x2C
    }

    /// True when everything has been read.
    public var atEnd: Bool { position >= bytes.count }

    /// Skips lines up to (not including) the first line for which `isHeader` holds, then reads
    /// it as the header. Used for files with a preamble (M-PESA statements); each skipped line's
    /// text goes to `preamble`. The delimiter is guessed again from the header line.
    public mutating func skipToHeader(where isHeader: (String) -> Bool,
                                      preamble: (String) -> Void = { _ in }) throws(Failure) -> CSVRecord? {
        while position < bytes.count {
            var end = position
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            var lineEnd = end
            if lineEnd > position, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let text = String(decoding: bytes[position..<lineEnd], as: UTF8.self)
            if isHeader(text) {
                delimiter = CSVReader.guessDelimiter(bytes, from: position)
                return try readHeader()
            }
            preamble(text)
            position = end + 1
            line += 1
        }
        return nil
    }

    /// Reads one record and fixes the field count every later row must have.
    public mutating func readHeader() throws(Failure) -> CSVRecord? {
        expectedFields = nil
        guard let header = try next() else { return nil }
        expectedFields = header.count
        return header
    }

    /// The next record, or `nil` at the end. Blank lines are skipped.
    ///
    /// The field list is reused from one record to the next when the caller no longer holds the
    /// previous record, so a loop over millions of rows does not allocate per row.
    public mutating func next() throws(Failure) -> CSVRecord? {
        var fields = fieldBuffer
        fieldBuffer = []
        while true {
            guard position < bytes.count else { fieldBuffer = fields; return nil }
            let startLine = line
            var lineNow = line
            fields.removeAll(keepingCapacity: true)
            if fields.capacity < (expectedFields ?? 16) { fields.reserveCapacity(expectedFields ?? 16) }
            let from = position
            let delim = delimiter
            let outcome = bytes.withUnsafeBufferPointer { p in
                CSVReader.scanRecord(p, from: from, delimiter: delim, line: &lineNow, fields: &fields)
            }
            switch outcome {
            case .unclosedQuote:
                throw Failure.badInput(file: file, line: startLine, reason: "a quoted field is never closed (an unbalanced \" starts here)")
            case .textAfterQuote(let atLine, let field):
                throw Failure.badInput(file: file, line: atLine, reason: "text follows a closing quote in field \(field)")
            case .record(let next):
                position = next
                line = lineNow
            }
            // a blank line
            if fields.count == 1, fields[0].start == fields[0].end { continue }
            if let expected = expectedFields, fields.count != expected {
                throw Failure.badInput(file: file, line: startLine, reason: "the row has \(fields.count) fields where the header has \(expected)")
            }
            fieldBuffer = fields
            return CSVRecord(bytes: bytes, fields: fields, line: startLine)
        }
    }

    /// The index of the first `delim` or LF at or after `from`, or `p.count`: eight bytes at a
    /// time (SWAR), so long unquoted fields cost a fraction of a byte-by-byte loop.
    @inline(__always)
    private static func findDelimiterOrNewline(_ p: UnsafeBufferPointer<UInt8>, from: Int, delimiter delim: UInt8) -> Int {
        let n = p.count
        var i = from
        if let base = p.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            let delims = ones &* UInt64(delim)
            let newlines = ones &* 0x0A
            while i &+ 8 <= n {
                let v = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let a = v ^ delims, b = v ^ newlines
                // a byte of `a` or `b` is zero where `v` holds a delimiter or LF; the lowest flagged
                // byte is always a true match
                let hits = ((a &- ones) & ~a & highs) | ((b &- ones) & ~b & highs)
                if hits != 0 { return i &+ (hits.trailingZeroBitCount >> 3) }
                i &+= 8
            }
        }
        while i < n {
            let b = p[i]
            if b == delim || b == 0x0A { return i }
            i += 1
        }
        return n
    }

    private enum ScanOutcome {
        case record(next: Int)
        case unclosedQuote
        case textAfterQuote(line: Int, field: Int)
    }

    /// Reads one record's fields starting at `from`; `line` advances past it.
    private static func scanRecord(_ p: UnsafeBufferPointer<UInt8>, from: Int, delimiter delim: UInt8,
                                   line: inout Int, fields: inout [CSVField]) -> ScanOutcome {
        let n = p.count
        var i = from
        var fieldStart = i
        while true {
            if i < n, p[i] == 0x22, i == fieldStart {
                // quoted field
                i += 1
                let contentStart = i
                var escapedQuotes = false
                var closed = false
                while i < n {
                    let b = p[i]
                    if b == 0x22 {
                        if i + 1 < n, p[i + 1] == 0x22 { escapedQuotes = true; i += 2; continue }
                        closed = true
                        break
                    }
                    if b == 0x0A { line += 1 }
                    i += 1
                }
                guard closed else { return .unclosedQuote }
                let contentEnd = i
                i += 1 // closing quote
                // after a closing quote: delimiter, line end or end of file
                if i < n, p[i] != delim, p[i] != 0x0A, !(p[i] == 0x0D && (i + 1 == n || p[i + 1] == 0x0A)) {
                    return .textAfterQuote(line: line, field: fields.count + 1)
                }
                fields.append(CSVField(start: contentStart, end: contentEnd, escapedQuotes: escapedQuotes))
            } else {
                i = findDelimiterOrNewline(p, from: i, delimiter: delim)
                var end = i
                if i == n || p[i] == 0x0A, end > fieldStart, p[end - 1] == 0x0D { end -= 1 }
                fields.append(CSVField(start: fieldStart, end: end, escapedQuotes: false))
            }
            if i < n, p[i] == delim {
                i += 1
                fieldStart = i
                if i == n {
                    fields.append(CSVField(start: i, end: i, escapedQuotes: false))
                    line += 1
                    return .record(next: i)
                }
            } else {
                // line end (LF, CRLF) or end of file
                if i < n, p[i] == 0x0D { i += 1 }
                if i < n, p[i] == 0x0A { i += 1 }
                line += 1
                return .record(next: i)
            }
        }
    }
}

/// A field's place in the file's bytes.
public struct CSVField: Sendable, Hashable {
    public var start: Int
    public var end: Int
    /// The field was quoted and holds `""`, which `string` turns into `"`.
    public var escapedQuotes: Bool
}

/// One row: field values are decoded on demand.
public struct CSVRecord: Sendable {
    private let storage: [UInt8]
    public let fields: [CSVField]
    /// 1-based line the record starts on.
    public let line: Int

    init(bytes: [UInt8], fields: [CSVField], line: Int) {
        self.storage = bytes
        self.fields = fields
        self.line = line
    }

    public var count: Int { fields.count }

    /// The raw bytes of field `i` (quotes removed, `""` not yet unescaped).
    public func bytes(_ i: Int) -> ArraySlice<UInt8> {
        storage[fields[i].start..<fields[i].end]
    }

    /// Field `i` as text, `""` unescaped.
    public func string(_ i: Int) -> String {
        let f = fields[i]
        let s = String(decoding: storage[f.start..<f.end], as: UTF8.self)
        return f.escapedQuotes ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }

    /// Field `i` trimmed of spaces, or nil when empty.
    public func nonEmpty(_ i: Int) -> String? {
        let s = string(i).trimmingCharacters(in: .whitespaces)
        return s.isEmpty ? nil : s
    }

    public var strings: [String] { (0..<fields.count).map(string) }
}
