import ArgumentParser
import BackofficeCore
import Foundation
import LiveDatabase
import MenuImport

struct MenuPublish: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Show the diff against the venue's live menu, then apply it to menu_items.",
        discussion: "New items are inserted, changed ones updated, items no longer on the menu set available = 0 (never deleted). Refused (exit 1) while an item to publish has no price or a flagged item has no decision.\n\nExample: backoffice menu publish IMPORT_ID --dry-run --db live.db"
    )

    @Argument(help: "The import id.") var importId: String
    @Flag(name: .customLong("dry-run"), help: "Print the diff only; change nothing.") var dryRun = false
    @Flag(help: "Print the diff and the result as JSON on stdout.") var json = false
    @OptionGroup var database: DatabaseOption
    @OptionGroup var global: GlobalOptions

    func run() throws {
        _ = global.logger("menu-publish")
        try runReporting {
            let live = try database.open()
            let staged = try StagedImports.load(live, id: importId)
            let plan = try MenuPublisher.plan(staged, in: live)
            if dryRun || !plan.blockers.isEmpty {
                if json { printOut(Self.json(plan, dryRun: dryRun, published: false)) } else { printOut(plan.text) }
                if !plan.blockers.isEmpty { throw MenuPublisher.blocked(plan) }
                return .ok
            }
            if !json { printOut(plan.text) }
            let outcome = try MenuPublisher.publish(staged, in: live)
            if json {
                printOut(Self.json(outcome.plan, dryRun: false, published: true))
            } else if outcome.wrote {
                printOut("Published: \(outcome.plan.new.count) added, \(outcome.plan.changed.count) updated, \(outcome.plan.removed.count) set unavailable.")
            } else {
                printOut("Already published; nothing changed.")
            }
            return .ok
        }
    }

    static func json(_ plan: MenuPublisher.Plan, dryRun: Bool, published: Bool) -> String {
        struct Output: Encodable {
            var plan: MenuPublisher.Plan
            var dryRun: Bool
            var published: Bool
            enum Keys: String, CodingKey { case dryRun = "dry_run", published }
            func encode(to encoder: any Encoder) throws {
                try plan.encode(to: encoder)
                var c = encoder.container(keyedBy: Keys.self)
                try c.encode(dryRun, forKey: .dryRun)
                try c.encode(published, forKey: .published)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Output(plan: plan, dryRun: dryRun, published: published))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
