import BackofficeCore
import Foundation
import LiveDatabase
import Logging

/// Plays the live service for every venue, day by day, writing the database rows and the
/// provider's view of the same money as they happen.
///
/// Venues are simulated one after another (their statements are written when a venue is done,
/// so memory stays bounded); every draw comes from seeded streams in a fixed order.
final class Simulation {
    let options: SampleOptions
    let folder: URL
    let logger: Logger
    let plan: PlantPlan
    private let db: SampleDatabase
    private let stripe: StripeExports
    private let callbacks: CallbackLog

    private var random: SeededRandom
    private var receipts: Set<String> = []
    private var checkoutIds: Set<String> = []
    /// First 8 hex digits of the order id no order may take (the planted unissued A/C No.).
    private var reservedOrderPrefix: String?
    private var invoiceCounter = 0
    private(set) var planted: [SampleManifest.Planted] = []
    private(set) var statementFiles: [SampleManifest.File] = []

    // Stripe payouts: the transactions of day d are paid out by the payout created on day d + 1.
    private var payoutIds: [String] = []
    private var payoutTransactionIds: [String] = []
    private var payoutNet: [Int64]
    private var payoutRows: [Int]

    // the venue being simulated
    private var venue: Venue!
    private var customers: [Customer] = []
    private var menu: [MenuEntry] = []
    private var credits: Int64 = 0
    private var lastLedgerChange = Timestamp(seconds: 0)
    private var statement: [StatementRow] = []
    private var statementSequence = 0
    private var mpesaBalance: Int64 = 0

    // counts for the summary
    private(set) var orderCount = 0
    private(set) var paymentCount = 0
    private(set) var plantedSkipped: [(kind: String, reason: String)] = []

    struct Venue {
        var index: Int
        var id: String
        var name: String
        var slug: String
        var isMpesa: Bool
        var currency: String
        var shortcode: String?
        var createdAt: Timestamp
        /// The Stripe customer the venue's owner buys credit packs as.
        var ownerCustomerId: String
    }

    struct Customer {
        var id: String
        var name: String
        var msisdn: String?
        var email: String
        var stripeCustomerId: String
    }

    struct MenuEntry {
        var id: String
        var dish: Catalog.Dish
    }

    init(options: SampleOptions, folder: URL, logger: Logger, db: SampleDatabase, stripe: StripeExports, callbacks: CallbackLog) {
        self.options = options
        self.folder = folder
        self.logger = logger
        self.db = db
        self.stripe = stripe
        self.callbacks = callbacks
        var planRandom = SeededRandom(seed: options.seed, stream: "plan")
        self.plan = options.plantDiscrepancies ? PlantPlan.make(options: options, random: &planRandom) : .none
        self.plantedSkipped = plan.skipped
        self.random = SeededRandom(seed: options.seed, stream: "simulation")
        payoutNet = Array(repeating: 0, count: options.days)
        payoutRows = Array(repeating: 0, count: options.days)
        var payoutRandom = SeededRandom(seed: options.seed, stream: "payouts")
        for _ in 0..<options.days {
            payoutIds.append("po_1" + payoutRandom.alphanumeric(23))
            payoutTransactionIds.append("txn_1" + payoutRandom.alphanumeric(23))
        }
        if plan.unrecordedMpesa != nil {
            var r = SeededRandom(seed: options.seed, stream: "unissued")
            reservedOrderPrefix = String(r.uuid().prefix(8))
        }
    }

    // MARK: - The run

    func run() throws(Failure) {
        for index in 0..<options.venues {
            try simulateVenue(index)
            if (index + 1) % 10 == 0 || index + 1 == options.venues {
                logger.debug("samples: \(index + 1) of \(options.venues) venues written")
            }
        }
        try writePayouts()
        planted.sort { a, b in
            (ExceptionKind(rawValue: a.kind)?.rank ?? 99) < (ExceptionKind(rawValue: b.kind)?.rank ?? 99)
        }
    }

    private var startDay: Int64 { options.start.dayNumber }

    private func dayStart(_ day: Int) -> Timestamp { options.start.adding(seconds: Int64(day) * 86_400) }

    private func simulateVenue(_ index: Int) throws(Failure) {
        venue = makeVenue(index)
        statement = []
        statementSequence = 0
        credits = 0
        lastLedgerChange = venue.createdAt
        try makeMenu()
        try makeCustomers()
        try ledger(+25, "bonus", at: venue.createdAt)
        var maxParses = 3 - random.int(below: 3)
        if random.chance(30) {
            maxParses = 0
            try ledger(-5, "menu_import", at: venue.createdAt.adding(seconds: 86_400 + Int64(random.int(below: 3600))))
        }
        mpesaBalance = venue.isMpesa ? Int64(random.int(in: 5_000...50_000)) * 100 : 0
        let openingBalance = mpesaBalance

        for day in 0..<options.days {
            try buyPacks(day: day)
            try simulateOrders(day: day)
            if venue.isMpesa {
                try simulateInvoices(day: day)
                if let u = plan.unrecordedMpesa, u.venue == index, u.day == day { plantUnrecordedMpesa(day: day) }
                withdrawToBank(day: day)
            }
        }

        if venue.isMpesa { try writeStatements(openingBalance: openingBalance) }

        var remaining = credits
        if plan.driftVenue == index {
            remaining += 3
            recordPlanted(.creditBalanceDrift, provider: nil, refs: .init(venueId: venue.id),
                  note: "\(venue.name) has credits_remaining \(remaining) while its credit ledger sums to \(credits) (3 more).")
        }
        try db.insert(.venues, [
            venue.id, venue.name,
            venue.isMpesa ? Catalog.mpesaLocations[index / 2 % Catalog.mpesaLocations.count] : Catalog.stripeLocations[index / 2 % Catalog.stripeLocations.count],
            venue.isMpesa && index % 4 == 3 ? "sw" : "en", venue.currency,
            venue.isMpesa ? "Africa/Nairobi" : "America/New_York",
            venue.isMpesa ? Self.hours("10:00", "22:00") : Self.hours("08:00", "19:00"),
            "active", remaining, maxParses,
            "120363" + random.digits(12) + "@g.us",
            random.chance(70) ? "120363" + random.digits(12) + "@g.us" : nil,
            venue.shortcode, venue.createdAt.iso, lastLedgerChange.iso,
        ])
    }

    static func hours(_ open: String, _ close: String) -> String {
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        return "{" + days.map { "\"\($0)\": {\"open\": \"\(open)\", \"close\": \"\(close)\"}" }.joined(separator: ", ") + "}"
    }

    private func makeVenue(_ index: Int) -> Venue {
        let isMpesa = PlantPlan.isMpesaVenue(index)
        let names = isMpesa ? Catalog.mpesaVenueNames : Catalog.stripeVenueNames
        let k = index / 2
        var name = names[k % names.count]
        if k >= names.count { name += " \(k / names.count + 1)" }
        let slug = String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
        let id = random.uuid()
        let created = options.start.adding(seconds: -Int64(random.int(in: 30...400)) * 86_400 + Int64(random.int(in: 8 * 3600...18 * 3600)))
        // Shortcodes are unique: 7919 is prime, so index * 7919 differs modulo 400,000 for every venue count allowed.
        let shortcode = isMpesa ? String(600_000 + (index * 7919 + Int(options.seed % 1000)) % 400_000) : nil
        return Venue(index: index, id: id, name: name, slug: slug, isMpesa: isMpesa, currency: isMpesa ? "KES" : "USD",
                     shortcode: shortcode, createdAt: created, ownerCustomerId: "cus_" + random.alphanumeric(14))
    }

    private func makeMenu() throws(Failure) {
        let dishes = venue.isMpesa ? Catalog.mpesaMenu : Catalog.stripeMenu
        // a per-venue selection of 8 dishes, in menu order
        var chosen = Array(0..<dishes.count)
        while chosen.count > 8 { chosen.remove(at: random.int(below: chosen.count)) }
        menu = chosen.map { MenuEntry(id: random.uuid(), dish: dishes[$0]) }
        for item in menu {
            let d = item.dish
            try db.insert(.menuItems, [
                item.id, venue.id, d.category, d.name, d.description, d.priceCents,
                d.sizes.isEmpty ? nil : "[{\"name\":\"Size\",\"choices\":[" + d.sizes.map { "{\"value\":\(JSONText.string($0.0)),\"price_delta_cents\":\($0.1)}" }.joined(separator: ",") + "]}]",
                "[" + Catalog.modifications.prefix(2).map(JSONText.string).joined(separator: ",") + "]",
                "[" + d.tags.map(JSONText.string).joined(separator: ",") + "]",
                1, venue.createdAt.adding(seconds: 86_400).iso, venue.createdAt.adding(seconds: 86_400).iso,
            ])
        }
    }

    private func makeCustomers() throws(Failure) {
        let count = min(2_000, max(5, options.ordersPerDay * options.days / 6))
        customers = []
        customers.reserveCapacity(count)
        var used = Set<String>()
        let span = max(1, options.start.seconds - venue.createdAt.seconds - 3600)
        for _ in 0..<count {
            let first = random.pick(venue.isMpesa ? Catalog.kenyanFirstNames : Catalog.westernFirstNames)
            let last = random.pick(venue.isMpesa ? Catalog.kenyanLastNames : Catalog.westernLastNames)
            let whatsapp = venue.isMpesa ? random.chance(85) : random.chance(40)
            var msisdn: String?
            var channelUser: String
            repeat {
                if venue.isMpesa {
                    msisdn = "254" + random.pick(["7", "7", "7", "1"]) + random.digits(8)
                } else {
                    msisdn = whatsapp ? "1" + String(random.int(in: 2...9)) + random.digits(9) : nil
                }
                channelUser = whatsapp ? msisdn! : String(random.int(in: 1...9)) + random.digits(15)
            } while !used.insert(channelUser).inserted
            let customer = Customer(id: random.uuid(), name: "\(first) \(last)", msisdn: msisdn,
                                    email: "\(first.lowercased()).\(last.lowercased())\(random.int(below: 100))@example.com",
                                    stripeCustomerId: "cus_" + random.alphanumeric(14))
            customers.append(customer)
            let created = venue.createdAt.adding(seconds: 3600 + Int64(random.int(below: Int(span))))
            try db.insert(.customers, [customer.id, venue.id, whatsapp ? "whatsapp" : "messenger", channelUser, msisdn, customer.name, created.iso])
        }
    }

    // MARK: - Credits

    private func ledger(_ amount: Int64, _ type: String, at time: Timestamp, stripePaymentId: String? = nil, orderId: String? = nil) throws(Failure) {
        try db.insert(.creditTransactions, [random.uuid(), venue.id, amount, type, stripePaymentId, orderId, time.iso])
        credits += amount
        if time > lastLedgerChange { lastLedgerChange = time }
    }

    private func buyPacks(day: Int) throws(Failure) {
        var t = dayStart(day).adding(seconds: 6 * 3600 + Int64(random.int(below: 1800)))
        for forced in plan.packs[venue.index] ?? [] where forced.day == day {
            t = try buyPack(credits: 500, at: t, plant: forced.plant).adding(seconds: 300)
        }
        let threshold = Int64(options.ordersPerDay + 10)
        while credits < threshold {
            var size: Int64 = options.ordersPerDay >= 50 ? 1000 : (options.ordersPerDay >= 10 ? 500 : 100)
            if random.chance(15) { size = random.pick([100, 500, 1000]) }
            t = try buyPack(credits: size, at: t, plant: nil).adding(seconds: 300)
        }
    }

    /// A credit pack bought by card; returns when it was paid.
    private func buyPack(credits size: Int64, at start: Timestamp, plant: PlantPlan.PackPlant?) throws(Failure) -> Timestamp {
        let price = CreditPacks.priceCents[size]!
        var t = start
        let owner = Customer(id: "", name: venue.name, msisdn: nil, email: "owner@\(venue.slug).example", stripeCustomerId: venue.ownerCustomerId)
        if plant == nil, random.chance(5) {
            try failedCardAttempt(amount: price, purpose: "credits", orderId: nil, credits: size, customer: owner,
                                  description: "\(size) credits for \(venue.name)", at: t)
            t = t.adding(seconds: Int64(random.int(in: 60...240)))
        }
        let paymentId = random.uuid()
        let pi = "pi_3" + random.alphanumeric(23)
        try db.insert(.payments, [
            paymentId, venue.id, "credits", nil, nil, "stripe", "SUCCESS", price, "USD", pi, nil, nil, nil, size,
            "pay-" + paymentId, nil, t.adding(seconds: -20).iso, t.iso,
        ])
        paymentCount += 1
        let charge = StripeCharge(chargeId: "ch_3" + random.alphanumeric(23), paymentIntent: pi, cardId: "card_1" + random.alphanumeric(23),
                                  created: t, amount: price, currency: "usd", status: .paid,
                                  description: "\(size) credits for \(venue.name)", statementDescriptor: "BACKOFFICE CREDITS",
                                  customerId: owner.stripeCustomerId, customerDescription: venue.name, customerEmail: owner.email,
                                  venueId: venue.id, purpose: "credits", credits: String(size))
        writeCharge(charge)
        switch plant {
        case nil:
            try ledger(size, "purchase", at: t.adding(seconds: 2), stripePaymentId: pi)
        case .creditsAmountMismatch:
            try ledger(100, "purchase", at: t.adding(seconds: 2), stripePaymentId: pi)
            recordPlanted(.creditsAmountMismatch, provider: "stripe",
                  refs: .init(providerRef: pi, paymentId: paymentId, venueId: venue.id, chargeId: charge.chargeId),
                  note: "\(venue.name) paid \(StripeExports.money(price)) USD for a \(size)-credit pack on \(t.isoDate); its purchase row grants +100.")
        case .creditsNotGranted:
            recordPlanted(.creditsNotGranted, provider: "stripe",
                  refs: .init(providerRef: pi, paymentId: paymentId, venueId: venue.id, chargeId: charge.chargeId),
                  note: "\(venue.name) paid \(StripeExports.money(price)) USD for a \(size)-credit pack on \(t.isoDate); no purchase row was written.")
        }
        return t
    }

    // MARK: - Orders

    private enum Status: Int { case pending, rejected, cancelledBefore, completed, approved, cancelledAfter }

    private func simulateOrders(day: Int) throws(Failure) {
        let base = dayStart(day)
        // KES venues trade 10:00-22:00 EAT; USD venues 08:00-17:30 New York, both inside the UTC day.
        let open: Int64 = venue.isMpesa ? 7 * 3600 : 13 * 3600
        let span = venue.isMpesa ? 12 * 3600 : 9 * 3600 + 1800
        var times = (0..<options.ordersPerDay).map { _ in base.adding(seconds: open + Int64(random.int(below: span))) }
        times.sort()
        for (index, created) in times.enumerated() {
            let plant = plan.orders[PlantPlan.Slot(venue: venue.index, day: day, index: index)]
            try simulateOrder(number: index + 1, created: created, day: day, plant: plant)
        }
    }

    private func newOrderId() -> String {
        while true {
            let id = random.uuid()
            if let reserved = reservedOrderPrefix, id.hasPrefix(reserved) { continue }
            return id
        }
    }

    private func simulateOrder(number: Int, created: Timestamp, day: Int, plant: PlantPlan.OrderPlant?) throws(Failure) {
        let orderId = newOrderId()
        var status = Status(rawValue: random.weighted([4, 9, 3, 68, 10, 6]))!
        let online = random.chance(venue.isMpesa ? 46 : 42)
        var method = online ? (venue.isMpesa ? "mpesa" : "card") : "cash"
        if let plant {
            switch plant {
            case .orderChargeMissing: status = .approved; method = "cash"
            case .orderChargeDuplicate: status = .completed; method = "cash"
            default: status = .completed; method = venue.isMpesa ? "mpesa" : "card"
            }
        }
        let customer = random.pick(customers)
        // items
        var lines: [String] = []
        var total: Int64 = 0
        for _ in 0..<(1 + random.weighted([45, 30, 17, 8])) {
            let entry = random.pick(menu)
            let dish = entry.dish
            let quantity = Int64(1 + random.weighted([70, 22, 8]))
            var unit = dish.priceCents
            var options = "[]"
            if !dish.sizes.isEmpty {
                let size = random.pick(dish.sizes)
                unit += size.1
                options = "[{\"name\":\"Size\",\"value\":\(JSONText.string(size.0)),\"price_delta_cents\":\(size.1)}]"
            }
            let modifications = random.chance(15) ? "[" + JSONText.string(random.pick(Catalog.modifications)) + "]" : "[]"
            let lineTotal = unit * quantity
            total += lineTotal
            lines.append("{\"menu_item_id\":\"\(entry.id)\",\"name\":\(JSONText.string(dish.name)),\"quantity\":\(quantity),\"unit_price_cents\":\(unit),\"selected_options\":\(options),\"modifications\":\(modifications),\"line_total_cents\":\(lineTotal)}")
        }
        let items = "[" + lines.joined(separator: ",") + "]"

        var approvedAt: Timestamp?
        var endAt = created
        var rejectedReason: String?
        switch status {
        case .pending:
            break
        case .rejected:
            endAt = created.adding(seconds: Int64(random.int(in: 60...600)))
            rejectedReason = random.pick(Catalog.rejectReasons)
        case .cancelledBefore:
            endAt = created.adding(seconds: Int64(random.int(in: 60...600)))
        case .approved, .completed, .cancelledAfter:
            let approved = created.adding(seconds: Int64(random.int(in: 60...480)))
            approvedAt = approved
            switch status {
            case .completed: endAt = approved.adding(seconds: Int64(random.int(in: 1200...2400)))
            case .cancelledAfter: endAt = approved.adding(seconds: Int64(random.int(in: 300...1800)))
            default: endAt = approved
            }
        }
        let approvedBy = approvedAt != nil || status == .rejected ? random.pick(Catalog.staff) : nil
        let tableNumber = random.chance(40) ? "T\(random.int(in: 1...20))" : nil

        var paymentStatus = "unpaid"
        if let approvedAt, method != "cash" {
            let refundAt = status == .cancelledAfter ? endAt.adding(seconds: 60) : nil
            let result: (status: String, last: Timestamp)
            if venue.isMpesa {
                result = try mpesaOrderPayment(orderId: orderId, number: number, total: total, customer: customer,
                                               start: approvedAt.adding(seconds: Int64(random.int(in: 20...60))), refundAt: refundAt, plant: plant)
            } else {
                result = try cardOrderPayment(orderId: orderId, number: number, total: total, customer: customer,
                                              start: approvedAt.adding(seconds: Int64(random.int(in: 20...60))), refundAt: refundAt,
                                              completedAt: endAt, day: day, plant: plant)
            }
            paymentStatus = result.status
            if result.last > endAt { endAt = result.last }
        }

        let statusText: String
        switch status {
        case .pending: statusText = "pending"
        case .rejected: statusText = "rejected"
        case .cancelledBefore, .cancelledAfter: statusText = "cancelled"
        case .completed: statusText = "completed"
        case .approved: statusText = "approved"
        }
        try db.insert(.orders, [
            orderId, venue.id, number, customer.id, tableNumber, items, total, venue.currency, statusText, method, paymentStatus,
            approvedBy, rejectedReason, created.iso, approvedAt?.iso, endAt.iso,
        ])
        orderCount += 1

        // the credit ledger: one order_charge per approval, given back when cancelled after approval
        if let approvedAt {
            switch plant {
            case .orderChargeMissing:
                recordPlanted(.orderChargeMissing, provider: nil, refs: .init(orderId: orderId, venueId: venue.id),
                      note: "Order #\(number) of \(venue.name) on \(created.isoDate) is approved and has no order_charge.")
            case .orderChargeDuplicate:
                try ledger(-1, "order_charge", at: approvedAt, orderId: orderId)
                try ledger(-1, "order_charge", at: approvedAt.adding(seconds: Int64(random.int(in: 1...5))), orderId: orderId)
                recordPlanted(.orderChargeDuplicate, provider: nil, refs: .init(orderId: orderId, venueId: venue.id),
                      note: "Order #\(number) of \(venue.name) on \(created.isoDate) has two order_charge rows.")
            default:
                try ledger(-1, "order_charge", at: approvedAt, orderId: orderId)
            }
            if status == .cancelledAfter {
                try ledger(+1, "refund", at: endAt, orderId: orderId)
            }
        }
    }

    // MARK: - Card payments

    /// A card attempt the bank declined: a FAILED payments row and a Failed charge.
    private func failedCardAttempt(amount: Int64, purpose: String, orderId: String?, credits: Int64?, customer: Customer,
                                   description: String, at t: Timestamp) throws(Failure) {
        let paymentId = random.uuid()
        let pi = "pi_3" + random.alphanumeric(23)
        try db.insert(.payments, [
            paymentId, venue.id, purpose, orderId, nil, "stripe", "FAILED", amount, "USD", pi, nil, nil, nil, credits,
            "pay-" + paymentId, nil, t.adding(seconds: -20).iso, t.iso,
        ])
        paymentCount += 1
        let charge = StripeCharge(chargeId: "ch_3" + random.alphanumeric(23), paymentIntent: pi, cardId: "card_1" + random.alphanumeric(23),
                                  created: t, amount: amount, currency: "usd", status: .failed, description: description,
                                  statementDescriptor: statementDescriptor, customerId: customer.stripeCustomerId,
                                  customerDescription: customer.name, customerEmail: customer.email, orderId: orderId ?? "",
                                  venueId: venue.id, purpose: purpose, credits: credits.map(String.init) ?? "")
        stripe.writePaymentRow(charge)
    }

    private var statementDescriptor: String { String(venue.name.uppercased().prefix(22)) }

    /// Writes a charge to both exports (a failed one only to the Payments export), and its refund.
    private func writeCharge(_ charge: StripeCharge, refundId: String? = nil) {
        stripe.writePaymentRow(charge)
        guard charge.status != .failed else { return }
        let net = stripe.writeChargeBalanceRow(charge, transactionId: "txn_3" + random.alphanumeric(23), payout: payoutRef(charge.created, charge.currency))
        account(net, charge.created, charge.currency)
        if charge.amountRefunded > 0, let at = charge.refundedAt {
            let refundNet = stripe.writeRefundBalanceRow(charge, refundId: refundId ?? "re_3" + random.alphanumeric(23),
                                                         transactionId: "txn_3" + random.alphanumeric(23), at: at,
                                                         amount: charge.amountRefunded, payout: payoutRef(at, charge.currency))
            account(refundNet, at, charge.currency)
        }
    }

    private func payoutDay(_ t: Timestamp, _ currency: String) -> Int? {
        guard currency == "usd" else { return nil }
        let day = Int(t.dayNumber - startDay) + 1
        return day >= 1 && day < options.days ? day : nil
    }

    private func payoutRef(_ t: Timestamp, _ currency: String) -> StripeExports.PayoutRef? {
        guard let day = payoutDay(t, currency) else { return nil }
        return .init(id: payoutIds[day], effectiveAt: dayStart(day + 1))
    }

    private func account(_ net: Int64, _ t: Timestamp, _ currency: String) {
        guard let day = payoutDay(t, currency) else { return }
        payoutNet[day] += net
        payoutRows[day] += 1
    }

    private func cardOrderPayment(orderId: String, number: Int, total: Int64, customer: Customer, start: Timestamp,
                                  refundAt: Timestamp?, completedAt: Timestamp, day: Int,
                                  plant: PlantPlan.OrderPlant?) throws(Failure) -> (status: String, last: Timestamp) {
        var t = start
        let description = "Order #\(number) at \(venue.name)"
        if plant == nil {
            if random.chance(7) {
                try failedCardAttempt(amount: total, purpose: "order", orderId: orderId, credits: nil, customer: customer, description: description, at: t)
                t = t.adding(seconds: Int64(random.int(in: 60...180)))
            } else if random.chance(3) {
                // a Checkout session the customer abandoned: no charge at all
                let paymentId = random.uuid()
                try db.insert(.payments, [
                    paymentId, venue.id, "order", orderId, nil, "stripe", "EXPIRED", total, "USD", "pi_3" + random.alphanumeric(23),
                    nil, nil, nil, nil, "pay-" + paymentId, nil, t.adding(seconds: -20).iso, t.adding(seconds: 1800).iso,
                ])
                paymentCount += 1
                t = t.adding(seconds: Int64(random.int(in: 60...180)))
            }
            if random.chance(2) {
                try failedCardAttempt(amount: total, purpose: "order", orderId: orderId, credits: nil, customer: customer, description: description, at: t)
                return ("failed", t)
            }
        }
        let paymentId = random.uuid()
        let pi = "pi_3" + random.alphanumeric(23)
        var charge = StripeCharge(chargeId: "ch_3" + random.alphanumeric(23), paymentIntent: pi, cardId: "card_1" + random.alphanumeric(23),
                                  created: t, amount: total, currency: "usd", status: .paid, description: description,
                                  statementDescriptor: statementDescriptor, customerId: customer.stripeCustomerId,
                                  customerDescription: customer.name, customerEmail: customer.email, orderId: orderId,
                                  venueId: venue.id, purpose: "order")
        var rowStatus = "SUCCESS"
        var updated = t
        var orderStatus = "paid"
        if let refundAt {
            rowStatus = "REFUNDED"
            updated = refundAt
            orderStatus = "refunded"
            charge.status = .refunded
            charge.amountRefunded = total
            charge.refundedAt = refundAt
        }
        let refs = SampleManifest.Refs(providerRef: pi, paymentId: paymentId, orderId: orderId, venueId: venue.id, chargeId: charge.chargeId)
        let whereText = "order #\(number) of \(venue.name) on \(t.isoDate)"
        switch plant {
        case .amountMismatch:
            charge.amount = total + 550
            recordPlanted(.amountMismatch, provider: "stripe", amount: charge.amount, expected: total, currency: "USD", refs: refs,
                  note: "Stripe charged \(StripeExports.money(charge.amount)) USD for \(whereText); the payment row says \(StripeExports.money(total)) USD.")
        case .currencyMismatch:
            charge.currency = "eur"
            recordPlanted(.currencyMismatch, provider: "stripe", amount: total, expected: total, currency: "EUR", refs: refs,
                  note: "Stripe charged \(StripeExports.money(total)) EUR for \(whereText); the payment row says \(StripeExports.money(total)) USD.")
        case .targetStatusMismatch:
            orderStatus = "pending"
            recordPlanted(.targetStatusMismatch, provider: "stripe", amount: total, expected: total, currency: "USD", refs: refs,
                  note: "The payment for \(whereText) is SUCCESS and matches Stripe; the order's payment_status is still 'pending'.")
        case .missingProviderPayment:
            recordPlanted(.missingProviderPayment, provider: "stripe", expected: total, currency: "USD", refs: refs,
                  note: "The payment row for \(whereText) is SUCCESS with \(pi); neither Stripe export lists it.")
        case .unrecordedRefund:
            let refundAt = completedAt.adding(seconds: Int64(random.int(in: 300...900)))
            charge.status = .refunded
            charge.amountRefunded = total
            charge.refundedAt = refundAt
            recordPlanted(.unrecordedRefund, provider: "stripe", amount: total, expected: 0, currency: "USD", refs: refs,
                  note: "Stripe refunded \(StripeExports.money(total)) USD of \(whereText) on \(refundAt.isoDate); the order is still 'paid' and the payment SUCCESS.")
        default:
            break
        }
        try db.insert(.payments, [
            paymentId, venue.id, "order", orderId, nil, "stripe", rowStatus, total, "USD", pi, nil, nil, nil, nil,
            "pay-" + paymentId, nil, t.adding(seconds: -20).iso, updated.iso,
        ])
        paymentCount += 1
        if plant != .missingProviderPayment {
            writeCharge(charge)
        }
        if plant == .duplicatePayment {
            let second = t.adding(seconds: Int64(random.int(in: 180...900)))
            let secondPi = "pi_3" + random.alphanumeric(23)
            var duplicate = charge
            duplicate.chargeId = "ch_3" + random.alphanumeric(23)
            duplicate.paymentIntent = secondPi
            duplicate.cardId = "card_1" + random.alphanumeric(23)
            duplicate.created = second
            writeCharge(duplicate)
            recordPlanted(.duplicatePayment, provider: "stripe", amount: total, expected: total, currency: "USD",
                  refs: .init(providerRef: secondPi, paymentId: paymentId, orderId: orderId, venueId: venue.id, chargeId: duplicate.chargeId),
                  note: "Stripe charged \(whereText) twice: \(pi) is recorded, the second charge \(secondPi) at \(StripeExports.time(second)) UTC has no payment row.")
        }
        return (orderStatus, updated)
    }

    // MARK: - M-PESA payments

    private func mask(_ msisdn: String) -> String {
        String(msisdn.prefix(6)) + "***" + String(msisdn.suffix(3))
    }

    private func newReceipt(_ t: Timestamp) -> String {
        let f = t.fields(utcOffsetSeconds: Timestamp.eatOffsetSeconds)
        let year = UnicodeScalar(UInt8(65 + (f.year - 2006) % 26))
        let month = UnicodeScalar(UInt8(64 + f.month))
        while true {
            let r = String(Character(year)) + String(Character(month)) + random.upperAlphanumeric(8)
            if receipts.insert(r).inserted { return r }
        }
    }

    private func newCheckoutId(_ t: Timestamp, msisdn: String) -> String {
        let f = t.fields(utcOffsetSeconds: Timestamp.eatOffsetSeconds)
        let p = CallbackLog.pad
        let stamp = p(f.day, 2) + p(f.month, 2) + p(f.year, 4) + p(f.hour, 2) + p(f.minute, 2) + p(f.second, 2)
        let national = String(msisdn.dropFirst(3))
        while true {
            let id = "ws_CO_" + stamp + p(random.int(below: 1000), 3) + national
            if checkoutIds.insert(id).inserted { return id }
        }
    }

    private func merchantRequestId() -> String {
        "\(random.int(in: 1000...99999))-\(random.int(in: 1_000_000...199_999_999))-\(random.int(in: 1...3))"
    }

    private func addStatement(_ row: StatementRow) {
        var row = row
        row.sequence = statementSequence
        statementSequence += 1
        mpesaBalance += row.balanceChange
        statement.append(row)
    }

    /// A Pay Bill tariff (the business pays), in KES cents, by the amount paid in: payments up to
    /// KES 1,000 are free, as in Safaricom's waiver for small payments.
    static func payBillCharge(_ cents: Int64) -> Int64 {
        let shillings = cents / 100
        let table: [(Int64, Int64)] = [(1_000, 0), (1_500, 15), (2_500, 20), (3_500, 25), (5_000, 34),
                                       (7_500, 42), (10_000, 48), (15_000, 57), (20_000, 62), (35_000, 67), (50_000, 72)]
        for (upTo, fee) in table where shillings <= upTo { return fee * 100 }
        return 77 * 100
    }

    private func payBillRows(receipt: String, completion: Timestamp, initiation: Timestamp, amount: Int64, name: String, msisdn: String, account: String) {
        let party = "\(mask(msisdn)) - \(name.uppercased())"
        addStatement(StatementRow(completion: completion, initiation: initiation, sequence: 0, receipt: receipt,
                                  details: "Pay Bill from \(party) Acc. \(account)", status: "Completed", paidIn: amount,
                                  reasonType: "Pay Bill Online", otherParty: party, account: account))
        let fee = Self.payBillCharge(amount)
        if fee > 0 {
            addStatement(StatementRow(completion: completion, initiation: completion, sequence: 0, receipt: newReceipt(completion),
                                      details: "Pay Bill Charge", status: "Completed", withdrawn: fee, reasonType: "Pay Bill Charge",
                                      linked: receipt))
        }
    }

    /// An STK push (after possibly failed attempts) paying an order or an invoice.
    /// Returns the order's payment_status (`paid`, `refunded`, `pending`, `failed`) and the last update.
    private func stkPayment(purpose: String, orderId: String?, invoiceId: String?, account: String, amount: Int64, customerName: String,
                            msisdn: String, start: Timestamp, refundAt: Timestamp?, lostCallback: Bool,
                            whereText: String) throws(Failure) -> (status: String, last: Timestamp) {
        var t = start
        func failedAttempt(_ code: Int, rowStatus: String) throws(Failure) {
            let paymentId = random.uuid()
            let checkout = newCheckoutId(t, msisdn: msisdn)
            let json = CallbackLog.json(merchantRequestId: merchantRequestId(), checkoutRequestId: checkout, resultCode: code, success: nil)
            let at = t.adding(seconds: Int64(random.int(in: 15...45)))
            callbacks.append(json)
            try db.insert(.payments, [
                paymentId, venue.id, purpose, orderId, invoiceId, "mpesa", rowStatus, amount, "KES", checkout, account, nil, msisdn, nil,
                "pay-" + paymentId, json, t.iso, at.iso,
            ])
            paymentCount += 1
            if code == 2001 {
                // the portal lists a wrong-PIN attempt as a failed transaction
                let party = "\(mask(msisdn)) - \(customerName.uppercased())"
                addStatement(StatementRow(completion: at, initiation: t, sequence: 0, receipt: newReceipt(at),
                                          details: "Pay Bill from \(party) Acc. \(account)", status: "Failed", paidIn: amount,
                                          reasonType: "Pay Bill Online", otherParty: party, account: account))
            }
            t = at.adding(seconds: Int64(random.int(in: 45...150)))
        }
        if !lostCallback {
            switch random.weighted([86, 9, 3, 2]) {
            case 1: try failedAttempt(1032, rowStatus: "FAILED")
            case 2: try failedAttempt(1037, rowStatus: "EXPIRED")
            case 3: try failedAttempt(2001, rowStatus: "FAILED")
            default: break
            }
            if random.chance(2) {
                try failedAttempt(1032, rowStatus: "FAILED")
                return ("failed", t)
            }
        }
        let paymentId = random.uuid()
        let checkout = newCheckoutId(t, msisdn: msisdn)
        let completion = t.adding(seconds: Int64(random.int(in: 8...40)))
        let receipt = newReceipt(completion)
        payBillRows(receipt: receipt, completion: completion, initiation: t, amount: amount, name: customerName, msisdn: msisdn, account: account)
        if lostCallback {
            try db.insert(.payments, [
                paymentId, venue.id, purpose, orderId, invoiceId, "mpesa", "INITIATED", amount, "KES", checkout, account, nil, msisdn, nil,
                "pay-" + paymentId, nil, t.iso, t.iso,
            ])
            paymentCount += 1
            recordPlanted(.statusMismatch, provider: "mpesa", amount: amount, expected: amount, currency: "KES",
                  refs: .init(providerRef: checkout, mpesaReceipt: receipt, paymentId: paymentId, orderId: orderId, invoiceId: invoiceId, venueId: venue.id),
                  note: "M-PESA received \(MpesaStatementWriter.amount(amount)) KES (\(receipt), A/C No. \(account)) for \(whereText); the callback never came and the payment row is still INITIATED with no receipt.")
            return ("pending", t)
        }
        let json = CallbackLog.json(merchantRequestId: merchantRequestId(), checkoutRequestId: checkout, resultCode: 0,
                                    success: (amount / 100, random.chance(50), receipt, completion, msisdn))
        callbacks.append(json)
        var rowStatus = "SUCCESS"
        var updated = completion.adding(seconds: Int64(random.int(in: 1...5)))
        var orderStatus = "paid"
        if let refundAt {
            rowStatus = "REFUNDED"
            updated = refundAt
            orderStatus = "refunded"
            let party = "\(mask(msisdn)) - \(customerName.uppercased())"
            addStatement(StatementRow(completion: refundAt, initiation: refundAt, sequence: 0, receipt: newReceipt(refundAt),
                                      details: "Reversal", status: "Completed", withdrawn: amount, reasonType: "Reversal",
                                      otherParty: party, linked: receipt))
        }
        try db.insert(.payments, [
            paymentId, venue.id, purpose, orderId, invoiceId, "mpesa", rowStatus, amount, "KES", checkout, account, receipt, msisdn, nil,
            "pay-" + paymentId, json, t.iso, updated.iso,
        ])
        paymentCount += 1
        return (orderStatus, updated)
    }

    private func mpesaOrderPayment(orderId: String, number: Int, total: Int64, customer: Customer, start: Timestamp,
                                   refundAt: Timestamp?, plant: PlantPlan.OrderPlant?) throws(Failure) -> (status: String, last: Timestamp) {
        try stkPayment(purpose: "order", orderId: orderId, invoiceId: nil, account: "OD" + orderId.prefix(8), amount: total,
                       customerName: customer.name, msisdn: customer.msisdn!, start: start, refundAt: refundAt,
                       lostCallback: plant == .statusMismatch, whereText: "order #\(number) of \(venue.name) on \(start.isoDate)")
    }

    // MARK: - Invoices, withdrawals, the unissued account

    private func simulateInvoices(day: Int) throws(Failure) {
        // about one invoice for every 20 orders
        var count = options.ordersPerDay / 20
        if random.chance((options.ordersPerDay % 20) * 5) { count += 1 }
        let base = dayStart(day)
        for _ in 0..<count {
            invoiceCounter += 1
            let id = "INV-" + CallbackLog.pad(invoiceCounter, 7)
            let created = base.adding(seconds: 5 * 3600 + Int64(random.int(below: 11 * 3600)))
            let amount = Int64(random.int(in: 20...500)) * 50 * 100
            let customer = random.pick(customers)
            let description = random.pick(Catalog.invoiceDescriptions)
            var status = ["PAID", "SENT", "CANCELLED"][random.weighted([80, 12, 8])]
            var updated = created.adding(seconds: Int64(random.int(in: 5...60)))
            if status == "PAID" {
                let result = try stkPayment(purpose: "invoice", orderId: nil, invoiceId: id, account: id, amount: amount,
                                            customerName: customer.name, msisdn: customer.msisdn!,
                                            start: created.adding(seconds: Int64(random.int(in: 300...7200))), refundAt: nil,
                                            lostCallback: false, whereText: "invoice \(id) of \(venue.name)")
                updated = result.last
                if result.status != "paid" { status = "SENT" }
            } else if status == "SENT", random.chance(50) {
                // an STK push the customer never answered
                let paymentId = random.uuid()
                let t = created.adding(seconds: Int64(random.int(in: 300...3600)))
                let checkout = newCheckoutId(t, msisdn: customer.msisdn!)
                let json = CallbackLog.json(merchantRequestId: merchantRequestId(), checkoutRequestId: checkout, resultCode: 1037, success: nil)
                callbacks.append(json)
                try db.insert(.payments, [
                    paymentId, venue.id, "invoice", nil, id, "mpesa", "EXPIRED", amount, "KES", checkout, id, nil, customer.msisdn, nil,
                    "pay-" + paymentId, json, t.iso, t.adding(seconds: 60).iso,
                ])
                paymentCount += 1
            }
            try db.insert(.invoices, [id, venue.id, nil, customer.name, customer.msisdn!, amount, "KES", description, status, created.iso, updated.iso])
        }
    }

    private func withdrawToBank(day: Int) {
        let keep: Int64 = 5_000 * 100
        guard mpesaBalance > 20_000 * 100 else { return }
        let amount = (mpesaBalance - keep) / 100_000 * 100_000
        let t = dayStart(day).adding(seconds: 20 * 3600 + 1800 + Int64(random.int(below: 1200)))
        let receipt = newReceipt(t)
        addStatement(StatementRow(completion: t, initiation: t, sequence: 0, receipt: receipt, details: "Withdraw Funds to Bank",
                                  status: "Completed", withdrawn: amount, reasonType: "Business Withdrawal",
                                  otherParty: "Equity Bank - 01802" + random.digits(8)))
        addStatement(StatementRow(completion: t, initiation: t, sequence: 0, receipt: newReceipt(t), details: "Business Pay Bill Charge",
                                  status: "Completed", withdrawn: 50 * 100, reasonType: "Business Withdrawal", linked: receipt))
    }

    private func plantUnrecordedMpesa(day: Int) {
        let t = dayStart(day).adding(seconds: 9 * 3600 + Int64(random.int(below: 8 * 3600)))
        let account = "OD" + reservedOrderPrefix!
        let amount = Int64(random.int(in: 5...60)) * 50 * 100
        let name = random.pick(Catalog.kenyanFirstNames) + " " + random.pick(Catalog.kenyanLastNames)
        let msisdn = "2547" + random.digits(8)
        let receipt = newReceipt(t)
        payBillRows(receipt: receipt, completion: t, initiation: t.adding(seconds: -12), amount: amount, name: name, msisdn: msisdn, account: account)
        recordPlanted(.unrecordedPayment, provider: "mpesa", amount: amount, currency: "KES", refs: .init(mpesaReceipt: receipt, venueId: venue.id),
              note: "The statement of \(venue.name) (shortcode \(venue.shortcode!)) shows \(MpesaStatementWriter.amount(amount)) KES paid in on \(t.isoDate) (\(receipt)) with A/C No. \(account), which no order or invoice was given.")
    }

    // MARK: - Writing what was collected

    private func writeStatements(openingBalance: Int64) throws(Failure) {
        statement.sort { ($0.completion, $0.sequence) < ($1.completion, $1.sequence) }
        var balance = openingBalance
        var rows: [(row: StatementRow, balance: Int64)] = []
        rows.reserveCapacity(statement.count)
        for row in statement {
            balance += row.balanceChange
            rows.append((row, balance))
        }
        let shortcode = venue.shortcode!
        let mid = (options.days - 1) / 2
        let first = startDay
        for (suffix, from, to, order) in [("a", first, first + Int64(mid) + 1, Timestamp.DateOrder.dayFirst),
                                          ("b", first + Int64(mid), first + Int64(options.days), Timestamp.DateOrder.yearFirst)] {
            let path = "exports/mpesa/statement_\(shortcode)_\(suffix).csv"
            let count = try MpesaStatementWriter.write(rows: rows, to: folder.appendingPathComponent(path), displayPath: path,
                                                       organization: venue.name, shortcode: shortcode, fromDay: from, toDay: to, dateOrder: order)
            statementFiles.append(.init(path: path, kind: "mpesa_statement", rows: count))
        }
        statement = []
    }

    private func writePayouts() throws(Failure) {
        var days = (1..<max(1, options.days)).filter { payoutRows[$0] > 0 }
        var mismatchDay: Int?
        if plan.payoutMismatch {
            if days.isEmpty {
                plantedSkipped.append((ExceptionKind.payoutMismatch.rawValue, "no Stripe transaction was paid out"))
            } else {
                mismatchDay = random.pick(days)
            }
        }
        days.sort()
        for day in days {
            var amount = payoutNet[day]
            if day == mismatchDay {
                amount += 100
                recordPlanted(.payoutMismatch, provider: "stripe", accountWide: true, amount: amount, expected: payoutNet[day], currency: "USD",
                      refs: .init(payoutId: payoutIds[day]),
                      note: "Payout \(payoutIds[day]) on \(dayStart(day).isoDate) sent \(StripeExports.money(amount)) USD; the \(payoutRows[day]) transactions it pays out net \(StripeExports.money(payoutNet[day])) USD.")
            }
            let created = dayStart(day).adding(seconds: 6 * 3600)
            stripe.writePayoutRow(transactionId: payoutTransactionIds[day], payoutId: payoutIds[day], created: created,
                                  arrival: dayStart(day + 1), currency: "usd", amount: amount)
        }
    }

    // MARK: - The manifest

    private func recordPlanted(_ kind: ExceptionKind, provider: String?, accountWide: Bool = false, amount: Int64? = nil, expected: Int64? = nil,
                               currency: String? = nil, refs: SampleManifest.Refs, note: String) {
        let venueId: String? = accountWide ? nil : venue?.id
        var refs = refs
        if refs.venueId == nil { refs.venueId = venueId }
        planted.append(.init(kind: kind.rawValue, provider: provider, venueId: venueId, amountCents: amount, expectedCents: expected,
                             currency: currency, refs: refs, note: note))
    }
}

