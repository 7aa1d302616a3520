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
        records.reserveCapacity(bytes.count / 400)
        var texts = Interner()
        if scanner.openTopLevelArray() {
            var first = true
            while let (tape, line) = try scanner.nextElement(first: first) {
                first = false
                records.append(try record(tape, 0, line: line, file: file, texts: &texts))
            }
            if let (_, line) = try scanner.nextTopLevel() {
                throw Failure.badInput(file: file, line: line, reason: "more JSON follows the array of callbacks")
            }
        } else {
            while let (tape, line) = try scanner.nextTopLevel() {
                if tape.kind(0) == .array {
                    for item in tape.elements(0) { records.append(try record(tape, item, line: line, file: file, texts: &texts)) }
                } else {
                    records.append(try record(tape, 0, line: line, file: file, texts: &texts))
                }
            }
        }
        if records.isEmpty {
            throw Failure.badInput(file: file, reason: "the file holds no STK callbacks")
        }
        return (records.count, records)
    }

    /// The callback at node `node` of `tape`.
    static func record(_ tape: JSONTape, _ node: Int, line: Int, file: String, texts: inout Interner) throws(Failure) -> ProviderRecord {
        func fail(_ column: String?, _ reason: String) -> Failure {
            Failure.badInput(file: file, line: line, column: column, reason: reason)
        }
        let callback: Int
        if let body = tape.member(node, "Body"), let c = tape.member(body, "stkCallback") { callback = c }
        else if let c = tape.member(node, "stkCallback") { callback = c }
        else if tape.member(node, "ResultCode") != nil { callback = node }
        else { throw fail(nil, "this JSON value is not an STK callback (no Body.stkCallback)") }
        guard tape.kind(callback) == .object else { throw fail(nil, "stkCallback is not an object") }

        guard let c = tape.member(callback, "CheckoutRequestID"), tape.kind(c) == .string else {
            throw fail("CheckoutRequestID", "the callback has no CheckoutRequestID")
        }
        let checkout = tape.string(c).trimmingASCIISpaces()
        guard !checkout.isEmpty else { throw fail("CheckoutRequestID", "the CheckoutRequestID is empty") }
        guard let r = tape.member(callback, "ResultCode"), let codeText = tape.scalarText(r),
              let code = Int(codeText.trimmingASCIISpaces()) else {
            throw fail("ResultCode", "the callback has no numeric ResultCode")
        }
        // the same few descriptions repeat on every callback: one String each
        var resultDesc: String?
        if let d = tape.member(callback, "ResultDesc") {
            if let raw = tape.rawScalar(d) { resultDesc = texts.text(raw) } else { resultDesc = tape.scalarText(d) }
        }

        if code != 0 {
            let time = timeFromCheckoutId(checkout)
            var record = ProviderRecord(
                provider: .mpesa, inputKind: .darajaCallbacks, event: .failedPayment, dedupKey: checkout,
                checkoutRequestId: checkout, amountMinor: 0, currency: Currency.KES.code,
                occurredAt: time ?? Timestamp(seconds: 0), description: resultDesc,
                source: SourceLocation(file: file, line: line))
            record.providerStatus = codeText
            record.occurredAtKnown = time != nil
            return record
        }

        // ResultCode 0: CallbackMetadata.Item is a list of {Name, Value}.
        var amountNode: Int?, receiptNode: Int?, dateNode: Int?, phoneNode: Int?
        if let meta = tape.member(callback, "CallbackMetadata"), let list = tape.member(meta, "Item") {
            for item in tape.elements(list) {
                guard let name = tape.member(item, "Name"), let value = tape.member(item, "Value") else { continue }
                if tape.isString(name, "Amount") { amountNode = amountNode ?? value }
                else if tape.isString(name, "MpesaReceiptNumber") { receiptNode = receiptNode ?? value }
                else if tape.isString(name, "TransactionDate") { dateNode = dateNode ?? value }
                else if tape.isString(name, "PhoneNumber") { phoneNode = phoneNode ?? value }
            }
        }
        guard let amountNode, let amountText = tape.rawScalar(amountNode).map({ String(decoding: $0, as: UTF8.self) }) ?? tape.scalarText(amountNode) else {
            throw fail("Amount", "a successful callback has no Amount")
        }
        let amountBytes = tape.rawScalar(amountNode) ?? Array(amountText.utf8)[...]
        let amount: Int64
        do {
            amount = try MoneyText.minorUnits(utf8: trimmed(amountBytes), exponent: Currency.KES.exponent, groupingSeparator: nil)
        } catch {
            throw fail("Amount", amountReason(amountBytes, error, exponent: Currency.KES.exponent))
        }
        guard amount >= 0 else { throw fail("Amount", "'\(amountText)' is negative") }
        guard let receiptNode, tape.kind(receiptNode) == .string else {
            throw fail("MpesaReceiptNumber", "a successful callback has no MpesaReceiptNumber")
        }
        let receipt = tape.string(receiptNode).trimmingASCIISpaces()
        guard !receipt.isEmpty else { throw fail("MpesaReceiptNumber", "the MpesaReceiptNumber is empty") }
        guard let dateNode, let dateText = tape.scalarText(dateNode) else {
            throw fail("TransactionDate", "a successful callback has no TransactionDate")
        }
        guard let time = parseCompactTime(tape.rawScalar(dateNode) ?? Array(dateText.utf8)[...], utcOffsetSeconds: Timestamp.eatOffsetSeconds) else {
            throw fail("TransactionDate", "'\(dateText)' is not a date and time YYYYMMDDHHMMSS")
        }
        var phone: String?
        if let phoneNode, let p = tape.scalarText(phoneNode) {
            let digits = p.trimmingASCIISpaces()
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw fail("PhoneNumber", "'\(p)' is not a phone number")
            }
            phone = digits
        }
        var record = ProviderRecord(
            provider: .mpesa, inputKind: .darajaCallbacks, event: .payment,
            dedupKey: receipt, mpesaReceipt: receipt,
            checkoutRequestId: checkout, amountMinor: amount, currency: Currency.KES.code,
            occurredAt: time, msisdn: phone, description: resultDesc,
            source: SourceLocation(file: file, line: line))
        record.providerStatus = codeText
        return record
    }

    /// `ws_CO_17112022155511840700000000` → 17-11-2022 15:55:11 EAT, as UTC.
    static func timeFromCheckoutId(_ id: String) -> Timestamp? {
        guard id.hasPrefix("ws_CO_") else { return nil }
        let b = Array(id.utf8.prefix(20))
        let prefix = Array("ws_CO_".utf8)
        guard b.count >= prefix.count + 14 else { return nil }
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
