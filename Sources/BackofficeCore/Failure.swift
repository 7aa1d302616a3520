/// The exit codes of the contract (sysexits). `CLI.md` fixes their meaning.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Done, nothing needs a person.
    case ok = 0
    /// Done, and something needs a person (exceptions found, items flagged).
    case needsAttention = 1
    case usage = 64
    case dataError = 65
    case noInput = 66
    case unavailable = 69
    case software = 70
    case cantCreate = 73
    case tempFail = 75
}

/// A failure of the run: one plain sentence a person can act on, and the exit code it maps to.
///
/// Problems found *in* the data (reconciliation exceptions, menu flags) are values, not failures;
/// this type is for the cases where the command cannot do its job.
///
///     throw Failure.badInput(file: "payments.csv", line: 12, column: "Amount", reason: "'12,5x' is not an amount")
public struct Failure: Error, CustomStringConvertible, Sendable, Equatable {
    public let status: ExitStatus
    public let message: String

    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }

    /// 64: the call's words are off.
    public static func usage(_ message: String) -> Failure { Failure(.usage, message) }

    /// 65: a file is not what it claims, or a row is malformed. Names file, line and column when known.
    public static func badInput(file: String, line: Int? = nil, column: String? = nil, reason: String) -> Failure {
        var place = file
        if let line { place += ", line \(line)" }
        if let column { place += ", column '\(column)'" }
        return Failure(.dataError, "\(place): \(reason)")
    }

    /// 65 without a file: the data as a whole is inconsistent.
    public static func dataError(_ message: String) -> Failure { Failure(.dataError, message) }

    /// 66: an input file or the database does not exist or cannot be read.
    public static func noInput(path: String, reason: String = "does not exist or cannot be read") -> Failure {
        Failure(.noInput, "\(path) \(reason).")
    }

    /// 69: a needed service is unavailable.
    public static func unavailable(_ message: String) -> Failure { Failure(.unavailable, message) }

    /// 70: a bug.
    public static func software(_ message: String) -> Failure { Failure(.software, "internal error: \(message)") }

    /// 73: cannot write an output.
    public static func cantCreate(path: String, reason: String) -> Failure {
        Failure(.cantCreate, "cannot write \(path): \(reason).")
    }

    /// 75: temporary; retry later.
    public static func tempFail(_ message: String) -> Failure { Failure(.tempFail, message) }
}
