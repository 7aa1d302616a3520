import ArgumentParser
import BackofficeCore

struct MenuReview: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "review", abstract: "(not built yet)")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try runReporting { () throws -> ExitStatus in throw Failure.software("menu review is not built yet") }
    }
}
