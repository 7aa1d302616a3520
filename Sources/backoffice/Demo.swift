import ArgumentParser
import BackofficeCore
import Foundation
import LiveDatabase
import Logging
import MenuImport
import Reconcile
import Reports
import Samples

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build samples and run every job on them: a menu import, a nightly reconciliation, the reports. No network, no settings.",
        discussion: "Example: backoffice demo --out /tmp/backoffice-demo"
    )

    @Option(help: "Folder for the demo's samples and outputs; its earlier contents are replaced.")
    var out: String = "demo-out"

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let logger = global.logger("demo")
        try runReporting {
            let base = URL(fileURLWithPath: out)
            let fm = FileManager.default
            // a demo folder is ours: start it afresh so runs never mix
            for sub in ["samples", "inbox", "reports", "menu-review"] {
                try? fm.removeItem(at: base.appendingPathComponent(sub))
            }
            let samplesDir = base.appendingPathComponent("samples")

            // 1. Samples: a live database, provider exports, menus.
            let manifest = try SampleGenerator.generate(SampleOptions(), into: samplesDir, logger: logger)
            let live = try LiveDatabase(path: samplesDir.appendingPathComponent(manifest.database).path)
            printOut("1. Samples in \(samplesDir.path)")
            printOut(manifest.summary.split(separator: "\n").map { "   " + $0 }.joined(separator: "\n"))

            // 2. Menu import for the first venue: extract, stage, review files, the publish diff.
            let venue = try live.read { db in try Venue.fetchOne(db, sql: "SELECT * FROM venues ORDER BY name LIMIT 1") }
            guard let venue else { throw Failure.software("the sample database has no venue") }
            let menu = samplesDir.appendingPathComponent("menus/two_columns_usd.pdf").path
            let importer = MenuImporter(database: live,
                                        extract: { file throws(Failure) in try MenuPipeline.extract(file, languages: nil) },
                                        structurer: HeuristicStructurer(), logger: logger)
            let imported = try importer.run(pdfPath: menu, venueId: venue.id, useCredits: false)
            let reviewDir = base.appendingPathComponent("menu-review")
            let staged = try StagedImports.load(live, id: imported.importId)
            let review = try ReviewFiles.make(for: staged, venueName: venue.name).write(to: reviewDir)
            let plan = try MenuPublisher.plan(staged, in: live)
            printOut("")
            printOut("2. Menu import of \(menu) for \(venue.name): \(imported.summary).")
            printOut("   Review page: \(review.html)")
            printOut("   Review sheet: \(review.csv)")
            printOut("   Publishing would add \(plan.new.count), change \(plan.changed.count) and retire \(plan.removed.count) item(s); next: backoffice menu publish \(imported.importId) --db \(live.path)")

            // 3. Nightly reconciliation of the exports dropped into an inbox, with its reports.
            let inbox = base.appendingPathComponent("inbox")
            do {
                // exports arrive flat in the inbox, as a cron job's download step leaves them
                try fm.createDirectory(at: inbox, withIntermediateDirectories: true)
                for file in manifest.files {
                    let from = samplesDir.appendingPathComponent(file.path)
                    try fm.copyItem(at: from, to: inbox.appendingPathComponent(from.lastPathComponent))
                }
            } catch {
                throw Failure.cantCreate(path: inbox.path, reason: "the exports cannot be copied there")
            }
            let reportsDir = base.appendingPathComponent("reports")
            let job = ReconcileJob(database: live, clock: .system(), logger: logger)
            let nightly = try NightlyJob(inbox: inbox.path, job: job).run { (runId: String) throws(Failure) -> [String] in
                try RunReport.write(database: live, runId: runId, outDir: reportsDir).files.map(\.path)
            }
            printOut("")
            if let run = nightly.run {
                let kinds = Dictionary(grouping: run.result.exceptions, by: { $0.kind.rawValue }).mapValues(\.count)
                printOut("3. Nightly reconciliation (run \(run.runId)): \(run.result.matched) payments matched, \(run.result.exceptions.count) exception(s) found")
                for (kind, count) in kinds.sorted(by: { $0.key < $1.key }) { printOut("   \(count) × \(kind)") }
                printOut("   Moved \(nightly.moved.count) export(s) to \(inbox.path)/processed/")
            }
            printOut("")
            printOut("4. Reports for the accountant:")
            for path in nightly.reports { printOut("   \(path)") }
            printOut("")
            printOut("Open \(nightly.reports.first(where: { $0.hasSuffix(".html") }) ?? reportsDir.path) in a browser.")
            return .ok
        }
    }
}
