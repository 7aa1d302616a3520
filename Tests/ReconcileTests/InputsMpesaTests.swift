import BackofficeCore
import Testing
@testable import Reconcile

struct InputsMpesaStatementTests {
    static let preamble = "Organization Name,Mama Njeri Kitchen\nOrganization Short Code,600123\nAccount,Utility Account\nTime Period,01-11-2026 00:00:00 - 08-11-2026 00:00:00\n\n"
    static let header = "Receipt No.,Completion Time,Initiation Time,Details,Transaction Status,Paid In,Withdrawn,Balance,Balance Confirmed,Reason Type,Other Party Info,Linked Transaction ID,A/C No.\n"
    static let rows = [
        "TKL9WD0000,07-11-2026 18:00:00,07-11-2026 18:00:00,Withdraw Funds to Bank,Completed,,\"-10,000.00\",\"2,215.00\",true,Business Withdrawal,Bank,,",
        "TKL8RV0000,07-11-2026 12:00:00,07-11-2026 12:00:00,Reversal,Completed,,-450.00,\"12,215.00\",true,Reversal,254712***678 - JANE DOE,TKL2ABC3DE,",
        "TKL7FL0000,06-11-2026 10:00:00,06-11-2026 10:00:00,Pay Bill from 254799***111 - JOHN Acc. INV-0001,Failed,\"1,250.00\",,\"12,665.00\",true,Pay Bill Online,254799***111 - JOHN,,INV-0001",
        "TKL6CA0000,06-11-2026 09:00:00,06-11-2026 09:00:00,Pay Bill from 254799***111 - JOHN Acc. INV-0001,Cancelled,\"1,250.00\",,\"12,665.00\",true,Pay Bill Online,254799***111 - JOHN,,INV-0001",
        "TKL3CH0000,05-11-2026 14:05:10,05-11-2026 14:05:10,Pay Bill Charge,Completed,,-5.00,\"12,665.00\",true,Pay Bill Charge,,TKL2ABC3DE,",
        "TKL2ABC3DE,05-11-2026 14:05:09,05-11-2026 14:05:09,Pay Bill from 254712***678 - JANE DOE Acc. OD1a2b3c4d,Completed,\"12,220.00\",,\"12,670.00\",true,Pay Bill Online,254712***678 - JANE DOE,,OD1a2b3c4d",
        "TKL1UN0000,04-11-2026 00:30:00,04-11-2026 00:30:00,Pay Bill from 254700111222 - AMINA Acc. INV-0002,Completed,450.00,,450.00,true,Pay Bill Online,254700111222 - AMINA,,INV-0002",
        "TKL0WB0000,03-11-2026 08:00:00,03-11-2026 08:00:00,Business Pay Bill Charge,Completed,,-33.00,0.00,true,Business Withdrawal,,,",
    ]
    static let statement = preamble + header + rows.joined(separator: "\n") + "\n"

    /// The preamble's short code names the venue the statement belongs to; a statement without
    /// a preamble has none, and a header never counts as one.
    @Test func shortCodeFromThePreamble() throws {
        #expect(try inputsRead(Self.statement, name: "statement.csv").mpesaShortCode == "600123")
        #expect(try inputsRead("\u{FEFF}\"Organization Short Code\",\" 4012345 \"\r\n" + Self.header + Self.rows[5] + "\n", name: "s.csv").mpesaShortCode == "4012345")
        #expect(try inputsRead(Self.header + Self.rows[5] + "\n", name: "s.csv").mpesaShortCode == nil)
        #expect(try inputsRead("Organization Short Code,n/a\n" + Self.header + Self.rows[5] + "\n", name: "s.csv").mpesaShortCode == nil)
    }

    @Test func everyRowType() throws {
        let input = try inputsRead(Self.statement, name: "statement.csv")
        #expect(input.kind == .mpesaStatement)
        #expect(input.rows == 8)
        let r = input.records
        #expect(r.map(\.event) == [.withdrawal, .refund, .failedPayment, .failedPayment, .fee, .payment, .payment, .withdrawal])
        #expect(r.allSatisfy { $0.provider == .mpesa && $0.currency == "KES" })
        #expect(r.map(\.dedupKey) == ["TKL9WD0000", "TKL8RV0000", "TKL7FL0000", "TKL6CA0000", "TKL3CH0000", "TKL2ABC3DE", "TKL1UN0000", "TKL0WB0000"])
        #expect(r[0].amountMinor == 1_000_000)
        #expect(r[1].amountMinor == 45_000)
        #expect(r[1].reversesRef == "TKL2ABC3DE")
        #expect(r[2].amountMinor == 125_000)
        #expect(r[4].amountMinor == 500)
        #expect(r[4].reversesRef == "TKL2ABC3DE")
        // the payment: EAT to UTC, thousands separators, A/C No., masked number not kept
        #expect(r[5].amountMinor == 1_222_000)
        #expect(r[5].occurredAt == utc("2026-11-05T11:05:09Z"))
        #expect(r[5].accountRef == "OD1a2b3c4d")
        #expect(r[5].mpesaReceipt == "TKL2ABC3DE")
        #expect(r[5].msisdn == nil)
        #expect(r[5].description?.hasPrefix("Pay Bill from") == true)
        #expect(r[5].source.line == 12)
        // an unmasked payer number is kept, digits only; 00:30 EAT is the previous day in UTC
        #expect(r[6].msisdn == "254700111222")
        #expect(r[6].occurredAt == utc("2026-11-03T21:30:00Z"))
        #expect(r[6].accountRef == "INV-0002")
        #expect(r[0].source.line == 7)
    }

    /// Year-first times, no preamble, no A/C No. column (the account comes from Details), CRLF.
    @Test func yearFirstVariantWithoutPreamble() throws {
        let text = "Receipt No.,Completion Time,Details,Transaction Status,Paid In,Withdrawn,Reason Type,Other Party Info\r\n"
            + "TKL5YF0000,2026-11-05 14:05:09,Pay Bill from 254712***678 - JANE DOE Acc. INV-0009,Completed,\"1,250.00\",,Pay Bill Online,254712***678 - JANE DOE\r\n"
        let input = try inputsRead(text)
        #expect(input.kind == .mpesaStatement)
        let r = input.records[0]
        #expect(r.event == .payment)
        #expect(r.occurredAt == utc("2026-11-05T11:05:09Z"))
        #expect(r.accountRef == "INV-0009")
        #expect(r.amountMinor == 125_000)
    }

    @Test func completionTimeFallsBackToInitiationTime() throws {
        let text = Self.header + "TKL5YF0000,,2026-11-05 14:05:09,Pay Bill,Completed,10.00,,,true,Pay Bill Online,,,A1\n"
        let r = try inputsRead(text).records[0]
        #expect(r.occurredAt == utc("2026-11-05T11:05:09Z"))
    }

    @Test(arguments: [
        ("\"1,25.00\"", "", "Paid In", "'1,25.00' is not an amount"),
        ("12.345", "", "Paid In", "more than 2 decimals"),
        ("", "-5.0.0", "Withdrawn", "'-5.0.0' is not an amount"),
        ("-3.00", "", "Paid In", "Paid In is negative"),
    ])
    func badAmountsNameFileLineAndColumn(paidIn: String, withdrawn: String, column: String, reason: String) {
        let text = Self.preamble + Self.header + Self.rows[6] + "\n"
            + "TKL4BA0000,04-11-2026 00:30:00,04-11-2026 00:30:00,Pay Bill,Completed,\(paidIn),\(withdrawn),0.00,true,Pay Bill Online,,,A1\n"
        let f = inputsFailure { () throws(Failure) in try inputsRead(text, name: "mpesa.csv") }
        #expect(f?.status == .dataError)
        #expect(f?.message.contains("mpesa.csv, line 8, column '\(column)'") == true)
        #expect(f?.message.contains(reason) == true)
    }

    @Test func badTimeEmptyReceiptAndNoAmount() {
        let badTime = Self.header + "TKL4BA0000,31-11-2026 10:00:00,,Pay Bill,Completed,1.00,,,true,Pay Bill Online,,,A1\n"
        let f = inputsFailure { () throws(Failure) in try inputsRead(badTime, name: "mpesa.csv") }
        #expect(f?.status == .dataError)
        #expect(f?.message.contains("mpesa.csv, line 2, column 'Completion Time'") == true)

        let noReceipt = Self.header + ",05-11-2026 10:00:00,,Pay Bill,Completed,1.00,,,true,Pay Bill Online,,,A1\n"
        let g = inputsFailure { () throws(Failure) in try inputsRead(noReceipt, name: "mpesa.csv") }
        #expect(g?.message.contains("mpesa.csv, line 2, column 'Receipt No.'") == true)

        let noAmount = Self.header + "TKL4BA0000,05-11-2026 10:00:00,,Pay Bill,Completed,,,,true,Pay Bill Online,,,A1\n"
        let h = inputsFailure { () throws(Failure) in try inputsRead(noAmount, name: "mpesa.csv") }
        #expect(h?.status == .dataError)
        #expect(h?.message.contains("mpesa.csv, line 2") == true)
    }

    @Test func wrongFieldCount() {
        let text = Self.preamble + Self.header + "TKL4BA0000,05-11-2026 10:00:00,,Pay Bill,Completed,1.00\n"
        let f = inputsFailure { () throws(Failure) in try inputsRead(text, name: "mpesa.csv") }
        #expect(f?.status == .dataError)
        #expect(f?.message.contains("mpesa.csv, line 7") == true)
    }

    @Test func phoneAndAccountHelpers() {
        #expect(MpesaStatementReader.phone(Array("254712345678 - JANE".utf8)[...]) == "254712345678")
        #expect(MpesaStatementReader.phone(Array("254712***678 - JANE".utf8)[...]) == nil)
        #expect(MpesaStatementReader.phone(Array("Bank".utf8)[...]) == nil)
        #expect(MpesaStatementReader.accountFromDetails(Array("Pay Bill from 2547 - X Acc. OD12345678".utf8)[...]) == "OD12345678")
        #expect(MpesaStatementReader.accountFromDetails(Array("Withdraw".utf8)[...]) == nil)
    }

    @Test func timeForms() {
        #expect(parseTime(Array("05-11-2026 14:05:09".utf8)[...]) == utc("2026-11-05T14:05:09Z"))
        #expect(parseTime(Array("2026-11-05 14:05:09".utf8)[...]) == utc("2026-11-05T14:05:09Z"))
        #expect(parseTime(Array("5/11/2026 14:05".utf8)[...]) == utc("2026-11-05T14:05:00Z"))
        #expect(parseTime(Array("2026-11-05T14:05:09Z".utf8)[...]) == utc("2026-11-05T14:05:09Z"))
        #expect(parseTime(Array("2026-11-05".utf8)[...]) == utc("2026-11-05T00:00:00Z"))
        #expect(parseTime(Array("05-11-2026 14:05:09".utf8)[...], utcOffsetSeconds: 3 * 3600) == utc("2026-11-05T11:05:09Z"))
        #expect(parseTime(Array("05-11-2026 14:05:09".utf8)[...], order: .yearFirst) == nil)
        #expect(parseTime(Array("2026-11-31 10:00:00".utf8)[...]) == nil)
        #expect(parseTime(Array("2026-11-05 14:05:09 EAT".utf8)[...]) == nil)
        #expect(parseTime(Array("11/5/26".utf8)[...]) == nil)
    }
}

struct InputsDarajaTests {
    static let success = #"{"Body":{"stkCallback":{"MerchantRequestID":"1-2-1","CheckoutRequestID":"ws_CO_17112022155730304700000000","ResultCode":0,"ResultDesc":"The service request is processed successfully.","CallbackMetadata":{"Item":[{"Name":"Amount","Value":1.00},{"Name":"MpesaReceiptNumber","Value":"QKH94M1Z11"},{"Name":"Balance"},{"Name":"TransactionDate","Value":20221117155745},{"Name":"PhoneNumber","Value":254700000000}]}}}}"#
    static let cancelled = #"{"Body":{"stkCallback":{"MerchantRequestID":"1-2-2","CheckoutRequestID":"ws_CO_17112022155511840700000000","ResultCode":1032,"ResultDesc":"Request cancelled by user"}}}"#
    static let whole = #"{"Body":{"stkCallback":{"MerchantRequestID":"1-2-3","CheckoutRequestID":"ws_CO_X","ResultCode":0,"ResultDesc":"ok","CallbackMetadata":{"Item":[{"Name":"Amount","Value":450},{"Name":"MpesaReceiptNumber","Value":"TKL2ABC3DE"},{"Name":"TransactionDate","Value":20261105140509},{"Name":"PhoneNumber","Value":254712345678}]}}}}"#

    private func check(_ records: [ProviderRecord]) {
        #expect(records.count == 3)
        guard records.count == 3 else { return }
        #expect(records.map(\.event) == [.failedPayment, .payment, .payment])
        let failed = records[0]
        #expect(failed.dedupKey == "ws_CO_17112022155511840700000000")
        #expect(failed.checkoutRequestId == failed.dedupKey)
        #expect(failed.amountMinor == 0)
        #expect(failed.providerStatus == "1032")
        #expect(failed.description == "Request cancelled by user")
        // the time comes from the CheckoutRequestID: 17-11-2022 15:55:11 EAT
        #expect(failed.occurredAt == utc("2022-11-17T12:55:11Z"))
        #expect(failed.occurredAtKnown)
        let paid = records[1]
        #expect(paid.dedupKey == "QKH94M1Z11")
        #expect(paid.mpesaReceipt == "QKH94M1Z11")
        #expect(paid.checkoutRequestId == "ws_CO_17112022155730304700000000")
        #expect(paid.amountMinor == 100)
        #expect(paid.currency == "KES")
        #expect(paid.msisdn == "254700000000")
        #expect(paid.occurredAt == utc("2022-11-17T12:57:45Z"))
        #expect(records[2].amountMinor == 45_000)
        #expect(records[2].occurredAt == utc("2026-11-05T11:05:09Z"))
    }

    @Test func concatenatedObjects() throws {
        let input = try inputsRead(Self.cancelled + Self.success + Self.whole, name: "callbacks.log")
        #expect(input.kind == .darajaCallbacks)
        #expect(input.rows == 3)
        check(input.records)
    }

    @Test func oneObjectPerLineKeepsLineNumbers() throws {
        let input = try inputsRead(Self.cancelled + "\n" + Self.success + "\n\n" + Self.whole + "\n", name: "callbacks.txt")
        check(input.records)
        #expect(input.records.map(\.source.line) == [1, 2, 4])
    }

    @Test func arrayOfCallbacks() throws {
        let input = try inputsRead("[\n" + Self.cancelled + ",\n" + Self.success + ",\n" + Self.whole + "\n]\n", name: "callbacks.json")
        #expect(input.kind == .darajaCallbacks)
        check(input.records)
        #expect(input.records.map(\.source.line) == [2, 3, 4])
    }

    @Test func singleObjectAndBareCallback() throws {
        let one = try inputsRead(Self.success, name: "one.json")
        #expect(one.records.count == 1)
        #expect(one.records[0].amountMinor == 100)
        let bare = #"{"CheckoutRequestID":"ws_CO_1","ResultCode":"2001","ResultDesc":"Wrong PIN \u00e9 \"x\""}"#
        let b = try inputsRead(bare, name: "bare.json")
        #expect(b.records[0].event == .failedPayment)
        #expect(b.records[0].description == "Wrong PIN é \"x\"")
        #expect(b.records[0].occurredAtKnown == false)
    }

    @Test(arguments: [
        (#""Value":1.00}"#, #""Value":1.005}"#, "Amount", "more than 2 decimals"),
        (#""Value":1.00}"#, #""Value":1e2}"#, "Amount", "'1e2' is not an amount"),
        (#""Value":1.00}"#, #""Value":-1.00}"#, "Amount", "is negative"),
        (#""Value":20221117155745"#, #""Value":20221131155745"#, "TransactionDate", "is not a date and time"),
        (#""Value":"QKH94M1Z11""#, #""Value":"""#, "MpesaReceiptNumber", "empty"),
        (#""Value":254700000000"#, #""Value":"+254 700""#, "PhoneNumber", "is not a phone number"),
    ])
    func badValuesNameFileLineAndField(original: String, replacement: String, column: String, reason: String) {
        let bad = Self.success.replacingOccurrences(of: original, with: replacement)
        let f = inputsFailure { () throws(Failure) in try inputsRead(Self.cancelled + "\n" + bad, name: "cb.log") }
        #expect(f?.status == .dataError)
        #expect(f?.message.contains("cb.log, line 2, column '\(column)'") == true)
        #expect(f?.message.contains(reason) == true)
    }

    @Test func truncatedAndMalformedJSON() {
        let cut = String((Self.cancelled + "\n" + Self.success).dropLast(5))
        let f = inputsFailure { () throws(Failure) in try inputsRead(cut, name: "cb.log") }
        #expect(f?.status == .dataError)
        #expect(f?.message.contains("cb.log, line 2") == true)
        let junk = Self.cancelled + "\n" + #"{"Body":{"stkCallback":{"ResultCode":0 "x":1}}}"#
        let g = inputsFailure { () throws(Failure) in try inputsRead(junk, name: "cb.log") }
        #expect(g?.message.contains("cb.log, line 2") == true)
        #expect(g?.message.contains("at character") == true)
    }

    @Test func successWithoutReceiptOrAmount() {
        let noReceipt = Self.success.replacingOccurrences(of: #"{"Name":"MpesaReceiptNumber","Value":"QKH94M1Z11"},"#, with: "")
        let f = inputsFailure { () throws(Failure) in try inputsRead(noReceipt, name: "cb.log") }
        #expect(f?.message.contains("column 'MpesaReceiptNumber'") == true)
        let noAmount = Self.success.replacingOccurrences(of: #"{"Name":"Amount","Value":1.00},"#, with: "")
        let g = inputsFailure { () throws(Failure) in try inputsRead(noAmount, name: "cb.log") }
        #expect(g?.message.contains("column 'Amount'") == true)
    }

    /// Strings of every length around the eight-byte steps of the string scanner, raw UTF-8 kept,
    /// a raw control character refused.
    @Test func stringsOfEveryLength() throws {
        for length in 0..<40 {
            let desc = String(repeating: "é", count: length % 3) + String(repeating: "x", count: length)
            let text = #"{"CheckoutRequestID":"ws_CO_1","ResultCode":1,"ResultDesc":""# + desc + #""}"#
            let r = try inputsRead(text, name: "s.json").records
            #expect(r[0].description == desc)
        }
        let tab = #"{"CheckoutRequestID":"ws_CO_1","ResultCode":1,"ResultDesc":"a"# + "\t" + #"b"}"#
        let f = inputsFailure { () throws(Failure) in try inputsRead(tab, name: "s.json") }
        #expect(f?.message.contains("control character") == true)
    }

    @Test func jsonThatIsNotACallback() {
        let f = inputsFailure { () throws(Failure) in try inputsRead(Self.success + #"{"Body":{"other":1}}"#, name: "cb.log") }
        #expect(f?.status == .dataError)
        #expect(f?.message.contains("not an STK callback") == true)
    }
}
