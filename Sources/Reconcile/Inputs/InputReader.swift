import BackofficeCore
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the provider files `reconcile` is given, whatever their names: recognises each file's
/// kind from its content and turns every row into `ProviderRecord`s.
///
///     for path in try InputReader.expand(arguments) {
///         let input = try InputReader.read(path: path)
///         print(input.kind, input.rows, input.sha256)
///     }
///
/// A malformed row fails the whole file (65, naming file, line, column and reason): a reader never
/// skips a row or reads a bad amount as zero.
public enum InputReader {
    /// Expands files and folders (recursively; sorted by path; skipping hidden files and any folder
    /// named `processed`) into files.
    ///
    /// A file named explicitly is kept even when hidden. The result is sorted by path with
    /// duplicates removed. 66 when an input does not exist or cannot be read. Inside a folder only
    /// regular files and real folders are taken: a symbolic link, FIFO, device or socket there is
    /// refused (65) and never followed or opened. A file named explicitly must be a regular file
    /// too (a folder named explicitly may be reached through a link: the person chose it).
    public static func expand(_ inputs: [String]) throws(Failure) -> [String] {
        var files: [String] = []
        let fm = FileManager.default
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: input, isDirectory: &isDirectory) || SafeFile.kind(atPath: input) == .symlink else {
                throw Failure.noInput(path: TerminalText.neutralised(input))
            }
            if isDirectory.boolValue {
                try collect(folder: input, into: &files)
            } else {
                let kind = SafeFile.kind(atPath: input)
                guard kind == .regular else { throw SafeFile.notRegular(input, kind) }
                guard fm.isReadableFile(atPath: input) else { throw Failure.noInput(path: TerminalText.neutralised(input), reason: "cannot be read (permission denied)") }
                files.append(input)
            }
        }
        var seen = Set<String>()
        return files.sorted().filter { seen.insert($0).inserted }
    }

    private static func collect(folder: String, into files: inout [String]) throws(Failure) {
        let fm = FileManager.default
        guard fm.isReadableFile(atPath: folder), let names = try? fm.contentsOfDirectory(atPath: folder) else {
            throw Failure.noInput(path: TerminalText.neutralised(folder), reason: "is a folder that cannot be read")
        }
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            // lstat: a link is never followed (no loops, no escape from the folder)
            switch SafeFile.kind(atPath: path) {
            case .missing: continue   // gone since the listing
            case .directory:
                if name == "processed" { continue }
                try collect(folder: path, into: &files)
            case .regular:
                guard fm.isReadableFile(atPath: path) else { throw Failure.noInput(path: TerminalText.neutralised(path), reason: "cannot be read (permission denied)") }
                files.append(path)
            case let kind:
                throw SafeFile.notRegular(path, kind)
            }
        }
    }

    /// Reads one file: recognises its kind from content, parses every row.
    ///
    /// 65 with file, line, column and reason for a malformed row; 65 naming the file and the four
    /// kinds for an unknown kind; 66 when the file cannot be read. The SHA-256 is computed on a
    /// second thread while the rows are parsed.
    public static func read(path: String) throws(Failure) -> ParsedInput {
        let bytes = try loadFile(path)
        return try parse(bytes: bytes, file: path)
    }

    /// `read(path:)` for bytes already in memory; `file` names them in errors and records.
    public static func parse(bytes: [UInt8], file: String) throws(Failure) -> ParsedInput {
        guard let kind = detect(bytes) else { throw unknownKind(bytes: bytes, file: file) }
        let digest = DigestBox()
        let group = DispatchGroup()
        DispatchQueue.global(qos: .userInitiated).async(group: group) {
            digest.hex = SHA256Digest.hex(bytes)
        }
        defer { group.wait() }
        let result: (rows: Int, records: [ProviderRecord])
        var shortCode: String?
        switch kind {
        case .stripePayments: result = try StripePaymentsReader.read(bytes: bytes, file: file)
        case .stripeBalance: result = try StripeBalanceReader.read(bytes: bytes, file: file)
        case .mpesaStatement:
            let statement = try MpesaStatementReader.read(bytes: bytes, file: file)
            result = (statement.rows, statement.records)
            shortCode = statement.shortCode
        case .darajaCallbacks: result = try DarajaCallbackReader.read(bytes: bytes, file: file)
        }
        group.wait()
        return ParsedInput(file: file, kind: kind, sha256: digest.hex, rows: result.rows, records: result.records, mpesaShortCode: shortCode)
    }

    /// How much of a file `detect` looks at.
    static let detectPrefix = 64 * 1024

    /// Recognises the kind from the first bytes, or nil.
    ///
    /// JSON holding `stkCallback` (or a bare callback with `CheckoutRequestID` and `ResultCode`) is
    /// Daraja callbacks; a first line with `balance_transaction_id` and `reporting_category` is a
    /// Stripe balance report; one with `Created date (UTC)` (or `Created (UTC)`), `Amount` and
    /// `Currency` is a Stripe Payments export; a `Receipt No.,…,A/C No.` line within the first
    /// 64 KB is an M-PESA statement.
    public static func detect(_ bytes: [UInt8]) -> InputKind? {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        let prefix = bytes[start..<min(bytes.count, start + detectPrefix)]
        guard let first = prefix.firstIndex(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) else { return nil }
        if prefix[first] == UInt8(ascii: "{") || prefix[first] == UInt8(ascii: "[") {
            if containsIgnoringCase(prefix, "\"stkcallback\"") { return .darajaCallbacks }
            if containsIgnoringCase(prefix, "\"checkoutrequestid\"") && containsIgnoringCase(prefix, "\"resultcode\"") { return .darajaCallbacks }
            return nil
        }
        let lineEnd = prefix[first...].firstIndex(of: 0x0A) ?? prefix.endIndex
        let firstLine = prefix[first..<lineEnd]
        if containsIgnoringCase(firstLine, "balance_transaction_id") && containsIgnoringCase(firstLine, "reporting_category") {
            return .stripeBalance
        }
        if (containsIgnoringCase(firstLine, "created date (utc)") || containsIgnoringCase(firstLine, "created (utc)"))
            && containsIgnoringCase(firstLine, "amount") && containsIgnoringCase(firstLine, "currency") {
            return .stripePayments
        }
        var lineStart = prefix.startIndex
        while lineStart < prefix.endIndex {
            let end = prefix[lineStart...].firstIndex(of: 0x0A) ?? prefix.endIndex
            let line = prefix[lineStart..<end]
            if containsIgnoringCase(line, "receipt no") && (containsIgnoringCase(line, "a/c no") || containsIgnoringCase(line, "completion time")) {
                return .mpesaStatement
            }
            lineStart = end + 1
        }
        return nil
    }

    /// The four kinds, for the message refusing a file of none of them.
    static let kindsSentence = "a Stripe Payments export (id,Created date (UTC),Amount,…), a Stripe itemized balance report "
        + "(balance_transaction_id,…,reporting_category,…), an M-PESA organisation statement (Receipt No.,Completion Time,…,A/C No.) "
        + "or Daraja STK callbacks ({\"Body\":{\"stkCallback\":…}})"

    static func unknownKind(bytes: [UInt8], file: String) -> Failure {
        let prefix = bytes[0..<min(bytes.count, detectPrefix)]
        var hint = ""
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }) {
            hint = " The file is empty."
        } else if containsIgnoringCase(prefix, "\"transid\"") || containsIgnoringCase(prefix, "\"transamount\"")
                    || containsIgnoringCase(prefix, "\":transid\"") {
            hint = " It looks like Daraja C2B confirmation or validation payloads (TransID, TransAmount), which reconcile does not read: give it the organisation statement for Pay Bill payments instead."
        } else if containsIgnoringCase(prefix, "\"object\"") && containsIgnoringCase(prefix, "\"livemode\"") {
            hint = " It looks like Stripe API objects (JSON); export the Payments or balance report from the Dashboard as CSV instead."
        }
        return Failure.badInput(file: file, reason: "not a file reconcile can read: it is none of \(kindsSentence).\(hint)")
    }

    /// The whole file: a regular file only, never through a link, at most
    /// `SafeFile.maxInputBytes` (see `SafeFile.read`).
    static func loadFile(_ path: String) throws(Failure) -> [UInt8] {
        try SafeFile.read(path)
    }
}

/// The digest computed beside the parse; read only after the group is waited on.
private final class DigestBox: @unchecked Sendable {
    var hex = ""
}
