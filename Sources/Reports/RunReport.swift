import Output
import BackofficeCore
import Foundation
import GRDB
import LiveDatabase

/// What `RunReport.write` produced.
public struct ReportOutput: Sendable, Hashable {
    /// The run reported on.
    public var runId: String
    /// `outDir/<run id>/`.
    public var folder: URL
    /// Every file written, the CSV files first, `report.html` last.
    public var files: [URL]
    /// `folder/report.html`.
    public var html: URL
    /// How many exceptions the run holds (0: "Everything matched").
    public var exceptionCount: Int
}

/// The accountant's reports for one committed reconciliation run: six CSV files and one
/// self-contained `report.html`, in `outDir/<run id>/`.
///
///     let live = try LiveDatabase(path: "live.db")
///     let output = try RunReport.write(database: live, runId: nil, outDir: URL(fileURLWithPath: "reports"))
///     print(output.html.path)   // reports/<latest run>/report.html
///
/// The run is read in one snapshot. The files are written to a scratch folder beside the final
/// one and moved into place at the end, so a report folder is whole or absent; writing the same
/// run again replaces its folder.
public enum RunReport {
    /// The CSV files, in the order they are written.
    public static let csvFiles = ["exceptions.csv", "matches.csv", "daily_takings.csv", "payouts.csv", "credit_ledger.csv", "inputs.csv",
                                  "closed_findings.csv"]

    /// How many matches the HTML page lists; the rest are in matches.csv.
    public static let htmlMatchLimit = 500

    /// Writes the report of `runId` (nil: the latest committed run).
    ///
    /// Throws 66 when there is no such committed run (or none at all), 73 when `outDir` cannot be
    /// written, 75 when the database stays locked, 65 when the run's tables hold nonsense.
    public static func write(database: LiveDatabase, runId: String?, outDir: URL, csv: CSVOptions = CSVOptions()) throws(Failure) -> ReportOutput {
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: outDir, withIntermediateDirectories: true)
        } catch {
            throw Failure.cantCreate(path: outDir.path, reason: reason(error))
        }
        // a scratch folder claimed by a lock; those of killed reports are removed here first
        let claim = try ScratchFolder(in: outDir, prefix: ".report-")
        // the claim must outlive the folder: it goes only after the folder is renamed or removed
        defer { withExtendedLifetime(claim) {} }
        let scratch = claim.url
        defer { try? fm.removeItem(at: scratch) }

        let written: (run: RunHeader, exceptions: Int)
        written = try writeFiles(database, runId: runId, into: scratch, csv: csv)

        let folder = outDir.appendingPathComponent(folderName(written.run.id), isDirectory: true)
        do {
            if fm.fileExists(atPath: folder.path) || SafeFile.kind(atPath: folder.path) == .symlink { try fm.removeItem(at: folder) }
            try fm.moveItem(at: scratch, to: folder)
        } catch {
            throw Failure.cantCreate(path: folder.path, reason: reason(error))
        }
        let files = (csvFiles + ["report.html"]).map { folder.appendingPathComponent($0) }
        return ReportOutput(runId: written.run.id, folder: folder, files: files,
                            html: folder.appendingPathComponent("report.html"), exceptionCount: written.exceptions)
    }

    /// A run id as a folder name: anything but letters, digits, `.`, `_` and `-` becomes `_`.
    public static func folderName(_ runId: String) -> String {
        var name = ""
        for s in runId.unicodeScalars {
            let v = s.value
            let digit = v >= 48 && v <= 57
            let letter = (v >= 65 && v <= 90) || (v >= 97 && v <= 122)
            let mark = s == "." || s == "_" || s == "-"
            name.unicodeScalars.append(digit || letter || mark ? s : "_")
        }
        if name.isEmpty || name.hasPrefix(".") { name = "run" + name }
        return name
    }

    // MARK: - Writing

    /// How many matches one read transaction takes at most, and how long it may read: a chunk of
    /// 5,000 with the invoices' grouped pass joined in held the lock 60 to 95 ms at 1M orders.
    static let matchChunk = 5000
    static let matchChunkTime: Duration = .milliseconds(20)

    /// Reads in short transactions and writes outside them: the run's summary tables in two
    /// (a committed run's rows do not change), the matches a chunk at a time, then the files. A report used to read everything
    /// and render inside one transaction, which in rollback-journal mode kept the live writer
    /// waiting for a second. A committed run's rows do not change; that it is still there (not
    /// superseded meanwhile) is checked at the end (75 otherwise: run the report again).
    private static func writeFiles(_ database: LiveDatabase, runId: String?, into folder: URL, csv: CSVOptions) throws(Failure) -> (run: RunHeader, exceptions: Int) {
        let queue = try database.reader()
        func read<T>(_ body: (Database) throws -> T) throws(Failure) -> T {
            do { return try queue.read(body) } catch { throw database.mapError(error) }
        }
        let (run, inputs, exceptions, closed, coverage) = try read { db in
            let run = try RunStore.selectRun(db, runId: runId, databasePath: database.path)
            return (run, try RunStore.inputs(db, run: run.id), try RunStore.findings(db, run: run), try RunStore.closedSince(db, run: run),
                    try db.tableExists("batch_run_coverage")
                        ? try String.fetchAll(db, sql: "SELECT provider FROM batch_run_coverage WHERE run_id = ?", arguments: [run.id]) : [])
        }
        let (daily, payouts, ledger, customers) = try read { db in
            (try RunStore.daily(db, run: run.id), try RunStore.payouts(db, run: run.id), try RunStore.ledger(db, run: run.id),
             try RunStore.invoiceCustomers(db))
        }

        // exceptions.csv: what needs a person (open findings, carried ones included)
        let exceptionRows = exceptions.filter { $0.state == "open" }.map(ReportTables.row)
        let dailyRows = daily.map(ReportTables.row)
        let payoutRows = payouts.map(ReportTables.row)
        let ledgerRows = ledger.map(ReportTables.row)
        let inputRows = inputs.map(ReportTables.row)

        try writeCSV(ReportTables.exceptions, rows: exceptionRows, in: folder, csv)

        // Matches can be many: streamed to the CSV, the first few kept for the page.
        var matchFile = try CSVFile(ReportTables.matches, in: folder, csv)
        var shownMatches: [[ReportValue]] = []
        var shownTotals = TotalsAccumulator(ReportTables.matches)
        var after: Int64 = -1
        while true {
            let chunk = try read { db in
                try RunStore.matches(db, run: run.id, after: after, limit: matchChunk, time: matchChunkTime, customers: customers)
            }
            for (seq, match) in chunk.matches {
                let row = ReportTables.row(match)
                try matchFile.write(row)
                if shownMatches.count < htmlMatchLimit {
                    shownMatches.append(row)
                    shownTotals.add(row)
                }
                after = seq
            }
            if chunk.complete { break }
        }
        try matchFile.finish()
        let stillThere = try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM batch_runs WHERE id = ? AND status = 'committed')", arguments: [run.id]) ?? false
        }
        if !stillThere {
            throw Failure.tempFail("Run \(run.id) was replaced by a newer run while its report was written; nothing was written. Run the report again.")
        }

        try writeCSV(ReportTables.daily, rows: dailyRows, in: folder, csv)
        try writeCSV(ReportTables.payouts, rows: payoutRows, in: folder, csv)
        try writeCSV(ReportTables.ledger, rows: ledgerRows, in: folder, csv)
        try writeCSV(ReportTables.inputs, rows: inputRows, in: folder, csv)
        try writeCSV(ReportTables.closed, rows: closed.map(ReportTables.closedRow), in: folder, csv)

        let page = ReportPage.build(
            run: run, inputRows: inputRows, exceptions: exceptions, closed: closed, coverage: coverage,
            daily: daily, dailyRows: dailyRows, payoutRows: payoutRows, ledgerRows: ledgerRows,
            matchRows: shownMatches, matchTotal: matchFile.rowCount, matchFoot: shownTotals.footRows)
        let html = try page.render()
        let url = folder.appendingPathComponent("report.html")
        do {
            try Data(html.utf8).write(to: url)
        } catch {
            throw Failure.cantCreate(path: url.path, reason: reason(error))
        }
        return (run, exceptionRows.count)
    }

    private static func writeCSV(_ spec: TableSpec, rows: [[ReportValue]], in folder: URL, _ csv: CSVOptions) throws(Failure) {
        var file = try CSVFile(spec, in: folder, csv)
        for row in rows { try file.write(row) }
        try file.finish()
    }

    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue)).lowercased()
        }
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return "permission denied"
            case NSFileWriteOutOfSpaceError: return "no space left on the device"
            case NSFileWriteVolumeReadOnlyError: return "the volume is read-only"
            case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "a folder on the path does not exist"
            case NSFileWriteFileExistsError: return "a file is in the way"
            default: break
            }
        }
        return ns.localizedDescription
    }
}

/// How the CSV files are written: `report --csv-delimiter ';' --bom` for spreadsheets in
/// comma-decimal locales (Excel there splits on `;` and reads UTF-8 only after a byte order mark).
public struct CSVOptions: Sendable, Hashable {
    public var delimiter: UInt8
    public var byteOrderMark: Bool
    public init(delimiter: UInt8 = UInt8(ascii: ","), byteOrderMark: Bool = false) {
        self.delimiter = delimiter
        self.byteOrderMark = byteOrderMark
    }
}

/// A CSV file written row by row through `CSVWriter`, flushed in chunks, with its totals foot
/// added at the end from the very rows written. The first column, `row_type`, says `row` or
/// `total`, so a pivot table can filter the totals out.
struct CSVFile {
    let url: URL
    private var writer: CSVWriter
    private var totals: TotalsAccumulator
    private let handle: FileHandle

    var rowCount: Int { totals.rowCount }

    init(_ spec: TableSpec, in folder: URL, _ options: CSVOptions) throws(Failure) {
        url = folder.appendingPathComponent(spec.file)
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: url.path) else {
            throw Failure.cantCreate(path: url.path, reason: "the file cannot be created")
        }
        self.handle = handle
        writer = CSVWriter(header: ["row_type"] + spec.header, byteOrderMark: options.byteOrderMark, delimiter: options.delimiter)
        totals = TotalsAccumulator(spec)
    }

    mutating func write(_ row: [ReportValue]) throws(Failure) {
        writer.writeRow([.text("row")] + row.map(\.csv))
        totals.add(row)
        if writer.pendingByteCount > 1 << 16 { try flush() }
    }

    mutating func finish() throws(Failure) {
        for foot in totals.footRows { writer.writeRow([.text("total")] + foot.map(\.csv)) }
        try flush()
        do { try handle.close() } catch { throw Failure.cantCreate(path: url.path, reason: RunReport.reason(error)) }
    }

    private mutating func flush() throws(Failure) {
        let bytes = writer.drain()
        do { try handle.write(contentsOf: bytes) } catch { throw Failure.cantCreate(path: url.path, reason: RunReport.reason(error)) }
    }
}
