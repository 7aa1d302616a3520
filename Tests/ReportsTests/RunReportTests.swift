import BackofficeCore
import Foundation
import LiveDatabase
import Testing
import TestSupport
@testable import Reports

struct RunReportTests {
    /// This test's folder (a suite is made afresh for every test), removed when the test ends.
    let scratch: TemporaryFolder

    init() throws { scratch = try TemporaryFolder("reports-test") }

    static let files = RunReport.csvFiles + ["report.html"]

    func write(_ fixture: RunFixture = RunFixture(), runId: String? = nil) throws -> ReportOutput {
        let db = try fixture.make(in: scratch)
        let output = try RunReport.write(database: db, runId: runId, outDir: scratch.file("reports"))
        return output
    }

    @Test func snapshotsOfTheSampleRun() throws {
        let output = try write()
        #expect(output.runId == "run-20261108-0200")
        #expect(output.folder.lastPathComponent == "run-20261108-0200")
        #expect(output.files.map(\.lastPathComponent) == Self.files)
        #expect(output.exceptionCount == 4)
        for file in output.files { try expectSnapshot(file, named: file.lastPathComponent) }
    }

    @Test func latestSkipsRunsThatAreNotCommitted() throws {
        let output = try write()
        #expect(output.runId == "run-20261108-0200")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.file("reports").path)
        #expect(leftovers == ["run-20261108-0200"])
    }

    @Test func anOlderRunById() throws {
        let output = try write(runId: "run-20261101-0200")
        let html = try String(contentsOf: output.html, encoding: .utf8)
        #expect(html.contains("Everything matched"))
        let matches = try readCSV(output.folder.appendingPathComponent("matches.csv"))
        #expect(matches.rows.isEmpty)
    }

    @Test func unknownOrUncommittedRunIsMissingInput() throws {
        let db = try RunFixture().make(in: scratch)
        for id in ["no-such-run", "run-writing", "run-superseded"] {
            do {
                _ = try RunReport.write(database: db, runId: id, outDir: scratch.file("r"))
                Issue.record("\(id) was reported")
            } catch {
                #expect(error.status == .noInput)
                #expect(error.message.contains("'\(id)'"))
                #expect(error.message.contains("run-20261108-0200"))
            }
        }
    }

    @Test func noRunAtAll() throws {
        let path = scratch.file("live.db").path
        let queue = try GRDBHelper.create(path)
        _ = queue
        let db = try LiveDatabase(path: path)
        do {
            _ = try RunReport.write(database: db, runId: nil, outDir: scratch.file("r"))
            Issue.record("reported without a run")
        } catch {
            #expect(error.status == .noInput)
            #expect(error.message.contains("run backoffice reconcile first"))
        }
    }

    @Test func unwritableOutputIs73() throws {
        let db = try RunFixture().make(in: scratch)
        let blocker = scratch.file("a-file")
        try Data("x".utf8).write(to: blocker)
        do {
            _ = try RunReport.write(database: db, runId: nil, outDir: blocker.appendingPathComponent("reports"))
            Issue.record("wrote under a file")
        } catch {
            #expect(error.status == .cantCreate)
        }
    }

    @Test func writingAgainReplacesTheFolder() throws {
        let db = try RunFixture().make(in: scratch)
        let out = scratch.file("reports")
        let first = try RunReport.write(database: db, runId: nil, outDir: out)
        try Data("stale".utf8).write(to: first.folder.appendingPathComponent("stale.txt"))
        let second = try RunReport.write(database: db, runId: nil, outDir: out)
        #expect(first.folder == second.folder)
        #expect(!FileManager.default.fileExists(atPath: second.folder.appendingPathComponent("stale.txt").path))
    }

    @Test func folderNamesAreSafe() {
        #expect(RunReport.folderName("run-1") == "run-1")
        #expect(RunReport.folderName("../etc/passwd") == "run.._etc_passwd")
        #expect(RunReport.folderName("") == "run")
    }

    // MARK: - Totals

    @Test func csvTotalsEqualTheSumOfTheirRows() throws {
        let output = try write()
        let specs = [ReportTables.exceptions, ReportTables.matches, ReportTables.daily, ReportTables.payouts, ReportTables.ledger, ReportTables.inputs,
                     ReportTables.closed]
        for spec in specs {
            let (header, csvRows) = try readCSV(output.folder.appendingPathComponent(spec.file))
            // the first column says what a row is: data or a total
            #expect(header == ["row_type"] + spec.header)
            #expect(csvRows.allSatisfy { $0[0] == "row" || $0[0] == "total" })
            let rows = csvRows.map { Array($0.dropFirst()) }
            let label = spec.labelColumn
            let body = zip(csvRows, rows).filter { $0.0[0] == "row" }.map(\.1)
            let foot = zip(csvRows, rows).filter { $0.0[0] == "total" }.map(\.1)
            #expect(foot.allSatisfy { $0[label] == "Total" })
            #expect(!foot.isEmpty || body.isEmpty, "\(spec.file) has no totals")
            #expect(csvRows.suffix(foot.count).allSatisfy { $0[0] == "total" }, "\(spec.file): totals are not at the foot")
            for footRow in foot {
                let group = spec.groupBy.map { footRow[$0] }
                let members = body.filter { row in group.map { row[spec.groupBy!] == $0 } ?? true }
                #expect(!members.isEmpty)
                for (i, column) in spec.columns.enumerated() where column.summed {
                    let exponent = group.flatMap { Currency(code: $0)?.exponent } ?? 0
                    let sum = try members.reduce(Int64(0)) { acc, row in
                        acc + (row[i].isEmpty ? 0 : try MoneyText.minorUnits(row[i], exponent: exponent))
                    }
                    let total = footRow[i].isEmpty ? 0 : try MoneyText.minorUnits(footRow[i], exponent: exponent)
                    #expect(sum == total, "\(spec.file) \(column.key) \(group ?? ""): rows add up to \(sum), total says \(total)")
                }
            }
        }
    }

    @Test func htmlTotalsEqualTheSumOfTheirRows() throws {
        let output = try write()
        let html = try String(contentsOf: output.html, encoding: .utf8)
        let ids = ["providers", "kinds", "inputs", "daily", "payouts", "ledger", "matches"]
        for id in ids {
            let table = try #require(htmlTable(html, id: id), "no table \(id)")
            #expect(!table.foot.isEmpty, "\(id) has no totals foot")
            for foot in table.foot {
                let group = foot.first { $0.col == "currency" }?.text
                let members = table.body.filter { row in group.map { g in row.first { $0.col == "currency" }?.text == g } ?? true }
                for (i, cell) in foot.enumerated() {
                    guard let total = cell.value else { continue }
                    let sum = members.reduce(Int64(0)) { $0 + ($1[i].value ?? 0) }
                    #expect(sum == total, "\(id) \(cell.col) \(group ?? ""): rows add up to \(sum), total says \(total)")
                    // the figure shown is the figure added
                    let exponent = group.flatMap { Currency(code: $0)?.exponent } ?? 0
                    #expect(cell.text == MoneyText.grouped(total, exponent: cell.text.contains(".") ? exponent : 0))
                }
            }
        }
        // the summary's takings by provider equal the daily takings' totals
        let providers = try #require(htmlTable(html, id: "providers"))
        let daily = try #require(htmlTable(html, id: "daily"))
        for foot in providers.foot {
            let currency = foot.first { $0.col == "currency" }!.text
            let dailyFoot = try #require(daily.foot.first { $0.first { $0.col == "currency" }?.text == currency })
            for col in ["payments", "gross", "fees", "refunds", "net"] {
                #expect(foot.first { $0.col == col }?.value == dailyFoot.first { $0.col == col }?.value)
            }
        }
        // the verdict counts the exceptions the page lists
        #expect(html.contains("4 things need you"))
        let kinds = try #require(htmlTable(html, id: "kinds"))
        #expect(kinds.foot.reduce(Int64(0)) { $0 + ($1.first { $0.col == "count" }?.value ?? 0) } == 4)
    }

    @Test func cleanRunSaysEverythingMatched() throws {
        var fixture = RunFixture()
        fixture.withExceptions = false
        let output = try write(fixture)
        let html = try String(contentsOf: output.html, encoding: .utf8)
        #expect(html.contains(">Everything matched<"))
        #expect(!html.contains("need you"))
        let exceptions = try readCSV(output.folder.appendingPathComponent("exceptions.csv"))
        #expect(exceptions.rows.isEmpty)
        #expect(output.exceptionCount == 0)
    }

    @Test func matchesAreCappedInTheHTMLOnly() throws {
        let db = try RunFixture().make(in: scratch)
        let writer = try db.writer()
        try writer.write { d in
            for seq in 5...(RunReport.htmlMatchLimit + 20) {
                try d.execute(sql: """
                    INSERT INTO batch_matches (run_id, seq, provider, provider_ref, venue_id, amount_cents, fee_cents, currency, occurred_at)
                    VALUES ('run-20261108-0200', ?, 'stripe', ?, ?, 100, 3, 'USD', '2026-11-05T10:00:00Z')
                    """, arguments: [seq, "pi_\(seq)", RunFixture.bistro])
            }
        }
        let output = try RunReport.write(database: db, runId: nil, outDir: scratch.file("r"))
        let csv = try readCSV(output.folder.appendingPathComponent("matches.csv"))
        #expect(csv.rows.filter { $0[0] == "row" }.count == RunReport.htmlMatchLimit + 20)
        let html = try String(contentsOf: output.html, encoding: .utf8)
        let table = try #require(htmlTable(html, id: "matches"))
        #expect(table.body.count == RunReport.htmlMatchLimit)
        #expect(html.contains("The first 500 of 520 matched payments"))
    }

    // MARK: - Phone numbers

    @Test func phoneNumbersAreMaskedEverywhere() throws {
        let output = try write()
        for file in output.files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for number in ["254712345678", "254798765432"] {
                let shows = text.contains(number)
                #expect(!shows, "\(file.lastPathComponent) shows \(number)")
            }
        }
        let matches = try String(contentsOf: output.folder.appendingPathComponent("matches.csv"), encoding: .utf8)
        let maskedInCSV = matches.contains("Pay Bill from 2547****5678 - JANE DOE")
        #expect(maskedInCSV)
        let html = try String(contentsOf: output.html, encoding: .utf8)
        let masked = html.contains("2547****5432")   // 254798765432 in an exception's detail
        #expect(masked)
    }
}

import GRDB

enum GRDBHelper {
    /// A live database without the batch tables: no run was ever made.
    static func create(_ path: String) throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: LiveSchema.sql) }
        return queue
    }
}

extension RunReportTests {
    /// A match whose order has no customer row takes the name on the order's first invoice, and
    /// the matches are read without a sub-query per row (which scanned every invoice for every
    /// match: hours at a million orders).
    @Test func matchesTakeTheCustomerOfTheOrdersInvoiceInOnePass() throws {
        let db = try RunFixture().make(in: scratch)
        let queue = try db.writer()
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO orders (id, venue_id, order_number, items, total_cents, currency, status, payment_method, payment_status, created_at, updated_at)
                VALUES ('order-walkin', ?, 99, '[]', 500, 'USD', 'completed', 'card', 'paid', '2026-11-03T10:00:00Z', '2026-11-03T10:00:00Z');
                INSERT INTO invoices (id, venue_id, order_id, customer_name, msisdn, amount_cents, currency, description, status, created_at, updated_at) VALUES
                ('INV-A', ?, 'order-walkin', 'First Invoice Name', '254700000001', 500, 'USD', 'Walk-in', 'PAID', '2026-11-03T10:00:00Z', '2026-11-03T10:00:00Z'),
                ('INV-B', ?, 'order-walkin', 'Second Invoice Name', '254700000002', 500, 'USD', 'Walk-in', 'PAID', '2026-11-03T10:01:00Z', '2026-11-03T10:01:00Z');
                INSERT INTO batch_matches (run_id, seq, provider, provider_ref, payment_id, purpose, order_id, venue_id, amount_cents, currency, occurred_at)
                VALUES ('run-20261108-0200', 99, 'stripe', 'pi_walkin', 'pay-walkin', 'order', 'order-walkin', ?, 500, 'USD', '2026-11-03T10:02:00Z');
                """, arguments: [RunFixture.bistro, RunFixture.bistro, RunFixture.bistro, RunFixture.bistro])
        }
        try queue.read { db in
            var customers: [String: String?] = [:]
            try RunStore.forEachMatch(db, run: "run-20261108-0200") { m in customers[m.orderId ?? "-"] = m.customer }
            #expect(customers["order-walkin"] == .some("First Invoice Name"))
            #expect(customers[RunFixture.order17] == .some("Tom O'Neil"))
            let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + RunStore.matchesSQL, arguments: ["run-20261108-0200"])
                .map { ($0["detail"] as String?) ?? "" }
            #expect(!plan.contains { $0.contains("CORRELATED") }, "\(plan)")
        }
    }
}

extension RunReportTests {
    /// The report reads the matches in chunks of one short transaction each, cut at a number of
    /// matches or a time (the live writer waits while a chunk reads in rollback-journal mode):
    /// chunk after chunk, they are every match once, in order, as one pass reads them.
    @Test func matchesReadInChunksAreEveryMatchOnceInOrder() throws {
        let db = try RunFixture().make(in: scratch)
        try db.writer().write { db in
            for seq in 10..<210 {
                try db.execute(sql: """
                    INSERT INTO batch_matches (run_id, seq, provider, provider_ref, payment_id, purpose, venue_id, amount_cents, currency, occurred_at)
                    VALUES ('run-20261108-0200', ?, 'stripe', ?, ?, 'order', ?, 100, 'USD', '2026-11-03T10:02:00Z')
                    """, arguments: [seq, "pi_\(seq)", "pay-\(seq)", RunFixture.bistro])
            }
        }
        try db.writer().read { db in
            var whole: [String] = []
            try RunStore.forEachMatch(db, run: "run-20261108-0200") { whole.append($0.paymentId ?? "") }
            #expect(whole.count == 204)
            let customers = try RunStore.invoiceCustomers(db)
            for (limit, time) in [(7, Duration.seconds(60)), (1000, .zero)] {
                var read: [String] = [], after: Int64 = -1, chunks = 0
                while true {
                    let chunk = try RunStore.matches(db, run: "run-20261108-0200", after: after, limit: limit, time: time, customers: customers)
                    #expect(chunk.matches.count <= min(limit, 64))
                    read += chunk.matches.map { $0.1.paymentId ?? "" }
                    after = chunk.matches.last?.0 ?? after
                    chunks += 1
                    if chunk.complete { break }
                }
                #expect(read == whole, "limit \(limit)")
                #expect(chunks >= 4, "limit \(limit): \(chunks) chunks")
            }
        }
    }
}
