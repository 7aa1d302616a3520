import ArgumentParser
import BackofficeCore

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the accountant's CSV and HTML reports for a reconciliation run."
    )
    @Option(name: .customLong("run"), help: "The run to report on.") var runID: String?
    @Flag(help: "Report on the latest committed run (the default).") var latest = false
    @Option(help: "Where reports go; one folder per run.") var out: String = "reports"
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func run() throws {
        _ = global.logger("report")
        try runReporting { () throws -> ExitStatus in throw Failure.software("report is not built yet") }
    }
}
