import Foundation

/// Regular expressions compiled once per pattern.
///
/// Foundation's `String.range(of:options: .regularExpression)` compiles its pattern on every call;
/// the structurer asks thousands of questions per page, so that compiling was most of its time.
/// These helpers keep each compiled `NSRegularExpression` in a cache shared by all threads.
enum TextPattern {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var exact: [String: NSRegularExpression] = [:]
    nonisolated(unsafe) private static var anyCase: [String: NSRegularExpression] = [:]

    /// The compiled pattern, or nil when it does not compile (then nothing matches it).
    static func regex(_ pattern: String, caseInsensitive: Bool) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let cached = caseInsensitive ? anyCase[pattern] : exact[pattern] { return cached }
        guard let compiled = try? NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : []) else { return nil }
        if caseInsensitive { anyCase[pattern] = compiled } else { exact[pattern] = compiled }
        return compiled
    }
}

extension StringProtocol {
    /// The range of the first match of `pattern`, as `range(of:options: .regularExpression)` gives it.
    func patternRange(_ pattern: String, caseInsensitive: Bool = false) -> Range<String.Index>? {
        let text = String(self)
        guard let regex = TextPattern.regex(pattern, caseInsensitive: caseInsensitive),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range, in: text) else { return nil }
        // indices of `text` are `self`'s own only when self is a String; map through offsets otherwise
        if self is String { return range }
        let lower = text.utf8.distance(from: text.startIndex, to: range.lowerBound)
        let upper = text.utf8.distance(from: text.startIndex, to: range.upperBound)
        return self.utf8.index(self.startIndex, offsetBy: lower)..<self.utf8.index(self.startIndex, offsetBy: upper)
    }

    /// `replacingOccurrences(of:with:options: .regularExpression)` with a compiled pattern;
    /// `template` may use `$1` as there.
    func replacingPattern(_ pattern: String, with template: String, caseInsensitive: Bool = false) -> String {
        let text = String(self)
        guard let regex = TextPattern.regex(pattern, caseInsensitive: caseInsensitive) else { return text }
        return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }
}

/// Answers about a piece of text, worked out once and kept for the life of the structuring run.
final class TextMemo<Value>: @unchecked Sendable {
    private var store: [String: Value] = [:]
    private let lock = NSLock()

    func value(_ key: String, _ make: () -> Value) -> Value {
        lock.lock()
        if let known = store[key] { lock.unlock(); return known }
        lock.unlock()
        let made = make()
        lock.lock()
        store[key] = made
        lock.unlock()
        return made
    }
}

/// Cheap literal tests that a pattern needs to pass before it can match, so the structurer asks the
/// regular expression engine only about texts where the answer may be yes. Each is a necessary
/// condition of the pattern it guards, so guarded and unguarded calls give the same answers.
extension StringProtocol {
    /// Whether `needle`'s UTF-8 bytes occur in the text's (the pattern needs these characters literally).
    func containsBytes(_ needle: some StringProtocol) -> Bool {
        var needle = String(needle)
        return needle.withUTF8 { n in containsBytes(n) }
    }

    func containsBytes(_ n: UnsafeBufferPointer<UInt8>) -> Bool {
        if let found = utf8.withContiguousStorageIfAvailable({ Self.search($0, n) }) { return found }
        return Array(utf8).withUnsafeBufferPointer { Self.search($0, n) }
    }

    private static func search(_ hay: UnsafeBufferPointer<UInt8>, _ n: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = n.first else { return true }
        let count = n.count
        guard hay.count >= count else { return false }
        var i = 0
        let last = hay.count - count
        while i <= last {
            if hay[i] == first {
                var j = 1
                while j < count && hay[i + j] == n[j] { j += 1 }
                if j == count { return true }
            }
            i += 1
        }
        return false
    }

    /// Whether `\d` could match: an ASCII digit, or any non-ASCII scalar (other scripts' digits).
    var mayHaveDigit: Bool {
        utf8.contains { ($0 >= 0x30 && $0 <= 0x39) || $0 >= 0x80 }
    }

    /// Whether the first byte could start `\d`.
    var mayStartWithDigit: Bool {
        guard let b = utf8.first else { return false }
        return (b >= 0x30 && b <= 0x39) || b >= 0x80
    }
}

extension String {
    /// `trimmingCharacters(in: .whitespaces)`, answered without Foundation when both ends are ASCII
    /// other than space and tab (then there is nothing to trim).
    var trimmingWhitespace: String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        func plain(_ b: UInt8) -> Bool { b < 0x80 && b != 0x20 && b != 0x09 }
        if plain(first) && plain(last) { return self }
        return trimmingCharacters(in: .whitespaces)
    }
}

extension StringProtocol {
    /// `split(separator: " ").count`: the words between single spaces, counted on the bytes when
    /// that gives the same answer, that is when every space has ASCII on both sides (a non-ASCII
    /// scalar next to a space could join it into a larger character: a combining mark after it,
    /// a prepended sign before it).
    var spaceSeparatedCount: Int {
        var count = 0
        var inWord = false
        var previous: UInt8 = 0
        for b in utf8 {
            if b == 0x20 {
                if previous >= 0x80 { return split(separator: " ").count }
                inWord = false
            } else {
                if previous == 0x20 && b >= 0x80 { return split(separator: " ").count }
                if !inWord { count += 1; inWord = true }
            }
            previous = b
        }
        return count
    }
}

extension String {
    /// False only when `hasSuffix(suffix)` is surely false: an ASCII suffix (no other characters
    /// are canonically equal to ASCII ones) that the bytes do not end with. Other suffixes: true.
    func mayEndWith(_ suffix: String) -> Bool {
        guard suffix.utf8.allSatisfy({ $0 < 0x80 }) else { return true }
        return utf8.count >= suffix.utf8.count && utf8.reversed().starts(with: suffix.utf8.reversed())
    }
}

extension String {
    /// `filter(\.isLetter).count`, on the bytes for ASCII text.
    /// False only for an ASCII text that holds none of `words` (lower-case) in any case; true for
    /// any other text, where case folding is not a matter of bytes.
    func mayHoldAnyWord(_ words: [String]) -> Bool {
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return true }
        let lower = lowercased()
        return words.contains { lower.containsBytes($0) }
    }

    var letterCount: Int {
        if utf8.allSatisfy({ $0 < 0x80 }) {
            return utf8.reduce(0) { $0 + ((($1 | 0x20) >= 0x61 && ($1 | 0x20) <= 0x7A) ? 1 : 0) }
        }
        return filter(\.isLetter).count
    }
}
