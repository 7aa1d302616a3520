/// Masks phone numbers (MSISDNs) for reports.
///
///     PhoneMask.mask("254712345678")                          // "2547****5678"
///     PhoneMask.maskText("Paid by 254712345678 - JANE DOE")   // "Paid by 2547****5678 - JANE DOE"
///
/// Numbers of 12 digits or more keep their first 4 and last 4 digits. Shorter ones (local forms
/// such as `0712345678`) hide at least 4 digits, showing at most 3 at the start and 3 at the end.
public enum PhoneMask {
    /// Masks one number. Non-digit characters (a leading `+`) are kept; fewer than 9 digits are
    /// returned as they are (no phone number is that short).
    public static func mask(_ number: String) -> String {
        let scalars = Array(number.unicodeScalars)
        let digitPositions = scalars.indices.filter { isDigit(scalars[$0]) }
        let n = digitPositions.count
        guard n >= 9 else { return number }
        let head: Int
        let tail: Int
        if n >= 12 {
            head = 4; tail = 4
        } else {
            let visible = n - 4
            tail = min(3, visible / 2)
            head = min(3, visible - tail)
        }
        var out = String.UnicodeScalarView()
        var k = 0
        for s in scalars {
            if isDigit(s) {
                out.append(k < head || k >= n - tail ? s : "*")
                k += 1
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    /// Masks every phone number in free text, in whatever form it was written: digits alone
    /// (`254712345678`), with a leading `+` or `0`, in groups separated by single spaces or
    /// hyphens (`0712 345 678`, `+254 712 345 678`, `0712-345-678`), or glued to a word
    /// (`TEL0712345678`, `0712345678JANE`). A masked number is written without its separators:
    /// `+254 712 345 678` becomes `+2547****5678`.
    ///
    /// A number is 9 to 15 digits. Left alone: ids (digits after `_`, after a hyphen that follows
    /// a letter or digit, or inside a token that mixes letters and digits, such as
    /// `pi_3123456789012` or a UUID), amounts (digits followed by a decimal point or comma and
    /// more digits), dates and times (groups of another separator, a group followed by `:`).
    public static func maskText(_ text: String) -> String {
        // Most cells (ids, names, amounts, times) hold nothing that could be a number: they are
        // returned as they are, without a copy. A million-row matches.csv spent a third of its
        // time here.
        guard mayHoldNumber(text) else { return text }
        let sc = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        var changed = false
        while i < sc.count {
            let plus = sc[i] == "+" && i + 1 < sc.count && isDigit(sc[i + 1])
            guard isDigit(sc[i]) || plus else { out.append(sc[i]); i += 1; continue }
            let digitsStart = plus ? i + 1 : i
            var firstEnd = digitsStart
            while firstEnd < sc.count, isDigit(sc[firstEnd]) { firstEnd += 1 }
            if let end = numberEnd(sc, start: i, digitsStart: digitsStart) {
                var digits = String.UnicodeScalarView()
                if plus { digits.append("+") }
                for k in digitsStart..<end where isDigit(sc[k]) { digits.append(sc[k]) }
                out.append(contentsOf: mask(String(digits)).unicodeScalars)
                changed = true
                i = end
            } else {
                out.append(contentsOf: sc[i..<firstEnd])
                i = firstEnd
            }
        }
        return changed ? String(out) : text
    }

    /// Where the phone number starting at `start` ends, or nil when what starts there is not one.
    private static func numberEnd(_ sc: [Unicode.Scalar], start: Int, digitsStart: Int) -> Int? {
        // the left edge: not inside an id or an amount
        var gluedBefore = false
        if start > 0 {
            let b = sc[start - 1]
            if isDigit(b) || b == "_" || b == "." || b == "," { return nil }
            if b == "-", start > 1, isAlnum(sc[start - 2]) { return nil }
            if isLetter(b) {
                var k = start - 1
                while k >= 0, isLetter(sc[k]) { k -= 1 }
                if k >= 0, isDigit(sc[k]) || sc[k] == "_" || sc[k] == "-" { return nil }   // a token mixing letters and digits
                gluedBefore = true
            }
        }
        // groups of digits joined by one kind of single separator, at most 15 digits
        var groupEnds: [Int] = []
        var counts: [Int] = []
        var separator: Unicode.Scalar?
        var k = digitsStart
        var total = 0
        while true {
            var end = k
            while end < sc.count, isDigit(sc[end]) { end += 1 }
            let n = end - k
            if !groupEnds.isEmpty && n < 2 { break }
            if total + n > 15 { if groupEnds.isEmpty { return nil }; break }
            total += n
            groupEnds.append(end)
            counts.append(total)
            guard end + 1 < sc.count, sc[end] == " " || sc[end] == "-", isDigit(sc[end + 1]) else { break }
            if let separator, separator != sc[end] { break }
            separator = sc[end]
            k = end + 1
        }
        // a last group followed by ':' is an hour
        while let end = groupEnds.last, end < sc.count, sc[end] == ":" {
            groupEnds.removeLast(); counts.removeLast()
            if groupEnds.isEmpty { return nil }
        }
        // the longest run of groups that ends cleanly and holds 9 to 15 digits
        while let end = groupEnds.last {
            let digits = counts.last!
            if (9...15).contains(digits), endsCleanly(sc, end, gluedBefore: gluedBefore, single: groupEnds.count == 1) { return end }
            groupEnds.removeLast(); counts.removeLast()
        }
        return nil
    }

    /// Whether a number may end at `end`: not followed by a decimal part, an id's `_` or `-`,
    /// or letters that make a token mixing letters and digits.
    private static func endsCleanly(_ sc: [Unicode.Scalar], _ end: Int, gluedBefore: Bool, single: Bool) -> Bool {
        guard end < sc.count else { return true }
        let a = sc[end]
        if isDigit(a) || a == "_" { return false }
        if a == "." || a == ",", end + 1 < sc.count, isDigit(sc[end + 1]) { return false }
        if a == "-", end + 1 < sc.count, isAlnum(sc[end + 1]) { return false }
        if isLetter(a) {
            var k = end
            while k < sc.count, isLetter(sc[k]) { k += 1 }
            if k < sc.count, isDigit(sc[k]) || sc[k] == "_" || sc[k] == "-" { return false }
        }
        return true
    }

    /// Whether `text` has nine ASCII digits in one stretch where single spaces and hyphens between
    /// digits do not break it (the shortest number `maskText` masks).
    static func mayHoldNumber(_ text: String) -> Bool {
        var run = 0
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte >= 48 && byte <= 57 {
                run += 1
                if run >= 9 { return true }
            } else if (byte == 32 || byte == 45) && previous >= 48 && previous <= 57 {
                // a separator inside a number: the run goes on if a digit follows
            } else {
                run = 0
            }
            previous = byte
        }
        return false
    }

    private static func isLetter(_ s: Unicode.Scalar) -> Bool { (s.value >= 65 && s.value <= 90) || (s.value >= 97 && s.value <= 122) }

    private static func isAlnum(_ s: Unicode.Scalar) -> Bool { isDigit(s) || isLetter(s) }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }
}
