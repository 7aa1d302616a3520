import BackofficeCore

/// The Stripe itemized balance reports: `balance_change_from_activity.itemized.*` (with the payout
/// rows themselves) and `payout_reconciliation.itemized.*` (without them). Metadata columns are
/// `payment_metadata[KEY]`.
///
/// `reporting_category` says what a row is: `charge`/`payment` → `.payment` (gross, fee, the
/// payout it went out in); `refund`/`partial_capture_reversal` → `.refund`; `dispute` → `.dispute`;
/// `fee` → `.fee`; `payout` → `.payout` (amount = −net, `payoutId` = the payout's own `po_…`);
/// anything else → `.other`. `amountMinor` is always positive; `netMinor` keeps the signed
/// balance change for payout sums.
///
/// Keys: a charge row is keyed by its `charge_id` (the Payments export's `id`, so the two files
/// merge), a refund by its `re_…`, a dispute by its `dp_…`, a payout by its `po_…`, anything else
/// by its balance transaction `txn_…`. On refund and dispute rows `chargeId` and `paymentIntent`
/// are those of the charge undone (as is `reversesRef`), so the refund can be traced to its order.
enum StripeBalanceReader {
    static func read(bytes: [UInt8], file: String) throws(Failure) -> (rows: Int, records: [ProviderRecord]) {
        var reader = CSVReader(bytes: bytes, file: file)
        guard let headerRecord = try reader.readHeader() else {
            throw Failure.badInput(file: file, reason: "the Stripe balance report is empty")
        }
        let header = HeaderMap(headerRecord)
        let ctx = RowContext(file: file, header: header, headerLine: headerRecord.line, document: "the Stripe balance report")
        let cTxn = try ctx.required("balance_transaction_id")
        let cCreated = try ctx.required("created_utc", "created")
        let cCurrency = try ctx.required("currency")
        let cGross = try ctx.required("gross")
        let cCategory = try ctx.required("reporting_category")
        let cFee = header.find("fee")
        let cNet = header.find("net")
        let cSource = header.find("source_id")
        let cDescription = header.find("description")
        let cPayout = header.find("automatic_payout_id")
        let cCharge = header.find("charge_id")
        let cIntent = header.find("payment_intent_id")
        let metadataColumns = header.keyed(prefix: "payment_metadata[", suffix: "]")

        var currencies = CurrencyCache()
        var metadataReader = MetadataColumns(metadataColumns)
        var descriptions = Interner()
        var payouts = Interner()
        var records: [ProviderRecord] = []
        records.reserveCapacity(bytes.count / 250)
        var rows = 0
        while let row = try reader.next() {
            if isEmptyRow(row) { continue }
            try ctx.checkDuplicates(row)
            rows += 1
            let line = row.line
            let currency = try ctx.currency(row, cCurrency, cache: &currencies)
            let gross = try ctx.amount(row, cGross, exponent: currency.exponent)
            let fee = try ctx.optionalAmount(row, cFee, exponent: currency.exponent) ?? 0
            let net = try ctx.optionalAmount(row, cNet, exponent: currency.exponent) ?? (gross - fee)
            let created = try ctx.time(row, cCreated, order: .yearFirst)
            let category = trimmed(row.bytes(cCategory))
            guard let txn = text(row, cTxn) else {
                throw ctx.failure(line: line, column: cTxn, "the balance transaction id is empty")
            }
            let charge = text(row, cCharge)
            // source_id is usually the charge again on charge rows: one String for both
            let source: String?
            if let cSource, let cCharge, charge != nil, sameBytes(trimmed(row.bytes(cSource)), trimmed(row.bytes(cCharge))) {
                source = charge
            } else {
                source = text(row, cSource)
            }
            let intent = text(row, cIntent)
            let payout = payouts.text(row, cPayout)

            let event: ProviderEventKind
            var key = txn
            var amount = abs(gross)
            var chargeId = charge
            var reverses: String?
            var payoutId = payout
            if equalsIgnoringCase(category, "charge") || equalsIgnoringCase(category, "payment") {
                event = .payment
                if chargeId == nil, let source, source.hasPrefix("ch_") || source.hasPrefix("py_") { chargeId = source }
                key = chargeId ?? intent ?? txn
            } else if equalsIgnoringCase(category, "refund") || equalsIgnoringCase(category, "partial_capture_reversal") {
                event = .refund
                reverses = charge ?? intent
                key = ownId(source, charge: charge, intent: intent) ?? txn
            } else if equalsIgnoringCase(category, "dispute") {
                event = .dispute
                reverses = charge ?? intent
                key = ownId(source, charge: charge, intent: intent) ?? txn
            } else if equalsIgnoringCase(category, "fee") {
                event = .fee
            } else if equalsIgnoringCase(category, "payout") {
                event = .payout
                amount = -net
                payoutId = source ?? payout
                key = source ?? txn
                chargeId = nil
            } else {
                event = .other
                reverses = nil
            }
            let metadata = metadataReader.entries(row)
            records.append(ProviderRecord(
                provider: .stripe, inputKind: .stripeBalance, event: event, dedupKey: key,
                paymentIntent: intent, chargeId: chargeId, reversesRef: reverses, payoutId: payoutId,
                amountMinor: amount, feeMinor: fee, netMinor: net, balanceTransactionId: txn, currency: currency.code, occurredAt: created,
                description: descriptions.text(row, cDescription),
                source: SourceLocation(file: file, line: line)))
            records[records.count - 1].metadataEntries = metadata
            records[records.count - 1].providerStatus = String(decoding: category, as: UTF8.self)
        }
        return (rows, records)
    }

    /// The row's own object id (`re_…`, `dp_…`) when `source_id` is not just the charge again.
    private static func ownId(_ source: String?, charge: String?, intent: String?) -> String? {
        guard let source, source != charge, source != intent,
              !source.hasPrefix("ch_"), !source.hasPrefix("py_"), !source.hasPrefix("pi_") else { return nil }
        return source
    }
}
