import Foundation

/// A one-line progress display on stderr for long work, shown only when stderr is a terminal
/// (the contract: never in a cron log or a pipe).
final class TerminalProgress {
    private let enabled: Bool
    private var shown = false

    init(enabled: Bool = isatty(STDERR_FILENO) != 0) {
        self.enabled = enabled
    }

    /// Replaces the line with `step of total: label`.
    func update(_ step: Int, of total: Int, _ label: String) {
        guard enabled else { return }
        shown = true
        let width = 40
        let filled = total > 0 ? min(width, step * width / total) : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(bar)] \(step)/\(total) \(label)".utf8))
    }

    /// Clears the line, so what follows starts clean.
    func finish() {
        guard enabled, shown else { return }
        shown = false
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
