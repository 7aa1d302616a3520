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

    enum CodingKeys: String, CodingKey {
        case runId = "run_id", period, inputs, matched, exceptions
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(runId, forKey: .runId)   // null when no run was made
        try c.encode(period, forKey: .period)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(matched, forKey: .matched)
        try c.encode(exceptions, forKey: .exceptions)
    }
}

/// One exception of the result JSON.
public struct ExceptionJSON: Encodable, Sendable {
    var exception: ReconcileException

    public init(_ exception: ReconcileException) {
        self.exception = exception
    }

    enum CodingKeys: String, CodingKey {
        case kind, provider, venueId = "venue_id", amountCents = "amount_cents", expectedCents = "expected_cents"
        case currency, refs, detail
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
            exceptions: result.exceptions.map(ExceptionJSON.init))
    }

    /// The result's shape with nothing in it: `nightly --json` when the inbox has nothing new.
    public static var emptyJSON: String {
        encode(ResultDocument(runId: nil, period: nil, inputs: [], matched: 0, exceptions: []))
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
        lines.append("Matched: \(result.matched)")
        if result.exceptions.isEmpty {
            lines.append("Exceptions: none")
        } else {
            lines.append("Exceptions: \(result.exceptions.count)")
            for (kind, n) in result.exceptionCountsByKind {
                lines.append("  \(kind.rawValue): \(n)")
            }
        }
        lines.append("Run: \(runId)")
        return lines.joined(separator: "\n")
    }
}
