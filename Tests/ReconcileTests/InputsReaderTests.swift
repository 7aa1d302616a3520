import BackofficeCore
import Foundation
import Testing
import TestSupport
@testable import Reconcile

struct InputsReaderTests {
    @Test func detectsEachKindFromContent() {
        #expect(InputReader.detect(Array(InputsStripePaymentsTests.file.utf8)) == .stripePayments)
        #expect(InputReader.detect(Array(("\u{FEFF}Created (UTC);Amount;Currency\r\n").utf8)) == .stripePayments)
        #expect(InputReader.detect(Array(InputsStripeBalanceTests.file.utf8)) == .stripeBalance)
        #expect(InputReader.detect(Array(InputsMpesaStatementTests.statement.utf8)) == .mpesaStatement)
        #expect(InputReader.detect(Array(InputsDarajaTests.success.utf8)) == .darajaCallbacks)
        #expect(InputReader.detect(Array(("  \n[" + InputsDarajaTests.success + "]").utf8)) == .darajaCallbacks)
        #expect(InputReader.detect([]) == nil)
        #expect(InputReader.detect(Array("name,price\nPizza,9.00\n".utf8)) == nil)
        #expect(InputReader.detect(Array(#"{"TransID":"QKK71LNJOT","TransAmount":"1.00"}"#.utf8)) == nil)
    }

    /// The name says Stripe; the content is an M-PESA statement: content wins.
    @Test func fileNamesDoNotDecide() throws {
        let input = try inputsRead(InputsMpesaStatementTests.statement, name: "unified_payments.csv")
        #expect(input.kind == .mpesaStatement)
    }

    @Test func unknownKindNamesTheFileAndTheFourKinds() {
        let f = inputsFailure { () throws(Failure) in try inputsRead("name,price\nPizza,9.00\n", name: "menu.csv") }
        #expect(f?.status == .dataError)
        let message = f?.message ?? ""
        #expect(message.contains("menu.csv"))
        #expect(message.contains("Stripe Payments export"))
        #expect(message.contains("Stripe itemized balance report"))
        #expect(message.contains("M-PESA organisation statement"))
        #expect(message.contains("Daraja STK callbacks"))
    }

    @Test func emptyFileIsUnknown() {
        let f = inputsFailure { () throws(Failure) in try inputsRead("", name: "empty.csv") }
        #expect(f?.status == .dataError)
        #expect(f?.message.contains("empty.csv") == true)
        #expect(f?.message.contains("empty") == true)
    }

    @Test func c2bPayloadsAreRefusedWithAHint() {
        let f = inputsFailure { () throws(Failure) in
            try inputsRead(#"{"TransactionType":"Pay Bill","TransID":"QKK71LNJOT","TransAmount":"1.00"}"#, name: "c2b.json")
        }
        #expect(f?.status == .dataError)
        #expect(f?.message.contains("C2B") == true)
    }

    @Test func missingAndUnreadableFiles() throws {
        let folder = try TemporaryFolder("inputs")
        let missing = inputsFailure { () throws(Failure) in try InputReader.read(path: folder.path + "/nope.csv") }
        #expect(missing?.status == .noInput)
        #expect(missing?.message.contains("nope.csv") == true)
        let dir = inputsFailure { () throws(Failure) in try InputReader.read(path: folder.path) }
        #expect(dir?.status == .noInput)
        let expandMissing = inputsFailure { () throws(Failure) in try InputReader.expand([folder.path + "/nope"]) }
        #expect(expandMissing?.status == .noInput)
        if getuid() != 0 {
            let locked = folder.write("locked.csv", "x")
            chmod(locked, 0)
            let f = inputsFailure { () throws(Failure) in try InputReader.read(path: locked) }
            #expect(f?.status == .noInput)
        }
    }

    @Test func expandWalksFoldersSortedSkippingHiddenAndProcessed() throws {
        let folder = try TemporaryFolder("inputs")
        folder.write("b.csv", "x")
        folder.write("a/z.csv", "x")
        folder.write("a/c.log", "x")
        folder.write(".hidden.csv", "x")
        folder.write(".git/config", "x")
        folder.write("processed/old.csv", "x")
        folder.write("a/processed/older.csv", "x")
        let single = folder.write("solo/.explicit.csv", "x")
        let files = try InputReader.expand([folder.path, single, folder.path + "/b.csv"])
        let relative = files.map { String($0.dropFirst(folder.path.count + 1)) }
        #expect(relative == ["a/c.log", "a/z.csv", "b.csv", "solo/.explicit.csv"])
    }

    /// Issue #18: inside a folder only regular files and real folders are taken; a link (here a
    /// loop back up the tree) is refused with a sentence, never followed.
    @Test func expandRefusesALinkInsteadOfFollowingIt() throws {
        let folder = try TemporaryFolder("inputs")
        folder.write("a/x.csv", "x")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/a/loop", withDestinationPath: folder.path + "/a")
        #expect(throws: Failure.self) { try InputReader.expand([folder.path]) }
        do throws(Failure) {
            _ = try InputReader.expand([folder.path])
        } catch {
            #expect(error.status == .dataError)
            #expect(error.message.contains("a/loop") && error.message.contains("symbolic link"))
        }
    }

    @Test func parsedInputCarriesShaAndRows() throws {
        let folder = try TemporaryFolder("inputs")
        let path = folder.write("p.csv", InputsStripePaymentsTests.file)
        let input = try InputReader.read(path: path)
        #expect(input.file == path)
        #expect(input.sha256 == SHA256Digest.hex(Array(InputsStripePaymentsTests.file.utf8)))
        #expect(input.rows == 6)
        #expect(input.records.allSatisfy { $0.source.file == path && $0.inputKind == .stripePayments })
    }

    /// Rows of bare delimiters (spreadsheets append them) are not data rows.
    @Test func rowsOfBareDelimitersAreSkipped() throws {
        let text = "Created (UTC);Amount;Currency\r\n2024-06-07 02:38:54;15.00;usd\r\n;;\r\n;;\r\n"
        let input = try inputsRead(text)
        #expect(input.rows == 1)
    }

    /// A large file: many rows read, the digest agrees, every row is kept.
    @Test func manyRows() throws {
        var text = InputsStripeBalanceTests.header + "\n"
        for i in 0..<5000 {
            text += "txn_\(i),2026-11-02 10:15:00,,usd,\(i).25,0.10,\(i).15,charge,ch_\(i),Order \(i),,,po_\(i / 100),,ch_\(i),pi_\(i),,card,ord-\(i),venue-with-a-long-identifier-\(i % 3),order,\n"
        }
        let input = try inputsRead(text)
        #expect(input.rows == 5000)
        #expect(input.records.last?.amountMinor == 499_925)
        #expect(input.records.last?.netMinor == 499_915)
        #expect(input.records[4321].metadata["venue_id"] == "venue-with-a-long-identifier-1")
        #expect(input.records[4321].payoutId == "po_43")
        #expect(input.sha256 == SHA256Digest.hex(Array(text.utf8)))
    }
}

/// The real files from the field, read from `../shared/realdata`; skipped when it is absent.
@Suite(.enabled(if: InputsRealData.available))
struct InputsRealFilesTests {
    @Test func everyStripeCSVReads() throws {
        let folder = InputsRealData.path("stripe")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".csv") }.sorted()
        #expect(!files.isEmpty)
        for name in files {
            let input = try InputReader.read(path: folder + "/" + name)
            #expect(input.kind == .stripePayments, "\(name)")
            #expect(input.rows > 0, "\(name)")
            #expect(input.records.count == input.rows, "\(name)")
            #expect(Set(input.records.map(\.dedupKey)).count == input.rows, "\(name): keys must be distinct")
        }
    }

    @Test(.enabled(if: InputsRealData.exists("stripe/overlayon_unified_payments.csv"), "real data not beside this checkout"))
    func unifiedPaymentsLiveExport() throws {
        let input = try InputReader.read(path: InputsRealData.path("stripe/overlayon_unified_payments.csv"))
        #expect(input.rows == 1)
        let r = input.records[0]
        #expect(r.event == .payment)
        #expect(r.dedupKey == "ch_3POsheC8ukEwBaxR1SBP6Pvo")
        #expect(r.paymentIntent == "pi_3POshaC6ukEwZcxR1PAcB2Kx")
        #expect(r.amountMinor == 1500)
        #expect(r.currency == "USD")
        #expect(r.feeMinor == 3540)
        #expect(r.feeCurrency == "THB")
        #expect(r.occurredAt == utc("2024-06-07T02:38:54Z"))
        #expect(r.description == "Subscription update")
    }

    @Test(.enabled(if: InputsRealData.exists("stripe/overlayon_payments_export_semicolon_crlf.csv"), "real data not beside this checkout"))
    func semicolonCRLFExport() throws {
        let input = try InputReader.read(path: InputsRealData.path("stripe/overlayon_payments_export_semicolon_crlf.csv"))
        #expect(input.kind == .stripePayments)
        #expect(input.rows > 600)
        let first = input.records[0]
        #expect(first.amountMinor == 1500)
        #expect(first.currency == "USD")
        #expect(first.feeMinor == 3540)
        #expect(first.feeCurrency == "THB")
        #expect(first.chargeId == nil)
        #expect(first.occurredAt == utc("2024-06-07T02:38:54Z"))
        #expect(input.records.allSatisfy { $0.event == .payment })
        #expect(Set(input.records.map(\.currency)) == ["USD", "EUR", "MXN"])
    }

    /// The same account's full export (one charge, with its id) and its spreadsheet-saved export
    /// without ids (621 charges, that one first): read together they make 621 transactions.
    @Test(.enabled(if: InputsRealData.exists("stripe/overlayon_payments_export_semicolon_crlf.csv"), "real data not beside this checkout"))
    func idlessExportCountsOnceWithTheFullExport() throws {
        let full = "stripe/overlayon_unified_payments.csv", idless = "stripe/overlayon_payments_export_semicolon_crlf.csv"
        let a = try InputReader.read(path: InputsRealData.path(full)).records
        let b = try InputReader.read(path: InputsRealData.path(idless)).records
        #expect(RecordGroups(b).head.count == b.count)
        let both = RecordGroups(a + b)
        #expect(both.head.count == b.count)
        // the full export's row leads the group: its charge id and PaymentIntent are what is matched
        #expect(a[0].chargeId == "ch_3POsheC8ukEwBaxR1SBP6Pvo" && both.head[0] == 0 && both.next[0] == 1)
    }

    @Test(.enabled(if: InputsRealData.exists("stripe/brknt_unified_payments_testmode.csv"), "real data not beside this checkout"))
    func testModeExport() throws {
        let input = try InputReader.read(path: InputsRealData.path("stripe/brknt_unified_payments_testmode.csv"))
        #expect(input.rows == 6)
        #expect(input.records.allSatisfy { $0.amountMinor == 4000 && $0.feeMinor == 146 && $0.feeCurrency == nil })
        #expect(input.records[0].dedupKey == "ch_3Og8NVEIzUeqNk3Z19OdxJ8e")
    }

    @Test(.enabled(if: InputsRealData.exists("mpesa/daraja_stk_callbacks_concatenated_redacted.txt"), "real data not beside this checkout"))
    func darajaConcatenatedCallbacks() throws {
        let name = "mpesa/daraja_stk_callbacks_concatenated_redacted.txt"
        let input = try InputReader.read(path: InputsRealData.path(name))
        #expect(input.kind == .darajaCallbacks)
        #expect(input.rows == 6)
        let paid = input.records.filter { $0.event == .payment }
        #expect(paid.map(\.dedupKey) == ["QKH94M1Z11", "QKL4CL10OG", "QKL7CL84P7"])
        #expect(paid.map(\.amountMinor) == [100, 100, 200])
        #expect(paid[0].occurredAt == utc("2022-11-17T12:57:45Z"))
        #expect(paid[0].msisdn == "254700000000")
        let failed = input.records.filter { $0.event == .failedPayment }
        #expect(failed.count == 3)
        #expect(failed.allSatisfy { $0.dedupKey.hasPrefix("ws_CO_") && $0.providerStatus == "1032" && $0.occurredAtKnown })
    }

    /// The C2B payloads are not STK callbacks: refused as an unknown kind with a hint (65).
    @Test(.enabled(if: InputsRealData.exists("mpesa/daraja_sandbox_c2b_validation_hashed_msisdn.json"), "real data not beside this checkout"),
          arguments: ["mpesa/daraja_sandbox_c2b_confirmations_concatenated.txt", "mpesa/daraja_sandbox_c2b_validation_hashed_msisdn.json"])
    func c2bFilesAreRefused(name: String) {
        let f = inputsFailure { () throws(Failure) in try InputReader.read(path: InputsRealData.path(name)) }
        #expect(f?.status == .dataError)
        #expect(f?.message.contains("C2B") == true)
    }

    @Test(.enabled(if: InputsRealData.exists("stripe/stripe_openapi_fixtures3.json"), "real data not beside this checkout"))
    func stripeAPIFixturesAreRefused() {
        let name = "stripe/stripe_openapi_fixtures3.json"
        let f = inputsFailure { () throws(Failure) in try InputReader.read(path: InputsRealData.path(name)) }
        #expect(f?.status == .dataError)
    }

    @Test func expandingTheRealFolderFindsEveryFile() throws {
        let files = try InputReader.expand([InputsRealData.path("stripe"), InputsRealData.path("mpesa")])
        #expect(files.count >= 4)
        #expect(files == files.sorted())
    }
}

struct InputsInternerTests {
    /// Collisions, repeats and unique values all come back as the text given.
    @Test(arguments: [3, 700, 100_000])
    func returnsTheTextGiven(distinct: Int) {
        var interner = Interner()
        for i in 0..<6000 {
            let text = "a-long-enough-value-\(i % distinct)"
            #expect(interner.text(Array(text.utf8)[...]) == text)
        }
        #expect(interner.text(Array("short".utf8)[...]) == "short")
    }
}
