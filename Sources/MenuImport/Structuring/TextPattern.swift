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
