import BackofficeCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered file writer for exports of hundreds of MB: bytes collect in a buffer and go to the
/// file in large blocks, so a file is never built as one string.
///
///     let out = try ByteWriter(url: folder.appendingPathComponent("a.csv"), displayPath: "a.csv")
///     out.csvField("id"); out.csvField("Amount"); out.endLine()
///     try out.close()
final class ByteWriter {
    let displayPath: String
    private var file: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt8] = []
    private var failed: String?
    private var fieldsInLine = 0
    /// CSV delimiter used by `csvField`.
    var delimiter: UInt8 = UInt8(ascii: ",")
    /// Line end written by `endLine`.
    var lineEnd: [UInt8] = [0x0A]
    private static let capacity = 1 << 20

    init(url: URL, displayPath: String) throws(Failure) {
        self.displayPath = displayPath
        guard let handle = fopen(url.path, "wb") else {
            throw Failure.cantCreate(path: url.path, reason: String(cString: strerror(errno)))
        }
        file = handle
        buffer.reserveCapacity(Self.capacity + 4096)
    }

    deinit {
        if let file { fclose(file) }
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.capacity { flush() }
    }

    func write(bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.capacity { flush() }
    }

    /// Appends one CSV field, quoted (RFC 4180) when it holds the delimiter, a quote or a line end.
    func csvField(_ value: String) {
        if fieldsInLine > 0 { buffer.append(delimiter) }
        fieldsInLine += 1
        var needsQuotes = false
        for b in value.utf8 where b == delimiter || b == 0x22 || b == 0x0A || b == 0x0D {
            needsQuotes = true
            break
        }
        if needsQuotes {
            buffer.append(0x22)
            for b in value.utf8 {
                if b == 0x22 { buffer.append(0x22) }
                buffer.append(b)
            }
            buffer.append(0x22)
        } else {
            buffer.append(contentsOf: value.utf8)
        }
    }

    /// Appends several CSV fields.
    func csvFields(_ values: [String]) {
        for v in values { csvField(v) }
    }

    /// Ends the current line (CSV row or text line).
    func endLine() {
        buffer.append(contentsOf: lineEnd)
        fieldsInLine = 0
        if buffer.count >= Self.capacity { flush() }
    }

    private func flush() {
        guard let file, !buffer.isEmpty, failed == nil else { buffer.removeAll(keepingCapacity: true); return }
        let written = buffer.withUnsafeBytes { raw in fwrite(raw.baseAddress, 1, raw.count, file) }
        if written != buffer.count { failed = String(cString: strerror(errno)) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file; reports any write error then.
    func close() throws(Failure) {
        flush()
        if let file {
            if fclose(file) != 0, failed == nil { failed = String(cString: strerror(errno)) }
            self.file = nil
        }
        if let failed { throw Failure.cantCreate(path: displayPath, reason: failed) }
    }
}
