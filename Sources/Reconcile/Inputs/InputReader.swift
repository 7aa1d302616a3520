import BackofficeCore

/// Reads the provider exports `reconcile` takes.
///
/// STUB on the `matching` branch so it compiles: the integrator replaces this file with the readers
/// helper's real one at merge. The signatures are the agreed ones.
public enum InputReader {
    /// Expands files and folders into the list of files to read (sorted, hidden files skipped).
    public static func expand(_ inputs: [String]) throws(Failure) -> [String] {
        throw Failure.software("readers not merged yet")
    }

    /// Reads one file, recognising its kind from its content.
    public static func read(path: String) throws(Failure) -> ParsedInput {
        throw Failure.software("readers not merged yet")
    }

    /// The kind of input `bytes` hold, if any.
    public static func detect(_ bytes: [UInt8]) -> InputKind? {
        nil
    }
}
