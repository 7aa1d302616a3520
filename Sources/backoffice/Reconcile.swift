import ArgumentParser
import Foundation
import BackofficeCore
import LiveDatabase
import Reconcile
import Reports

struct Reconcile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Match Stripe and M-PESA exports against payments, orders, invoices and credits.",
        discussion: "Exit 0 when everything matched, 1 when there are exceptions for a person to look at.\n\nExample: backoffice reconcile exports/ --from 2026-11-01 --to 2026-11-08 --db live.db"
    )
    @Argument(help: "Export files or folders; each file's kind is recognised from its content.")
    var inputs: [String] = []
    @Option(help: "Start of the period (UTC date or instant; default: the day of the earliest provider record).") var from: String?
    @Option(help: "End of the period, exclusive (UTC date or instant; default: the day after the latest provider record).") var to: String?
    @Option(help: "Only this venue.") var venue: String?
    @Flag(help: "Print the result as JSON on stdout.") var json = false
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let logger = global.logger("reconcile")
        try runReporting { () throws -> ExitStatus in
            if inputs.isEmpty {
                throw Failure.usage("No input given: name the export files or folders to reconcile, e.g. backoffice reconcile exports/.")
            }
            let fromBound = try from.map { (text: String) throws(Failure) -> Timestamp in try Period.parseBound(text, flag: "--from") }
            let toBound = try to.map { (text: String) throws(Failure) -> Timestamp in try Period.parseBound(text, flag: "--to") }
            var job = try ReconcileJob(database: database.open(), clock: .system(), logger: logger)
            let files = try job.files(for: inputs)
            let progress = TerminalProgress()
            job.showingProgress(progress, files: files.count)
            let outcome = try job.run(files: files, from: fromBound, to: toBound, venue: venue, command: "reconcile")
            progress.finish()
            printOut(json ? ResultOutput.json(runId: outcome.runId, result: outcome.result)
                          : ResultOutput.summary(runId: outcome.runId, result: outcome.result))
            exitNow(outcome.status)
        }
    }
}

struct Nightly: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reconcile what is new in the inbox, write the reports, move consumed files to processed/.",
        discussion: "Two nightly runs never overlap: the second waits a few seconds for the first, then exits 75.\n\nExample: backoffice nightly --inbox /srv/inbox --out /srv/reports --quiet --db live.db"
    )
    @Option(help: "The inbox folder the exports arrive in.") var inbox: String
    @Option(help: "Where reports go; one folder per run.") var out: String = "reports"
    @Flag(help: "Print the result as JSON on stdout.") var json = false
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let logger = global.logger("nightly")
        try runReporting { () throws -> ExitStatus in
            let live = try database.open()
            var nightly = NightlyJob(inbox: inbox, job: ReconcileJob(database: live, clock: .system(), logger: logger))
            let progress = TerminalProgress()
            nightly.job.showingProgress(progress, files: try nightly.inboxFiles().count)
            defer { progress.finish() }
            let outDir = URL(fileURLWithPath: out)
            let writeReports: (String) throws(Failure) -> [String] = { (runId: String) throws(Failure) -> [String] in
                try RunReport.write(database: live, runId: runId, outDir: outDir).files.map(\.path)
            }
            let outcome = try nightly.run(writeReports: writeReports)
            guard let run = outcome.run else {
                let note = outcome.alreadyProcessed.isEmpty ? "" : " (\(outcome.alreadyProcessed.count) already processed)"
                let sentence = "No new files in \(inbox)\(note); nothing to reconcile."
                if json {
                    // the result shape with nothing in it; the sentence goes to stderr
                    printOut(ResultOutput.emptyJSON)
                    FileHandle.standardError.write(Data((sentence + "\n").utf8))
                } else {
                    printOut(sentence)
                }
                return .ok
            }
            if json {
                printOut(ResultOutput.json(runId: run.runId, result: run.result))
            } else {
                printOut(ResultOutput.summary(runId: run.runId, result: run.result))
                for path in outcome.reports { printOut("Report: \(path)") }
                printOut("Moved \(outcome.moved.count) file(s) to \(inbox)/processed/.")
            }
            progress.finish()
            exitNow(run.status)   // as reconcile: without freeing the run's records one by one
        }
    }
}

extension ReconcileJob {
    /// Shows each input file on the terminal's progress line as it is read.
    mutating func showingProgress(_ progress: TerminalProgress, files total: Int) {
        progress.start(total: total)
        let read = self.read
        self.read = { @Sendable (path: String) throws(Failure) -> ParsedInput in
            progress.advance("reading " + (path as NSString).lastPathComponent)
            return try read(path)
        }
    }
}
