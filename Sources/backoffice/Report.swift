import ArgumentParser
import BackofficeCore
import Foundation
import LiveDatabase
import Reports

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the accountant's CSV and HTML reports for a reconciliation run.",
        discussion: "Writes DIR/<run id>/: exceptions.csv, matches.csv, daily_takings.csv, payouts.csv, credit_ledger.csv, inputs.csv and report.html. Prints the paths written.\n\nExample: backoffice report --latest --out reports --db live.db"
    )
    @Option(name: .customLong("run"), help: "The run to report on.") var runID: String?
    @Flag(help: "Report on the latest committed run (the default).") var latest = false
    @Option(help: "Where reports go; one folder per run.") var out: String = "reports"
    @Option(help: "The CSV delimiter: ',', ';' for comma-decimal locales (amounts then take a decimal comma), or 'tab'.") var csvDelimiter: String = ","
    @Flag(help: "Start each CSV file with a UTF-8 byte order mark (Excel then reads accented names right).") var bom = false
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if runID != nil && latest { throw ValidationError("Give either --run ID or --latest, not both.") }
        if delimiterByte == nil { throw ValidationError("--csv-delimiter must be ',', ';', '|' or 'tab', not '\(csvDelimiter)'.") }
    }

    var delimiterByte: UInt8? {
        switch csvDelimiter {
        case ",": UInt8(ascii: ",")
        case ";": UInt8(ascii: ";")
        case "|": UInt8(ascii: "|")
        case "tab", "\t", "\u{9}": 9
        default: nil
        }
    }

    func run() throws {
        let logger = global.logger("report")
        try runReporting {
            let path = try LiveDatabase.resolvePath(database.db)
            let live = try LiveDatabase(path: path)
            let output = try RunReport.write(database: live, runId: runID, outDir: URL(fileURLWithPath: out),
                                             csv: CSVOptions(delimiter: delimiterByte ?? UInt8(ascii: ","), byteOrderMark: bom))
            logger.info("report for run \(output.runId): \(output.exceptionCount) exception(s)")
            for file in output.files { printOut(file.path) }
            return .ok
        }
    }
}
