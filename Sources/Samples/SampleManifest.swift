import BackofficeCore

/// What the generator wrote, and the discrepancies it planted on purpose. Also written as
/// `manifest.json` in the samples folder (keys in snake case, sorted).
///
/// Every path is relative to the samples folder, so the same options give the same manifest
/// wherever it is written.
public struct SampleManifest: Sendable, Codable, Equatable {
    public struct Options: Sendable, Codable, Equatable {
        public var venues: Int
        public var days: Int
        public var ordersPerDay: Int
        public var seed: UInt64
        /// `YYYY-MM-DD`.
        public var start: String
        public var plantDiscrepancies: Bool

        enum CodingKeys: String, CodingKey {
            case venues, days, seed, start
            case ordersPerDay = "orders_per_day"
            case plantDiscrepancies = "plant_discrepancies"
        }
    }

    public struct Period: Sendable, Codable, Equatable {
        /// ISO UTC, e.g. `2026-11-01T00:00:00Z` (inclusive).
        public var from: String
        /// ISO UTC (exclusive).
        public var to: String
    }

    public struct File: Sendable, Codable, Equatable {
        /// Relative to the samples folder, e.g. `exports/stripe/unified_payments.csv`.
        public var path: String
        /// `stripe_payments`, `stripe_balance`, `mpesa_statement` or `daraja_stk_callbacks`.
        public var kind: String
        /// Data rows (CSV rows after the header, or callback objects).
        public var rows: Int
    }

    /// The references of a planted finding, as the contract's exception `refs`.
    public typealias Refs = BackofficeCore.Refs

    /// One discrepancy planted on purpose: what `reconcile` should report for it.
    public struct Planted: Sendable, Codable, Equatable {
        /// The exception kind of the contract, e.g. `amount_mismatch`.
        public var kind: String
        /// `stripe` or `mpesa`; absent for findings in the credit ledger alone
        /// (`credit_balance_drift`, `order_charge_missing`, `order_charge_duplicate`).
        public var provider: String?
        /// The venue concerned; absent for `payout_mismatch` (a payout is the whole Stripe account's).
        public var venueId: String?
        /// What the provider says (or, for a payout, the payout's amount), in minor units.
        public var amountCents: Int64?
        /// What the database (or the sum of the payout's transactions) says, in minor units.
        public var expectedCents: Int64?
        /// ISO code, upper case: the provider's currency.
        public var currency: String?
        public var refs: Refs
        /// One sentence: what was planted and where.
        public var note: String

        enum CodingKeys: String, CodingKey {
            case kind, provider, currency, refs, note
            case venueId = "venue_id"
            case amountCents = "amount_cents"
            case expectedCents = "expected_cents"
        }
    }

    public var options: Options
    /// The live database, relative to the folder: `live.db`.
    public var database: String
    public var period: Period
    public var files: [File]
    public var planted: [Planted]
    /// A few lines for a person: where things are, counts, how many discrepancies were planted.
    public var summary: String

    /// The planted discrepancy of a kind, if one was planted.
    public func planted(_ kind: String) -> Planted? { planted.first { $0.kind == kind } }

    /// The files of one kind.
    public func files(ofKind kind: String) -> [File] { files.filter { $0.kind == kind } }

    /// The name of the manifest in the samples folder.
    public static let fileName = "manifest.json"

    /// The 14 exception kinds of the contract, in its order.
    public static let exceptionKinds = ExceptionKind.matchingKinds.map(\.rawValue)}
