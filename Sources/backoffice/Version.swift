import BackofficeCore
import Foundation

/// What `backoffice --version` prints: the package's version (`BackofficeVersion`), and the
/// commit of the checkout this binary was built in, when that checkout is still where it was built.
enum BuildInfo {
    /// The package folder this file was compiled in (`Sources/backoffice/Version.swift` is two below it).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `backoffice 0.1.0 (commit abc1234)`, or `backoffice 0.1.0` away from the checkout.
    static func versionLine() -> String {
        let version = "backoffice \(BackofficeVersion.version)"
        guard let commit = checkoutCommit() else { return version }
        return "\(version) (commit \(commit))"
    }

    /// `git rev-parse --short HEAD` in the package folder, when it still holds this package's
    /// checkout and git is installed; nil otherwise (an installed binary, a source archive).
    static func checkoutCommit() -> String? {
        let fm = FileManager.default
        let root = packageRoot.path
        guard fm.fileExists(atPath: (root as NSString).appendingPathComponent("Package.swift")),
              fm.fileExists(atPath: (root as NSString).appendingPathComponent(".git")) else { return nil }
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", root, "rev-parse", "--short", "HEAD"]
        let output = Pipe()
        git.standardOutput = output
        git.standardError = FileHandle.nullDevice
        git.standardInput = FileHandle.nullDevice
        do { try git.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        git.waitUntilExit()
        let commit = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard git.terminationStatus == 0, commit.count >= 7, commit.allSatisfy(\.isHexDigit) else { return nil }
        return commit
    }
}
