import Foundation
import Synchronization

/// One of the structurer's regular expressions: Foundation's `NSRegularExpression`, compiled once
/// per pattern and kept for the process. Patterns are constants of the code, never input, so a
/// pattern that does not compile is a bug and stops the program at its first use.
struct TextPattern: @unchecked Sendable {
    // NSRegularExpression is immutable once made and safe to share between threads.
    let expression: NSRegularExpression

    init(_ pattern: String, caseInsensitive: Bool = false) {
        do {
            expression = try NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
        } catch {
            fatalError("the structurer's pattern \(pattern) does not compile: \(error)")
        }
    }

    private static let cache = Mutex<[String: TextPattern]>([:])

    /// The compiled pattern, compiled on its first use and kept for the process.
    static func compiled(_ pattern: String, caseInsensitive: Bool = false) -> TextPattern {
        let key = (caseInsensitive ? "i:" : "c:") + pattern
        if let known = cache.withLock({ $0[key] }) { return known }
        let made = TextPattern(pattern, caseInsensitive: caseInsensitive)
        cache.withLock { $0[key] = made }
        return made
    }

    /// `text` with every character that has a meaning in a pattern escaped, so it matches itself.
    static func escaped(_ text: String) -> String {
        NSRegularExpression.escapedPattern(for: text)
    }
}

extension StringProtocol {
    /// The range of the first match of `pattern`.
    func patternRange(_ pattern: String, caseInsensitive: Bool = false) -> Range<String.Index>? {
        patternRange(TextPattern.compiled(pattern, caseInsensitive: caseInsensitive))
    }

    func patternRange(_ pattern: TextPattern) -> Range<String.Index>? {
        let text = String(self)
        guard let match = pattern.expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        guard let found = Range(match.range, in: text) else { return nil }
        // the same positions in this text, which may be a slice of a larger one
        let lower = index(startIndex, offsetBy: text.distance(from: text.startIndex, to: found.lowerBound))
        return lower..<index(lower, offsetBy: text.distance(from: found.lowerBound, to: found.upperBound))
    }

    /// The text with every match of `pattern` replaced by `replacement` (taken literally).
    func replacingPattern(_ pattern: String, with replacement: String, caseInsensitive: Bool = false) -> String {
        replacingPattern(TextPattern.compiled(pattern, caseInsensitive: caseInsensitive), with: replacement)
    }

    func replacingPattern(_ pattern: TextPattern, with replacement: String) -> String {
        let text = String(self)
        return pattern.expression.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                                           withTemplate: NSRegularExpression.escapedTemplate(for: replacement))
    }

    /// For each match of `pattern`, the text of each group (0 the whole match; nil for a group that
    /// took no part).
    func patternMatches(_ pattern: String, caseInsensitive: Bool = false) -> [[String?]] {
        patternMatches(TextPattern.compiled(pattern, caseInsensitive: caseInsensitive))
    }

    func patternMatches(_ pattern: TextPattern) -> [[String?]] {
        let text = String(self)
        return pattern.expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
            (0..<match.numberOfRanges).map { group in Range(match.range(at: group), in: text).map { String(text[$0]) } }
        }
    }
}
