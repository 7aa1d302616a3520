import BackofficeCore
import Foundation
import TestSupport
import GRDB
import LiveDatabase

/// Builds a live database with the batch tables and one committed sample run, by inserting rows
/// directly, the way the reconciliation writes them.
struct RunFixture {
    /// Names and texts from outside; the injection test replaces them with hostile ones.
    var venueName = "Corner Bistro"
    var kitchenName = "Mama Njeri Kitchen"
    var customerName = "Tom O'Neil"
    var stripeDescription = "Order 17 at Corner Bistro"
    var withExceptions = true
    var runId = "run-20261108-0200"

    /// Makes `live.db` in `folder` (the test's TemporaryFolder, which outlives the database) and
    /// returns it opened.
    func make(in folder: TemporaryFolder) throws -> LiveDatabase {
        let path = folder.file("live.db").path
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: LiveSchema.sql)
        }
        let live = try LiveDatabase(path: path)
        try live.migrate()
        try queue.write { db in try fill(db) }
        return live
    }

    static let bistro = "7f1c2a9e-0000-4000-8000-000000000001"
    static let kitchen = "7f1c2a9e-0000-4000-8000-000000000002"
    static let order17 = "0a1b2c3d-1111-4111-8111-000000000017"
    static let order3 = "4e5f6a7b-2222-4222-8222-000000000003"

    func fill(_ db: Database) throws {
        let t = "2026-11-01T08:00:00Z"
        try db.execute(sql: """
            INSERT INTO venues (id, name, currency, timezone, credits_remaining, approval_group_id, mpesa_shortcode, created_at, updated_at)
            VALUES (?, ?, 'USD', 'UTC', 120, 'g1', NULL, ?, ?), (?, ?, 'KES', 'Africa/Nairobi', 31, 'g2', '600123', ?, ?)
            """, arguments: [Self.bistro, venueName, t, t, Self.kitchen, kitchenName, t, t])
        try db.execute(sql: """
            INSERT INTO customers (id, venue_id, channel, channel_user_id, msisdn, name, created_at) VALUES
            ('cust-1', ?, 'messenger', 'psid-1', NULL, ?, ?),
            ('cust-2', ?, 'whatsapp', '254712345678', '254712345678', 'Jane Doe', ?)
            """, arguments: [Self.bistro, customerName, t, Self.kitchen, t])
        try db.execute(sql: """
            INSERT INTO orders (id, venue_id, order_number, customer_id, items, total_cents, currency, status, payment_method, payment_status, created_at, updated_at) VALUES
            (?, ?, 17, 'cust-1', '[]', 2050, 'USD', 'completed', 'card', 'paid', '2026-11-02T12:00:00Z', '2026-11-02T12:00:00Z'),
            (?, ?, 3, 'cust-2', '[]', 125000, 'KES', 'completed', 'mpesa', 'paid', '2026-11-02T09:00:00Z', '2026-11-02T09:00:00Z')
            """, arguments: [Self.order17, Self.bistro, Self.order3, Self.kitchen])
        try db.execute(sql: """
            INSERT INTO invoices (id, venue_id, customer_name, msisdn, amount_cents, currency, description, status, created_at, updated_at)
            VALUES ('INV-0001234', ?, 'Peter Kamau', '254722000111', 300000, 'KES', 'Catering', 'PAID', ?, ?)
            """, arguments: [Self.kitchen, t, t])

        // Runs: an older committed one, the sample (latest committed), and newer ones the report must ignore.
        try db.execute(sql: """
            INSERT INTO batch_runs (id, command, status, fingerprint, started_at, finished_at, period_from, period_to, venue_id, matched, exception_count) VALUES
            ('run-20261101-0200', 'nightly', 'committed', 'f0', '2026-11-01T02:00:00Z', '2026-11-01T02:00:05Z', '2026-10-25T00:00:00Z', '2026-11-01T00:00:00Z', NULL, 0, 0),
            (?, 'nightly', 'committed', 'f1', '2026-11-08T02:00:00Z', '2026-11-08T02:00:09Z', '2026-11-01T00:00:00Z', '2026-11-08T00:00:00Z', NULL, 4, ?),
            ('run-writing', 'nightly', 'writing', 'f2', '2026-11-09T02:00:00Z', NULL, '2026-11-01T00:00:00Z', '2026-11-09T00:00:00Z', NULL, 0, 0),
            ('run-superseded', 'reconcile', 'superseded', 'f3', '2026-11-10T02:00:00Z', '2026-11-10T02:00:01Z', '2026-11-01T00:00:00Z', '2026-11-09T00:00:00Z', NULL, 0, 0)
            """, arguments: [runId, withExceptions ? 4 : 0])
        try db.execute(sql: """
            INSERT INTO batch_run_inputs (run_id, position, file, kind, sha256, rows) VALUES
            (?, 0, 'unified_payments.csv', 'stripe_payments', 'aa11bb22cc33dd44ee55ff6600112233445566778899aabbccddeeff00112233', 124),
            (?, 1, 'balance_change_from_activity.itemized.csv', 'stripe_balance', '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 131),
            (?, 2, 'mpesa_statement_nov.csv', 'mpesa_statement', 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210', 58)
            """, arguments: [runId, runId, runId])
        try db.execute(sql: """
            INSERT INTO batch_matches (run_id, seq, provider, provider_ref, mpesa_receipt, charge_id, payment_id, purpose, order_id, invoice_id, venue_id, amount_cents, fee_cents, currency, occurred_at, payout_id, description) VALUES
            (?, 1, 'stripe', 'pi_3OrderSeventeen', NULL, 'ch_3OrderSeventeen', 'pay-17', 'order', ?, NULL, ?, 2050, 89, 'USD', '2026-11-02T12:01:10Z', 'po_1Nov', ?),
            (?, 2, 'stripe', 'pi_3CreditPack500', NULL, 'ch_3CreditPack500', 'pay-credits', 'credits', NULL, NULL, ?, 8500, 277, 'USD', '2026-11-03T10:15:00Z', 'po_1Nov', 'Credits pack 500'),
            (?, 3, 'mpesa', 'ws_CO_0211202609000001', 'TKL2ABC3DE', NULL, 'pay-3', 'order', ?, NULL, ?, 125000, NULL, 'KES', '2026-11-02T09:02:00Z', NULL, 'Pay Bill from 254712345678 - JANE DOE Acc. OD4e5f6a7b'),
            (?, 4, 'mpesa', NULL, 'TKM7XYZ9QP', NULL, 'pay-inv', 'invoice', NULL, 'INV-0001234', ?, 300000, NULL, 'KES', '2026-11-04T15:30:00Z', NULL, 'Pay Bill from 254722***111 - PETER KAMAU Acc. INV-0001234')
            """, arguments: [runId, Self.order17, Self.bistro, stripeDescription, runId, Self.bistro, runId, Self.order3, Self.kitchen, runId, Self.kitchen])
        if withExceptions {
            try db.execute(sql: """
                INSERT INTO batch_exceptions (run_id, seq, kind, provider, venue_id, amount_cents, expected_cents, currency, refs, detail) VALUES
                (?, 1, 'payout_mismatch', 'stripe', NULL, 1045400, 1045300, 'USD', '{"payout_id":"po_2Nov"}', 'Stripe paid out 10454.00 USD in po_2Nov; its transactions add up to 10453.00 USD.'),
                (?, 2, 'amount_mismatch', 'stripe', ?, 2600, 2050, 'USD', '{"order_id":"0a1b2c3d-1111-4111-8111-000000000017","provider_ref":"pi_3Amount","payment_id":"pay-17b","charge_id":"ch_3Amount"}', 'Stripe charged 26.00 USD for order 17; the payment row says 20.50 USD.'),
                (?, 3, 'unrecorded_payment', 'mpesa', ?, 50000, NULL, 'KES', '{"mpesa_receipt":"TKQ1LOST22"}', 'M-PESA received 500.00 KES from 254798765432 with A/C No. XYZ123 that nobody issued.'),
                (?, 4, 'credit_balance_drift', NULL, ?, 31, 28, NULL, '{"venue_id":"7f1c2a9e-0000-4000-8000-000000000002"}', 'credits_remaining is 31 but the ledger adds up to 28.')
                """, arguments: [runId, runId, Self.bistro, runId, Self.kitchen, runId, Self.kitchen])
        }
        try db.execute(sql: """
            INSERT INTO batch_daily_takings (run_id, day, venue_id, provider, currency, payments, gross_cents, fee_cents, refund_cents, net_cents) VALUES
            (?, '2026-11-02', ?, 'stripe', 'USD', 1, 2050, 89, 0, 1961),
            (?, '2026-11-03', ?, 'stripe', 'USD', 1, 8500, 277, 0, 8223),
            (?, '2026-11-04', ?, 'stripe', 'USD', 2, 4100, 178, 500, 3422),
            (?, '2026-11-02', ?, 'mpesa', 'KES', 1, 125000, 0, 0, 125000),
            (?, '2026-11-04', ?, 'mpesa', 'KES', 1, 300000, 0, 0, 300000)
            """, arguments: [runId, Self.bistro, runId, Self.bistro, runId, Self.bistro, runId, Self.kitchen, runId, Self.kitchen])
        try db.execute(sql: """
            INSERT INTO batch_payouts (run_id, payout_id, currency, paid_at, amount_cents, transactions, transactions_net, difference_cents) VALUES
            (?, 'po_1Nov', 'USD', '2026-11-05T00:00:00Z', 10184, 2, 10184, 0),
            (?, 'po_2Nov', 'USD', '2026-11-07T00:00:00Z', 1045400, 31, 1045300, 100)
            """.replacingOccurrences(of: "transactions_net,", with: "transactions_net_cents,"), arguments: [runId, runId])
        try db.execute(sql: """
            INSERT INTO batch_credit_ledger (run_id, venue_id, venue_name, opening, bonus, purchases, order_charges, menu_imports, refunds, closing, credits_remaining, drift) VALUES
            (?, ?, ?, 25, 0, 500, -400, -5, 0, 120, 120, 0),
            (?, ?, ?, 29, 0, 0, -2, 0, 1, 28, 31, 3)
            """, arguments: [runId, Self.bistro, venueName, runId, Self.kitchen, kitchenName])
    }
}

enum TestPaths {
    /// The package root, from this file's path.
    static var packageRoot: URL {
        BuiltCommand.packageRoot
    }
    static var snapshots: URL { packageRoot.appendingPathComponent("Tests/ReportsTests/Snapshots") }
}
