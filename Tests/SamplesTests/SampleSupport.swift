import BackofficeCore
import Foundation
import TestSupport
import GRDB
import LiveDatabase
import Logging
@testable import Samples

/// A samples folder written for one test, and readers for what is in it. The folder is removed
/// when the last copy of the value goes.
struct GeneratedSamples {
    let scratch: TemporaryFolder
    let manifest: SampleManifest

    var folder: URL { scratch.url }

    static let small = SampleOptions(venues: 4, days: 4, ordersPerDay: 16, seed: 11)

    init(_ options: SampleOptions = GeneratedSamples.small, name: String = "samples") throws {
        scratch = try TemporaryFolder(name)
        var logger = Logger(label: "samples-test")
        logger.logLevel = .error
        manifest = try SampleGenerator.generate(options, into: scratch.url, logger: logger)
    }

    var databasePath: String { folder.appendingPathComponent(manifest.database).path }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let live = try LiveDatabase(path: databasePath)
        return try live.read(body)
    }

    func url(_ relative: String) -> URL { folder.appendingPathComponent(relative) }

    /// Every file's bytes by relative path.
    func allBytes() throws -> [String: Data] {
        var out: [String: Data] = [:]
        let base = folder.standardizedFileURL.path
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let path = url.standardizedFileURL.path
            out[String(path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
        }
        return out
    }

    /// A CSV export as rows keyed by header name (read with the core's strict reader).
    func csv(_ relative: String, preambleUntil headerStart: String? = nil) throws -> CSVTable {
        let bytes = [UInt8](try Data(contentsOf: url(relative)))
        var reader = CSVReader(bytes: bytes, file: relative)
        let header: CSVRecord?
        if let headerStart {
            header = try reader.skipToHeader { $0.hasPrefix(headerStart) }
        } else {
            header = try reader.readHeader()
        }
        guard let header else { throw Failure.dataError("\(relative) has no header") }
        var rows: [[String: String]] = []
        while let record = try reader.next() {
            var row: [String: String] = [:]
            for (i, name) in header.strings.enumerated() { row[name] = record.string(i) }
            rows.append(row)
        }
        return CSVTable(header: header.strings, rows: rows)
    }

    var stripePayments: CSVTable { get throws { try csv(StripeExports.paymentsPath) } }
    var stripeBalance: CSVTable { get throws { try csv(StripeExports.balancePath) } }

    /// Rows of every statement, tagged with the file they came from.
    func statements() throws -> [(file: String, rows: [[String: String]])] {
        try manifest.files(ofKind: "mpesa_statement").map { ($0.path, try csv($0.path, preambleUntil: "Receipt No.").rows) }
    }

    /// The callback objects of the log, split at the top-level braces and parsed.
    func callbacks() throws -> [[String: Any]] {
        let bytes = [UInt8](try Data(contentsOf: url(CallbackLog.path)))
        var objects: [[String: Any]] = []
        var depth = 0, start = 0, inString = false, escaped = false
        for (i, b) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                continue
            }
            switch b {
            case 0x22: inString = true
            case 0x7B: if depth == 0 { start = i }; depth += 1
            case 0x7D:
                depth -= 1
                if depth == 0 {
                    let object = try JSONSerialization.jsonObject(with: Data(bytes[start...i])) as! [String: Any]
                    objects.append(object)
                }
            default: break
            }
        }
        return objects
    }

    /// `"1,250.00"` / `"-20.00"` / `""` as minor units.
    static func cents(_ text: String?) -> Int64 {
        guard let text, !text.isEmpty else { return 0 }
        return try! MoneyText.minorUnits(text, exponent: 2)
    }
}

struct CSVTable {
    var header: [String]
    var rows: [[String: String]]
}

/// What one STK callback says.
struct Callback {
    var checkoutRequestId: String
    var resultCode: Int
    var receipt: String?
    var amount: Double?

    init(_ object: [String: Any]) {
        let cb = (object["Body"] as! [String: Any])["stkCallback"] as! [String: Any]
        checkoutRequestId = cb["CheckoutRequestID"] as! String
        resultCode = (cb["ResultCode"] as! NSNumber).intValue
        if let items = (cb["CallbackMetadata"] as? [String: Any])?["Item"] as? [[String: Any]] {
            for item in items {
                switch item["Name"] as? String {
                case "MpesaReceiptNumber": receipt = item["Value"] as? String
                case "Amount": amount = (item["Value"] as? NSNumber)?.doubleValue
                default: break
                }
            }
        }
    }
}

enum PackageRoot {
    static var url: URL {
        BuiltCommand.packageRoot
    }
}
