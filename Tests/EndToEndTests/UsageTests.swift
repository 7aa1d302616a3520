import Foundation
import TestSupport
import Testing

@Suite struct UsageEndToEnd {
    @Test func helpListsEveryCommandAndExitsZero() throws {
        let result = try BuiltCommand.run(["--help"])
        #expect(result.status == 0)
        for command in ["reconcile", "nightly", "findings", "report", "menu", "samples", "demo"] {
            #expect(result.stdout.contains(command))
        }
    }

    @Test func unknownFlagIs64() throws {
        let result = try BuiltCommand.run(["report", "--bogus"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--bogus"))
    }

    @Test func missingDatabaseIs66WithASentence() throws {
        let result = try BuiltCommand.run(["report", "--db", "/nonexistent/live.db"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("/nonexistent/live.db"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func notADatabaseIs65() throws {
        let scratch = try TemporaryFolder("e2e")
        let dir = scratch.url
        let file = dir.appendingPathComponent("live.db")
        try Data("this is not sqlite".utf8).write(to: file)
        let result = try BuiltCommand.run(["report", "--db", file.path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("not a SQLite database"))
    }

    @Test func noDatabaseGivenIs64() throws {
        let result = try BuiltCommand.run(["report"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("BACKOFFICE_DB"))
    }
}

@Suite struct ProgressEndToEnd {
    /// The progress line is for terminals: a cron log or a pipe gets none of its control characters.
    @Test func noProgressLineWhenStderrIsNotATerminal() throws {
        let scratch = try TemporaryFolder("progress")
        let dir = scratch.url
        let made = try BuiltCommand.run(["samples", "--out", dir.path, "--quiet"])
        try #require(made.status == 0, "\(made.stderr)")
        let run = try BuiltCommand.run(["reconcile", dir.appendingPathComponent("exports").path,
                                        "--db", dir.appendingPathComponent("live.db").path])
        #expect(run.status == 1)
        #expect(!run.stderr.contains("\u{1B}[K"))
        #expect(!run.stderr.contains("\r"))
    }
}
