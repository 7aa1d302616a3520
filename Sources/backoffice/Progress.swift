import Foundation
import BackofficeCore
import Logging

/// Whether stderr may show a progress bar: only a terminal a person watches, and only when they
/// did not rule it out with `-q`, `TERM=dumb` (a terminal that cannot erase a line) or `NO_COLOR`
/// (the request for plain output). Never in a cron log or a pipe, as the contract says.
struct ProgressPolicy {
    var stderrIsTerminal: Bool
    var quiet: Bool
    var environment: [String: String]

    var showsProgress: Bool {
        guard stderrIsTerminal, !quiet else { return false }
        if environment["TERM"] == "dumb" { return false }
        // no-color.org: set to any non-empty value
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return true
    }

    /// This process: stderr, `-q` as the command parsed it, the environment.
    static var current: ProgressPolicy {
        ProgressPolicy(stderrIsTerminal: isatty(STDERR_FILENO) != 0, quiet: LogSetup.quiet,
                       environment: ProcessInfo.processInfo.environment)
    }
}

/// A one-line progress display on stderr for long work, shown only when `ProgressPolicy` allows.
/// Safe to call from any thread: inputs are read ahead on a worker thread. Log lines and error
/// sentences clear the line first (`clearLine`, `ProgressClearingLogHandler`), so none of them
/// starts after a frame of the bar; the next step draws it again below them.
final class TerminalProgress: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var shown = false
    private var done = 0
    private var total = 0

    /// The bar on screen, if any; guarded by `activeLock`.
    nonisolated(unsafe) private static var active: TerminalProgress?
    private static let activeLock = NSLock()

    init(enabled: Bool = ProgressPolicy.current.showsProgress) {
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
        Self.activeLock.lock()
        Self.active = self
        Self.activeLock.unlock()
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
        Self.activeLock.lock()
        if Self.active === self { Self.active = nil }
        Self.activeLock.unlock()
        lock.lock(); defer { lock.unlock() }
        erase()
    }

    /// Runs `write` (which writes to stderr) with the bar's line erased, and no frame drawn
    /// until it has written.
    static func writingBelow(_ write: () -> Void) {
        activeLock.lock()
        let bar = active
        activeLock.unlock()
        guard let bar else { return write() }
        bar.lock.lock(); defer { bar.lock.unlock() }
        bar.erase()
        write()
    }

    /// Erases the bar's line, if one is drawn: before an error sentence.
    static func clearLine() {
        writingBelow {}
    }

    /// Call with `lock` held.
    private func erase() {
        guard shown else { return }
        shown = false
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

/// The stderr log handler: the progress line is erased before each log line, and every message's
/// control characters are neutralised (a log line that names a file or quotes a row must not carry
/// an escape sequence to the terminal).
struct StderrLogHandler: LogHandler {
    private var inner: StreamLogHandler

    init(_ inner: StreamLogHandler) {
        self.inner = inner
    }

    func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: TerminalText.neutralised(event.message.description))
        TerminalProgress.writingBelow { inner.log(event: event) }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }
}
