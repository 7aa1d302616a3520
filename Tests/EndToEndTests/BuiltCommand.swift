import Foundation

/// Runs the built `backoffice` binary as a user would, capturing its output and exit status.
/// The binary is `$BACKOFFICE_BIN` (set by scripts/test), else `.build/debug/backoffice`.
struct BuiltCommand {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["BACKOFFICE_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.appendingPathComponent(".build/debug/backoffice")
    }

    /// The shared real-data folder beside the repository, when it is there.
    static var realData: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/realdata")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "BACKOFFICE_DB")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        // outputs go to files, so a large output can never block the process on a full pipe
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)")
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outFile)
            try? FileManager.default.removeItem(at: errFile)
        }
        let out = try FileHandle(forWritingTo: outFile), err = try FileHandle(forWritingTo: errFile)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: outFile), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errFile), as: UTF8.self))
    }

    /// A new empty folder under the temporary directory.
    static func scratch(_ name: String = "e2e") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
