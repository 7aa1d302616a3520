/// Text from outside (menu names, descriptions) made inert for a terminal.
///
///     TerminalText.inert("Soup\u{1B}[2J")   // "Soup?[2J"
///
/// Control characters (C0 but newline and tab, DEL, C1, and the bidirectional overrides that can
/// make a line read backwards) become `?`, so no escape sequence reaches the terminal.
public enum TerminalText {
    public static func inert(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars { out.append(isControl(s) ? "?" : s) }
        return String(out)
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0A, 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
