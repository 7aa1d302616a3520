import BackofficeCore
import GRDB

// Typed read models of the live tables. Money is Int64 minor units; timestamps are UTC instants.
// Each decodes from a row by column name, so a `SELECT *` or a narrower select both work
// as long as the columns are there.

extension Timestamp: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { iso.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Timestamp? {
        guard let text = String.fromDatabaseValue(dbValue) else { return nil }
        return Timestamp(iso: text)
    }
}

public struct Venue: FetchableRecord, TableRecord, Sendable, Hashable {
    public static let databaseTableName = "venues"
    public var id: String
    public var name: String
    public var currency: String
    public var timezone: String
    public var status: String
    public var creditsRemaining: Int64
    public var maxMenuParsesRemaining: Int64
    public var mpesaShortcode: String?
    public var createdAt: Timestamp?

    public init(row: Row) throws {
        id = row["id"]
        name = row["name"]
        currency = row["currency"]
        timezone = row["timezone"]
        status = row["status"]
        creditsRemaining = row["credits_remaining"]
        maxMenuParsesRemaining = row["max_menu_parses_remaining"]
        mpesaShortcode = row["mpesa_shortcode"]
        createdAt = row["created_at"]
    }
}

public struct Order: FetchableRecord, TableRecord, Sendable, Hashable {
    public static let databaseTableName = "orders"
    public var id: String
    public var venueId: String
    public var orderNumber: Int64
    public var customerId: String?
    public var totalCents: Int64
    public var currency: String
    public var status: String            // pending | approved | rejected | cancelled | completed
    public var paymentMethod: String?    // cash | card | mpesa
    public var paymentStatus: String     // unpaid | pending | paid | refunded | partially_refunded | failed
    public var createdAt: Timestamp?
    public var approvedAt: Timestamp?

    public init(row: Row) throws {
        id = row["id"]
        venueId = row["venue_id"]
        orderNumber = row["order_number"]
        customerId = row["customer_id"]
        totalCents = row["total_cents"]
        currency = row["currency"]
        status = row["status"]
        paymentMethod = row["payment_method"]
        paymentStatus = row["payment_status"]
        createdAt = row["created_at"]
        approvedAt = row["approved_at"]
    }
}

public struct Invoice: FetchableRecord, TableRecord, Sendable, Hashable {
    public static let databaseTableName = "invoices"
    public var id: String
    public var venueId: String
    public var orderId: String?
    public var customerName: String?
    public var msisdn: String
    public var amountCents: Int64
    public var currency: String
    public var status: String            // PENDING | SENT | PAID | CANCELLED | FAILED
    public var createdAt: Timestamp?

    public init(row: Row) throws {
        id = row["id"]
        venueId = row["venue_id"]
        orderId = row["order_id"]
        customerName = row["customer_name"]
        msisdn = row["msisdn"]
        amountCents = row["amount_cents"]
        currency = row["currency"]
        status = row["status"]
        createdAt = row["created_at"]
    }
}

public struct Payment: FetchableRecord, TableRecord, Sendable, Hashable {
    public static let databaseTableName = "payments"
    public var id: String
    public var venueId: String
    public var purpose: String           // order | invoice | credits
    public var orderId: String?
    public var invoiceId: String?
    public var provider: String          // stripe | mpesa
    public var status: String            // INITIATED | SUCCESS | FAILED | EXPIRED | REFUNDED
    public var amountCents: Int64
    public var currency: String
    public var providerRef: String?
    public var accountRef: String?
    public var mpesaReceipt: String?
    public var msisdn: String?
    public var credits: Int64?
    public var createdAt: Timestamp?
    public var updatedAt: Timestamp?

    public init(row: Row) throws {
        id = row["id"]
        venueId = row["venue_id"]
        purpose = row["purpose"]
        orderId = row["order_id"]
        invoiceId = row["invoice_id"]
        provider = row["provider"]
        status = row["status"]
        amountCents = row["amount_cents"]
        currency = row["currency"]
        providerRef = row["provider_ref"]
        accountRef = row["account_ref"]
        mpesaReceipt = row["mpesa_receipt"]
        msisdn = row["msisdn"]
        credits = row["credits"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
    }
}

public struct CreditTransaction: FetchableRecord, TableRecord, Sendable, Hashable {
    public static let databaseTableName = "credit_transactions"
    public var id: String
    public var venueId: String
    public var amount: Int64
    public var type: String              // purchase | order_charge | menu_import | bonus | refund
    public var stripePaymentId: String?
    public var orderId: String?
    public var createdAt: Timestamp?

    public init(row: Row) throws {
        id = row["id"]
        venueId = row["venue_id"]
        amount = row["amount"]
        type = row["type"]
        stripePaymentId = row["stripe_payment_id"]
        orderId = row["order_id"]
        createdAt = row["created_at"]
    }
}

public struct Customer: FetchableRecord, TableRecord, Sendable, Hashable {
    public static let databaseTableName = "customers"
    public var id: String
    public var venueId: String
    public var channel: String
    public var msisdn: String?
    public var name: String?

    public init(row: Row) throws {
        id = row["id"]
        venueId = row["venue_id"]
        channel = row["channel"]
        msisdn = row["msisdn"]
        name = row["name"]
    }
}

public struct MenuItem: FetchableRecord, TableRecord, Sendable, Hashable {
    public static let databaseTableName = "menu_items"
    public var id: String
    public var venueId: String
    public var category: String
    public var name: String
    public var description: String?
    public var basePriceCents: Int64
    public var options: String?          // JSON
    public var dietaryTags: String?      // JSON
    public var available: Bool

    public init(row: Row) throws {
        id = row["id"]
        venueId = row["venue_id"]
        category = row["category"]
        name = row["name"]
        description = row["description"]
        basePriceCents = row["base_price_cents"]
        options = row["options"]
        dietaryTags = row["dietary_tags"]
        available = row["available"]
    }
}

/// The credit packs a venue can buy: credits → price in USD cents.
public enum CreditPacks {
    public static let priceCents: [Int64: Int64] = [100: 2000, 500: 8500, 1000: 15000]
    public static let currency = "USD"
    /// The pack that costs `cents`, if any.
    public static func credits(forPriceCents cents: Int64) -> Int64? {
        priceCents.first(where: { $0.value == cents })?.key
    }
}
