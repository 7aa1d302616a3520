import Foundation

/// What a program run by a test did.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs `executable` with `arguments` and returns its exit status and outputs; the one way every
/// test target runs a program (the built `backoffice`, sqlite3, Chromium).
///
/// Outputs go to files, so a large output on either stream can never block the program on a full
/// pipe; `stdin` is written to it when given, else it reads nothing. The program is killed after
/// `limit` seconds. `environment` is the whole environment when given, else the test's own.
@discardableResult
public func runProcess(_ executable: URL, _ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil,
                       in directory: URL? = nil, limit: TimeInterval = 300) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let directory { process.currentDirectoryURL = directory }
    // The captured outputs live in a folder of their own, removed on every way out of this function.
    let captured = try TemporaryFolder("run")
    defer { withExtendedLifetime(captured) {} }
    let outFile = captured.file("stdout"), errFile = captured.file("stderr")
    FileManager.default.createFile(atPath: outFile.path, contents: nil)
    FileManager.default.createFile(atPath: errFile.path, contents: nil)
    let out = try FileHandle(forWritingTo: outFile), err = try FileHandle(forWritingTo: errFile)
    process.standardOutput = out
    process.standardError = err
    let input = stdin.map { _ in Pipe() }
    process.standardInput = input ?? FileHandle.nullDevice
    try process.run()
    let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: watchdog)
    if let input, let stdin {
        try? input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))
        try? input.fileHandleForWriting.close()
    }
    process.waitUntilExit()
    watchdog.cancel()
    try out.close()
    try err.close()
    return ProcessResult(status: process.terminationStatus,
                         stdout: String(decoding: try Data(contentsOf: outFile), as: UTF8.self),
                         stderr: String(decoding: try Data(contentsOf: errFile), as: UTF8.self))
}

/// The built `backoffice`, run as a user would: `$BACKOFFICE_BIN` (set by scripts/test), else
/// `.build/debug/backoffice`.
public enum BuiltCommand {
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    public static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["BACKOFFICE_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.appendingPathComponent(".build/debug/backoffice")
    }

    public static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }

    /// The shared real-data folder beside the repository, when it is there.
    public static var realData: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/realdata")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Runs `backoffice arguments`. The test's environment is passed on without its database and
    /// LLM settings (a developer's own must not leak in), plus `environment`.
    @discardableResult
    public static func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil) throws -> ProcessResult {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key == "BACKOFFICE_DB" || key.hasPrefix("BACKOFFICE_LLM") || key.hasSuffix("_API_KEY") {
            env[key] = nil
        }
        for (k, v) in environment { env[k] = v }
        return try runProcess(binary, arguments, environment: env, in: directory)
    }
}
