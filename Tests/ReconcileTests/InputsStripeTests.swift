import BackofficeCore
import Testing
@testable import Reconcile

struct InputsStripePaymentsTests {
    static let header = "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,Converted Amount Refunded,Converted Currency,Description,Fee,Mode,PaymentIntent ID,Payment Source Type,Refunded date (UTC),Statement Descriptor,Status,Seller Message,Taxes On Fee,Card ID,Customer ID,Customer Description,Customer Email,Invoice ID,order_id (metadata),venue_id (metadata),purpose (metadata),credits (metadata)"

    static let file = header + "\n"
        + "ch_1,2026-11-02 10:15:00,20.50,0.00,usd,true,20.50,0.00,usd,\"Order 17, Corner Bistro\",0.89,Live,pi_1,card,,BISTRO,Paid,Payment complete.,0.00,card_1,cus_1,,,,ord-17,ven-1,order,\n"
        + "ch_2,2026-11-02 11:00:00,85.00,5.00,usd,true,85.00,5.00,usd,Credits,2.77,Live,pi_2,card,2026-11-03 09:00:00,BISTRO,Partially Refunded,Payment complete.,0.00,card_2,cus_2,,,,,ven-1,credits,500\n"
        + "ch_3,2026-11-02 12:00:00,20.00,20.00,usd,true,20.00,20.00,usd,,0.88,Live,pi_3,card,,BISTRO,Refunded,Payment complete.,0.00,card_3,cus_3,,,,ord-18,ven-1,order,\n"
        + "ch_4,2026-11-02 13:00:00,9.00,0.00,usd,false,9.00,0.00,usd,,0.00,Live,pi_4,card,,BISTRO,Failed,Your card was declined.,0.00,card_4,cus_4,,,,ord-19,ven-1,order,\n"
        + "ch_5,2026-11-02 14:00:00,9.00,0.00,usd,false,9.00,0.00,usd,,0.00,Live,pi_5,card,,BISTRO,Canceled,,0.00,card_5,cus_5,,,,ord-20,ven-1,order,\n"
        + "ch_6,2026-11-02 15:00:00,9.00,0.00,usd,false,9.00,0.00,usd,,0.00,Live,pi_6,card,,BISTRO,Paid,Uncaptured,0.00,card_6,cus_6,,,,ord-21,ven-1,order,\n"

    @Test func generatorHeaderRows() throws {
        let input = try inputsRead(Self.file, name: "unified_payments.csv")
        #expect(input.kind == .stripePayments)
        #expect(input.rows == 6)
        let r = input.records
        #expect(r.count == 6)
        #expect(r.map(\.event) == [.payment, .payment, .payment, .failedPayment, .failedPayment, .failedPayment])
        #expect(r[0].dedupKey == "ch_1")
        #expect(r[0].chargeId == "ch_1")
        #expect(r[0].paymentIntent == "pi_1")
        #expect(r[0].amountMinor == 2050)
        #expect(r[0].feeMinor == 89)
        #expect(r[0].feeCurrency == nil)
        #expect(r[0].currency == "USD")
        #expect(r[0].occurredAt == utc("2026-11-02T10:15:00Z"))
        #expect(r[0].description == "Order 17, Corner Bistro")
        #expect(r[0].metadata == ["order_id": "ord-17", "venue_id": "ven-1", "purpose": "order"])
        #expect(r[0].provider == .stripe)
        #expect(r[0].source.line == 2)
        #expect(r[1].refundedMinor == 500)
        #expect(r[1].metadata["credits"] == "500")
        #expect(r[1].providerStatus == "Partially Refunded")
        #expect(r[2].refundedMinor == 2000)
        #expect(r[2].description == nil)
    }

    /// The older, spreadsheet-saved variant: BOM, `;`, CRLF, `Created (UTC)`, `TRUE`, no `id`
    /// and no `PaymentIntent ID`, settlement currency for the fee, header names in other cases.
    @Test func semicolonCRLFVariantWithoutIds() throws {
        let text = "\u{FEFF}Created (UTC);AMOUNT;currency;Captured;Converted Amount;Converted Currency;Fee;Status;Customer ID;Invoice Number\r\n"
            + "2024-06-07 02:38:54;15.00;usd;TRUE;534.80;thb;35.40;Paid;cus_A;INV-1\r\n"
            + "2024-06-06 21:29:22;9.00;eur;TRUE;350.06;thb;26.63;Paid;cus_B;INV-2\r\n"
            + "2024-06-06 03:33:55;1440.00;mxn;TRUE;2943.86;mxn;149.83;Paid;cus_C;INV-3\r\n"
        let input = try inputsRead(text)
        #expect(input.kind == .stripePayments)
        #expect(input.rows == 3)
        let r = input.records
        #expect(r[0].amountMinor == 1500)
        #expect(r[0].currency == "USD")
        #expect(r[0].feeMinor == 3540)
        #expect(r[0].feeCurrency == "THB")
        #expect(r[1].currency == "EUR")
        #expect(r[2].feeCurrency == nil)
        #expect(r[2].feeMinor == 14983)
        #expect(r[0].chargeId == nil && r[0].paymentIntent == nil)
        #expect(Set(r.map(\.dedupKey)).count == 3)
        // the synthetic key is stable: reading again gives the same keys
        let again = try inputsRead(text, name: "other-name.csv")
        #expect(again.records.map(\.dedupKey) == r.map(\.dedupKey))
        #expect(r[0].event == .payment)
    }

    @Test func paymentIntentIsTheKeyWithoutAChargeId() throws {
        let text = "Created date (UTC),Amount,Currency,PaymentIntent ID,Status\n2026-11-02 10:15:00,20.50,usd,pi_9,Paid\n"
        let r = try inputsRead(text).records
        #expect(r[0].dedupKey == "pi_9")
        #expect(r[0].paymentIntent == "pi_9")
    }

    @Test func zeroDecimalCurrency() throws {
        let text = "id,Created date (UTC),Amount,Currency,Fee,Status\nch_j,2026-11-02 10:15:00,1500,jpy,45,Paid\n"
        let r = try inputsRead(text).records
        #expect(r[0].amountMinor == 1500)
        #expect(r[0].feeMinor == 45)
        #expect(r[0].currency == "JPY")
    }

    @Test func extraAndMissingOptionalColumns() throws {
        let text = "Something Else,id,Created date (UTC),Amount,Currency,tip (metadata)\nx,ch_7,2026-11-02 10:15:00,3.00,eur,yes\n"
        let r = try inputsRead(text).records
        #expect(r[0].event == .payment)
        #expect(r[0].metadata == ["tip": "yes"])
        #expect(r[0].feeMinor == 0)
        #expect(r[0].refundedMinor == 0)
    }

    @Test(arguments: [
        ("20,5", "Amount", "'20,5' is not an amount"),
        ("20.505", "Amount", "more than 2 decimals"),
        ("", "Amount", "the amount is empty"),
        ("twenty", "Amount", "'twenty' is not an amount"),
        ("-1.00", "Amount", "the amount is negative"),
    ])
    func badAmountNamesFileLineAndColumn(amount: String, column: String, reason: String) {
        let text = "id,Created date (UTC),Amount,Currency\nch_1,2026-11-02 10:15:00,1.00,usd\nch_2,2026-11-02 10:15:00,\"\(amount)\",usd\n"
        let f = inputsFailure { () throws(Failure) in try inputsRead(text, name: "pay.csv") }
        #expect(f?.status == .dataError)
        #expect(f?.message.contains("pay.csv, line 3, column '\(column)'") == true)
        #expect(f?.message.contains(reason) == true)
    }

    @Test func badDateNamesTheColumn() {
        let text = "id,Created date (UTC),Amount,Currency\nch_1,2026-02-30 10:15:00,1.00,usd\n"
        let f = inputsFailure { () throws(Failure) in try inputsRead(text, name: "pay.csv") }
        #expect(f?.status == .dataError)
        #expect(f?.message.contains("pay.csv, line 2, column 'Created date (UTC)'") == true)
    }

    @Test func badCurrencyAndCaptured() {
        let f = inputsFailure { () throws(Failure) in
            try inputsRead("id,Created date (UTC),Amount,Currency\nch_1,2026-11-02 10:15:00,1.00,dollars\n", name: "pay.csv")
        }
        #expect(f?.message.contains("line 2, column 'Currency'") == true)
        let g = inputsFailure { () throws(Failure) in
            try inputsRead("id,Created date (UTC),Amount,Currency,Captured\nch_1,2026-11-02 10:15:00,1.00,usd,maybe\n", name: "pay.csv")
        }
        #expect(g?.message.contains("line 2, column 'Captured'") == true)
    }

    @Test func wrongFieldCountAndUnclosedQuote() {
        let f = inputsFailure { () throws(Failure) in
            try inputsRead("id,Created date (UTC),Amount,Currency\nch_1,2026-11-02 10:15:00,1.00\n", name: "pay.csv")
        }
        #expect(f?.status == .dataError)
        #expect(f?.message.contains("pay.csv, line 2") == true)
        let text = "id,Created date (UTC),Amount,Currency,Description\n"
            + "ch_1,2026-11-02 10:15:00,1.00,usd,\"unclosed\n"
            + (2...50).map { "ch_\($0),2026-11-02 10:15:00,1.00,usd,fine" }.joined(separator: "\n") + "\n"
        let g = inputsFailure { () throws(Failure) in try inputsRead(text, name: "pay.csv") }
        #expect(g?.status == .dataError)
        #expect(g?.message.contains("pay.csv, line 2") == true)
    }

    @Test func missingRequiredColumn() {
        let f = inputsFailure { () throws(Failure) in
            try inputsRead("id,Created date (UTC),Amount Refunded,Currency\nch_1,2026-11-02 10:15:00,1.00,usd\n", name: "pay.csv")
        }
        #expect(f?.status == .dataError)
        #expect(f?.message.contains("no 'Amount' column") == true)
    }
}

struct InputsStripeBalanceTests {
    static let header = "balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,reporting_category,source_id,description,customer_facing_amount,customer_facing_currency,automatic_payout_id,automatic_payout_effective_at_utc,charge_id,payment_intent_id,charge_created_utc,payment_method_type,payment_metadata[order_id],payment_metadata[venue_id],payment_metadata[purpose],payment_metadata[credits]"

    static let file = header + "\n"
        + "txn_1,2026-11-02 10:15:00,2026-11-04 00:00:00,usd,20.50,0.89,19.61,charge,ch_1,Order 17,20.50,usd,po_1,2026-11-05 00:00:00,ch_1,pi_1,2026-11-02 10:15:00,card,ord-17,ven-1,order,\n"
        + "txn_2,2026-11-03 09:00:00,2026-11-05 00:00:00,usd,-5.00,0.00,-5.00,refund,re_1,REFUND FOR CHARGE,,,po_1,2026-11-05 00:00:00,ch_1,pi_1,2026-11-02 10:15:00,card,ord-17,ven-1,order,\n"
        + "txn_3,2026-11-03 10:00:00,2026-11-05 00:00:00,usd,-20.00,15.00,-35.00,dispute,dp_1,Chargeback,,,po_1,2026-11-05 00:00:00,ch_9,pi_9,2026-11-01 10:00:00,card,,,,\n"
        + "txn_4,2026-11-03 11:00:00,2026-11-05 00:00:00,usd,-2.00,0.00,-2.00,fee,,Radar fees,,,po_1,2026-11-05 00:00:00,,,,,,,,\n"
        + "txn_5,2026-11-03 12:00:00,2026-11-05 00:00:00,usd,1.00,0.00,1.00,other_adjustment,adj_1,Adjustment,,,po_1,2026-11-05 00:00:00,,,,,,,,\n"
        + "txn_6,2026-11-05 00:00:00,2026-11-05 00:00:00,usd,-1234.56,0.00,-1234.56,payout,po_1,STRIPE PAYOUT,,,,,,,,,,,,\n"

    @Test func everyCategory() throws {
        let input = try inputsRead(Self.file, name: "balance_change_from_activity.itemized.csv")
        #expect(input.kind == .stripeBalance)
        #expect(input.rows == 6)
        let r = input.records
        #expect(r.map(\.event) == [.payment, .refund, .dispute, .fee, .other, .payout])
        // charge
        #expect(r[0].dedupKey == "ch_1")
        #expect(r[0].chargeId == "ch_1")
        #expect(r[0].paymentIntent == "pi_1")
        #expect(r[0].amountMinor == 2050)
        #expect(r[0].feeMinor == 89)
        #expect(r[0].netMinor == 1961)
        #expect(r[0].payoutId == "po_1")
        #expect(r[0].balanceTransactionId == "txn_1")
        #expect(r[0].metadata == ["order_id": "ord-17", "venue_id": "ven-1", "purpose": "order"])
        #expect(r[0].occurredAt == utc("2026-11-02T10:15:00Z"))
        // refund
        #expect(r[1].dedupKey == "re_1")
        #expect(r[1].amountMinor == 500)
        #expect(r[1].netMinor == -500)
        #expect(r[1].reversesRef == "ch_1")
        #expect(r[1].payoutId == "po_1")
        // dispute
        #expect(r[2].dedupKey == "dp_1")
        #expect(r[2].amountMinor == 2000)
        #expect(r[2].reversesRef == "ch_9")
        #expect(r[2].netMinor == -3500)
        // fee
        #expect(r[3].dedupKey == "txn_4")
        #expect(r[3].amountMinor == 200)
        // other
        #expect(r[4].dedupKey == "txn_5")
        #expect(r[4].providerStatus == "other_adjustment")
        // payout: amount = -net, its own id
        #expect(r[5].dedupKey == "po_1")
        #expect(r[5].payoutId == "po_1")
        #expect(r[5].amountMinor == 123_456)
        #expect(r[5].netMinor == -123_456)
        // the rows paid out in po_1 sum to … whatever they sum to; the matcher compares
        let paidOut = r.filter { $0.event != .payout && $0.payoutId == "po_1" }.compactMap(\.netMinor).reduce(0, +)
        #expect(paidOut == 1961 - 500 - 3500 - 200 + 100)
    }

    /// The payout reconciliation report: same columns, no payout rows, header in upper case.
    @Test func payoutReconciliationVariant() throws {
        let text = "BALANCE_TRANSACTION_ID,CREATED_UTC,CURRENCY,GROSS,FEE,NET,REPORTING_CATEGORY,SOURCE_ID,AUTOMATIC_PAYOUT_ID,CHARGE_ID,PAYMENT_INTENT_ID\r\n"
            + "txn_1,2026-11-02 10:15:00,eur,10.00,0.40,9.60,charge,ch_1,po_7,ch_1,pi_1\r\n"
        let input = try inputsRead(text, name: "payout_reconciliation.itemized.csv")
        #expect(input.kind == .stripeBalance)
        #expect(input.records[0].currency == "EUR")
        #expect(input.records[0].payoutId == "po_7")
    }

    /// The balance report's charge row and the Payments export's row for the same charge share
    /// one dedup key, so the matcher counts the charge once.
    @Test func chargeKeyMatchesThePaymentsExport() throws {
        let payments = try inputsRead(InputsStripePaymentsTests.file).records
        let balance = try inputsRead(Self.file).records
        #expect(balance[0].dedupKey == payments[0].dedupKey)
    }

    @Test func badGrossNamesFileLineAndColumn() {
        let bad = Self.file.replacingOccurrences(of: "usd,1.00,0.00,1.00,other", with: "usd,1.O0,0.00,1.00,other")
        let f = inputsFailure { () throws(Failure) in try inputsRead(bad, name: "bal.csv") }
        #expect(f?.status == .dataError)
        #expect(f?.message.contains("bal.csv, line 6, column 'gross'") == true)
    }

    @Test func missingBalanceTransactionId() {
        let text = "balance_transaction_id,created_utc,currency,gross,reporting_category\n,2026-11-02 10:15:00,usd,1.00,charge\n"
        let f = inputsFailure { () throws(Failure) in try inputsRead(text, name: "bal.csv") }
        #expect(f?.message.contains("bal.csv, line 2, column 'balance_transaction_id'") == true)
    }
}
