import ArgumentParser

struct Menu: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a menu PDF: extract, stage, review, apply the owner's edits, publish.",
        subcommands: [MenuExtract.self, MenuImportCommand.self, MenuReview.self, MenuApply.self, MenuPublish.self, MenuImports.self]
    )
}
