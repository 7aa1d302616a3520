import Foundation
import BackofficeCore
import LiveDatabase

/// The outcome of matching: findings, clean matches and the tables the reports need.
public struct ReconcileResult: Sendable {
    public var period: Period
    public var venueFilter: String?
    public var inputs: [InputSummary]
    /// Findings, in a deterministic order (kind as the contract lists them, venue, time, refs).
    public var exceptions: [ReconcileException]
    public var dailyTakings: [DailyTaking]
    public var payouts: [PayoutSummary]
    public var creditLedger: [CreditLedgerRow]
    /// What the inputs covered (set by the job, before recording).
    public var coverage: RunCoverage?
    /// The span of the records the run attributed to each venue, per provider (`RunCoverage.venues`;
    /// the job puts it into `coverage`).
    public var venueCoverage: [VenueProvider: Period] = [:]
    /// What recording the run did to the findings ledger (set once it is recorded).
    public var findings: FindingsUpdate?

    /// Clean matches are kept as (record, payment) index pairs into the arrays below, so that
    /// hundreds of thousands of them cost a few bytes each; `matchRow(_:)` builds one row.
    let matchPairs: [MatchPair]
    let records: [ProviderRecord]
    let payments: [LivePayment]

    /// Provider transactions matched to a payment row with no finding.
    public var matched: Int { matchPairs.count }

    public func matchRow(_ i: Int) -> MatchRow {
        Self.matchRow(matchPairs[i], records: records, payments: payments)
    }

    /// The row for one clean match of `records` against `payments`.
    static func matchRow(_ pair: MatchPair, records: [ProviderRecord], payments: [LivePayment]) -> MatchRow {
        // fields read in place: a whole record and payment row copied per row retained ~25 references
        let r = Int(pair.record), p = Int(pair.payment)
        return MatchRow(
            provider: payments[p].provider, providerRef: payments[p].providerRef ?? records[r].paymentIntent ?? records[r].checkoutRequestId,
            mpesaReceipt: records[r].mpesaReceipt ?? payments[p].mpesaReceipt, chargeId: records[r].chargeId, paymentId: payments[p].id,
            purpose: payments[p].purpose, orderId: payments[p].orderId, invoiceId: payments[p].invoiceId, venueId: payments[p].venueId,
            amountCents: records[r].amountMinor, feeCents: pair.feeKnown ? pair.fee : nil, currency: records[r].currency.uppercased(),
            occurredAt: records[r].occurredAt,
            payoutId: records[r].payoutId ?? (pair.balance >= 0 ? records[Int(pair.balance)].payoutId : nil), description: records[r].description)
    }

    /// Every clean match as a row (materialises them all; for reports and tests).
    public var matches: [MatchRow] { (0..<matchPairs.count).map(matchRow) }

    public var exceptionCountsByKind: [(ExceptionKind, Int)] {
        var counts: [ExceptionKind: Int] = [:]
        for e in exceptions { counts[e.kind, default: 0] += 1 }
        return ExceptionKind.allCases.compactMap { k in counts[k].map { (k, $0) } }
    }
}

/// Matches provider records against the live records. Pure: no I/O.
///
///     let result = Matcher.match(snapshot: snapshot, records: records, inputs: inputs, options: options)
///
/// The rules, as built, are written out for the accountant in docs/reconciliation.md.
public enum Matcher {
    public static func match(snapshot: LiveSnapshot, records: [ProviderRecord], inputs: [InputSummary], options: MatchOptions) -> ReconcileResult {
        match(snapshot: snapshot, records: records, groups: RecordGroups(records), inputs: inputs, options: options)
    }

    /// `match` with the records already grouped (the grouping needs only the records, so the job
    /// does it on a second thread while the snapshot is read).
    ///
    /// `stream`, when given, receives the clean matches in batches as they are found, and is
    /// closed once they all are (the job records them while the rest is matched).
    public static func match(snapshot: LiveSnapshot, records: [ProviderRecord], groups: RecordGroups, inputs: [InputSummary], options: MatchOptions,
                             stream: MatchStream? = nil) -> ReconcileResult {
        var run = MatchRun(snapshot: snapshot, records: records, groups: groups, inputs: inputs, options: options)
        run.stream = stream
        return run.run()
    }
}

/// Provider records grouped into transactions: one group per (provider, event kind, dedup key),
/// its members linked through `next`, best-ranked input kind first (file order among equals).
public struct RecordGroups: Sendable {
    /// The first member of each group, groups in order of their first record.
    let head: [Int32]
    /// The member after each record in its group, -1 for the last.
    let next: [Int32]

    public init(_ records: [ProviderRecord]) {
        var head: [Int32] = []
        var next = [Int32](repeating: -1, count: records.count)
        var index: [GroupKey: Int32] = [:]
        index.reserveCapacity(records.count)
        let sameCharge = Self.idlessCharges(records)
        for i in records.indices {
            let key = GroupKey(provider: records[i].provider, event: records[i].event,
                               key: sameCharge[Int32(i)].map { records[Int($0)].dedupKey } ?? records[i].dedupKey)
            if let g = index[key] {
                // insert by input kind rank, keeping file order among equals
                let rank = kindRank(records[i].inputKind)
                var prev: Int32 = -1
                var cur = head[Int(g)]
                while cur >= 0, kindRank(records[Int(cur)].inputKind) <= rank {
                    prev = cur
                    cur = next[Int(cur)]
                }
                next[i] = cur
                if prev < 0 { head[Int(g)] = Int32(i) } else { next[Int(prev)] = Int32(i) }
            } else {
                index[key] = Int32(head.count)
                head.append(Int32(i))
            }
        }
        self.head = head
        self.next = next
        byEvent = Self.byEvent(records, head: head)
        charges = Self.charges(records, head: head, next: next, payments: byEvent.payments)
    }

    /// Rows of a Stripe Payments export saved without its `id` and PaymentIntent columns (a
    /// spreadsheet's custom-column export), each paired with the row of a full export that tells
    /// the same charge: the same time to the second, amount and currency, when exactly one full
    /// row has them. They then count once; an id-less row with no such partner, or with two,
    /// keeps its own key.
    static func idlessCharges(_ records: [ProviderRecord]) -> [Int32: Int32] {
        struct Charge: Hashable { let event: ProviderEventKind; let at: Timestamp; let amount: Int64; let currency: String }
        func isIdless(_ r: ProviderRecord) -> Bool {
            r.inputKind == .stripePayments && r.chargeId == nil && r.paymentIntent == nil
        }
        guard records.contains(where: isIdless) else { return [:] }
        var full: [Charge: Int32] = [:]   // -1: more than one
        for (i, r) in records.enumerated() where r.inputKind == .stripePayments && r.chargeId != nil {
            let c = Charge(event: r.event, at: r.occurredAt, amount: r.amountMinor, currency: r.currency.uppercased())
            full[c] = full[c] == nil ? Int32(i) : -1
        }
        var pairs: [Int32: Int32] = [:]
        for (i, r) in records.enumerated() where isIdless(r) {
            if let j = full[Charge(event: r.event, at: r.occurredAt, amount: r.amountMinor, currency: r.currency.uppercased())], j >= 0 {
                pairs[Int32(i)] = j
            }
        }
        return pairs
    }

    /// Groups by their event kind; payments in time order (then by id) so "first" and "second"
    /// charges are decided the same way every run.
    struct ByEvent: Sendable {
        var payments: [Int] = [], refunds: [Int] = [], failed: [Int] = [], fees: [Int] = [], payouts: [Int] = []
    }
    let byEvent: ByEvent

    /// Payment groups by charge id, PaymentIntent and receipt, for refunds and fees to find what they undo.
    struct Charges: Sendable {
        var byId: [String: Int] = [:], byPI: [String: Int] = [:], byReceipt: [String: Int] = [:]
    }
    let charges: Charges

    private static func byEvent(_ records: [ProviderRecord], head: [Int32]) -> ByEvent {
        var groups = ByEvent()
        for g in head.indices {
            switch records[Int(head[g])].event {
            case .payment: groups.payments.append(g)
            case .refund, .dispute: groups.refunds.append(g)
            case .failedPayment: groups.failed.append(g)
            case .fee: groups.fees.append(g)
            case .payout: groups.payouts.append(g)
            case .withdrawal, .other: break
            }
        }
        // Fields are read in place: copying two whole records per comparison was most of the
        // sorting time at a million records.
        groups.payments.sort { a, b in
            let ia = Int(head[a]), ib = Int(head[b])
            let ta = records[ia].occurredAt, tb = records[ib].occurredAt
            if ta != tb { return ta < tb }
            return records[ia].dedupKey < records[ib].dedupKey
        }
        return groups
    }

    /// The first non-nil value of `field` among group `g`'s members, best-ranked first.
    @inline(__always)
    static func first<T>(_ g: Int, head: [Int32], next: [Int32], records: [ProviderRecord], _ field: (ProviderRecord) -> T?) -> T? {
        var cur = head[g]
        while cur >= 0 {
            if let v = field(records[Int(cur)]) { return v }
            cur = next[Int(cur)]
        }
        return nil
    }

    private static func charges(_ records: [ProviderRecord], head: [Int32], next: [Int32], payments: [Int]) -> Charges {
        func first(_ g: Int, _ field: (ProviderRecord) -> String?) -> String? {
            Self.first(g, head: head, next: next, records: records, field)
        }
        var charges = Charges()
        for g in payments {
            let h = Int(head[g])
            let key = records[h].dedupKey
            switch records[h].provider {
            case .stripe:
                if let c = first(g, { $0.chargeId }) { charges.byId[c] = g }
                charges.byId[key] = charges.byId[key] ?? g
                if let pi = first(g, { $0.paymentIntent }), charges.byPI[pi] == nil { charges.byPI[pi] = g }
            case .mpesa:
                if let receipt = first(g, { $0.mpesaReceipt }) { charges.byReceipt[receipt] = g }
                charges.byReceipt[key] = charges.byReceipt[key] ?? g
            }
        }
        return charges
    }
}

/// Payment statuses of orders that mean "the money came in".
let paidOrderStatuses: Set<String> = ["paid", "refunded", "partially_refunded"]

/// Which input kind is preferred when two files say different things about one transaction:
/// the Payments export says what the customer was charged; the balance report says what settled.
func kindRank(_ kind: InputKind) -> Int {
    switch kind {
    case .stripePayments: 0
    case .stripeBalance: 1
    case .mpesaStatement: 2
    case .darajaCallbacks: 3
    }
}

struct GroupKey: Hashable {
    let provider: Provider
    let event: ProviderEventKind
    let key: String
}

struct MatchRun {
    /// Where clean matches go as they are found (see `Matcher.match`).
    var stream: MatchStream?
    let snapshot: LiveSnapshot
    let records: [ProviderRecord]
    let inputs: [InputSummary]
    let options: MatchOptions
    var payments: [LivePayment] { snapshot.payments }

    // groups: one per provider transaction; members linked through `next`, best-ranked first
    let groupHead: [Int32]
    let next: [Int32]
    let groups: RecordGroups

    init(snapshot: LiveSnapshot, records: [ProviderRecord], groups: RecordGroups, inputs: [InputSummary], options: MatchOptions) {
        self.snapshot = snapshot
        self.records = records
        self.groups = groups
        self.groupHead = groups.head
        self.next = groups.next
        self.inputs = inputs
        self.options = options
    }

    /// The first non-nil value of `field` among a group's members, best-ranked first.
    @inline(__always)
    func first<T>(_ g: Int, _ field: (ProviderRecord) -> T?) -> T? {
        RecordGroups.first(g, head: groupHead, next: next, records: records, field)
    }

    /// What the loops read of a group's best-ranked record. A whole `ProviderRecord` copy retains
    /// about fifteen references; at a million groups per loop that was much of the matching time.
    struct Head {
        let provider: Provider
        let event: ProviderEventKind
        let dedupKey: String
        let currency: String
        let amountMinor: Int64
        let feeMinor: Int64
        let occurredAt: Timestamp
    }

    func head(_ g: Int) -> Head {
        let i = Int(groupHead[g])
        return Head(provider: records[i].provider, event: records[i].event, dedupKey: records[i].dedupKey,
                    currency: records[i].currency, amountMinor: records[i].amountMinor, feeMinor: records[i].feeMinor,
                    occurredAt: records[i].occurredAt)
    }

    /// The member read from a balance report, if any (its amounts are what settled).
    func balanceMember(_ g: Int) -> Int32? {
        var cur = groupHead[g]
        while cur >= 0 {
            if records[Int(cur)].inputKind == .stripeBalance { return cur }
            cur = next[Int(cur)]
        }
        return nil
    }

    /// Fee of a group in `currency` when known: the balance report's fee first.
    func fee(_ g: Int, currency: String) -> Int64? {
        var cur = groupHead[g]
        var found: Int64?
        let wanted = currency.uppercased()
        while cur >= 0 {
            let i = Int(cur)   // fields read in place, not a copy of the record
            if records[i].feeMinor != 0 || records[i].inputKind == .stripeBalance {
                if (records[i].feeCurrency ?? records[i].currency).uppercased() == wanted {
                    if records[i].inputKind == .stripeBalance { return records[i].feeMinor }
                    if found == nil { found = records[i].feeMinor }
                }
            }
            cur = next[Int(cur)]
        }
        return found
    }

    func metadata(_ g: Int, _ key: String) -> String? {
        first(g) { r in r.metadataValue(key).flatMap { $0.isEmpty ? nil : $0 } }
    }

    // MARK: - the run

    /// What the steps of a run share: the indexes they read, and what they build up.
    struct RunState {
        let index: PaymentIndex
        let text: Describer
        /// Statement file -> the venue whose short code it shows (when exactly one venue has it).
        let venueByShortCode: [String: String]
        // refunds, attached to the charge (group) or payment row they undo
        var refundByKind: [Int: [InputKind: Int64]] = [:]
        var refundEvents: [Int: [Int]] = [:]
        var orphanRefund: [Int32: (amount: Int64, group: Int)] = [:]
        var unattachedRefunds: [Int] = []
        // what matching decided
        var exceptions: [ReconcileException] = []
        var matchPairs: [MatchPair] = []
        var streamed = 0
        var claimed: [Int32]
        var groupVenue: [String?]
        var groupPayment: [Int32]
        var paidOrdersSeen = Set<String>()
        var paidAccountsSeen = Set<String>()
    }

    /// The steps, one per family of rules, in the order the rules depend on each other.
    func run() -> ReconcileResult {
        // indexes over the payment rows: the ones built while the snapshot was read, unless the
        // payments changed since
        let index = snapshot.paymentIndex.flatMap { $0.count == payments.count ? $0 : nil } ?? PaymentIndex(payments)
        var state = RunState(index: index, text: Describer(snapshot: snapshot), venueByShortCode: venueByShortCode(),
                             claimed: [Int32](repeating: -1, count: payments.count),
                             groupVenue: [String?](repeating: nil, count: groupHead.count),
                             groupPayment: [Int32](repeating: -1, count: groupHead.count))
        attachRefunds(&state)
        matchMoneyIn(&state)
        refundsOfUnlistedCharges(&state)
        successRowsNoProviderShows(&state)
        creditLedgerFindings(&state)
        let payouts = payoutFindings(&state)
        let dailyTakings = dailyTakings(state)
        state.exceptions.sort(by: ReconcileException.ordered)
        var result = ReconcileResult(period: options.period, venueFilter: options.venue, inputs: inputs, exceptions: state.exceptions,
                                     dailyTakings: dailyTakings, payouts: payouts, creditLedger: snapshot.ledger,
                                     matchPairs: state.matchPairs, records: records, payments: payments)
        result.venueCoverage = venueCoverage(state)
        return result
    }

    /// Each statement file's venue, by the Pay Bill or till number it shows (when exactly one venue has it).
    private func venueByShortCode() -> [String: String] {
        var venueByShortCode: [String: String] = [:]
        var venuesByCode: [String: [String]] = [:]
        for v in snapshot.venues.values { if let code = v.mpesaShortCode, !code.isEmpty { venuesByCode[code, default: []].append(v.id) } }
        for input in inputs {
            if let code = input.mpesaShortCode, let ids = venuesByCode[code], ids.count == 1 { venueByShortCode[input.file] = ids[0] }
        }
        return venueByShortCode
    }

    /// In the period and, with `--venue`, that venue's.
    func inScope(_ at: Timestamp, _ venue: String?) -> Bool {
        guard options.period.contains(at) else { return false }
        if let filter = options.venue { return venue == filter }
        return true
    }

    private func emit(_ e: ReconcileException, at: Timestamp, _ state: inout RunState) {
        if inScope(at, e.venueId) { state.exceptions.append(e) }
    }

    /// What the provider gave back of payment group `g`: the largest of the per-file totals.
    private func refundTotal(_ g: Int, _ state: RunState) -> Int64 {
        var best: Int64 = 0
        var cur = groupHead[g]
        while cur >= 0 { best = max(best, records[Int(cur)].refundedMinor); cur = next[Int(cur)] }
        for (_, v) in state.refundByKind[g] ?? [:] { best = max(best, v) }
        return best
    }

    // MARK: refunds: attach each to the charge (group) or payment row it undoes

    private func attachRefunds(_ state: inout RunState) {
        let chargeGroupById = groups.charges.byId, chargeGroupByPI = groups.charges.byPI, receiptGroup = groups.charges.byReceipt
        let stripeByPI = state.index.stripeByPI, mpesaByReceipt = state.index.mpesaByReceipt
        for g in groups.byEvent.refunds {
            let r = head(g)
            var target: Int?
            var payment: Int32?
            switch r.provider {
            case .stripe:
                let refs = [first(g, { $0.reversesRef }), first(g, { $0.chargeId }), first(g, { $0.paymentIntent })].compactMap { $0 }
                for ref in refs where target == nil {
                    target = chargeGroupById[ref] ?? chargeGroupByPI[ref]
                }
                if target == nil {
                    for ref in refs where payment == nil { payment = stripeByPI[ref] }
                }
            case .mpesa:
                let refs = [first(g, { $0.reversesRef })].compactMap { $0 }
                for ref in refs where target == nil { target = receiptGroup[ref] }
                if target == nil { for ref in refs where payment == nil { payment = mpesaByReceipt[ref] } }
            }
            if let target {
                // sum per input kind: the same refund told by two kinds of file is counted once
                var cur = groupHead[g]
                var kinds = Set<InputKind>()
                while cur >= 0 { kinds.insert(records[Int(cur)].inputKind); cur = next[Int(cur)] }
                for k in kinds { state.refundByKind[target, default: [:]][k, default: 0] += r.amountMinor }
                state.refundEvents[target, default: []].append(g)
            } else if let payment {
                let prior = state.orphanRefund[payment]
                state.orphanRefund[payment] = ((prior?.amount ?? 0) + r.amountMinor, prior?.group ?? g)
            } else {
                state.unattachedRefunds.append(g)
            }
        }
    }

    // MARK: money in: match, then the most specific finding, or a clean match

    private func matchMoneyIn(_ state: inout RunState) {
        let index = state.index
        let stripeByPI = index.stripeByPI, mpesaByReceipt = index.mpesaByReceipt, mpesaByCheckout = index.mpesaByCheckout
        let pendingByAccount = index.pendingByAccount
        for g in groups.byEvent.payments {
            let r = head(g)
            let pi = first(g, { $0.paymentIntent })
            let chargeId = first(g, { $0.chargeId })
            let receipt = first(g, { $0.mpesaReceipt })
            let checkout = first(g, { $0.checkoutRequestId })
            let account = first(g, { $0.accountRef })?.uppercased()
            let amount = r.amountMinor
            var p: Int32?
            var viaAccount = false
            switch r.provider {
            case .stripe:
                if let pi { p = stripeByPI[pi] }
            case .mpesa:
                if let receipt { p = mpesaByReceipt[receipt] }
                if p == nil, let checkout { p = mpesaByCheckout[checkout] }
                if p == nil, let account, let candidates = pendingByAccount[account] {
                    var best: (Int32, Int64)?
                    for c in candidates where state.claimed[Int(c)] < 0 {
                        let row = payments[Int(c)]
                        let delta = r.occurredAt.seconds - row.createdAt.seconds
                        guard row.amountCents == amount, delta >= -3600, delta <= 86400 else { continue }
                        if best == nil || abs(delta) < best!.1 { best = (c, abs(delta)) }
                    }
                    if let best { p = best.0; viaAccount = true }
                }
            }
            if let found = p, state.claimed[Int(found)] >= 0 { p = nil }   // a second transaction for one row
            let refunded = refundTotal(g, state)
            let refsBase = Refs(providerRef: pi ?? checkout, mpesaReceipt: receipt, chargeId: chargeId)
            if let pIndex = p {
                matched(g, r, to: pIndex, refs: refsBase, pi: pi, receipt: receipt, refunded: refunded, viaAccount: viaAccount, &state)
            } else {
                unmatched(g, r, refs: refsBase, pi: pi, receipt: receipt, account: account, refunded: refunded, &state)
            }
        }
        // every clean match is known now
        if let stream {
            if state.streamed < state.matchPairs.count { stream.send(Array(state.matchPairs[state.streamed...])) }
            stream.close()
        }
    }

    /// A provider payment with no payment row: whose money is it, and was it paid already?
    private func unmatched(_ g: Int, _ r: Head, refs refsBase: Refs, pi: String?, receipt: String?, account: String?, refunded: Int64,
                           _ state: inout RunState) {
        let index = state.index, text = state.text
        let currency = r.currency.uppercased()
        let amount = r.amountMinor
        let orderId = r.provider == .stripe ? metadata(g, "order_id") : nil
        let accountPayment = account.flatMap { index.anyByAccount[$0] }
        let invoice = account.flatMap { snapshot.invoices[$0] }
        var venue = metadata(g, "venue_id")
            ?? orderId.flatMap { index.anyByOrder($0).map { payments[Int($0)].venueId } ?? snapshot.orders[$0]?.venueId }
        if venue == nil, let accountPayment { venue = payments[Int(accountPayment)].venueId }
        if venue == nil, let invoice { venue = invoice.venueId }
        // the statement it is on belongs to the venue whose Pay Bill or till number it shows
        if venue == nil, r.provider == .mpesa {
            let byCode = state.venueByShortCode
            venue = first(g) { $0.inputKind == .mpesaStatement ? byCode[$0.source.file] : nil }
        }
        state.groupVenue[g] = venue
        if refunded >= amount { return }   // taken and given back in full: nothing to do
        var refs = refsBase
        refs.venueId = venue
        var kind = ExceptionKind.unrecordedPayment
        var paidBy: String?
        switch r.provider {
        case .stripe:
            if let orderId {
                refs.orderId = orderId
                let already = index.paidByOrder(orderId)
                let info = snapshot.orders[orderId]
                if let already {
                    kind = .duplicatePayment
                    paidBy = payments[Int(already)].providerRef ?? payments[Int(already)].mpesaReceipt
                    refs.paymentId = payments[Int(already)].id   // the row that did pay for it
                } else if state.paidOrdersSeen.contains(orderId) || (info.map { paidOrderStatuses.contains($0.paymentStatus) } ?? false) {
                    kind = .duplicatePayment
                }
                state.paidOrdersSeen.insert(orderId)
            }
        case .mpesa:
            if let account, !account.isEmpty {
                if let accountPayment {
                    let ap = payments[Int(accountPayment)]
                    refs.orderId = ap.orderId
                    refs.invoiceId = ap.invoiceId
                } else if let invoice {
                    refs.invoiceId = invoice.id
                }
                let already = index.paidByAccount[account]
                if let already {
                    kind = .duplicatePayment
                    paidBy = payments[Int(already)].mpesaReceipt ?? payments[Int(already)].providerRef
                    refs.paymentId = payments[Int(already)].id   // the row that did pay for it
                } else if state.paidAccountsSeen.contains(account) || index.paidByInvoice.contains(account) || invoice?.status == "PAID" {
                    kind = .duplicatePayment
                }
                state.paidAccountsSeen.insert(account)
            }
        }
        let detail = kind == .duplicatePayment
            ? text.duplicate(provider: r.provider, amount: amount, currency: currency, target: text.target(orderId: refs.orderId, invoiceId: refs.invoiceId, account: account, venueId: venue, payments: payments, index: index), ref: pi ?? receipt ?? r.dedupKey, paidBy: paidBy)
            : text.unrecorded(provider: r.provider, amount: amount, currency: currency, target: text.target(orderId: refs.orderId, invoiceId: refs.invoiceId, account: account, venueId: venue, payments: payments, index: index, purpose: metadata(g, "purpose"), credits: metadata(g, "credits")), ref: pi ?? receipt ?? r.dedupKey, account: account,
                              accountIssued: refs.orderId != nil || refs.invoiceId != nil)
        emit(ReconcileException(kind: kind, provider: r.provider, venueId: venue, amountCents: amount, expectedCents: nil,
                                currency: currency, refs: refs, detail: detail, occurredAt: r.occurredAt), at: r.occurredAt, &state)
    }

    /// A provider payment matched to payment row `pIndex`: the first finding that applies, or a clean match.
    private func matched(_ g: Int, _ r: Head, to pIndex: Int32, refs refsBase: Refs, pi: String?, receipt: String?, refunded: Int64,
                         viaAccount: Bool, _ state: inout RunState) {
        let text = state.text
        let currency = r.currency.uppercased()
        let amount = r.amountMinor
        state.claimed[Int(pIndex)] = Int32(g)
        state.groupPayment[g] = pIndex
        let row = payments[Int(pIndex)]
        state.groupVenue[g] = row.venueId
        var refs = refsBase
        refs.providerRef = row.providerRef ?? refs.providerRef
        refs.mpesaReceipt = receipt ?? row.mpesaReceipt
        refs.paymentId = row.id
        refs.orderId = row.orderId
        refs.invoiceId = row.invoiceId
        refs.venueId = row.venueId
        let target = text.target(payment: row)
        let rowCurrency = row.currency.uppercased()
        var finding: ReconcileException?
        func make(_ kind: ExceptionKind, _ amountCents: Int64?, _ expected: Int64?, _ cur: String?, _ detail: String) -> ReconcileException {
            ReconcileException(kind: kind, provider: r.provider, venueId: row.venueId, amountCents: amountCents,
                               expectedCents: expected, currency: cur, refs: refs, detail: detail, occurredAt: r.occurredAt)
        }
        if row.status == "INITIATED" || row.status == "FAILED" || row.status == "EXPIRED" {
            finding = make(.statusMismatch, amount, row.amountCents, currency,
                           text.statusLost(provider: r.provider, amount: amount, currency: currency, target: target, ref: receipt ?? pi ?? r.dedupKey, rowStatus: row.status, viaAccount: viaAccount))
        } else if currency != rowCurrency {
            finding = make(.currencyMismatch, amount, row.amountCents, currency,
                           text.charged(provider: r.provider, amount: amount, currency: currency, target: target) + "; the payment row says \(Describer.money(row.amountCents, rowCurrency)).")
        } else if amount != row.amountCents {
            finding = make(.amountMismatch, amount, row.amountCents, currency,
                           text.charged(provider: r.provider, amount: amount, currency: currency, target: target) + "; the payment row says \(Describer.money(row.amountCents, rowCurrency)).")
        } else if refunded > 0 && !Self.databaseShowsRefund(row) {
            finding = make(.unrecordedRefund, refunded, 0, currency,
                           text.refund(provider: r.provider, refunded: refunded, amount: amount, currency: currency, target: target, payment: row))
        } else if row.status == "SUCCESS", let problem = Self.targetProblem(row) {
            finding = make(.targetStatusMismatch, amount, row.amountCents, currency,
                           "\(text.charged(provider: r.provider, amount: amount, currency: currency, target: target)) and the payment row says SUCCESS, but \(problem).")
        } else if row.purpose == "credits", row.status == "SUCCESS" {
            let expected = metadata(g, "credits").flatMap { Int64($0) } ?? row.credits ?? CreditPacks.credits(forPriceCents: amount)
            let granted = pi.flatMap { snapshot.purchases[$0] } ?? row.providerRef.flatMap { snapshot.purchases[$0] }
            let venueName = text.venueName(row.venueId)
            let pack = expected.map { "a \($0)-credit pack" } ?? "a credit pack"
            if granted == nil {
                finding = make(.creditsNotGranted, 0, expected, nil,
                               "\(venueName) paid \(Describer.money(amount, currency)) for \(pack) (\(pi ?? r.dedupKey)), but no purchase was added to its credits.")
            } else if let expected, let granted, granted.credits != expected {
                let rows = granted.rows > 1 ? " in \(granted.rows) purchase rows" : ""
                finding = make(.creditsAmountMismatch, granted.credits, expected, nil,
                               "\(venueName) paid \(Describer.money(amount, currency)) for \(pack) (\(pi ?? r.dedupKey)), but its credits went up by \(granted.credits)\(rows).")
            }
        }
        if let finding {
            emit(finding, at: r.occurredAt, &state)
        } else if inScope(r.occurredAt, row.venueId) {
            let fee = fee(g, currency: currency)
            state.matchPairs.append((Int32(groupHead[g]), pIndex, balanceMember(g) ?? -1, fee ?? 0, fee != nil))
            if let stream, state.matchPairs.count - state.streamed >= MatchStream.batchSize {
                stream.send(Array(state.matchPairs[state.streamed...]))
                state.streamed = state.matchPairs.count
            }
        }
    }

    // MARK: refunds of payments whose charge is not in the inputs

    private func refundsOfUnlistedCharges(_ state: inout RunState) {
        for (pIndex, refund) in state.orphanRefund.sorted(by: { $0.key < $1.key }) {
            let row = payments[Int(pIndex)]
            let r = head(refund.group)
            if !Self.databaseShowsRefund(row) {
                let refs = Refs(providerRef: row.providerRef, mpesaReceipt: row.mpesaReceipt, paymentId: row.id, orderId: row.orderId,
                                invoiceId: row.invoiceId, venueId: row.venueId, chargeId: first(refund.group, { $0.chargeId }))
                emit(ReconcileException(kind: .unrecordedRefund, provider: row.provider, venueId: row.venueId, amountCents: refund.amount,
                                        expectedCents: 0, currency: r.currency.uppercased(), refs: refs,
                                        detail: state.text.refund(provider: row.provider, refunded: refund.amount, amount: row.amountCents, currency: r.currency.uppercased(), target: state.text.target(payment: row), payment: row),
                                        occurredAt: r.occurredAt), at: r.occurredAt, &state)
            }
        }
    }

    // MARK: payment rows that say SUCCESS and no provider record shows

    private func successRowsNoProviderShows(_ state: inout RunState) {
        let period = options.period
        let providersWithInput = Set(inputs.map { $0.kind == .mpesaStatement || $0.kind == .darajaCallbacks ? Provider.mpesa : Provider.stripe })
        let stripeByPI = state.index.stripeByPI, mpesaByReceipt = state.index.mpesaByReceipt, mpesaByCheckout = state.index.mpesaByCheckout
        var failedEvidence: [Int32: Int] = [:]
        for g in groups.byEvent.failed {
            let r = head(g)
            var p: Int32?
            switch r.provider {
            case .stripe:
                if let pi = first(g, { $0.paymentIntent }) { p = stripeByPI[pi] }
            case .mpesa:
                if let c = first(g, { $0.checkoutRequestId }) { p = mpesaByCheckout[c] }
                if p == nil, let receipt = first(g, { $0.mpesaReceipt }) { p = mpesaByReceipt[receipt] }
            }
            if let p, failedEvidence[p] == nil { failedEvidence[p] = g }
        }
        for (i, row) in payments.enumerated() where row.status == "SUCCESS" && state.claimed[i] < 0 {
            guard providersWithInput.contains(row.provider), period.contains(row.createdAt) else { continue }
            if let venue = options.venue, row.venueId != venue { continue }
            if state.orphanRefund[Int32(i)] != nil { continue }   // a refund row shows the provider has it
            let refs = Refs(providerRef: row.providerRef, mpesaReceipt: row.mpesaReceipt, paymentId: row.id, orderId: row.orderId,
                            invoiceId: row.invoiceId, venueId: row.venueId)
            let target = state.text.target(payment: row)
            if let g = failedEvidence[Int32(i)] {
                let r = head(g)
                state.exceptions.append(ReconcileException(
                    kind: .statusMismatch, provider: row.provider, venueId: row.venueId, amountCents: nil, expectedCents: row.amountCents,
                    currency: row.currency.uppercased(), refs: refs,
                    detail: "\(Describer.providerName(row.provider)) reports the payment attempt for \(target) failed or was cancelled (\(Describer.attemptStatus(records[Int(groupHead[g])]).map { $0 + "; " } ?? "")\(r.dedupKey)), but the payment row says SUCCESS for \(Describer.money(row.amountCents, row.currency)).",
                    occurredAt: r.occurredAt))
            } else {
                state.exceptions.append(ReconcileException(
                    kind: .missingProviderPayment, provider: row.provider, venueId: row.venueId, amountCents: nil, expectedCents: row.amountCents,
                    currency: row.currency.uppercased(), refs: refs,
                    detail: "The payment row for \(target) says \(Describer.money(row.amountCents, row.currency)) was paid by \(Describer.providerName(row.provider)) (\(row.mpesaReceipt ?? row.providerRef ?? row.id)), but no \(Describer.providerName(row.provider)) record in the inputs shows it.",
                    occurredAt: row.createdAt))
            }
        }
    }

    // MARK: the credit ledger

    private func creditLedgerFindings(_ state: inout RunState) {
        for check in snapshot.orderCharges {
            let venue = state.text.venueName(check.venueId)
            let order = Describer.orderText(number: check.orderNumber, venue: venue, created: check.createdAt)
            let refs = Refs(orderId: check.orderId, venueId: check.venueId)
            if check.charges == 0 {
                state.exceptions.append(ReconcileException(
                    kind: .orderChargeMissing, provider: nil, venueId: check.venueId, amountCents: 0, expectedCents: -1, currency: nil,
                    refs: refs, detail: "\(order.prefix(1).uppercased() + order.dropFirst()) was \(check.status == "completed" ? "completed" : "approved") but no credit was charged for it.",
                    occurredAt: check.createdAt))
            } else {
                state.exceptions.append(ReconcileException(
                    kind: .orderChargeDuplicate, provider: nil, venueId: check.venueId, amountCents: check.chargedCredits, expectedCents: -1, currency: nil,
                    refs: refs, detail: "\(order.prefix(1).uppercased() + order.dropFirst()) was charged \(-check.chargedCredits) credits in \(check.charges) order charges instead of 1.",
                    occurredAt: check.createdAt))
            }
        }
        for ledger in snapshot.ledger where ledger.drift != 0 {
            state.exceptions.append(ReconcileException(
                kind: .creditBalanceDrift, provider: nil, venueId: ledger.venueId, amountCents: ledger.creditsRemaining,
                expectedCents: ledger.ledgerTotal, currency: nil, refs: Refs(venueId: ledger.venueId),
                detail: "\(ledger.venueName) shows \(ledger.creditsRemaining) credits remaining, but its credit ledger adds up to \(ledger.ledgerTotal)."))
        }
    }

    // MARK: payouts

    private func payoutFindings(_ state: inout RunState) -> [PayoutSummary] {
        guard options.venue == nil else { return [] }   // payouts span venues
        var payouts: [PayoutSummary] = []
        var txCount: [String: Int] = [:]
        var txNet: [String: Int64] = [:]
        for g in 0..<groupHead.count {
            let h = Int(groupHead[g])
            guard records[h].provider == .stripe, records[h].event != .payout else { continue }
            guard let payout = first(g, { $0.payoutId }) else { continue }
            let r = balanceMember(g).map { Int($0) } ?? h
            // the balance report's own signed net when it is there; otherwise derived from the event
            let net: Int64
            if let signed = records[r].netMinor {
                net = signed
            } else {
                switch records[r].event {
                case .payment, .other: net = records[r].amountMinor - records[r].feeMinor
                case .refund, .dispute, .fee, .withdrawal, .failedPayment, .payout: net = -(records[r].amountMinor + records[r].feeMinor)
                }
            }
            txCount[payout, default: 0] += 1
            txNet[payout, default: 0] += net
        }
        var seen = Set<String>()
        for g in groups.byEvent.payouts {
            let r = head(g)
            guard r.provider == .stripe else { continue }
            let id = first(g, { $0.payoutId }) ?? r.dedupKey
            guard seen.insert(id).inserted, options.period.contains(r.occurredAt) else { continue }
            let summary = PayoutSummary(payoutId: id, currency: r.currency.uppercased(), paidAt: r.occurredAt, amountCents: r.amountMinor,
                                        transactions: txCount[id] ?? 0, transactionsNetCents: txNet[id] ?? 0)
            payouts.append(summary)
            if summary.differenceCents != 0 {
                state.exceptions.append(ReconcileException(
                    kind: .payoutMismatch, provider: .stripe, venueId: nil, amountCents: summary.amountCents,
                    expectedCents: summary.transactionsNetCents, currency: summary.currency, refs: Refs(payoutId: id),
                    detail: "Stripe payout \(id) of \(Describer.money(summary.amountCents, summary.currency)) on \(r.occurredAt.isoDate) differs by \(Describer.money(summary.differenceCents, summary.currency)) from the \(Describer.money(summary.transactionsNetCents, summary.currency)) net of the \(summary.transactions) transactions listed for it.",
                    occurredAt: r.occurredAt))
            }
        }
        payouts.sort { ($0.paidAt?.seconds ?? 0, $0.payoutId) < ($1.paidAt?.seconds ?? 0, $1.payoutId) }
        return payouts
    }

    // MARK: daily takings, from the provider's side

    private func dailyTakings(_ state: RunState) -> [DailyTaking] {
        let chargeGroupById = groups.charges.byId, receiptGroup = groups.charges.byReceipt
        let stripeByPI = state.index.stripeByPI, mpesaByReceipt = state.index.mpesaByReceipt
        let groupVenue = state.groupVenue
        struct TakingKey: Hashable { let day: Int64; let venue: String; let provider: Provider; let currency: String }
        var takings: [TakingKey: DailyTaking] = [:]
        // each venue's day in its own time zone; the offset is looked up once per zone and UTC hour
        // (time zones change their offset on the hour)
        var zones: [String: TimeZone] = [:]
        var offsets: [String: [Int64: Int64]] = [:]
        func localDay(_ at: Timestamp, _ venue: String) -> (number: Int64, zone: String) {
            let name = snapshot.venues[venue]?.timezone ?? "UTC"
            guard name != "UTC" else { return (at.dayNumber, "UTC") }
            let hour = at.seconds >= 0 ? at.seconds / 3600 : (at.seconds - 3599) / 3600
            if let offset = offsets[name]?[hour] { return (Timestamp(seconds: at.seconds + offset).dayNumber, name) }
            if zones[name] == nil { zones[name] = TimeZone(identifier: name) ?? TimeZone(identifier: "UTC")! }
            let offset = Int64(zones[name]!.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(hour * 3600))))
            offsets[name, default: [:]][hour] = offset
            return (Timestamp(seconds: at.seconds + offset).dayNumber, name)
        }
        func add(_ at: Timestamp, _ venue: String?, _ provider: Provider, _ currency: String, payments n: Int = 0, gross: Int64 = 0, fee: Int64 = 0, refund: Int64 = 0) {
            let v = venue ?? ""
            guard inScope(at, options.venue == nil ? v : venue) else { return }
            let day = localDay(at, v)
            let key = TakingKey(day: day.number, venue: v, provider: provider, currency: currency)
            var t = takings[key] ?? DailyTaking(day: Timestamp(seconds: day.number * 86400).isoDate, venueId: v, timezone: day.zone, provider: provider,
                                                currency: currency, payments: 0, grossCents: 0, feeCents: 0, refundCents: 0)
            t.payments += n
            t.grossCents += gross
            t.feeCents += fee
            t.refundCents += refund
            takings[key] = t
        }
        for g in groups.byEvent.payments {
            let r = head(g)
            let currency = r.currency.uppercased()
            add(r.occurredAt, groupVenue[g], r.provider, currency, payments: 1, gross: r.amountMinor, fee: fee(g, currency: currency) ?? 0)
            // refunds the provider told only as a total on the charge go on the charge's day
            var evented: Int64 = 0
            for e in state.refundEvents[g] ?? [] where head(e).currency.uppercased() == currency { evented += head(e).amountMinor }
            let total = refundTotal(g, state)
            let events = state.refundByKind[g].map { _ in evented } ?? 0
            if total > events { add(r.occurredAt, groupVenue[g], r.provider, currency, refund: total - events) }
        }
        for (target, events) in state.refundEvents {
            for e in events {
                let r = head(e)
                add(r.occurredAt, groupVenue[target], r.provider, r.currency.uppercased(), refund: r.amountMinor)
            }
        }
        for (pIndex, refund) in state.orphanRefund {
            let r = head(refund.group)
            add(r.occurredAt, payments[Int(pIndex)].venueId, r.provider, r.currency.uppercased(), refund: refund.amount)
        }
        for g in state.unattachedRefunds {
            let r = head(g)
            add(r.occurredAt, nil, r.provider, r.currency.uppercased(), refund: r.amountMinor)
        }
        for g in groups.byEvent.fees {
            let r = head(g)
            var venue: String?
            if let link = first(g, { $0.reversesRef }) ?? first(g, { $0.mpesaReceipt }) ?? first(g, { $0.chargeId }) {
                if let target = receiptGroup[link] ?? chargeGroupById[link] { venue = groupVenue[target] }
                else if let p = mpesaByReceipt[link] ?? stripeByPI[link] { venue = payments[Int(p)].venueId }
            }
            add(r.occurredAt, venue, r.provider, r.currency.uppercased(), fee: r.amountMinor + r.feeMinor)
        }
        return takings.values.sorted { a, b in
            (a.day, a.venueId, a.provider.rawValue, a.currency) < (b.day, b.venueId, b.provider.rawValue, b.currency)
        }
    }

    /// The database shows a refund: the payment row is REFUNDED or its order is (partially) refunded.
    static func databaseShowsRefund(_ p: LivePayment) -> Bool {
        p.status == "REFUNDED" || p.orderPaymentStatus == "refunded" || p.orderPaymentStatus == "partially_refunded"
    }

    /// Why a SUCCESS payment's order or invoice disagrees, if it does.
    static func targetProblem(_ p: LivePayment) -> String? {
        if p.purpose == "order", let status = p.orderPaymentStatus, ["unpaid", "pending", "failed"].contains(status) {
            return "the order is still marked \(status)"
        }
        if p.purpose == "invoice", let status = p.invoiceStatus, status != "PAID" {
            return "invoice \(p.invoiceId ?? "") is still \(status)"
        }
        return nil
    }
}
