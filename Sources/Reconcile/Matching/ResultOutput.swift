import BackofficeCore

/// The two ways a run is printed: the contract's JSON, and a plain summary for a person.
public enum ResultOutput {
    /// The contract's result JSON (keys in the contract's order, one exception per line).
    public static func json(runId: String, result: ReconcileResult) -> String {
        var out = "{\n"
        out += "  \"run_id\": \(JSONText.string(runId)),\n"
        out += "  \"period\": {\"from\": \(JSONText.string(result.period.from.iso)), \"to\": \(JSONText.string(result.period.to.iso))},\n"
        out += "  \"inputs\": ["
        out += result.inputs.map { i in
            "\n    {\"file\": \(JSONText.string(i.file)), \"kind\": \(JSONText.string(i.kind.rawValue)), \"sha256\": \(JSONText.string(i.sha256)), \"rows\": \(i.rows)}"
        }.joined(separator: ",")
        out += result.inputs.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"matched\": \(result.matched),\n"
        out += "  \"exceptions\": ["
        var first = true
        for e in result.exceptions {
            out += first ? "\n    " : ",\n    "
            first = false
            out += exceptionJSON(e)
        }
        out += result.exceptions.isEmpty ? "]\n" : "\n  ]\n"
        out += "}"
        return out
    }

    /// The result's shape with nothing in it: `nightly --json` when the inbox has nothing new.
    public static let emptyJSON = "{\n  \"run_id\": null,\n  \"period\": null,\n  \"inputs\": [],\n  \"matched\": 0,\n  \"exceptions\": []\n}"

    public static func exceptionJSON(_ e: ReconcileException) -> String {
        "{\"kind\": \(JSONText.string(e.kind.rawValue)), \"provider\": \(JSONText.optional(e.provider?.rawValue)), "
            + "\"venue_id\": \(JSONText.optional(e.venueId)), \"amount_cents\": \(JSONText.optional(e.amountCents)), "
            + "\"expected_cents\": \(JSONText.optional(e.expectedCents)), \"currency\": \(JSONText.optional(e.currency)), "
            + "\"refs\": \(e.refs.json), \"detail\": \(JSONText.string(e.detail))}"
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
