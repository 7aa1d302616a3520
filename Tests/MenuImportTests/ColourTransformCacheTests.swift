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
