import Foundation
import TestSupport
import Testing

/// The progress bar is for a person at a terminal: drawn through a pseudo-terminal (util-linux
/// `script`), never through a pipe, never with -q, TERM=dumb or NO_COLOR; and no log line ever
/// starts after one of its frames.
@Suite(.enabled(if: BuiltCommand.isBuilt)) struct TerminalProgressEndToEnd {
    static let script = ["/usr/bin/script", "/bin/script"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// What erases the bar's line; every frame starts with it.
    static let erase = "\r\u{1B}[K"

    /// A sample database and exports: several files, so several frames.
    struct Samples {
        let folder: TemporaryFolder
        var db: String { folder.file("live.db").path }
        var exports: String { folder.file("exports").path }

        init() throws {
            folder = try TemporaryFolder("progress-pty")
            let made = try BuiltCommand.run(["samples", "--out", folder.path, "--quiet", "--venues", "2", "--days", "2", "--orders-per-day", "5"])
            try #require(made.status == 0, "\(made.stderr)")
        }

        /// `backoffice arguments` with stdin, stdout and stderr on a pseudo-terminal; returns what the
        /// terminal received and the command's exit status.
        func onTerminal(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
            let command = ([BuiltCommand.binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
                .joined(separator: " ")
            var env = ProcessInfo.processInfo.environment
            env["TERM"] = "xterm"
            env["NO_COLOR"] = nil
            env["SHELL"] = "/bin/sh"
            for (key, value) in environment { env[key] = value }
            return try runProcess(URL(fileURLWithPath: try #require(TerminalProgressEndToEnd.script)),
                                  ["--quiet", "--return", "--command", command, "/dev/null"], environment: env)
        }
    }

    @Test(.enabled(if: script != nil)) func barOnATerminalAndEveryLogLineStartsClean() throws {
        let s = try Samples()
        let result = try s.onTerminal(["reconcile", s.exports, "--db", s.db])
        #expect(result.status == 1, "\(result.stdout)")   // the samples plant exceptions
        let screen = result.stdout
        #expect(screen.contains(Self.erase + "[#"), "no frame drawn: \(screen.debugDescription)")
        // every log line (`2026-12-07T23:09:47+0000 info reconcile: …`) begins a line or follows an erase
        let logLine = #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} (trace|debug|info|notice|warning|error|critical) /#
        var logLines = 0
        for match in screen.matches(of: logLine) {
            logLines += 1
            let before = screen[..<match.range.lowerBound]
            // (the terminal turns "\n" into "\r\n", one Character: compare bytes)
            #expect(before.isEmpty || before.utf8.last == UInt8(ascii: "\n") || before.hasSuffix(Self.erase),
                    "a log line runs on from a frame: \(String(before.suffix(60)).debugDescription)")
        }
        #expect(logLines > 0)
        // the bar is gone before the result is printed
        let summary = try #require(screen.range(of: "Reconciled "))
        #expect(!screen[summary.lowerBound...].contains("[#"))
    }

    @Test(.enabled(if: script != nil), arguments: [
        (["-q"], [String: String]()),
        ([], ["TERM": "dumb"]),
        ([], ["NO_COLOR": "1"]),
    ])
    func noBarWhenRuledOut(_ flags: [String], _ environment: [String: String]) throws {
        let s = try Samples()
        let result = try s.onTerminal(["reconcile", s.exports, "--db", s.db] + flags, environment: environment)
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stdout.contains("Reconciled "))
        #expect(!result.stdout.contains("\u{1B}"), "\(result.stdout.debugDescription)")
        #expect(!result.stdout.contains("[#"))
    }

    /// stderr a pipe, as under cron or `2>&1 | tee`: no frame, with or without -q.
    @Test(arguments: [[], ["-q"]])
    func noBarThroughAPipe(_ flags: [String]) throws {
        let s = try Samples()
        let process = Process()
        process.executableURL = BuiltCommand.binary
        process.arguments = ["reconcile", s.exports, "--db", s.db] + flags
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(!stderr.contains("\u{1B}"))
        #expect(!stderr.contains("\r"))
        #expect(flags.isEmpty ? stderr.contains(" info reconcile:") : stderr.isEmpty, "\(stderr)")
    }
}
