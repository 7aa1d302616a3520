import BackofficeCore

/// Where the generator plants one case of each reconciliation exception kind, decided before any
/// row is written so the simulation only has to look its current order or day up.
struct PlantPlan {
    /// A planted case that lives on one order.
    enum OrderPlant: CaseIterable {
        case amountMismatch, currencyMismatch, targetStatusMismatch, duplicatePayment, missingProviderPayment
        case unrecordedRefund, statusMismatch, orderChargeMissing, orderChargeDuplicate

        var kind: ExceptionKind {
            switch self {
            case .amountMismatch: .amountMismatch
            case .currencyMismatch: .currencyMismatch
            case .targetStatusMismatch: .targetStatusMismatch
            case .duplicatePayment: .duplicatePayment
            case .missingProviderPayment: .missingProviderPayment
            case .unrecordedRefund: .unrecordedRefund
            case .statusMismatch: .statusMismatch
            case .orderChargeMissing: .orderChargeMissing
            case .orderChargeDuplicate: .orderChargeDuplicate
            }
        }

        enum VenueKind { case stripe, mpesa, any }

        var venueKind: VenueKind {
            switch self {
            case .statusMismatch: .mpesa
            case .orderChargeMissing, .orderChargeDuplicate: .any
            default: .stripe
            }
        }

        /// Paid online through the venue's provider (card or M-PESA) rather than cash.
        var paidOnline: Bool { venueKind != .any }
    }

    /// A planted case that lives on a credit pack bought on a day.
    enum PackPlant: Equatable {
        case creditsNotGranted, creditsAmountMismatch

        var kind: ExceptionKind { self == .creditsNotGranted ? .creditsNotGranted : .creditsAmountMismatch }
    }

    struct Slot: Hashable {
        var venue: Int
        var day: Int
        var index: Int
    }

    var orders: [Slot: OrderPlant] = [:]
    var packs: [Int: [(day: Int, plant: PackPlant)]] = [:]
    var driftVenue: Int?
    var unrecordedMpesa: (venue: Int, day: Int)?
    var payoutMismatch = false
    /// Kinds that could not be planted with these options, and why.
    var skipped: [(kind: String, reason: String)] = []

    static func isMpesaVenue(_ index: Int) -> Bool { index % 2 == 1 }

    /// No plants (`--clean`).
    static let none = PlantPlan()

    static func make(options: SampleOptions, random: inout SeededRandom) -> PlantPlan {
        var plan = PlantPlan()
        let all = Array(0..<options.venues)
        let stripeVenues = all.filter { !isMpesaVenue($0) }
        let mpesaVenues = all.filter { isMpesaVenue($0) }
        let days = options.days

        func freeSlot(in venues: [Int], days dayRange: Range<Int>) -> Slot? {
            guard !venues.isEmpty, !dayRange.isEmpty else { return nil }
            for _ in 0..<64 {
                let slot = Slot(venue: random.pick(venues), day: dayRange.lowerBound + random.int(below: dayRange.count),
                                index: random.int(below: options.ordersPerDay))
                if plan.orders[slot] == nil { return slot }
            }
            for venue in venues {
                for day in dayRange {
                    for index in 0..<options.ordersPerDay {
                        let slot = Slot(venue: venue, day: day, index: index)
                        if plan.orders[slot] == nil { return slot }
                    }
                }
            }
            return nil
        }

        for plant in OrderPlant.allCases {
            let venues: [Int]
            switch plant.venueKind {
            case .stripe: venues = stripeVenues
            case .mpesa: venues = mpesaVenues
            case .any: venues = all
            }
            // The EUR charge is the newest one, after the last payout, so no EUR payout is needed.
            let dayRange = plant == .currencyMismatch ? (days - 1)..<days : 0..<days
            if let slot = freeSlot(in: venues, days: dayRange) {
                plan.orders[slot] = plant
            } else {
                let what = plant.venueKind == .mpesa ? "an M-PESA venue (use --venues 2 or more)" : "enough orders"
                plan.skipped.append((plant.kind.rawValue, "needs \(what)"))
            }
        }
        for pack in [PackPlant.creditsNotGranted, .creditsAmountMismatch] {
            plan.packs[random.pick(all), default: []].append((random.int(below: days), pack))
        }
        plan.driftVenue = random.pick(all)
        if mpesaVenues.isEmpty {
            plan.skipped.append((ExceptionKind.unrecordedPayment.rawValue, "needs an M-PESA venue (use --venues 2 or more)"))
        } else {
            plan.unrecordedMpesa = (random.pick(mpesaVenues), random.int(below: days))
        }
        if days >= 2 {
            plan.payoutMismatch = true
        } else {
            plan.skipped.append((ExceptionKind.payoutMismatch.rawValue, "needs a payout, hence --days 2 or more"))
        }
        return plan
    }
}
