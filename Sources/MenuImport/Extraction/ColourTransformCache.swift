import CColourCache

/// The process-wide cache of lcms colour transforms that poppler asks for (CColourCache).
///
/// poppler-glib reads each page with a new text device, and poppler keeps its ICC colour spaces on
/// the device, so a menu whose text is filled in an ICC-based colour space had its colour
/// transforms built again for every page: about 5 million instructions each, a third of all the
/// work on an eight-page menu. The C target answers poppler's lcms calls and builds each transform
/// once per process. Nothing here needs calling for that; this is how tests and benchmarks see it.
public enum ColourTransformCache {
    public struct Counts: Sendable, Equatable {
        /// Transforms poppler asked lcms for, and transforms lcms built.
        public var transformsRequested: Int
        public var transformsBuilt: Int
        /// Embedded ICC profiles poppler opened, and profiles lcms parsed.
        public var profilesRequested: Int
        public var profilesParsed: Int
        /// Transforms the cache holds now for later requests (not those whose profile has closed).
        public var transformsCached: Int
    }

    /// True when poppler's lcms calls reach the cache: the executable exports its entry points
    /// (Package.swift, CColourCache's linker settings).
    public static var isActive: Bool { backoffice_colour_cache_is_linked() == 1 }

    public static var counts: Counts {
        let now = backoffice_colour_cache_read_counts()
        return Counts(transformsRequested: Int(now.transformsRequested), transformsBuilt: Int(now.transformsBuilt),
                      profilesRequested: Int(now.profilesRequested), profilesParsed: Int(now.profilesParsed),
                      transformsCached: Int(now.transformsCached))
    }

    /// Off: every later request goes to lcms as if the cache were not there (for tests comparing
    /// the two). Transforms already handed out keep working.
    public static func setEnabled(_ enabled: Bool) {
        backoffice_colour_cache_set_enabled(enabled ? 1 : 0)
    }
}
