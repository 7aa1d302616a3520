import BackofficeCore
import Foundation
import Logging

/// Writes a consistent live database, the provider exports in their real formats, and a manifest.
///
///     let manifest = try SampleGenerator.generate(SampleOptions(seed: 7), into: folder, logger: logger)
///     print(manifest.summary)
///
/// The folder gets `live.db` (the live schema, WAL), `exports/stripe/unified_payments.csv`,
/// `exports/stripe/balance_change_from_activity.itemized.csv`, two overlapping M-PESA statements per
/// M-PESA venue (`exports/mpesa/statement_<shortcode>_a.csv`, DD-MM-YYYY times, and `_b.csv`,
/// YYYY-MM-DD times), `exports/mpesa/stk_callbacks.log`, `menus/` (the sample menu PDFs) and
/// `manifest.json`. Unless
/// `plantDiscrepancies` is false, one case of each reconciliation exception kind is planted and
/// listed in the manifest. The same options write the same bytes; nothing depends on the clock.
public enum SampleGenerator {
    public static func generate(_ options: SampleOptions, into folder: URL, logger: Logger) throws(Failure) -> SampleManifest {
        try options.validate()
        try prepare(folder)
        let databaseURL = folder.appendingPathComponent("live.db")
        logger.info("samples: writing \(options.venues) venues x \(options.days) days x \(options.ordersPerDay) orders to \(folder.path)")

        let stripe = try StripeExports(folder: folder)
        let callbacks = try CallbackLog(folder: folder)
        let (simulation, counts) = try SampleDatabase.build(at: databaseURL) { db throws(Failure) in
            let simulation = Simulation(options: options, folder: folder, logger: logger, db: db, stripe: stripe, callbacks: callbacks)
            try simulation.run()
            return (simulation, db.counts)
        }
        try stripe.close()
        try callbacks.close()

        var files: [SampleManifest.File] = [
            .init(path: StripeExports.paymentsPath, kind: "stripe_payments", rows: stripe.paymentRows),
            .init(path: StripeExports.balancePath, kind: "stripe_balance", rows: stripe.balanceRows),
        ]
        files += simulation.statementFiles
        files.append(.init(path: CallbackLog.path, kind: "daraja_stk_callbacks", rows: callbacks.count))

        let period = SampleManifest.Period(from: options.start.iso, to: options.end.iso)
        var manifest = SampleManifest(
            options: .init(venues: options.venues, days: options.days, ordersPerDay: options.ordersPerDay, seed: options.seed,
                           start: options.start.isoDate, plantDiscrepancies: options.plantDiscrepancies),
            database: "live.db", period: period, files: files, planted: simulation.planted, summary: "")
        let menus = try SampleMenus.write(into: folder.appendingPathComponent("menus"))
        manifest.summary = summary(manifest, counts: counts, skipped: simulation.plantedSkipped)
            + "\nMenus: menus/ (\(menus.count) PDFs in different layouts, each with the items it should yield)."
        try write(manifest, to: folder.appendingPathComponent(SampleManifest.fileName))
        logger.info("samples: done, \(simulation.planted.count) discrepancies planted")
        return manifest
    }

    /// Creates the folders; removes statements an earlier run left, so a folder never mixes runs.
    private static func prepare(_ folder: URL) throws(Failure) {
        let fm = FileManager.default
        for sub in ["", "exports/stripe", "exports/mpesa"] {
            let url = sub.isEmpty ? folder : folder.appendingPathComponent(sub)
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw Failure.cantCreate(path: url.path, reason: "it exists and is not a folder")
            }
            do { try fm.createDirectory(at: url, withIntermediateDirectories: true) } catch {
                throw Failure.cantCreate(path: url.path, reason: "the folder cannot be created (\(error.localizedDescription))")
            }
        }
        let mpesa = folder.appendingPathComponent("exports/mpesa")
        let old = (try? fm.contentsOfDirectory(atPath: mpesa.path)) ?? []
        for name in old where name.hasPrefix("statement_") && name.hasSuffix(".csv") {
            do { try fm.removeItem(at: mpesa.appendingPathComponent(name)) } catch {
                throw Failure.cantCreate(path: mpesa.appendingPathComponent(name).path, reason: "an earlier statement cannot be removed")
            }
        }
    }

    private static func write(_ manifest: SampleManifest, to url: URL) throws(Failure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(manifest)
            data.append(0x0A)
            try data.write(to: url)
        } catch {
            throw Failure.cantCreate(path: url.path, reason: error.localizedDescription)
        }
    }

    private static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }

    private static func summary(_ m: SampleManifest, counts: [SampleDatabase.Table: Int], skipped: [(kind: String, reason: String)]) -> String {
        let n = { (t: SampleDatabase.Table) in grouped(counts[t] ?? 0) }
        let statements = m.files(ofKind: "mpesa_statement")
        let statementRows = statements.reduce(0) { $0 + $1.rows }
        let stripeRows = m.files.filter { $0.kind.hasPrefix("stripe") }.reduce(0) { $0 + $1.rows }
        var lines = [
            "Period: \(m.period.from) to \(m.period.to) (seed \(m.options.seed)).",
            "Database: live.db (\(n(.venues)) venues, \(n(.orders)) orders, \(n(.payments)) payments, \(n(.invoices)) invoices, \(n(.creditTransactions)) credit transactions).",
            "Stripe exports: exports/stripe/ (\(grouped(stripeRows)) rows: unified_payments.csv and balance_change_from_activity.itemized.csv).",
            "M-PESA exports: exports/mpesa/ (\(statements.count) statements with \(grouped(statementRows)) rows, overlapping by a day; \(grouped(m.files(ofKind: "daraja_stk_callbacks").first?.rows ?? 0)) STK callbacks).",
        ]
        if m.options.plantDiscrepancies {
            var line = "Planted discrepancies: \(m.planted.count) of the \(SampleManifest.exceptionKinds.count) exception kinds, one each (listed in manifest.json)"
            if !skipped.isEmpty {
                line += "; not planted: " + skipped.map { "\($0.kind) (\($0.reason))" }.joined(separator: ", ")
            }
            lines.append(line + ".")
        } else {
            lines.append("Planted discrepancies: none (--clean): the exports and the database reconcile.")
        }
        return lines.joined(separator: "\n")
    }
}
