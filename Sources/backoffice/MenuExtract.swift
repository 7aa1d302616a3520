import ArgumentParser
import BackofficeCore

struct MenuExtract: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "(not built yet)")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try runReporting { () throws -> ExitStatus in throw Failure.software("menu extract is not built yet") }
    }
}
