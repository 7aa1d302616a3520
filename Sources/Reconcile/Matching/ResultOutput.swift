import BackofficeCore
import Foundation

/// The contract's result JSON (`reconcile --json`, `nightly --json`) as typed values, written by
/// JSONEncoder. Keys are the contract's (CLI.md); a value the tool does not know is `null`, never
/// left out, so a reader can rely on every key being there.
public struct ResultDocument: Encodable, Sendable {
    public struct PeriodJSON: Encodable, Sendable {
        var from: String
        var to: String
    }
    public struct InputJSON: Encodable, Sendable {
        var file: String
        var kind: String
        var sha256: String
        var rows: Int
    }

    var runId: String?
    var period: PeriodJSON?
    var inputs: [InputJSON]
    var matched: Int
    var exceptions: [ExceptionJSON]
    /// Beyond the contract's keys (it is silent on them): what each provider's inputs covered,
    /// and what the run did to the findings ledger.
    var coverage: [String: PeriodJSON]?
    var findings: FindingsJSON?

    public struct FindingsJSON: Encodable, Sendable {
        /// Open after the run, within its venue filter: this run's and older ones it did not cover.
        var open: Int
        var new: [String]
        var cleared: [String]
    }

    enum CodingKeys: String, CodingKey {
        case runId = "run_id", period, inputs, matched, exceptions, coverage, findings
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(runId, forKey: .runId)   // null when no run was made
        try c.encode(period, forKey: .period)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(matched, forKey: .matched)
        try c.encode(exceptions, forKey: .exceptions)
        try c.encodeIfPresent(coverage, forKey: .coverage)
        try c.encodeIfPresent(findings, forKey: .findings)
    }
}

/// One exception of the result JSON.
public struct ExceptionJSON: Encodable, Sendable {
    var exception: ReconcileException
    /// `findings --json` adds when it last changed and the note a person left.
    var lastSeen: String?
    var note: String?
    var by: String?

    public init(_ exception: ReconcileException) {
        self.exception = exception
    }

    public init(_ stored: StoredFinding) {
        var e = stored.exception
        e.finding = stored.status
        self.exception = e
        lastSeen = stored.status.lastSeen
        note = stored.note
        by = stored.by
    }

    enum CodingKeys: String, CodingKey {
        case kind, provider, venueId = "venue_id", amountCents = "amount_cents", expectedCents = "expected_cents"
        case currency, refs, detail
        case findingId = "finding_id", state, firstSeen = "first_seen", ageDays = "age_days"
        case lastSeen = "last_seen", note, by
    }

    public func encode(to encoder: any Encoder) throws {
        let e = exception
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(e.kind, forKey: .kind)
        try c.encode(e.provider?.rawValue, forKey: .provider)
        try c.encode(e.venueId, forKey: .venueId)
        try c.encode(e.amountCents, forKey: .amountCents)
        try c.encode(e.expectedCents, forKey: .expectedCents)
        try c.encode(e.currency, forKey: .currency)
        try c.encode(e.refs, forKey: .refs)
        try c.encode(e.detail, forKey: .detail)
        try c.encode(e.finding?.id, forKey: .findingId)
        try c.encode(e.finding?.state.rawValue, forKey: .state)
        try c.encode(e.finding?.firstSeen, forKey: .firstSeen)
        try c.encode(e.finding?.ageDays, forKey: .ageDays)
        try c.encodeIfPresent(lastSeen, forKey: .lastSeen)
        if lastSeen != nil {
            try c.encode(note, forKey: .note)
            try c.encode(by, forKey: .by)
        }
    }
}

/// The two ways a run is printed: the contract's JSON, and a plain summary for a person.
public enum ResultOutput {
    /// The contract's result JSON.
    public static func json(runId: String, result: ReconcileResult) -> String {
        encode(document(runId: runId, result: result))
    }

    static func document(runId: String, result: ReconcileResult) -> ResultDocument {
        ResultDocument(
            runId: runId,
            period: .init(from: result.period.from.iso, to: result.period.to.iso),
            inputs: result.inputs.map { .init(file: $0.file, kind: $0.kind.rawValue, sha256: $0.sha256, rows: $0.rows) },
            matched: result.matched,
            exceptions: result.exceptions.map { ExceptionJSON($0) },
            coverage: result.coverage.map { c in
                Dictionary(uniqueKeysWithValues: c.providers.map { ($0.key.rawValue, ResultDocument.PeriodJSON(from: $0.value.from.iso, to: $0.value.to.iso)) })
            },
            findings: result.findings.map { .init(open: $0.openAfter, new: $0.opened, cleared: $0.cleared) })
    }

    /// The result's shape with nothing in it: `nightly --json` when the inbox has nothing new.
    public static var emptyJSON: String {
        encode(ResultDocument(runId: nil, period: nil, inputs: [], matched: 0, exceptions: []))
    }

    /// The result's shape for a nightly check that made no run: the exceptions it raised
    /// (`missing_export`) with their ledger status.
    public static func checkJSON(exceptions: [ReconcileException], openAfter: Int, opened: [String]) -> String {
        encode(ResultDocument(runId: nil, period: nil, inputs: [], matched: 0, exceptions: exceptions.map { ExceptionJSON($0) },
                              findings: .init(open: openAfter, new: opened, cleared: [])))
    }

    /// `findings --json`: the same objects as the result's exceptions, with `last_seen`, `note` and `by`.
    public static func findingsJSON(_ findings: [StoredFinding]) -> String {
        encode(findings.map { ExceptionJSON($0) })
    }

    /// Pretty-printed, keys sorted (JSONEncoder keeps no declaration order on Linux), `/` left as is.
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every value is a string, an integer or an array/object of them: encoding cannot fail.
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// A plain summary: inputs, matched, exceptions by kind, the run id.
    public static func summary(runId: String, result: ReconcileResult) -> String {
        var lines: [String] = []
        lines.append("Reconciled \(result.period.from.iso) to \(result.period.to.iso)" + (result.venueFilter.map { " for venue \($0)" } ?? "") + ".")
        lines.append("Inputs:")
        for i in result.inputs {
            lines.append("  \(i.file) (\(i.kind.rawValue), \(i.rows) rows)")
        }
        if let coverage = result.coverage {
            if coverage.coversNoProviderData {
                lines.append("No provider data for \(result.period.from.iso) to \(result.period.to.iso): the inputs hold no Stripe or M-PESA record in the period, so no money was checked.")
            } else {
                for (provider, span) in coverage.providers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    lines.append("\(provider == .stripe ? "Stripe" : "M-PESA") data covers \(span.from.iso) to \(span.to.iso).")
                }
                for provider in [Provider.stripe, .mpesa] where coverage.providers[provider] == nil {
                    lines.append("No \(provider == .stripe ? "Stripe" : "M-PESA") data for this period: its findings stay as they were.")
                }
            }
        }
        lines.append("Matched: \(result.matched)")
        if result.exceptions.isEmpty {
            lines.append("Exceptions: none")
        } else {
            lines.append("Exceptions: \(result.exceptions.count)")
            for (kind, n) in result.exceptionCountsByKind {
                lines.append("  \(kind.rawValue): \(n)")
            }
        }
        if let f = result.findings {
            let resolved = result.exceptions.filter { $0.finding?.state == .resolved }.count
            lines.append("Findings: \(f.opened.count) new, \(result.exceptions.count - f.opened.count - resolved) seen before and still open, \(resolved) seen again but resolved by a person, \(f.cleared.count) cleared; \(f.openAfter) open in all (backoffice findings lists them).")
        }
        lines.append("Run: \(runId)")
        return lines.joined(separator: "\n")
    }
}
