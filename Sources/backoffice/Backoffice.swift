import ArgumentParser
import BackofficeCore
import LiveDatabase
import Reconcile
import Foundation
import Logging

@main
struct Backoffice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backoffice",
        abstract: "The batch side of the chat-ordering service: menu import, reconciliation, reports.",
        discussion: "Exit codes: 0 done; 1 done, something needs a person; 64 usage; 65 bad input data; 66 missing input; 69 service unavailable; 70 internal error; 73 cannot write output; 75 database locked, retry later.\n\nExample: backoffice demo --out /tmp/demo",
        version: BackofficeVersion.version,
        subcommands: [
            Reconcile.self, Nightly.self, Findings.self, Report.self, Menu.self, SamplesCommand.self, Demo.self,
            Runs.self, Venues.self,
        ]
    )
}

/// Flags every command takes: logging goes to stderr, stdout stays for output and --json.
struct GlobalOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Log more detail to stderr.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Log only errors to stderr.")
    var quiet = false

    /// Sets up swift-log once for the process and returns the command's logger.
    func logger(_ label: String = "backoffice") -> Logger {
        LogSetup.quiet = quiet
        LogSetup.bootstrap(level: quiet ? .error : (verbose ? .debug : .info))
        return Logger(label: label)
    }
}

/// `--db PATH`, or BACKOFFICE_DB.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "The live SQLite database (default: $BACKOFFICE_DB).")
    var db: String?

    /// The live database named by `--db`, else `BACKOFFICE_DB`.
    func open() throws(Failure) -> LiveDatabase {
        try LiveDatabase(path: LiveDatabase.resolvePath(db))
    }
}

enum LogSetup {
    nonisolated(unsafe) private static var done = false
    nonisolated(unsafe) static var level: Logger.Level = .info
    /// `-q`: no progress bar either.
    nonisolated(unsafe) static var quiet = false

    static func bootstrap(level: Logger.Level) {
        guard !done else { return }
        done = true
        Self.level = level
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return StderrLogHandler(handler)
        }
    }
}

/// Runs a command body, turning a `Failure` into its sentence on stderr and its exit code.
/// Returns normally only for exit 0; any other status leaves through `ExitCode`.
func runReporting(_ body: () throws -> ExitStatus) throws {
    let status: ExitStatus
    do {
        status = try body()
    } catch let failure as Failure {
        TerminalProgress.clearLine()
        printErr("backoffice: " + failure.message)
        throw ExitCode(failure.status.rawValue)
    } catch let exit as ExitCode {
        throw exit
    } catch let error as CleanExit {
        throw error
    } catch {
        TerminalProgress.clearLine()
        printErr("backoffice: internal error: \(error)")
        throw ExitCode(ExitStatus.software.rawValue)
    }
    if status != .ok { throw ExitCode(status.rawValue) }
}

/// Ends the process with `status` at once, once everything is written and committed, without
/// releasing what the command built: a 1M-order reconcile holds a million provider records, and
/// freeing them one by one took 0.3 s. (stdout and stderr are written unbuffered by `printOut`
/// and FileHandle, so nothing is lost.)
func exitNow(_ status: ExitStatus) -> Never {
    exit(status.rawValue)
}

/// The clock of a run: the system's, or `BACKOFFICE_NOW` (an ISO instant) when set, so a night
/// can be replayed and tests can play several nights in a row.
func runClock() throws(Failure) -> RunClock {
    var clock = RunClock.system()
    if let text = ProcessInfo.processInfo.environment["BACKOFFICE_NOW"], !text.isEmpty {
        guard let now = Timestamp(iso: text) else {
            throw Failure.usage("BACKOFFICE_NOW '\(text)' is not an instant: give one like 2026-11-09T02:00:00Z, or unset it.")
        }
        clock.now = now
    }
    return clock
}

/// Writes text to stdout, control characters neutralised (file names, menu text and provider
/// descriptions come from outside; JSON stays valid, see `TerminalText`).
func printOut(_ text: String) {
    let safe = TerminalText.neutralised(text)
    FileHandle.standardOutput.write(Data((safe.hasSuffix("\n") ? safe : safe + "\n").utf8))
}

/// Writes a line to stderr, control characters neutralised.
func printErr(_ text: String) {
    let safe = TerminalText.neutralised(text)
    FileHandle.standardError.write(Data((safe.hasSuffix("\n") ? safe : safe + "\n").utf8))
}
