import Foundation
import Testing
import TestSupport
@testable import Samples

/// `backoffice samples` run as a user would (TestSupport's BuiltCommand).
@Suite struct SamplesCommandEndToEnd {
    /// This test's folder, removed when the test ends.
    let scratch: TemporaryFolder

    init() throws { scratch = try TemporaryFolder("samples-e2e") }

    /// Where the command is told to write: a path that does not exist yet, as a user would give.
    var out: URL { scratch.file("out") }

    @Test(.enabled(if: BuiltCommand.isBuilt, "build backoffice first"))
    func writesTheFolder() throws {
        let result = try BuiltCommand.run(["samples", "--out", out.path, "--venues", "2", "--days", "3", "--orders-per-day", "10", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("live.db") && result.stdout.contains("Planted discrepancies"))
        let manifest = try JSONDecoder().decode(SampleManifest.self, from: Data(contentsOf: out.appendingPathComponent("manifest.json")))
        #expect(manifest.options.venues == 2 && manifest.options.days == 3)
        for path in [manifest.database] + manifest.files.map(\.path) {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(path).path), "\(path) is missing")
        }
        #expect(manifest.files.count == 5)
        #expect(!manifest.planted.isEmpty)
    }

    @Test(.enabled(if: BuiltCommand.isBuilt, "build backoffice first"))
    func cleanPlantsNothing() throws {
        let result = try BuiltCommand.run(["samples", "--out", out.path, "--venues", "2", "--days", "2", "--orders-per-day", "5", "--clean", "--seed", "9", "--start", "2027-01-15", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try JSONDecoder().decode(SampleManifest.self, from: Data(contentsOf: out.appendingPathComponent("manifest.json")))
        #expect(manifest.planted.isEmpty)
        #expect(manifest.period.from == "2027-01-15T00:00:00Z" && manifest.period.to == "2027-01-17T00:00:00Z")
    }

    @Test(.enabled(if: BuiltCommand.isBuilt, "build backoffice first"),
          arguments: [["--venues", "0"], ["--days", "0"], ["--start", "1 Nov"], ["--start", "2026-11-01T10:00:00Z"], ["--seed", "-1"], ["--bogus"]])
    func badUsageIs64(_ extra: [String]) throws {
        let result = try BuiltCommand.run(["samples", "--out", out.path] + extra)
        #expect(result.status == 64, "\(extra): \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("live.db").path))
    }

    @Test(.enabled(if: BuiltCommand.isBuilt, "build backoffice first"))
    func anUnwritableFolderIs73() throws {
        let file = out
        try Data("x".utf8).write(to: file)
        let result = try BuiltCommand.run(["samples", "--out", file.path, "--quiet"])
        #expect(result.status == 73, "\(result.stderr)")
        #expect(result.stderr.contains("backoffice:"))
    }
}
