import BackofficeCore

// Whose provider records a run read: the coverage per venue that tells a venue whose exports
// stopped arriving (`missing_export` with a venue) from one that had nothing to export.
extension MatchRun {
    /// The span of the records attributed to each venue, per provider: whole UTC days within the
    /// period, only records in scope (the period, and the venue of `--venue`).
    ///
    /// Payments and failed attempts are attributed by `attributedVenue`; a refund or reversal
    /// belongs to the venue of the payment it undoes. Fees, payouts and withdrawals name no venue.
    func venueCoverage(_ state: RunState) -> [VenueProvider: Period] {
        var spans = DaySpans<VenueProvider>()
        func add(_ g: Int, _ venue: String?) {
            guard let venue, !venue.isEmpty else { return }
            var cur = groupHead[g]
            while cur >= 0 {
                let i = Int(cur)
                if records[i].occurredAtKnown, inScope(records[i].occurredAt, venue) {
                    spans.add(VenueProvider(venueId: venue, provider: records[i].provider), records[i].occurredAt)
                }
                cur = next[i]
            }
        }
        for g in groups.byEvent.payments { add(g, attributedVenue(g, state)) }
        for g in groups.byEvent.failed { add(g, attributedVenue(g, state)) }
        for (target, refunds) in state.refundEvents {
            let venue = attributedVenue(target, state)
            for g in refunds { add(g, venue) }
        }
        for (p, refund) in state.orphanRefund { add(refund.group, payments[Int(p)].venueId) }
        return spans.periods(within: options.period)
    }

    /// The venue a group's records belong to, as far as the data tells, in this order:
    /// 1. the live payment row it matched (or that carries its PaymentIntent, receipt or
    ///    CheckoutRequestID), else the order (Stripe metadata `order_id`) or the invoice or payment
    ///    (M-PESA `A/C No.`) it names: the live records' `venue_id`;
    /// 2. Stripe metadata `venue_id`, when it names a venue of the database;
    /// 3. an M-PESA statement's short code, when exactly one venue has it as `mpesa_shortcode`.
    /// nil when none of them does.
    func attributedVenue(_ g: Int, _ state: RunState) -> String? {
        let index = state.index
        var row: Int32? = state.groupPayment[g] >= 0 ? state.groupPayment[g] : nil
        if row == nil {
            switch records[Int(groupHead[g])].provider {
            case .stripe:
                row = first(g, { $0.paymentIntent }).flatMap { index.stripeByPI[$0] }
            case .mpesa:
                row = first(g, { $0.mpesaReceipt }).flatMap { index.mpesaByReceipt[$0] }
                    ?? first(g, { $0.checkoutRequestId }).flatMap { index.mpesaByCheckout[$0] }
            }
        }
        if let row { return payments[Int(row)].venueId }
        if let order = metadata(g, "order_id"),
           let venue = index.anyByOrder(order).map({ payments[Int($0)].venueId }) ?? snapshot.orders[order]?.venueId {
            return venue
        }
        if let account = first(g, { $0.accountRef })?.uppercased(), !account.isEmpty {
            if let p = index.anyByAccount[account] { return payments[Int(p)].venueId }
            if let invoice = snapshot.invoices[account] { return invoice.venueId }
        }
        if let venue = metadata(g, "venue_id"), snapshot.venues[venue] != nil { return venue }
        let byCode = state.venueByShortCode
        return first(g) { $0.inputKind == .mpesaStatement ? byCode[$0.source.file] : nil }
    }
}
