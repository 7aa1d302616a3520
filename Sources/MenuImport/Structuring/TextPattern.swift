import Foundation

/// The structurer's regular expressions, compiled once per pattern and run by a small backtracking
/// matcher of its own.
///
/// The structurer writes about thirty short patterns (prices, phone numbers, opening hours, legend
/// entries) and asks them thousands of questions per menu. Foundation's `NSRegularExpression` is
/// ICU's engine: its first use in a process builds ICU's static sets (about 1.3 ms), every pattern's
/// compile takes ICU's parser, and every question bridges the text to UTF-16 and back. For a `menu
/// extract` that runs once per file this was about 3.5% of the whole process's time.
///
/// The dialect is the part of ICU's that the structurer uses, with ICU's meaning:
/// - literals and `\`-escaped punctuation; `.` (any scalar but a line end);
/// - classes `[...]` with ranges, `^` negation and the escapes below inside;
/// - `\d` (`\p{Nd}`), `\s` (`\p{White_Space}`), `\w` (ICU's word set), their negations `\D \S \W`,
///   `\t \n \r \f`;
/// - `\b` and `\B` as ICU decides word boundaries (combining marks and format characters belong
///   to the character before them);
/// - `^` (start of the text), `$` (end of the text, or before a line end that ends it);
/// - groups `( )` (capturing) and `(?: )`, alternation `|`, greedy `? * + {m} {m,} {m,n}`;
/// - case-insensitive matching by simple case folding, plus `ß` matching `ss`.
/// Leftmost match, alternatives and repeats tried in ICU's (Perl's) order, so a pattern gives the
/// ranges `NSRegularExpression` gives; a test holds every pattern the structurer compiles against
/// ICU on every line of every menu we have. A pattern outside the dialect stops the program at its
/// first compile (patterns are constants of the code, never input).
struct TextPattern: Sendable {
    private let program: [Instruction]
    /// Two slots per group, group 0 the whole match.
    let groupCount: Int
    /// The match can only start at the text's start.
    private let anchored: Bool
    /// What the first scalar of any match must be (nil when a match may be empty): start
    /// positions that cannot begin a match are skipped without running the program.
    private let starters: [Instruction]?
    /// `starters`' answers for the ASCII scalars.
    private let asciiStarters: ASCIITable

    init(_ pattern: String, caseInsensitive: Bool = false) {
        var parser = PatternParser(pattern: Array(pattern.unicodeScalars), caseInsensitive: caseInsensitive)
        let tree = parser.parse()
        var compiler = PatternCompiler(caseInsensitive: caseInsensitive)
        compiler.emit(.save(0))
        compiler.compile(tree)
        compiler.emit(.save(1))
        compiler.emit(.match)
        program = compiler.program
        groupCount = parser.groups + 1
        anchored = tree.startsAnchored
        let starters = Self.firstScalars(of: compiler.program)
        self.starters = starters
        asciiStarters = ASCIITable { c in starters?.contains { Self.takes($0, c) } ?? true }
    }

    /// The consuming instructions the program can reach before it takes a scalar, or nil when it
    /// can reach `match` without taking one. Assertions are passed over: they only narrow.
    private static func firstScalars(of program: [Instruction]) -> [Instruction]? {
        var seen = [Bool](repeating: false, count: program.count)
        var pending = [0]
        var found: [Instruction] = []
        while let pc = pending.popLast() {
            guard !seen[pc] else { continue }
            seen[pc] = true
            switch program[pc] {
            case .scalar, .folded, .sharpS, .set, .any: found.append(program[pc])
            case .match: return nil
            case .split(let a, let b): pending += [a, b]
            case .jump(let to): pending.append(to)
            case .save, .textStart, .textEnd, .wordBoundary: pending.append(pc + 1)
            }
        }
        return found
    }

    /// Whether a consuming instruction takes `c` (for `sharpS`, whether `c` can begin it): the
    /// matcher's step for one scalar, and the test of where a match may start.
    private static func takes(_ instruction: Instruction, _ c: Unicode.Scalar) -> Bool {
        switch instruction {
        case .scalar(let x): return c == x
        case .folded(let x): return CaseFold.simple(c) == x
        case .sharpS: return c == "ß" || c == "ẞ" || CaseFold.simple(c) == "s"
        case .set(let set): return set.contains(c)
        case .any: return !ScalarClass.isLineEnd(c)
        default: return true
        }
    }

    // MARK: the cache

    private static let exact = TextMemo<TextPattern>(capacity: 64)
    private static let anyCase = TextMemo<TextPattern>(capacity: 64)

    /// The compiled pattern, compiled on its first use and kept for the process.
    static func compiled(_ pattern: String, caseInsensitive: Bool = false) -> TextPattern {
        (caseInsensitive ? anyCase : exact).value(pattern) { TextPattern(pattern, caseInsensitive: caseInsensitive) }
    }

    /// Every pattern compiled so far, with whether it ignores case (for the test against ICU).
    static var compiledSoFar: [(pattern: String, caseInsensitive: Bool)] {
        exact.keys.map { ($0, false) } + anyCase.keys.map { ($0, true) }
    }

    /// `text` with every character that has a meaning in a pattern escaped, so it matches itself.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if "\\^$.|?*+()[]{}/-".unicodeScalars.contains(scalar) { out.append("\\") }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    // MARK: matching

    /// The first match in `text`: for each group (0 the whole match) its scalar offsets, nil for a
    /// group that took no part.
    func firstMatch(in scalars: [Unicode.Scalar], from start: Int = 0, groups: Bool = true) -> [Range<Int>?]? {
        var slots = [Int](repeating: -1, count: groupCount * 2)
        var stack: [Backtrack] = []
        let last = anchored ? min(start, 0) : scalars.count
        var at = start
        while at <= last {
            if let starters {
                // no match can start here, nor at the end (every match takes a scalar)
                guard at < scalars.count else { break }
                let c = scalars[at]
                if !(c.value < 0x80 ? asciiStarters.contains(c.value) : starters.contains { Self.takes($0, c) }) { at += 1; continue }
            }
            if run(scalars, at, &slots, &stack) {
                if !groups { return [slots[0]..<slots[1]] }
                return (0..<groupCount).map { g in
                    let (a, b) = (slots[2 * g], slots[2 * g + 1])
                    return a >= 0 && b >= 0 ? a..<b : nil
                }
            }
            at += 1
        }
        return nil
    }

    /// `firstMatch(in:)`'s whole match alone, without building the groups' ranges.
    func firstMatchRange(in scalars: [Unicode.Scalar]) -> Range<Int>? {
        firstMatch(in: scalars, groups: false)?.first ?? nil
    }

    /// Every match, left to right, not overlapping (after an empty match the search moves on one scalar).
    func matches(in scalars: [Unicode.Scalar]) -> [[Range<Int>?]] {
        var found: [[Range<Int>?]] = []
        var from = 0
        while from <= scalars.count, let m = firstMatch(in: scalars, from: from), let whole = m[0] {
            found.append(m)
            from = whole.isEmpty ? whole.upperBound + 1 : whole.upperBound
            if anchored { break }
        }
        return found
    }

    private enum Backtrack {
        case branch(pc: Int, at: Int)
        case restore(slot: Int, value: Int)
    }

    /// Runs the program from `start`; true with the slots filled on a match.
    private func run(_ s: [Unicode.Scalar], _ start: Int, _ slots: inout [Int], _ stack: inout [Backtrack]) -> Bool {
        for i in slots.indices { slots[i] = -1 }
        stack.removeAll(keepingCapacity: true)
        var pc = 0
        var at = start
        let n = s.count
        while true {
            var ok = true
            switch program[pc] {
            case .scalar, .folded, .set, .any:
                // one scalar, tested as a match start is tested
                if at < n && Self.takes(program[pc], s[at]) { at += 1; pc += 1 } else { ok = false }
            case .sharpS:
                if at < n && (s[at] == "ß" || s[at] == "ẞ") { at += 1; pc += 1 }
                else if at + 1 < n && CaseFold.simple(s[at]) == "s" && CaseFold.simple(s[at + 1]) == "s" { at += 2; pc += 1 }
                else { ok = false }
            case .textStart:
                if at == 0 { pc += 1 } else { ok = false }
            case .textEnd:
                if at == n || Self.onlyLineEndLeft(s, at) { pc += 1 } else { ok = false }
            case .wordBoundary(let wanted):
                if ScalarClass.isWordBoundary(s, at) == wanted { pc += 1 } else { ok = false }
            case .split(let first, let second):
                stack.append(.branch(pc: second, at: at))
                pc = first
            case .jump(let to):
                pc = to
            case .save(let slot):
                stack.append(.restore(slot: slot, value: slots[slot]))
                slots[slot] = at
                pc += 1
            case .match:
                return true
            }
            if ok { continue }
            // back to the latest untried branch, undoing the groups saved since
            var resumed = false
            while let top = stack.popLast() {
                switch top {
                case .restore(let slot, let value): slots[slot] = value
                case .branch(let to, let from): pc = to; at = from; resumed = true
                }
                if resumed { break }
            }
            if !resumed { return false }
        }
    }

    /// ICU's `$` without multi-line mode: also just before a line end (or CR LF) that ends the text.
    private static func onlyLineEndLeft(_ s: [Unicode.Scalar], _ at: Int) -> Bool {
        let left = s.count - at
        if left == 1 { return ScalarClass.isLineEnd(s[at]) }
        return left == 2 && s[at] == "\r" && s[at + 1] == "\n"
    }
}

extension StringProtocol {
    /// The range of the first match of `pattern` (see `TextPattern` for the dialect).
    func patternRange(_ pattern: String, caseInsensitive: Bool = false) -> Range<String.Index>? {
        patternRange(TextPattern.compiled(pattern, caseInsensitive: caseInsensitive))
    }

    /// The range of the first match of a pattern compiled beforehand (a hot caller keeps its
    /// pattern in a `static let`, and skips the cache's lock and the hashing of the pattern's text).
    func patternRange(_ pattern: TextPattern) -> Range<String.Index>? {
        let scalars = Array(unicodeScalars)
        guard let whole = pattern.firstMatchRange(in: scalars) else { return nil }
        let lower = unicodeScalars.index(startIndex, offsetBy: whole.lowerBound)
        return lower..<unicodeScalars.index(lower, offsetBy: whole.count)
    }

    /// The text with every match of `pattern` replaced by `replacement` (taken literally).
    func replacingPattern(_ pattern: String, with replacement: String, caseInsensitive: Bool = false) -> String {
        replacingPattern(TextPattern.compiled(pattern, caseInsensitive: caseInsensitive), with: replacement)
    }

    func replacingPattern(_ pattern: TextPattern, with replacement: String) -> String {
        let scalars = Array(unicodeScalars)
        let found = pattern.matches(in: scalars)
        guard !found.isEmpty else { return String(self) }
        var out = String.UnicodeScalarView()
        var kept = 0
        for m in found {
            guard let whole = m[0] else { continue }
            out.append(contentsOf: scalars[kept..<whole.lowerBound])
            out.append(contentsOf: replacement.unicodeScalars)
            kept = whole.upperBound
        }
        out.append(contentsOf: scalars[kept...])
        return String(out)
    }

    /// For each match of `pattern`, the text of each group (0 the whole match; nil for a group that
    /// took no part).
    func patternMatches(_ pattern: String, caseInsensitive: Bool = false) -> [[String?]] {
        patternMatches(TextPattern.compiled(pattern, caseInsensitive: caseInsensitive))
    }

    func patternMatches(_ pattern: TextPattern) -> [[String?]] {
        let scalars = Array(unicodeScalars)
        return pattern.matches(in: scalars).map { m in
            m.map { r in r.map { String(String.UnicodeScalarView(scalars[$0])) } }
        }
    }
}

// MARK: - the program

private enum Instruction: Sendable {
    case scalar(Unicode.Scalar)
    /// A scalar compared by simple case folding (already folded here).
    case folded(Unicode.Scalar)
    /// `ß` ignoring case: `ß`, `ẞ` or two scalars folding to `s`.
    case sharpS
    case set(ScalarClass)
    case any
    case textStart, textEnd
    case wordBoundary(Bool)
    case split(Int, Int)
    case jump(Int)
    case save(Int)
    case match
}

/// A set of scalars: `[...]`, `\d`, `\s`, `\w` and their negations.
struct ScalarClass: Sendable {
    enum Item: Sendable {
        case range(UInt32, UInt32)
        case digit(Bool), space(Bool), word(Bool)
    }
    var items: [Item] = []
    var negated = false
    var caseInsensitive = false
    /// The answers for the 128 ASCII scalars, worked out once when the pattern is compiled.
    private var ascii = ASCIITable()

    init(items: [Item] = [], negated: Bool = false, caseInsensitive: Bool = false) {
        self.items = items
        self.negated = negated
        self.caseInsensitive = caseInsensitive
    }

    /// The class with its ASCII answers filled in (the compiler calls this once per class).
    func sealed() -> ScalarClass {
        // `has` for the ASCII scalars straight from the items (no property tables), then
        // `containsSlowly`'s rule on top
        var has = [Bool](repeating: false, count: 128)
        for item in items {
            for v in 0..<128 where !has[v] {
                switch item {
                case .range(let a, let b): has[v] = UInt32(v) >= a && UInt32(v) <= b
                case .digit(let yes): has[v] = (v >= 0x30 && v <= 0x39) == yes
                case .space(let yes): has[v] = (v == 0x20 || (v >= 0x09 && v <= 0x0D)) == yes
                case .word(let yes): has[v] = ScalarClass.isWord(Unicode.Scalar(UInt8(v))) == yes
                }
            }
        }
        var done = self
        done.ascii = ASCIITable { c in
            let v = Int(c.value)
            if has[v] != negated { return true }
            guard caseInsensitive else { return false }
            let lower = Int(CaseFold.simple(c).value), upper = Int(CaseFold.upper(c).value)
            return (lower != v && has[lower] != negated) || (upper != v && has[upper] != negated)
        }
        return done
    }

    func contains(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x80 ? ascii.contains(c.value) : containsSlowly(c)
    }

    private func containsSlowly(_ c: Unicode.Scalar) -> Bool {
        if has(c) != negated { return true }
        guard caseInsensitive else { return false }
        // ICU closes a case-insensitive class over case: its lower and upper forms count too
        let lower = CaseFold.simple(c)
        if lower != c && has(lower) != negated { return true }
        let upper = CaseFold.upper(c)
        return upper != c && has(upper) != negated
    }

    private func has(_ c: Unicode.Scalar) -> Bool {
        for item in items {
            switch item {
            case .range(let a, let b): if c.value >= a && c.value <= b { return true }
            case .digit(let yes): if Self.isDigit(c) == yes { return true }
            case .space(let yes): if c.isWhiteSpace == yes { return true }
            case .word(let yes): if Self.isWord(c) == yes { return true }
            }
        }
        return false
    }

    /// `\d`: a decimal digit of any script (`\p{Nd}`).
    static func isDigit(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x80 ? (c.value >= 0x30 && c.value <= 0x39) : c.properties.generalCategory == .decimalNumber
    }

    /// `\w` as ICU has it: `[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u200c\u200d]`.
    static func isWord(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 {
            let v = c.value | 0x20
            return (v >= 0x61 && v <= 0x7A) || (c.value >= 0x30 && c.value <= 0x39) || c.value == 0x5F
        }
        if c.value == 0x200C || c.value == 0x200D { return true }
        let p = c.properties
        if p.isAlphabetic { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    /// Scalars that end a line for `.` and `$`.
    static func isLineEnd(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// ICU's `\b`: a word scalar on one side and not on the other, where a combining mark or a
    /// format character is never a boundary and counts with the scalar before it.
    static func isWordBoundary(_ s: [Unicode.Scalar], _ at: Int) -> Bool {
        var here = false
        if at < s.count {
            if clings(s[at]) { return false }
            here = isWord(s[at])
        }
        var before = false
        var i = at - 1
        while i >= 0 {
            if !clings(s[i]) { before = isWord(s[i]); break }
            i -= 1
        }
        return here != before
    }

    private static func clings(_ c: Unicode.Scalar) -> Bool {
        guard c.value >= 0x80 else { return false }
        let p = c.properties
        return p.isGraphemeExtend || p.generalCategory == .format
    }
}

/// A yes or no for each ASCII scalar, as two 64-bit masks.
struct ASCIITable: Sendable {
    private var low: UInt64 = 0, high: UInt64 = 0

    init() {}

    init(_ yes: (Unicode.Scalar) -> Bool) {
        for v in UInt32(0)..<0x80 where yes(Unicode.Scalar(v)!) {
            if v < 64 { low |= 1 << UInt64(v) } else { high |= 1 << UInt64(v - 64) }
        }
    }

    func contains(_ v: UInt32) -> Bool {
        v < 64 ? low & (1 << UInt64(v)) != 0 : high & (1 << UInt64(v - 64)) != 0
    }
}

/// Simple case folding for the matcher (a scalar's single-scalar lower-case form).
enum CaseFold {
    static func simple(_ c: Unicode.Scalar) -> Unicode.Scalar {
        if c.value < 0x80 { return (c.value >= 0x41 && c.value <= 0x5A) ? Unicode.Scalar(c.value | 0x20)! : c }
        // the long s is lower-case already but folds to `s`, as in ICU
        if c == "\u{017F}" { return "s" }
        let lower = c.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first! : c
    }

    static func upper(_ c: Unicode.Scalar) -> Unicode.Scalar {
        if c.value < 0x80 { return (c.value >= 0x61 && c.value <= 0x7A) ? Unicode.Scalar(c.value & ~0x20)! : c }
        let upper = c.properties.uppercaseMapping.unicodeScalars
        return upper.count == 1 ? upper.first! : c
    }
}

// MARK: - parsing

private indirect enum PatternNode {
    case scalar(Unicode.Scalar)
    case set(ScalarClass)
    case any
    case textStart, textEnd
    case wordBoundary(Bool)
    case sequence([PatternNode])
    case alternation([PatternNode])
    case group(PatternNode, capture: Int?)
    case repeated(PatternNode, min: Int, max: Int?)

    /// Whether every match must start at the text's start.
    var startsAnchored: Bool {
        switch self {
        case .textStart: return true
        case .sequence(let parts): return parts.first?.startsAnchored ?? false
        case .group(let inner, _): return inner.startsAnchored
        case .alternation(let options): return !options.isEmpty && options.allSatisfy(\.startsAnchored)
        default: return false
        }
    }

    /// Whether the node can match without taking a scalar (repeating such a node could loop).
    var canBeEmpty: Bool {
        switch self {
        case .scalar, .set, .any: return false
        case .textStart, .textEnd, .wordBoundary: return true
        case .sequence(let parts): return parts.allSatisfy(\.canBeEmpty)
        case .alternation(let options): return options.contains(where: \.canBeEmpty)
        case .group(let inner, _): return inner.canBeEmpty
        case .repeated(let inner, let min, _): return min == 0 || inner.canBeEmpty
        }
    }
}

private struct PatternParser {
    let pattern: [Unicode.Scalar]
    let caseInsensitive: Bool
    var at = 0
    var groups = 0

    init(pattern: [Unicode.Scalar], caseInsensitive: Bool) {
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
    }

    mutating func parse() -> PatternNode {
        let node = alternation()
        guard at == pattern.count else { fail("unexpected ')'") }
        return node
    }

    private func fail(_ why: String) -> Never {
        preconditionFailure("TextPattern '\(String(String.UnicodeScalarView(pattern)))': \(why) at \(at)")
    }

    private var next: Unicode.Scalar? { at < pattern.count ? pattern[at] : nil }

    private mutating func alternation() -> PatternNode {
        var options = [sequence()]
        while next == "|" {
            at += 1
            options.append(sequence())
        }
        return options.count == 1 ? options[0] : .alternation(options)
    }

    private mutating func sequence() -> PatternNode {
        var parts: [PatternNode] = []
        while let c = next, c != "|", c != ")" {
            var atom = self.atom()
            while let q = quantifier() {
                if atom.canBeEmpty && q.max == nil { fail("a repeat of something that can be empty") }
                atom = .repeated(atom, min: q.min, max: q.max)
            }
            parts.append(atom)
        }
        return parts.count == 1 ? parts[0] : .sequence(parts)
    }

    private mutating func quantifier() -> (min: Int, max: Int?)? {
        guard let c = next else { return nil }
        var q: (min: Int, max: Int?)
        switch c {
        case "?": q = (0, 1); at += 1
        case "*": q = (0, nil); at += 1
        case "+": q = (1, nil); at += 1
        case "{":
            at += 1
            let low = number() ?? { fail("a repeat count") }()
            var high: Int? = low
            if next == "," { at += 1; high = number() }
            guard next == "}" else { fail("'}'") }
            at += 1
            q = (low, high)
        default: return nil
        }
        if next == "?" || next == "+" { fail("lazy or possessive repeats are not in the dialect") }
        return q
    }

    private mutating func number() -> Int? {
        var value: Int?
        while let c = next, c.value >= 0x30 && c.value <= 0x39 {
            value = (value ?? 0) * 10 + Int(c.value - 0x30)
            at += 1
        }
        return value
    }

    private mutating func atom() -> PatternNode {
        let c = pattern[at]
        at += 1
        switch c {
        case "(":
            var capture: Int?
            if next == "?" {
                guard at + 1 < pattern.count, pattern[at + 1] == ":" else { fail("only (?: ) groups are in the dialect") }
                at += 2
            } else {
                groups += 1
                capture = groups
            }
            let inner = alternation()
            guard next == ")" else { fail("')'") }
            at += 1
            return .group(inner, capture: capture)
        // classes get their ASCII answers here, once, however often a repeat copies them
        case "[": return .set(bracket().sealed())
        case ".": return .any
        case "^": return .textStart
        case "$": return .textEnd
        case "\\":
            let node = escape(inSet: false)
            if case .set(let set) = node { return .set(set.sealed()) }
            return node
        default: return .scalar(c)
        }
    }

    private mutating func escape(inSet: Bool) -> PatternNode {
        guard let c = next else { fail("a trailing backslash") }
        at += 1
        switch c {
        case "d", "D": return .set(ScalarClass(items: [.digit(c == "d")]))
        case "s", "S": return .set(ScalarClass(items: [.space(c == "s")]))
        case "w", "W": return .set(ScalarClass(items: [.word(c == "w")]))
        case "b", "B":
            if inSet { fail("\\b inside a class") }
            return .wordBoundary(c == "b")
        case "t": return .scalar("\t")
        case "n": return .scalar("\n")
        case "r": return .scalar("\r")
        case "f": return .scalar("\u{0C}")
        default:
            if c.properties.isAlphabetic || ScalarClass.isDigit(c) { fail("the escape \\\(c) is not in the dialect") }
            return .scalar(c)
        }
    }

    private mutating func bracket() -> ScalarClass {
        var set = ScalarClass(caseInsensitive: caseInsensitive)
        if next == "^" { set.negated = true; at += 1 }
        var first = true
        while let c = next, c != "]" || first {
            first = false
            at += 1
            var low: Unicode.Scalar
            if c == "\\" {
                switch escape(inSet: true) {
                case .set(let inner): set.items += inner.items; continue
                case .scalar(let s): low = s
                default: fail("an escape in a class")
                }
            } else {
                if c == "[" { fail("nested classes are not in the dialect") }
                low = c
            }
            // a range `a-z`, unless the `-` ends the class
            if next == "-", at + 1 < pattern.count, pattern[at + 1] != "]" {
                at += 1
                var high = pattern[at]
                at += 1
                if high == "\\" {
                    guard case .scalar(let s) = escape(inSet: true) else { fail("a class escape ending a range") }
                    high = s
                }
                set.items.append(.range(low.value, high.value))
            } else {
                set.items.append(.range(low.value, low.value))
            }
        }
        guard next == "]" else { fail("']'") }
        at += 1
        return set
    }
}

// MARK: - compiling

private struct PatternCompiler {
    var program: [Instruction] = []
    var caseInsensitive = false

    mutating func emit(_ i: Instruction) { program.append(i) }

    mutating func compile(_ node: PatternNode) {
        switch node {
        case .scalar(let c): emit(literal(c))
        case .set(let s): emit(.set(s))
        case .any: emit(.any)
        case .textStart: emit(.textStart)
        case .textEnd: emit(.textEnd)
        case .wordBoundary(let b): emit(.wordBoundary(b))
        case .sequence(let parts): for p in parts { compile(p) }
        case .alternation(let options):
            // split L1, next; L1: a; jump end; next: split L2, ... ; last option without a split
            var jumps: [Int] = []
            for (i, option) in options.enumerated() {
                if i < options.count - 1 {
                    let split = program.count
                    emit(.split(split + 1, -1))
                    compile(option)
                    jumps.append(program.count)
                    emit(.jump(-1))
                    program[split] = .split(split + 1, program.count)
                } else {
                    compile(option)
                }
            }
            for j in jumps { program[j] = .jump(program.count) }
        case .group(let inner, let capture):
            if let g = capture { emit(.save(2 * g)) }
            compile(inner)
            if let g = capture { emit(.save(2 * g + 1)) }
        case .repeated(let inner, let min, let max):
            for _ in 0..<min { compile(inner) }
            if let max {
                // (x(x(x)?)?)? : each further copy only after the one before it
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(program.count)
                    emit(.split(program.count + 1, -1))
                    compile(inner)
                }
                for s in splits { program[s] = .split(s + 1, program.count) }
            } else {
                // L: split body, end; body; jump L
                let loop = program.count
                emit(.split(loop + 1, -1))
                compile(inner)
                emit(.jump(loop))
                program[loop] = .split(loop + 1, program.count)
            }
        }
    }

    /// A literal scalar; ignoring case, compared by folding when it has other cases.
    private func literal(_ c: Unicode.Scalar) -> Instruction {
        guard caseInsensitive else { return .scalar(c) }
        if c == "ß" || c == "ẞ" { return .sharpS }
        let folded = CaseFold.simple(c)
        return folded != c || CaseFold.upper(c) != c ? .folded(folded) : .scalar(c)
    }
}

