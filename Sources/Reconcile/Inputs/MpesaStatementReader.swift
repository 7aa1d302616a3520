import BackofficeCore
import Foundation

/// The M-PESA organisation portal statement: lines of account details, then
/// `Receipt No.,Completion Time,Initiation Time,Details,Transaction Status,Paid In,Withdrawn,…,A/C No.`,
/// rows newest first, times in East Africa Time (UTC+3, `DD-MM-YYYY HH:MM:SS` or
/// `YYYY-MM-DD HH:MM:SS`), KES amounts with thousands separators, `Withdrawn` negative.
///
/// Rows become: failed/cancelled → `.failedPayment`; reversals → `.refund` (`reversesRef` = the
/// Linked Transaction ID); withdrawals → `.withdrawal`; Pay Bill charges → `.fee` (`reversesRef` =
/// the payment charged for); Pay Bill / Buy Goods money in → `.payment` (`accountRef` = A/C No.,
/// `msisdn` when Other Party Info holds an unmasked number); other money out → `.withdrawal`;
/// other money in → `.other`.
enum MpesaStatementReader {
    /// The header line, recognised by content.
    static func isHeader(_ line: String) -> Bool {
        let l = line.lowercased()
        return l.contains("receipt no") && (l.contains("a/c no") || l.contains("completion time"))
    }

    /// The code of an `Organization Short Code,600123` line of the preamble, digits only; nil for
    /// any other line.
    static func shortCode(inLine line: String) -> String? {
        let cells = line.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"\u{FEFF}")) }
        guard cells.count == 2 else { return nil }
        let name = cells[0].lowercased()
        guard name.hasPrefix("organization short code") || name == "short code" else { return nil }
        let code = cells[1]
        return !code.isEmpty && code.allSatisfy(\.isASCII) && code.allSatisfy(\.isNumber) ? code : nil
    }

    /// The rows' records, and the organisation's short code when the preamble names it.
    static func read(bytes: [UInt8], file: String) throws(Failure) -> (rows: Int, records: [ProviderRecord], shortCode: String?) {
        var reader = CSVReader(bytes: bytes, file: file)
        var shortCode: String?
        let found = try reader.skipToHeader(where: isHeader) { line in
            if shortCode == nil { shortCode = Self.shortCode(inLine: line) }
        }
        guard let headerRecord = found else {
            throw Failure.badInput(file: file, reason: "no 'Receipt No.,Completion Time,…' header line was found in the M-PESA statement")
        }
        let header = HeaderMap(headerRecord)
        let ctx = RowContext(file: file, header: header, headerLine: headerRecord.line, document: "the M-PESA statement")
        let cReceipt = try ctx.required("Receipt No.", "Receipt No", "Receipt Number")
        let cCompleted = try ctx.required("Completion Time", "Completion Date")
        let cPaidIn = try ctx.required("Paid In")
        let cWithdrawn = try ctx.required("Withdrawn", "Withdrawal")
        let cInitiated = header.find("Initiation Time")
        let cDetails = header.find("Details")
        let cStatus = header.find("Transaction Status", "Status")
        let cReason = header.find("Reason Type")
        let cOther = header.find("Other Party Info")
        let cLinked = header.find("Linked Transaction ID")
        let cAccount = header.find("A/C No.", "A/C No", "Account No.", "Account Number")
        let kes = Currency.KES

        var records: [ProviderRecord] = []
        records.reserveCapacity(bytes.count / 150)
        var rows = 0
        while let row = try reader.next() {
            if isEmptyRow(row) { continue }
            try ctx.checkDuplicates(row)
            rows += 1
            let line = row.line
            guard let receipt = text(row, cReceipt) else {
                throw ctx.failure(line: line, column: cReceipt, "the receipt number is empty")
            }
            var timeColumn = cCompleted
            if trimmed(row.bytes(cCompleted)).isEmpty, let i = cInitiated, !trimmed(row.bytes(i)).isEmpty { timeColumn = i }
            let time = try ctx.time(row, timeColumn, utcOffsetSeconds: Timestamp.eatOffsetSeconds)

            let paidIn = try ctx.optionalAmount(row, cPaidIn, exponent: kes.exponent) ?? 0
            let withdrawn = try ctx.optionalAmount(row, cWithdrawn, exponent: kes.exponent) ?? 0
            if paidIn < 0 {
                throw ctx.failure(line: line, column: cPaidIn, "Paid In is negative")
            }
            if paidIn != 0 && withdrawn != 0 {
                throw ctx.failure(line: line, column: cWithdrawn, "both Paid In and Withdrawn hold an amount")
            }
            let status = cStatus.map { trimmed(row.bytes($0)) } ?? []
            let failed = equalsIgnoringCase(status, "failed") || equalsIgnoringCase(status, "cancelled")
                || equalsIgnoringCase(status, "canceled") || equalsIgnoringCase(status, "declined")
                || equalsIgnoringCase(status, "expired")
            let completed = status.isEmpty || equalsIgnoringCase(status, "completed")
            if paidIn == 0 && withdrawn == 0 && !failed {
                throw ctx.failure(line: line, columnName: nil, "neither Paid In nor Withdrawn holds an amount")
            }
            let moneyIn = paidIn > 0
            let amount = moneyIn ? paidIn : abs(withdrawn)

            let reason = cReason.map { trimmed(row.bytes($0)) } ?? []
            let details = cDetails.map { trimmed(row.bytes($0)) } ?? []
            // Reason Type says what a row is; Details only when there is no Reason Type.
            let kindText = reason.isEmpty ? details : reason
            let linked = text(row, cLinked)
            var reverses: String?
            let event: ProviderEventKind
            if failed {
                event = .failedPayment
            } else if !completed {
                event = .other
            } else if containsIgnoringCase(kindText, "reversal") || equalsIgnoringCase(details, "reversal") {
                event = moneyIn ? .other : .refund
                reverses = linked
            } else if containsIgnoringCase(kindText, "withdraw") {
                event = .withdrawal
            } else if containsIgnoringCase(kindText, "charge") {
                event = .fee
                reverses = linked
            } else if moneyIn {
                let isCustomerPayment = containsIgnoringCase(kindText, "pay bill") || containsIgnoringCase(kindText, "paybill")
                    || containsIgnoringCase(kindText, "buy goods") || containsIgnoringCase(kindText, "c2b")
                event = isCustomerPayment ? .payment : .other
            } else {
                event = .withdrawal
            }

            var account = text(row, cAccount)
            if account == nil, event == .payment, let d = cDetails { account = accountFromDetails(row.bytes(d)) }
            var msisdn: String?
            if let o = cOther { msisdn = phone(trimmed(row.bytes(o))) }

            records.append(ProviderRecord(
                provider: .mpesa, inputKind: .mpesaStatement, event: event, dedupKey: receipt,
                mpesaReceipt: receipt, accountRef: account, reversesRef: reverses,
                amountMinor: amount, currency: kes.code, occurredAt: time, msisdn: msisdn,
                description: details.isEmpty ? nil : text(row, cDetails),
                source: SourceLocation(file: file, line: line)))
            if !status.isEmpty { records[records.count - 1].providerStatus = String(decoding: status, as: UTF8.self) }
        }
        return (rows, records, shortCode)
    }

    /// `254712345678 - JANE DOE` → `254712345678`; masked numbers (`254712***678`) → nil.
    static func phone(_ field: ArraySlice<UInt8>) -> String? {
        var end = field.startIndex
        while end < field.endIndex, field[end] >= 48, field[end] <= 57 { end += 1 }
        let digits = field[field.startIndex..<end]
        guard digits.count >= 9, digits.count <= 15 else { return nil }
        // the number must end there (a mask or letters right after it means it is not a number)
        if end < field.endIndex, field[end] != 32, field[end] != UInt8(ascii: "-") { return nil }
        return String(decoding: digits, as: UTF8.self)
    }

    /// `Pay Bill from 254712***678 - JANE DOE Acc. OD1a2b3c4d` → `OD1a2b3c4d`.
    static func accountFromDetails(_ field: ArraySlice<UInt8>) -> String? {
        let s = String(decoding: field, as: UTF8.self)
        guard let r = s.range(of: "Acc. ", options: .backwards) ?? s.range(of: "Acc.", options: .backwards) else { return nil }
        let rest = s[r.upperBound...].trimmingCharacters(in: .whitespaces)
        let token = rest.split(separator: " ").first.map(String.init)
        return token?.isEmpty == false ? token : nil
    }
}
