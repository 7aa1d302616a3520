import BackofficeCore
import Foundation
import TestSupport
@testable import Reconcile

/// Fixture files for the input readers, written into a test's TemporaryFolder.
extension TemporaryFolder {
    /// Writes `text` (UTF-8) to `name` (sub-folders created) and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let file = path + "/" + name
        let folder = (file as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
        return file
    }
}

/// The failure `body` throws, or nil when it succeeds.
func inputsFailure<T>(_ body: () throws(Failure) -> T) -> Failure? {
    do { _ = try body(); return nil } catch { return error }
}

/// Reads `text` as a file named `name` in a fresh folder, removed on return.
func inputsRead(_ text: String, name: String = "input.csv") throws(Failure) -> ParsedInput {
    let folder: TemporaryFolder
    do { folder = try TemporaryFolder("inputs") } catch { throw Failure.software("\(error)") }
    return try InputReader.read(path: folder.write(name, text))
}

/// The real files from the field (`<package root>/../shared/realdata`), when present.
enum InputsRealData {
    static let root: String = {
        let here = URL(fileURLWithPath: #filePath)
        let package = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return package.deletingLastPathComponent().appendingPathComponent("shared/realdata").path
    }()

    static var available: Bool { FileManager.default.fileExists(atPath: root) }

    static func path(_ relative: String) -> String { root + "/" + relative }

    static func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }
}

func utc(_ text: String) -> Timestamp { Timestamp(iso: text)! }
