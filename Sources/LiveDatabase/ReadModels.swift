import BackofficeCore
import GRDB

// Typed read models of the live tables the menu import reads (reconciliation reads its own narrow
// rows, `LivePayment` and its kin, column by column). Money is Int64 minor units; timestamps are
// UTC instants. Each decodes from a row by column name, so a `SELECT *` or a narrower select both
// work as long as the columns are there.

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
