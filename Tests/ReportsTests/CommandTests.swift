import Foundation
import Testing
import TestSupport

/// `backoffice report` end to end, through the built binary.
struct ReportCommandTests {
    /// This test's folder (a suite is made afresh for every test), removed when the test ends.
    let scratch: TemporaryFolder

    init() throws { scratch = try TemporaryFolder("reports-test") }


    @Test(.enabled(if: BuiltCommand.isBuilt, "the backoffice binary is not built (swift build, or BACKOFFICE_BIN)"))
    func writesAndPrintsThePaths() throws {
        let db = try RunFixture().make(in: scratch)
        let out = scratch.file("out")
        let result = try BuiltCommand.run(["report", "--db", db.path, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 8)   // seven CSV files and the page
        #expect(lines.last == out.appendingPathComponent("run-20261108-0200/report.html").path)
        for line in lines { #expect(FileManager.default.fileExists(atPath: line)) }
    }

    @Test(.enabled(if: BuiltCommand.isBuilt, "the backoffice binary is not built"))
    func exitCodes() throws {
        let db = try RunFixture().make(in: scratch)
        let missing = try BuiltCommand.run(["report", "--db", db.path, "--run", "nope", "--out", scratch.file("o").path])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("'nope'") && missing.stderr.contains("run-20261108-0200"))

        let blocker = scratch.file("file")
        try Data("x".utf8).write(to: blocker)
        let unwritable = try BuiltCommand.run(["report", "--db", db.path, "--out", blocker.appendingPathComponent("sub").path])
        #expect(unwritable.status == 73)
        #expect(unwritable.stderr.hasPrefix("backoffice: cannot write"))

        let both = try BuiltCommand.run(["report", "--db", db.path, "--run", "x", "--latest"])
        #expect(both.status == 64)

        let empty = scratch.file("empty.db")
        _ = try GRDBHelper.create(empty.path)
        let none = try BuiltCommand.run(["report", "--db", empty.path, "--out", scratch.file("o2").path])
        #expect(none.status == 66)
        #expect(none.stderr.contains("run backoffice reconcile first"))
    }
}
