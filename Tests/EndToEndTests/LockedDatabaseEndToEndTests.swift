import Foundation
import TestSupport
import Testing

@Suite(.serialized) struct LockedDatabaseEndToEnd {
    /// The live service holds the write lock for longer than the busy timeout: the command waits the
    /// 5 s the contract asks for, then exits 75 with a sentence, changing nothing; once the lock is
    /// gone the same command goes through.
    @Test func reconcileWaitsForTheLockThenExits75() throws {
        guard let sqlite = ["/usr/bin/sqlite3", "/bin/sqlite3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            Issue.record("sqlite3 is not installed (scripts/deps --test installs it)")
            return
        }
        let scratch = try TemporaryFolder("locked")
        let dir = scratch.url
        let made = try BuiltCommand.run(["samples", "--out", dir.path, "--quiet"])
        try #require(made.status == 0, "\(made.stderr)")
        let db = dir.appendingPathComponent("live.db").path

        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: sqlite)
        holder.arguments = [db]
        let stdin = Pipe(), stdout = Pipe()
        holder.standardInput = stdin
        holder.standardOutput = stdout
        try holder.run()
        try stdin.fileHandleForWriting.write(contentsOf: Data("BEGIN IMMEDIATE;\nSELECT 'locked';\n".utf8))
        #expect(String(decoding: stdout.fileHandleForReading.availableData, as: UTF8.self).contains("locked"))

        let started = Date()
        let locked = try BuiltCommand.run(["reconcile", dir.appendingPathComponent("exports").path, "--db", db, "--quiet"])
        let waited = Date().timeIntervalSince(started)
        try stdin.fileHandleForWriting.write(contentsOf: Data("ROLLBACK;\n.quit\n".utf8))
        try stdin.fileHandleForWriting.close()
        holder.waitUntilExit()

        #expect(locked.status == 75, "\(locked.stderr)")
        #expect(locked.stderr.contains("locked"))
        #expect(locked.stderr.split(separator: "\n").count == 1, "one sentence, no stack trace: \(locked.stderr)")
        #expect(waited >= 5)

        let free = try BuiltCommand.run(["reconcile", dir.appendingPathComponent("exports").path, "--db", db, "--quiet"])
        #expect(free.status == 1, "\(free.stderr)")   // the planted findings
    }
}
