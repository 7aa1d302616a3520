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

    /// Masks every run of 9 to 15 digits in free text that looks like a phone number: one not
    /// glued to letters, other digits, `_`, `-` (ids such as UUIDs) or a decimal point followed
    /// by digits (amounts).
    public static func maskText(_ text: String) -> String {
        // Most cells (ids, names, amounts, times) hold no run of nine digits: they are returned as
        // they are, without a copy. A million-row matches.csv spent a third of its time here.
        guard hasNineDigitRun(text) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        var changed = false
        while i < scalars.count {
            guard isDigit(scalars[i]) else { out.append(scalars[i]); i += 1; continue }
            var j = i
            while j < scalars.count, isDigit(scalars[j]) { j += 1 }
            let run = j - i
            let before = i > 0 ? scalars[i - 1] : nil
            let after = j < scalars.count ? scalars[j] : nil
            let afterNext = j + 1 < scalars.count ? scalars[j + 1] : nil
            var phone = (9...15).contains(run)
            if let b = before, isWordish(b) || b == "." || b == "," { phone = false }
            if let a = after, isWordish(a) { phone = false }
            if let a = after, a == "." || a == ",", let n = afterNext, isDigit(n) { phone = false }
            if phone {
                out.append(contentsOf: mask(String(String.UnicodeScalarView(scalars[i..<j]))).unicodeScalars)
                changed = true
            } else {
                out.append(contentsOf: scalars[i..<j])
            }
            i = j
        }
        return changed ? String(out) : text
    }

    /// Whether `text` has nine ASCII digits in a row (the shortest number `maskText` masks).
    static func hasNineDigitRun(_ text: String) -> Bool {
        var run = 0
        for byte in text.utf8 {
            if byte >= 48 && byte <= 57 {
                run += 1
                if run >= 9 { return true }
            } else {
                run = 0
            }
        }
        return false
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }

    private static func isWordish(_ s: Unicode.Scalar) -> Bool {
        isDigit(s) || (s.value >= 65 && s.value <= 90) || (s.value >= 97 && s.value <= 122) || s == "_" || s == "-"
    }
}
