import ArgumentParser
import BackofficeCore

struct MenuApply: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apply", abstract: "(not built yet)")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try runReporting { () throws -> ExitStatus in throw Failure.software("menu apply is not built yet") }
    }
}
