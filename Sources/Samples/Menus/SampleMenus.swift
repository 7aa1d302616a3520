import BackofficeCore
import Foundation

/// Sample menu PDFs in the layouts real menus use, each with the items a reader should find.
///
///     let pdfs = try SampleMenus.write(into: URL(fileURLWithPath: "samples/menus"))
///     // samples/menus/single_column_eur.pdf, samples/menus/single_column_eur.expected.json, …
///
/// The menus are data (`SampleMenus.all`); the PDF and the expected items both come from it, so
/// they cannot disagree. Bytes are deterministic: regenerating gives the committed files.
public enum SampleMenus {
    /// Every sample, in a fixed order.
    public static var all: [SampleMenu] {
        [singleColumnEUR, twoColumnsUSD, dottedLeadersAUD, sizeColumnsPizza, drinksCentilitres, nairobiKES]
    }

    /// Writes `<name>.pdf` and `<name>.expected.json` for every sample into `folder` (created if
    /// needed) and returns the PDFs' URLs.
    public static func write(into folder: URL) throws(Failure) -> [URL] {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw Failure.cantCreate(path: folder.path, reason: "the folder cannot be created")
        }
        var urls: [URL] = []
        for menu in all {
            let pdf = folder.appendingPathComponent(menu.name + ".pdf")
            let json = folder.appendingPathComponent(menu.name + ".expected.json")
            try save(menu.pdf(), to: pdf)
            try save(menu.expectedJSON(), to: json)
            urls.append(pdf)
        }
        return urls
    }

    /// A menu of `pages` pages (one single-column page of dishes after another), for measuring
    /// speed and memory on a long document.
    public static func writeLongMenu(pages: Int, to url: URL) throws(Failure) {
        try save(longMenu(pages: pages), to: url)
    }

    public static func longMenu(pages count: Int) -> [UInt8] {
        var pdf = PDFWriter(title: "Long menu")
        let sections = all.flatMap(\.sections)
        let style = PriceStyle.euroComma
        for number in 1...max(1, count) {
            var page = PDFPage()
            page.textCentered("Grand Buffet — page \(number)", center: 297.5, y: 50, font: .helveticaBold, size: 18)
            var y = 80.0
            var s = number
            while y < 770 {
                let section = sections[s % sections.count]
                s += 1
                page.text(section.name, x: 56, y: y + 14, font: .helveticaBold, size: 13, color: PDFColor(120, 30, 30))
                y += 24
                for item in section.items where y < 780 {
                    let price = item.lowestPrice.map(style.text) ?? "market price"
                    page.text(item.printedName, x: 56, y: y + 11, font: .helveticaBold, size: 10.5)
                    page.textRight(price, right: 539, y: y + 11, font: .helvetica, size: 10.5)
                    y += 14
                    if let description = item.description {
                        for line in PDFPage.wrap(description, width: 380, font: .helveticaOblique, size: 8.5) {
                            page.text(line, x: 56, y: y + 9, font: .helveticaOblique, size: 8.5, color: .grey)
                            y += 11
                        }
                    }
                    y += 4
                }
            }
            page.textCentered("© 2025 Grand Buffet · page \(number) of \(count)", center: 297.5, y: 825, font: .helvetica, size: 7, color: .grey)
            pdf.add(page)
        }
        return pdf.bytes()
    }

    /// One page holding only a grey picture and no text: what a scanned menu looks like.
    public static func imageOnlyMenu() -> [UInt8] {
        var pdf = PDFWriter(title: "Scanned menu")
        var page = PDFPage()
        let side = 32
        let pixels = (0..<(side * side)).map { UInt8(truncatingIfNeeded: ($0 % side) * 8 + ($0 / side) * 2) }
        page.image(columns: side, rows: side, pixels: pixels, x: 56, y: 56, width: 483, height: 483)
        pdf.add(page)
        return pdf.bytes()
    }

    private static func save(_ bytes: [UInt8], to url: URL) throws(Failure) {
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw Failure.cantCreate(path: url.path, reason: "\(error.localizedDescription)")
        }
    }
}

// MARK: - The data

/// A sample menu: what it prints and how it lays it out.
public struct SampleMenu: Sendable {
    public var name: String
    /// ISO 4217.
    public var currency: String
    public var sections: [SampleSection]
    /// Marker -> contract dietary tag, as the menu's legend says.
    var legend: [(marker: String, tag: String, words: String)]
    var layout: @Sendable (SampleMenu) -> PDFWriter

    public func pdf() -> [UInt8] { layout(self).bytes() }

    /// What a reader should find, in menu order.
    public var expected: SampleMenuExpectation {
        var items: [SampleMenuExpectation.Item] = []
        for section in sections {
            for item in section.items {
                let tags = item.markers.compactMap { marker in legend.first { $0.marker == marker }?.tag }
                items.append(.init(category: section.name, name: item.name, description: item.description,
                                   priceCents: item.lowestPrice,
                                   sizes: item.sizes.compactMap { size in size.cents.map { .init(value: size.label, priceCents: $0) } },
                                   dietaryTags: tags))
            }
        }
        return SampleMenuExpectation(currency: currency, items: items)
    }

    public func expectedJSON() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        return Array((try? encoder.encode(expected)) ?? Data()) + [10]
    }
}

public struct SampleSection: Sendable {
    public var name: String
    public var items: [SampleItem]
}

public struct SampleItem: Sendable {
    public var name: String
    public var description: String?
    /// A single price, minor units; nil with no sizes means "market price".
    public var price: Int64?
    /// Size label and price; a nil price is a blank cell.
    public var sizes: [(label: String, cents: Int64?)]
    /// Printed after the name as `(V)`, resolved through the menu's legend.
    public var markers: [String]

    init(_ name: String, _ description: String? = nil, price: Int64? = nil,
         sizes: [(String, Int64?)] = [], markers: [String] = []) {
        self.name = name; self.description = description; self.price = price
        self.sizes = sizes.map { (label: $0.0, cents: $0.1) }; self.markers = markers
    }

    /// The contract's `price_cents`: the lowest price printed.
    public var lowestPrice: Int64? { sizes.isEmpty ? price : sizes.compactMap(\.cents).min() }

    var printedName: String { ([name] + markers.map { "(\($0))" }).joined(separator: " ") }
}

/// `samples/menus/<name>.expected.json`: the items a reader should find.
///
///     {"currency":"EUR","items":[{"category":"Pizzas","name":"Margherita","price_cents":850,
///       "sizes":[{"value":"Small","price_cents":850},…],"description":…,"dietary_tags":["vegetarian"]}]}
public struct SampleMenuExpectation: Codable, Sendable, Equatable {
    public struct Size: Codable, Sendable, Equatable {
        public var value: String
        public var priceCents: Int64
        enum CodingKeys: String, CodingKey { case value; case priceCents = "price_cents" }
    }
    public struct Item: Codable, Sendable, Equatable {
        public var category: String
        public var name: String
        public var description: String?
        /// nil: printed without a price.
        public var priceCents: Int64?
        public var sizes: [Size]
        public var dietaryTags: [String]
        enum CodingKeys: String, CodingKey {
            case category, name, description, sizes
            case priceCents = "price_cents"
            case dietaryTags = "dietary_tags"
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(category, forKey: .category)
            try c.encode(name, forKey: .name)
            try c.encode(description, forKey: .description)
            try c.encode(priceCents, forKey: .priceCents)
            try c.encode(sizes, forKey: .sizes)
            try c.encode(dietaryTags, forKey: .dietaryTags)
        }
    }
    public var currency: String
    public var items: [Item]
}

/// How a menu prints its prices.
enum PriceStyle {
    case euroComma       // 12,50 €
    case comma           // 4,50
    case dollar          // $9, $12.50
    case dot             // 6.00
    case ksh             // Ksh 450
    case slashEquals     // 450/=

    func text(_ cents: Int64) -> String {
        let whole = cents / 100
        let fraction = cents % 100
        let two = (fraction < 10 ? "0" : "") + String(fraction)
        switch self {
        case .euroComma: return "\(whole),\(two) €"
        case .comma: return "\(whole),\(two)"
        case .dollar: return fraction == 0 ? "$\(whole)" : "$\(whole).\(two)"
        case .dot: return "\(whole).\(two)"
        case .ksh: return "Ksh \(Self.thousands(whole))"
        case .slashEquals: return "\(Self.thousands(whole))/="
        }
    }

    static func thousands(_ value: Int64) -> String {
        let digits = String(value)
        guard digits.count > 3 else { return digits }
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
