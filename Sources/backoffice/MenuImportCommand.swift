import ArgumentParser
import BackofficeCore

struct MenuImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "(not built yet)")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try runReporting { () throws -> ExitStatus in throw Failure.software("menu import is not built yet") }
    }
}
