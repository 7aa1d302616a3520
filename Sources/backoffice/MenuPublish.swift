import ArgumentParser
import BackofficeCore

struct MenuPublish: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "publish", abstract: "(not built yet)")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try runReporting { () throws -> ExitStatus in throw Failure.software("menu publish is not built yet") }
    }
}
