import Foundation
import MenuImport
import Testing

/// The lcms transform cache (CColourCache): poppler reads the same characters, fonts and colours
/// with it as without it, and a menu filled in an ICC colour space has its transforms built once,
/// not once a page.
@Suite struct ColourTransformCacheTests {
    /// Real menus whose text poppler fills in an ICC-based colour space (each asks lcms for
    /// transforms on every page; callgrind names GfxICCBasedColorSpace::buildTransforms).
    static let iccMenus = [
        "de_koelnerhof_speisekarte_single_column.pdf", "de_zum_loewen_abholkarte_allergen_codes.pdf",
        "en_au_amici_dinner_5col_size_rows.pdf", "en_au_colors_indian_dotted_leaders_half_full.pdf",
        "en_us_dumpling_room_inline_prices.pdf", "fr_goldengate_bar_carte_3_sizes.pdf",
    ]

    @Test func popplersCallsReachTheCache() {
        #expect(ColourTransformCache.isActive)
    }

    @Test func sameGlyphsFontsAndColoursWithAndWithoutTheCache() throws {
        guard let folder = Fixtures.realMenus else { return }
        for name in Self.iccMenus {
            let path = folder.appendingPathComponent(name).path
            ColourTransformCache.setEnabled(false)
            let without = try PDFExtractor.read(path: path)
            ColourTransformCache.setEnabled(true)
            let cold = try PDFExtractor.read(path: path)
            let warm = try PDFExtractor.read(path: path, maxThreads: 1)
            #expect(cold == without, "\(name)")
            #expect(warm == without, "\(name)")
            #expect(without.pages.contains { !$0.glyphs.isEmpty }, "\(name)")
        }
    }

    /// In a process of its own, so that no other test's reading is counted.
    @Test func anICCMenuBuildsItsTransformsOnceNotOncePerPage() async {
        guard Fixtures.realMenus != nil else { return }
        await #expect(processExitsWith: .success) {
            let path = Fixtures.realMenu("de_koelnerhof_speisekarte_single_column.pdf")!
            let start = ColourTransformCache.counts
            // One reader thread: poppler makes its sRGB profile lazily in a static, and two threads
            // starting together can each make one (each then gets its own two transforms).
            guard let document = try? PDFExtractor.read(path: path, maxThreads: 1), document.pages.count == 8 else { exit(3) }
            let on = ColourTransformCache.counts
            // two transforms a page asked for (colours, and whole lines), two built, one profile parsed
            guard on.transformsRequested - start.transformsRequested >= 16,
                  on.transformsBuilt - start.transformsBuilt <= 2,
                  on.profilesParsed - start.profilesParsed <= 1
            else { exit(4) }

            // without the cache, every request is a build: the cache is what saves them
            ColourTransformCache.setEnabled(false)
            guard (try? PDFExtractor.read(path: path, maxThreads: 1)) == document else { exit(5) }
            let off = ColourTransformCache.counts
            guard off.transformsBuilt - on.transformsBuilt == off.transformsRequested - on.transformsRequested,
                  off.transformsRequested - on.transformsRequested == on.transformsRequested - start.transformsRequested
            else { exit(6) }
        }
    }
}

/// The cache's own rules, driven through lcms's entry points as poppler drives them, in a process
/// of its own: a profile from memory is parsed once per content; a transform is built once per key
/// and shared; a profile lcms made itself (as poppler makes its sRGB) that closes takes the
/// transforms made from it out of the cache, and a transform still held when that happens keeps
/// working until its last holder deletes it.
@Suite struct ColourTransformCacheRulesTests {
    @Test func profilesTransformsAndClosedProfiles() async {
        await #expect(processExitsWith: .success) {
            guard let lcms = LCMS() else { exit(10) }
            let rgb8: UInt32 = (4 << 16) | (3 << 3) | 1 // TYPE_RGB_8
            func counts() -> ColourTransformCache.Counts { ColourTransformCache.counts }

            // an embedded profile's bytes: sRGB, saved to memory
            guard let madeSRGB = lcms.createSRGB() else { exit(11) }
            var size: UInt32 = 0
            guard lcms.saveToMemory(madeSRGB, nil, &size) != 0, size > 0 else { exit(12) }
            var bytes = [UInt8](repeating: 0, count: Int(size))
            guard lcms.saveToMemory(madeSRGB, &bytes, &size) != 0 else { exit(13) }

            // the same content twice: one parse, one handle; closing it keeps it
            let start = counts()
            let first = lcms.openFromMemory(bytes, size), second = lcms.openFromMemory(bytes, size)
            guard let first, first == second, counts().profilesParsed - start.profilesParsed == 1 else { exit(14) }
            guard lcms.closeProfile(first) != 0 else { exit(15) }
            guard lcms.openFromMemory(bytes, size) == first else { exit(16) }

            // a transform from it to the sRGB lcms made: built once, shared, kept when deleted
            let built = counts().transformsBuilt
            guard let t1 = lcms.createTransform(first, rgb8, madeSRGB, rgb8, 0, 0),
                  lcms.createTransform(first, rgb8, madeSRGB, rgb8, 0, 0) == t1,
                  counts().transformsBuilt - built == 1 else { exit(17) }
            lcms.deleteTransform(t1)
            lcms.deleteTransform(t1)
            guard lcms.createTransform(first, rgb8, madeSRGB, rgb8, 0, 0) == t1,
                  counts().transformsBuilt - built == 1 else { exit(18) }

            // the output profile closes while the transform is held: it leaves the cache but works
            let cached = counts().transformsCached
            guard lcms.closeProfile(madeSRGB) != 0, counts().transformsCached == cached - 1 else { exit(19) }
            var pixel: [UInt8] = [200, 100, 50], out: [UInt8] = [0, 0, 0]
            lcms.doTransform(t1, &pixel, &out, 1)
            guard out != [0, 0, 0] else { exit(20) }
            lcms.deleteTransform(t1)

            // a new sRGB (perhaps at the same address) gets a transform of its own
            guard let newSRGB = lcms.createSRGB(),
                  let t2 = lcms.createTransform(first, rgb8, newSRGB, rgb8, 0, 0),
                  counts().transformsBuilt - built == 2, counts().transformsCached == cached else { exit(21) }
            var again: [UInt8] = [0, 0, 0]
            lcms.doTransform(t2, &pixel, &again, 1)
            guard again == out else { exit(22) }
        }
    }
}

/// lcms's functions, found in the process as poppler finds them: the four the cache defines are
/// the cache's, the others lcms's own.
private struct LCMS {
    let createSRGB: @convention(c) () -> UnsafeMutableRawPointer?
    let saveToMemory: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt32>?) -> Int32
    let openFromMemory: @convention(c) (UnsafeRawPointer?, UInt32) -> UnsafeMutableRawPointer?
    let closeProfile: @convention(c) (UnsafeMutableRawPointer?) -> Int32
    let createTransform: @convention(c) (UnsafeMutableRawPointer?, UInt32, UnsafeMutableRawPointer?, UInt32, UInt32, UInt32) -> UnsafeMutableRawPointer?
    let deleteTransform: @convention(c) (UnsafeMutableRawPointer?) -> Void
    let doTransform: @convention(c) (UnsafeMutableRawPointer?, UnsafeRawPointer?, UnsafeMutableRawPointer?, UInt32) -> Void

    init?() {
        // poppler's library brings lcms into the process; reading any PDF has loaded it
        func find<T>(_ name: String, as: T.Type) -> T? {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
            return unsafeBitCast(symbol, to: T.self)
        }
        guard let createSRGB = find("cmsCreate_sRGBProfile", as: (@convention(c) () -> UnsafeMutableRawPointer?).self),
              let saveToMemory = find("cmsSaveProfileToMem", as: (@convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt32>?) -> Int32).self),
              let openFromMemory = find("cmsOpenProfileFromMem", as: (@convention(c) (UnsafeRawPointer?, UInt32) -> UnsafeMutableRawPointer?).self),
              let closeProfile = find("cmsCloseProfile", as: (@convention(c) (UnsafeMutableRawPointer?) -> Int32).self),
              let createTransform = find("cmsCreateTransform", as: (@convention(c) (UnsafeMutableRawPointer?, UInt32, UnsafeMutableRawPointer?, UInt32, UInt32, UInt32) -> UnsafeMutableRawPointer?).self),
              let deleteTransform = find("cmsDeleteTransform", as: (@convention(c) (UnsafeMutableRawPointer?) -> Void).self),
              let doTransform = find("cmsDoTransform", as: (@convention(c) (UnsafeMutableRawPointer?, UnsafeRawPointer?, UnsafeMutableRawPointer?, UInt32) -> Void).self)
        else { return nil }
        self.createSRGB = createSRGB; self.saveToMemory = saveToMemory; self.openFromMemory = openFromMemory
        self.closeProfile = closeProfile; self.createTransform = createTransform
        self.deleteTransform = deleteTransform; self.doTransform = doTransform
    }
}
