import BackofficeCore
import Foundation

/// Why an item is flagged, in words an owner reads without a manual.
///
///     FlagText.explain(.priceNotInSource, item, currency: "EUR")
///     // "The price 12.50 was not found on the page: check it against the picture."
public enum FlagText {
    public static func explain(_ flag: MenuFlag, _ draft: MenuItemDraft, currency: String, absurd: String? = nil) -> String {
        let exponent = Currency(code: currency)?.exponent ?? 2
        let price = draft.priceCents.map { MoneyText.format($0, exponent: exponent) }
        switch flag {
        case .noPrice:
            return "No price was printed for it (\"market price\" or blank): give it one, or drop it."
        case .priceNotInSource:
            return "The price \(price ?? "") was not found on the page: check it against the picture."
        case .nameNotInSource:
            return "The name \"\(draft.name)\" was not found on the page as written: check the spelling."
        case .ambiguousPrice:
            return "Several prices stand beside it without saying which is which: set the price and the sizes."
        case .lowConfidence:
            let percent = Int((min(max(draft.confidence.isFinite ? draft.confidence : 0, 0), 1) * 100).rounded())
            return "The importer is unsure it read this item right (\(percent)% sure): compare it with the picture."
        case .possibleDuplicate:
            return "Another item has the same name and price: drop one if it is listed twice."
        case .ocr:
            return "Read from a scanned page, where letters and digits are easily mistaken: check every character."
        case .layoutFallback:
            return "The language model could not read this page, so the item is the layout reading's: check it against the picture."
        case .absurdPrice:
            if let absurd { return "Unusual price: " + absurd + " Keep it if it is right." }
            return "The price \(price ?? "") is far above the other prices of \"\(draft.category)\": is it a typo? Keep it if it is right."
        }
    }
}
