import BackofficeCore

/// Daraja STK push callbacks as the service logs them: `{"Body":{"stkCallback":{…}}}` objects one
/// after another with no separator, a JSON array of them, or one object. The bare `stkCallback`
/// object (with or without its `{"stkCallback":…}` wrapper) is accepted too.
///
/// ResultCode 0 → `.payment` keyed by the receipt (`MpesaReceiptNumber`), with Amount (KES, from
/// the number's text, never a `Double`), TransactionDate (`YYYYMMDDHHMMSS` in EAT → UTC),
/// PhoneNumber and CheckoutRequestID. Any other ResultCode → `.failedPayment` keyed by
/// CheckoutRequestID; its time comes from the CheckoutRequestID (`ws_CO_DDMMYYYYHHMMSS…`, EAT)
/// when it has that shape.
enum DarajaCallbackReader {
    static func read(bytes: [UInt8], file: String) throws(Failure) -> (rows: Int, records: [ProviderRecord]) {
        var scanner = JSONScanner(bytes: bytes, file: file)
        var records: [ProviderRecord] = []
        if scanner.openTopLevelArray() {
            var first = true
            while let (v, line) = try scanner.nextElement(first: first) {
                first = false
                records.append(try record(v, line: line, file: file))
            }
            if let (_, line) = try scanner.nextTopLevel() {
                throw Failure.badInput(file: file, line: line, reason: "more JSON follows the array of callbacks")
            }
        } else {
            while let (v, line) = try scanner.nextTopLevel() {
                if case .array(let items) = v {
                    for item in items { records.append(try record(item, line: line, file: file)) }
                } else {
                    records.append(try record(v, line: line, file: file))
                }
            }
        }
        if records.isEmpty {
            throw Failure.badInput(file: file, reason: "the file holds no STK callbacks")
        }
        return (records.count, records)
    }

    static func record(_ value: JSONValue, line: Int, file: String) throws(Failure) -> ProviderRecord {
        func fail(_ column: String?, _ reason: String) -> Failure {
            Failure.badInput(file: file, line: line, column: column, reason: reason)
        }
        let callback: JSONValue
        if let c = value["Body"]?["stkCallback"] { callback = c }
        else if let c = value["stkCallback"] { callback = c }
        else if value["ResultCode"] != nil { callback = value }
        else { throw fail(nil, "this JSON object is not an STK callback (no Body.stkCallback)") }

        guard case .string(let checkout)? = callback["CheckoutRequestID"], !checkout.isEmpty else {
            throw fail("CheckoutRequestID", "the callback has no CheckoutRequestID")
        }
        guard let codeText = callback["ResultCode"]?.scalarText, let code = Int(codeText.trimmingASCIISpaces()) else {
            throw fail("ResultCode", "the callback has no numeric ResultCode")
        }
        let resultDesc = callback["ResultDesc"]?.scalarText

        if code != 0 {
            var record = ProviderRecord(
                provider: .mpesa, inputKind: .darajaCallbacks, event: .failedPayment, dedupKey: checkout,
                checkoutRequestId: checkout, amountMinor: 0, currency: Currency.KES.code,
                occurredAt: timeFromCheckoutId(checkout) ?? Timestamp(seconds: 0), description: resultDesc,
                source: SourceLocation(file: file, line: line))
            record.providerStatus = codeText
            record.occurredAtKnown = timeFromCheckoutId(checkout) != nil
            return record
        }

        // ResultCode 0: CallbackMetadata.Item is a list of {Name, Value}.
        var items: [String: JSONValue] = [:]
        if case .array(let list)? = callback["CallbackMetadata"]?["Item"] {
            for item in list {
                guard case .string(let name)? = item["Name"] else { continue }
                if let v = item["Value"], items[name] == nil { items[name] = v }
            }
        }
        guard let amountText = items["Amount"]?.scalarText else {
            throw fail("Amount", "a successful callback has no Amount")
        }
        let amount: Int64
        do {
            amount = try MoneyText.minorUnits(utf8: Array(amountText.utf8)[...], exponent: Currency.KES.exponent, groupingSeparator: nil)
        } catch {
            throw fail("Amount", amountReason(Array(amountText.utf8)[...], error, exponent: Currency.KES.exponent))
        }
        guard case .string(let receipt)? = items["MpesaReceiptNumber"], !receipt.trimmingASCIISpaces().isEmpty else {
            throw fail("MpesaReceiptNumber", "a successful callback has no MpesaReceiptNumber")
        }
        guard let dateText = items["TransactionDate"]?.scalarText else {
            throw fail("TransactionDate", "a successful callback has no TransactionDate")
        }
        guard let time = parseCompactTime(Array(dateText.utf8)[...], utcOffsetSeconds: Timestamp.eatOffsetSeconds) else {
            throw fail("TransactionDate", "'\(dateText)' is not a date and time YYYYMMDDHHMMSS")
        }
        var phone: String?
        if let p = items["PhoneNumber"]?.scalarText {
            let digits = p.trimmingASCIISpaces()
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw fail("PhoneNumber", "'\(p)' is not a phone number")
            }
            phone = digits
        }
        var record = ProviderRecord(
            provider: .mpesa, inputKind: .darajaCallbacks, event: .payment,
            dedupKey: receipt.trimmingASCIISpaces(), mpesaReceipt: receipt.trimmingASCIISpaces(),
            checkoutRequestId: checkout, amountMinor: amount, currency: Currency.KES.code,
            occurredAt: time, msisdn: phone, description: resultDesc,
            source: SourceLocation(file: file, line: line))
        record.providerStatus = codeText
        return record
    }

    /// `ws_CO_17112022155511840700000000` → 17-11-2022 15:55:11 EAT, as UTC.
    static func timeFromCheckoutId(_ id: String) -> Timestamp? {
        let b = Array(id.utf8)
        let prefix = Array("ws_CO_".utf8)
        guard b.count >= prefix.count + 14, Array(b[0..<prefix.count]) == prefix else { return nil }
        let d = b[prefix.count..<(prefix.count + 14)]
        guard d.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        func n(_ from: Int, _ count: Int) -> Int {
            var v = 0
            for k in 0..<count { v = v * 10 + Int(d[d.startIndex + from + k] - 48) }
            return v
        }
        return Timestamp(year: n(4, 4), month: n(2, 2), day: n(0, 2), hour: n(8, 2), minute: n(10, 2), second: n(12, 2),
                         utcOffsetSeconds: Timestamp.eatOffsetSeconds)
    }
}
