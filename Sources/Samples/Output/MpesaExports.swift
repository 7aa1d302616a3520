import BackofficeCore
import Foundation

/// One line of an M-PESA organisation portal statement.
struct StatementRow {
    var completion: Timestamp
    var initiation: Timestamp
    /// Order of creation, to keep equal times in a stable order.
    var sequence: Int
    var receipt: String
    var details: String
    var status: String
    /// KES cents; 0 when the column is empty.
    var paidIn: Int64 = 0
    /// KES cents, positive; written negative. 0 when empty.
    var withdrawn: Int64 = 0
    var reasonType: String
    var otherParty: String = ""
    var linked: String = ""
    var account: String = ""

    /// What the row does to the account balance (failed rows: nothing).
    var balanceChange: Int64 { status == "Completed" ? paidIn - withdrawn : 0 }
}

/// Writes the statements of one shortcode: the rows are collected for the whole run, then
/// written newest first, into two files whose periods overlap by a day.
enum MpesaStatementWriter {
    static let header = ["Receipt No.", "Completion Time", "Initiation Time", "Details", "Transaction Status", "Paid In",
                         "Withdrawn", "Balance", "Balance Confirmed", "Reason Type", "Other Party Info",
                         "Linked Transaction ID", "A/C No."]

    /// `"1,250.00"`: KES major units with thousands separators.
    static func amount(_ cents: Int64) -> String {
        let negative = cents < 0
        let plain = MoneyText.format(abs(cents), exponent: 2)
        let dot = plain.firstIndex(of: ".")!
        let whole = Array(plain[..<dot])
        var grouped = ""
        for (i, ch) in whole.enumerated() {
            if i > 0, (whole.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(ch)
        }
        return (negative ? "-" : "") + grouped + plain[dot...]
    }

    /// Writes one statement file covering the EAT days `[fromDay, toDay)` (days since 1970) and
    /// returns its row count. `rows` must be in chronological order with running balances.
    static func write(rows: [(row: StatementRow, balance: Int64)], to url: URL, displayPath: String, organization: String, shortcode: String,
                      fromDay: Int64, toDay: Int64, dateOrder: Timestamp.DateOrder) throws(Failure) -> Int {
        let w = try ByteWriter(url: url, displayPath: displayPath)
        let eat = Timestamp.eatOffsetSeconds
        func time(_ t: Timestamp) -> String { t.formatted(utcOffsetSeconds: eat, dateOrder: dateOrder) }
        // The period's ends are EAT midnights.
        let from = Timestamp(seconds: fromDay * 86_400 - Int64(eat))
        let to = Timestamp(seconds: toDay * 86_400 - Int64(eat))
        w.csvFields(["Organization Name", organization]); w.endLine()
        w.csvFields(["Organization Short Code", shortcode]); w.endLine()
        w.csvFields(["Account", "Utility Account"]); w.endLine()
        w.csvFields(["Time Period", "\(time(from)) - \(time(to))"]); w.endLine()
        w.endLine()
        w.csvFields(header); w.endLine()
        var count = 0
        for (row, balance) in rows.reversed() where row.completion >= from && row.completion < to {
            w.csvField(row.receipt)
            w.csvField(time(row.completion))
            w.csvField(time(row.initiation))
            w.csvField(row.details)
            w.csvField(row.status)
            w.csvField(row.paidIn > 0 ? amount(row.paidIn) : "")
            w.csvField(row.withdrawn > 0 ? amount(-row.withdrawn) : "")
            w.csvField(amount(balance))
            w.csvField("true")
            w.csvField(row.reasonType)
            w.csvField(row.otherParty)
            w.csvField(row.linked)
            w.csvField(row.account)
            w.endLine()
            count += 1
        }
        try w.close()
        return count
    }
}

/// Writes Daraja STK callbacks as the live service logged them: JSON objects one after another,
/// no separator.
final class CallbackLog {
    static let path = "exports/mpesa/stk_callbacks.log"
    private let writer: ByteWriter
    private(set) var count = 0

    init(folder: URL) throws(Failure) {
        writer = try ByteWriter(url: folder.appendingPathComponent(Self.path), displayPath: Self.path)
    }

    func append(_ json: String) {
        writer.write(json)
        count += 1
    }

    func close() throws(Failure) { try writer.close() }

    static let resultDescriptions: [Int: String] = [
        0: "The service request is processed successfully.",
        1032: "Request cancelled by user",
        1037: "DS timeout user cannot be reached",
        2001: "The initiator information is invalid.",
    ]

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// The callback JSON; `success` carries the metadata of ResultCode 0.
    static func json(merchantRequestId: String, checkoutRequestId: String, resultCode: Int,
                     success: (amountShillings: Int64, wholeForm: Bool, receipt: String, date: Timestamp, phone: String)?) -> String {
        var s = #"{"Body":{"stkCallback":{"MerchantRequestID":""# + merchantRequestId
        s += #"","CheckoutRequestID":""# + checkoutRequestId
        s += #"","ResultCode":\#(resultCode),"ResultDesc":""# + (resultDescriptions[resultCode] ?? "Failed") + "\""
        if let success {
            let f = success.date.fields(utcOffsetSeconds: Timestamp.eatOffsetSeconds)
            let date = pad(f.year, 4) + pad(f.month, 2) + pad(f.day, 2) + pad(f.hour, 2) + pad(f.minute, 2) + pad(f.second, 2)
            let amount = success.wholeForm ? String(success.amountShillings) : String(success.amountShillings) + ".00"
            s += #","CallbackMetadata":{"Item":[{"Name":"Amount","Value":\#(amount)},{"Name":"MpesaReceiptNumber","Value":""#
            s += success.receipt
            s += #""},{"Name":"Balance"},{"Name":"TransactionDate","Value":\#(date)},{"Name":"PhoneNumber","Value":\#(success.phone)}]}"#
        }
        s += "}}}"
        return s
    }
}
