import Foundation

/// A folder of its own under the temporary directory, `<tmp>/<prefix>-<UUID>`, made when it is
/// created and removed with everything in it when the last reference to it goes.
///
///     @Suite struct NightlyTests {
///         let scratch: TemporaryFolder
///         init() throws { scratch = try TemporaryFolder("inbox") }
///         // every test gets a fresh suite, so a fresh folder, removed when the test ends
///     }
///
/// A fixture that hands out paths inside it holds the folder, so the folder lives as long as the
/// fixture. Single files (a database, a blob) and paths that must not exist go inside one too
/// (`file(_:)`), never loose in the temporary directory: a test run leaves nothing behind.
public final class TemporaryFolder: Sendable {
    /// The folder; it exists until this object goes away.
    public let url: URL

    /// `url.path`.
    public var path: String { url.path }

    /// Makes `<tmp>/<prefix>-<UUID>`; throws `TemporaryFolderError` when it cannot.
    public init(_ prefix: String = "test") throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        } catch {
            throw TemporaryFolderError(path: url.path, reason: error.localizedDescription)
        }
        self.url = url
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// `name` (which may hold sub-folders) inside the folder; nothing is created.
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}

/// The temporary directory would not take a test's folder (full, read-only, missing).
public struct TemporaryFolderError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "cannot create the test's temporary folder \(path): \(reason)" }
}
