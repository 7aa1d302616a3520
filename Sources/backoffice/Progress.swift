import Foundation
import BackofficeCore

/// A one-line progress display on stderr for long work, shown only when stderr is a terminal
/// (the contract: never in a cron log or a pipe). Safe to call from any thread: inputs are read
/// ahead on a worker thread.
final class TerminalProgress: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var shown = false
    private var done = 0
    private var total = 0

    init(enabled: Bool = isatty(STDERR_FILENO) != 0) {
        self.enabled = enabled
    }

    /// Sets how many steps the work has.
    func start(total: Int) {
        lock.lock(); defer { lock.unlock() }
        self.total = total
        done = 0
    }

    /// One more step done: replaces the line with `[####....] step/total label`.
    func advance(_ label: String) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        done += 1
        shown = true
        let width = 40
        let filled = total > 0 ? min(width, done * width / total) : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(bar)] \(done)/\(total) \(TerminalText.neutralised(label))".utf8))
    }

    /// Clears the line, so what follows starts clean.
    func finish() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        guard shown else { return }
        shown = false
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
