/// Text made safe to print on a terminal.
///
///     TerminalText.neutralised("menu\u{1B}]0;pwned\u{07}.csv")   // #"menu\u001B]0;pwned\u0007.csv"#
///
/// File names, menu text and provider descriptions come from outside. Printed raw, an escape
/// sequence in them can retitle the window, move the cursor, hide text or write to the
/// clipboard. Every control character except newline and tab (C0, DEL, C1) and the bidirectional
/// overrides that reorder what is shown become a visible `\uXXXX` escape. That is JSON's own
/// escape, so JSON output passed through here stays valid and means the same (JSON allows no raw
/// control character outside a string).
public enum TerminalText {
    /// `text` with every control character written out as a visible escape.
    public static func neutralised(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            guard isUnsafe(s) else { out.append(s); continue }
            let hex = String(s.value, radix: 16, uppercase: true)
            let escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            out.append(contentsOf: escape.unicodeScalars)
        }
        return String(out)
    }

    /// Whether a scalar must not reach a terminal as it is.
    public static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0A, 0x09: return false                    // newline, tab
        case 0x00...0x1F, 0x7F...0x9F: return true       // C0, DEL, C1 (CSI is U+009B)
        case 0x202A...0x202E, 0x2066...0x2069: return true   // bidi embeddings, overrides, isolates
        default: return false
        }
    }
}
