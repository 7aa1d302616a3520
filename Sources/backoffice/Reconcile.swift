import ArgumentParser
import BackofficeCore

struct Reconcile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Match Stripe and M-PESA exports against payments, orders, invoices and credits."
    )
    @Argument(help: "Export files or folders; each file's kind is recognised from its content.")
    var inputs: [String]
    @Option(help: "Start of the period (UTC date or instant).") var from: String?
    @Option(help: "End of the period, exclusive (UTC date or instant).") var to: String?
    @Option(help: "Only this venue.") var venue: String?
    @Flag(help: "Print the result as JSON on stdout.") var json = false
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func run() throws {
        _ = global.logger("reconcile")
        try runReporting { () throws -> ExitStatus in throw Failure.software("reconcile is not built yet") }
    }
}

struct Nightly: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reconcile what is new in the inbox, write the reports, move consumed files to processed/."
    )
    @Option(help: "The inbox folder the exports arrive in.") var inbox: String
    @Option(help: "Where reports go (default: reports/).") var out: String = "reports"
    @Flag(help: "Print the result as JSON on stdout.") var json = false
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func run() throws {
        _ = global.logger("nightly")
        try runReporting { () throws -> ExitStatus in throw Failure.software("nightly is not built yet") }
    }
}
