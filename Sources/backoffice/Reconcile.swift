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
            var job = try ReconcileJob(database: database.open(), clock: runClock(), logger: logger)
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
        discussion: """
            Two nightly runs never overlap: the second waits a few seconds for the first, then exits 75. \
            Exit 0: nothing needs a person (with --quiet nothing is printed, so cron mails nothing); \
            1: findings are open or a provider's (or a venue's) exports stopped arriving; 64/65/66/73/75: the run failed (see stderr).

            Example: backoffice nightly --inbox /srv/inbox --out /srv/reports --quiet --db live.db
            """
    )
    @Option(help: "The inbox folder the exports arrive in.") var inbox: String
    @Option(help: "Where reports go; one folder per run.") var out: String = "reports"
    @Option(help: "Days a provider's (or a venue's) exports may be missing before a missing_export finding.") var staleAfter: Int = 2
    @Flag(help: "Print the result as JSON on stdout.") var json = false
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if staleAfter < 1 { throw ValidationError("--stale-after must be a whole number of days, 1 or more.") }
    }

    func run() throws {
        let logger = global.logger("nightly")
        try runReporting { () throws -> ExitStatus in
            let live = try database.open()
            var nightly = NightlyJob(inbox: inbox, job: ReconcileJob(database: live, clock: try runClock(), logger: logger))
            nightly.staleAfterDays = staleAfter
            let progress = TerminalProgress()
            nightly.job.showingProgress(progress, files: try nightly.inboxFiles().count)
            defer { progress.finish() }
            let outDir = URL(fileURLWithPath: out)
            let writeReports: (String) throws(Failure) -> [String] = { (runId: String) throws(Failure) -> [String] in
                try RunReport.write(database: live, runId: runId, outDir: outDir).files.map(\.path)
            }
            let outcome = try nightly.run(writeReports: writeReports)
            progress.finish()
            // --quiet: nothing at all when nothing needs a person, so cron mails only on findings or failures
            let silent = global.quiet && outcome.status == .ok
            let stale = outcome.exportCheck?.exceptions ?? []
            guard let run = outcome.run else {
                let note = outcome.alreadyProcessed.isEmpty ? "" : " (\(outcome.alreadyProcessed.count) already processed)"
                let since = outcome.previousRun.map { " since the last nightly run \($0.id) at \($0.at)" } ?? " (no nightly run has been recorded yet)"
                let sentence = "Nothing new in \(inbox)\(since)\(note); nothing to reconcile."
                if json {
                    // the result shape with what the check raised; the sentence goes to stderr
                    let update = outcome.exportCheck?.update ?? FindingsUpdate()
                    printOut(ResultOutput.checkJSON(exceptions: stale, openAfter: update.openAfter, opened: update.opened))
                    if !silent { printErr(sentence) }
                } else if !silent {
                    printOut(sentence)
                    printStale(stale)
                    if let open = outcome.exportCheck?.update.openAfter, open > 0 {
                        printOut("\(open) finding(s) open (backoffice findings lists them).")
                    }
                }
                return outcome.status
            }
            if json {
                var result = run.result
                result.exceptions += stale
                if let update = outcome.exportCheck?.update { result.findings?.openAfter = update.openAfter }
                printOut(ResultOutput.json(runId: run.runId, result: result))
            } else if !silent {
                var result = run.result
                if let update = outcome.exportCheck?.update { result.findings?.openAfter = update.openAfter }
                printOut(ResultOutput.summary(runId: run.runId, result: result))
                printStale(stale)
                for path in outcome.reports { printOut("Report: \(path)") }
                printOut("Moved \(outcome.moved.count) file(s) to \(inbox)/processed/.")
            }
            exitNow(outcome.status)   // as reconcile: without freeing the run's records one by one
        }
    }

    private func printStale(_ stale: [ReconcileException]) {
        for e in stale { printOut("missing_export \(e.finding?.id ?? ""): \(e.detail)") }
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
