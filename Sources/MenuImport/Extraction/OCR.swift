import BackofficeCore
import Foundation

/// One word Tesseract read, in PDF points with the origin at the page's top-left.
public struct OCRWord: Sendable, Equatable {
    public var text: String
    public var x0, y0, x1, y1: Double
    /// 0...100, as Tesseract reports it.
    public var confidence: Double
    /// Tesseract's block, paragraph and line numbers: words with the same key are one line.
    public var line: [Int]
}

/// Reads scanned pages with the `tesseract` command (Debian's tesseract-ocr): the page is drawn
/// at 300 dpi through poppler and cairo, and the command's TSV output gives every word with its
/// box and confidence.
///
///     let ocr = TesseractOCR(languages: "eng+deu")
///     let words = try ocr.words(png: png, dpi: 300, page: 2, file: "menu.pdf")
public struct TesseractOCR: Sendable {
    /// Tesseract's language codes joined by `+` (`eng`, `spa+eng`); each needs its
    /// tesseract-ocr-LANG package.
    public var languages: String
    /// The command; nil: `tesseract` on the PATH, looked up only when a scan is read (most menus
    /// have a text layer, and the look-up is a file-system probe per PATH folder).
    public var command: String?
    /// The most one page may take before the command is stopped.
    public var timeout: TimeInterval

    public init(languages: String = "eng", executable: String? = nil, timeout: TimeInterval = 180) {
        self.languages = languages
        self.command = executable
        self.timeout = timeout
    }

    /// The command that runs: the one given, else `tesseract` on the PATH.
    public var executable: String { command ?? Self.find() ?? "tesseract" }

    /// `tesseract` on the PATH, or nil.
    public static func find() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/tesseract" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The words of one page image; `dpi` turns pixels back into points.
    public func words(png: [UInt8], dpi: Double, page: Int, file: String) throws(Failure) -> [OCRWord] {
        let executable = self.executable
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw Failure.unavailable("\(file): page \(page) is a scan and reading it needs Tesseract; install tesseract-ocr (scripts/deps does).")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backoffice-ocr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = folder.appendingPathComponent("page.png")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(png).write(to: image)
        } catch {
            throw Failure(.cantCreate, "cannot write a scratch image for OCR in \(folder.path): \(error.localizedDescription)")
        }
        let output = try run([image.path, "stdout", "-l", languages, "--dpi", String(Int(dpi)), "tsv"], executable: executable, page: page, file: file)
        return Self.parseTSV(output, scale: 72 / dpi)
    }

    private func run(_ arguments: [String], executable: String, page: Int, file: String) throws(Failure) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw Failure.unavailable("\(file): page \(page): cannot start \(executable): \(error.localizedDescription)")
        }
        // read both pipes while the command runs, so a full pipe never stalls it
        let collected = OutputBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { collected.stdout = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { collected.stderr = err.fileHandleForReading.readDataToEndOfFile() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            group.wait()
            process.waitUntilExit()
            throw Failure.unavailable("\(file): reading page \(page) by OCR took longer than \(Int(timeout)) s; it was stopped.")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let said = String(decoding: collected.stderr, as: UTF8.self)
            let message = said.split(separator: "\n").last.map(String.init) ?? ""
            let hint = said.contains("Failed loading language")
                ? " Install the language data (tesseract-ocr-LANG) or choose others with --ocr-lang." : ""
            throw Failure.unavailable("\(file): OCR of page \(page) failed (\(message)).\(hint)")
        }
        return String(decoding: collected.stdout, as: UTF8.self)
    }

    /// Word rows (level 5) of Tesseract's TSV, boxes scaled from pixels to points. Rows without
    /// text or with a negative confidence are not words.
    static func parseTSV(_ tsv: String, scale: Double) -> [OCRWord] {
        var words: [OCRWord] = []
        for row in tsv.split(separator: "\n").dropFirst() {
            let f = row.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count >= 12, f[0] == "5",
                  let block = Int(f[2]), let par = Int(f[3]), let line = Int(f[4]),
                  let left = Double(f[6]), let top = Double(f[7]), let width = Double(f[8]), let height = Double(f[9]),
                  let confidence = Double(f[10]), confidence >= 0 else { continue }
            let text = f[11...].joined(separator: "\t").trimmed
            guard !text.isEmpty else { continue }
            words.append(OCRWord(text: text, x0: left * scale, y0: top * scale, x1: (left + width) * scale, y1: (top + height) * scale,
                                 confidence: confidence, line: [block, par, line]))
        }
        return words
    }
}

private final class OutputBox: @unchecked Sendable {
    var stdout = Data()
    var stderr = Data()
}
