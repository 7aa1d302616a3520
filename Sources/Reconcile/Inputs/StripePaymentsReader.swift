import BackofficeCore

/// The Stripe Dashboard Payments export (`id,Created date (UTC),Amount,…`), every variant seen in
/// the field: `Created (UTC)` or `Created date (UTC)`, `,` or `;`, LF or CRLF, a BOM, `TRUE`,
/// missing optional columns (no `id`, no `PaymentIntent ID`), extra columns, `KEY (metadata)`.
///
/// One row is one charge: Paid / Refunded / partially refunded rows took money (`.payment`, with
/// `Amount Refunded` in `refundedMinor`); Failed / Canceled rows, and rows with Captured false,
/// are attempts (`.failedPayment`).
enum StripePaymentsReader {
    static func read(bytes: [UInt8], file: String) throws(Failure) -> (rows: Int, records: [ProviderRecord]) {
        var reader = CSVReader(bytes: bytes, file: file)
        guard let headerRecord = try reader.readHeader() else {
            throw Failure.badInput(file: file, reason: "the Stripe Payments export is empty")
        }
        let header = HeaderMap(headerRecord)
        let ctx = RowContext(file: file, header: header, headerLine: headerRecord.line, document: "the Stripe Payments export")
        let cCreated = try ctx.required("Created date (UTC)", "Created (UTC)", "Created")
        let cAmount = try ctx.required("Amount")
        let cCurrency = try ctx.required("Currency")
        let cId = header.find("id")
        let cRefunded = header.find("Amount Refunded")
        let cCaptured = header.find("Captured")
        let cConvertedCurrency = header.find("Converted Currency")
        let cDescription = header.find("Description")
        let cFee = header.find("Fee")
        let cIntent = header.find("PaymentIntent ID", "Payment Intent ID", "payment_intent")
        let cStatus = header.find("Status")
        let cCustomer = header.find("Customer ID")
        let cInvoiceNumber = header.find("Invoice Number")
        let cInvoiceId = header.find("Invoice ID")
        let metadataColumns = header.keyed(prefix: "", suffix: " (metadata)")

        var currencies = CurrencyCache()
        var metadataReader = MetadataColumns(metadataColumns)
        var descriptions = Interner()
        var records: [ProviderRecord] = []
        records.reserveCapacity(bytes.count / 200)
        var rows = 0
        while let row = try reader.next() {
            if isEmptyRow(row) { continue }
            try ctx.checkDuplicates(row)
            rows += 1
            let line = row.line
            let currency = try ctx.currency(row, cCurrency, cache: &currencies)
            let amount = try ctx.amount(row, cAmount, exponent: currency.exponent)
            let refunded = try ctx.optionalAmount(row, cRefunded, exponent: currency.exponent) ?? 0
            let created = try ctx.time(row, cCreated, order: .yearFirst)
            if amount < 0 { throw ctx.failure(line: line, column: cAmount, "the amount is negative") }
            if refunded < 0, let c = cRefunded { throw ctx.failure(line: line, column: c, "the refunded amount is negative") }

            // Fee is in the settlement currency when that differs from the charge's.
            var feeCurrency: Currency?
            if let c = cConvertedCurrency {
                let f = trimmed(row.bytes(c))
                if !f.isEmpty {
                    let settlement = try ctx.currency(row, c, cache: &currencies)
                    if settlement != currency { feeCurrency = settlement }
                }
            }
            let fee = try ctx.optionalAmount(row, cFee, exponent: (feeCurrency ?? currency).exponent) ?? 0

            let statusBytes = cStatus.map { trimmed(row.bytes($0)) } ?? []
            var event = ProviderEventKind.payment
            if equalsIgnoringCase(statusBytes, "failed") || equalsIgnoringCase(statusBytes, "canceled")
                || equalsIgnoringCase(statusBytes, "cancelled") || equalsIgnoringCase(statusBytes, "blocked")
                || equalsIgnoringCase(statusBytes, "incomplete") {
                event = .failedPayment
            }
            if let c = cCaptured {
                let f = trimmed(row.bytes(c))
                if equalsIgnoringCase(f, "false") { event = .failedPayment }
                else if !(f.isEmpty || equalsIgnoringCase(f, "true")) {
                    throw ctx.failure(line: line, column: c, "\(quoted(f)) is not true or false")
                }
            }

            let chargeId = text(row, cId)
            let intent = text(row, cIntent)
            let key: String
            if let chargeId { key = chargeId }
            else if let intent { key = intent }
            else {
                // No id at all (spreadsheet-saved exports): a key stable across runs and files.
                var parts = "stripe-payment|" + String(decoding: trimmed(row.bytes(cCreated)), as: UTF8.self)
                parts += "|" + String(amount) + "|" + currency.code
                parts += "|" + (text(row, cCustomer) ?? "")
                parts += "|" + (text(row, cInvoiceNumber) ?? text(row, cInvoiceId) ?? "")
                key = parts
            }
            let metadata = metadataReader.entries(row)
            records.append(ProviderRecord(
                provider: .stripe, inputKind: .stripePayments, event: event, dedupKey: key,
                paymentIntent: intent, chargeId: chargeId,
                amountMinor: amount, refundedMinor: refunded, feeMinor: fee,
                currency: currency.code, feeCurrency: feeCurrency?.code, occurredAt: created,
                description: descriptions.text(row, cDescription),
                source: SourceLocation(file: file, line: line)))
            records[records.count - 1].metadataEntries = metadata
            if !statusBytes.isEmpty { records[records.count - 1].providerStatus = String(decoding: statusBytes, as: UTF8.self) }
        }
        return (rows, records)
    }
}
