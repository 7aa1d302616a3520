import ArgumentParser

struct Menu: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a menu PDF: extract, stage, review, apply the owner's edits, publish.",
        discussion: "Example: backoffice menu import menu.pdf --venue VENUE_ID --db live.db (backoffice venues lists the ids)",
        subcommands: [MenuExtract.self, MenuImportCommand.self, MenuReview.self, MenuApply.self, MenuPublish.self, MenuImports.self]
    )
}
