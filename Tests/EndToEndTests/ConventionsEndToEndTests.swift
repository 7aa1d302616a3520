import BackofficeCore
import Foundation
import TestSupport
import Testing

/// What a person expects of a command-line tool: a version, suggestions for misspellings, help
/// with defaults stated once and an example.
@Suite(.enabled(if: BuiltCommand.isBuilt)) struct ConventionsEndToEnd {
    /// The commit of the checkout the tests run in, as `--version` should name it.
    static func checkoutCommit() throws -> String? {
        let root = BuiltCommand.packageRoot.path
        guard FileManager.default.fileExists(atPath: root + "/.git") else { return nil }
        let git = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["git", "-C", root, "rev-parse", "--short", "HEAD"])
        return git.status == 0 ? git.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    @Test(arguments: [["--version"], ["runs", "--version"], ["menu", "imports", "--version"]])
    func versionIsThePackagesWithTheCommit(_ arguments: [String]) throws {
        let result = try BuiltCommand.run(arguments)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let expected = try Self.checkoutCommit().map { "backoffice \(BackofficeVersion.version) (commit \($0))" }
            ?? "backoffice \(BackofficeVersion.version)"
        #expect(result.stdout == expected + "\n")
    }

    @Test(arguments: [
        (["recon", "exports/"], "unknown command 'recon'. Did you mean 'reconcile'?"),
        (["nigthly", "--inbox", "x"], "unknown command 'nigthly'. Did you mean 'nightly'?"),
        (["menu", "imprt", "menu.pdf"], "unknown command 'menu imprt'. Did you mean 'menu import'?"),
        (["imports"], "unknown command 'imports'. Did you mean 'menu imports'?"),
        (["venu"], "unknown command 'venu'. Did you mean 'venues'?"),
    ])
    func misspeltCommandSuggestsTheNearest(_ arguments: [String], _ sentence: String) throws {
        let result = try BuiltCommand.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr == "backoffice: \(sentence)\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func unknownCommandFarFromAnyListsThem() throws {
        let result = try BuiltCommand.run(["frobnicate"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("backoffice: unknown command 'frobnicate'. The commands are: reconcile, nightly, findings, report, menu,"))
    }

    @Test func misspeltFlagSuggestsTheNearest() throws {
        let result = try BuiltCommand.run(["runs", "--jsn"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("Unknown option '--jsn'. Did you mean '--json'?"))
    }

    @Test func helpStillWorks() throws {
        #expect(try BuiltCommand.run(["help", "runs"]).stdout.contains("USAGE: backoffice runs"))
        #expect(try BuiltCommand.run(["menu", "--help"]).status == 0)
    }

    static let commands: [[String]] = [
        [], ["reconcile"], ["nightly"], ["report"], ["menu"], ["menu", "extract"], ["menu", "import"], ["menu", "review"],
        ["menu", "apply"], ["menu", "publish"], ["menu", "imports"], ["samples"], ["demo"], ["runs"], ["venues"],
        ["findings"], ["findings", "list"], ["findings", "resolve"], ["findings", "reopen"],
    ]

    /// Each option's help names its default at most once, and each command's help has one example.
    @Test(arguments: commands)
    func helpStatesDefaultsOnceAndGivesAnExample(_ command: [String]) throws {
        let result = try BuiltCommand.run(command + ["--help"])
        #expect(result.status == 0)
        let help = result.stdout
        let examples = help.components(separatedBy: "Example: backoffice ").count - 1
        #expect(examples == 1, "\(command): \(examples) examples")
        if let example = help.components(separatedBy: "Example: backoffice ").last, !command.isEmpty {
            #expect(example.hasPrefix(command.joined(separator: " ") + " "), "\(command): the example runs another command")
        }
        // one block per option: its line and the wrapped lines under it
        var blocks: [String] = []
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  -") || line.hasPrefix("  <") { blocks.append(String(line)) }
            else if line.hasPrefix("      "), !blocks.isEmpty { blocks[blocks.count - 1] += " " + line.trimmingCharacters(in: .whitespaces) }
        }
        #expect(!blocks.isEmpty)
        for block in blocks {
            let defaults = block.lowercased().components(separatedBy: "default").count - 1
            #expect(defaults <= 1, "\(command): \(block)")
        }
    }
}
