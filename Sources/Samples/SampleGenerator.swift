import BackofficeCore
import Foundation
import Logging

/// Writes a consistent live database, the provider exports in their real formats, and sample menus.
public enum SampleGenerator {
    public static func generate(_ options: SampleOptions, into folder: URL, logger: Logger) throws(Failure) -> SampleManifest {
        throw Failure.software("the sample generator is not built yet")
    }
}

/// What the generator wrote, and the discrepancies it planted on purpose.
public struct SampleManifest: Sendable, Codable {
    public var summary: String { "" }
}
