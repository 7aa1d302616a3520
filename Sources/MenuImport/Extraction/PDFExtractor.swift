import BackofficeCore
import CPoppler
import Foundation

/// Reads a PDF's text layer through poppler-glib: every character with its rectangle and font run.
///
///     let document = try PDFExtractor.read(path: "menu.pdf")
///     try document.requireTextLayer()            // 65 when every page is a scan
///     for glyph in document.pages[0].glyphs { … }
///
/// The characters come from `poppler_page_get_text` decoded scalar by scalar, each paired with its
/// rectangle from `poppler_page_get_text_layout` (the n-th rectangle belongs to the n-th Unicode
/// scalar) and its font from the runs of `poppler_page_get_text_attributes` (`end_index` inclusive).
/// Layout comes only from the rectangles: the glued string is never split on its own whitespace.
///
/// Refusals are `Failure`s with a sentence: 66 when the file is missing or unreadable; 65 when it
/// is empty, not a PDF, encrypted with a password, damaged or cut short. Nothing here crashes on
/// bad input. Poppler's own complaints about damaged files go to GLib's log at INFO level
/// (poppler-glib installs that callback), so stderr keeps only the command's sentence; set
/// `G_MESSAGES_DEBUG=Poppler` to see them.
///
/// Thread safety: each call opens, reads and closes its own document, so calls on different
/// threads never share a poppler object (poppler documents are not thread-safe).
public enum PDFExtractor {
    /// `maxThreads`: this many threads read pages, at most one a page (default: one per core, up
    /// to 4, when the document has 2 pages or more). The result does not depend on it.
    public static func read(path: String, maxThreads: Int? = nil) throws(Failure) -> TextDocument {
        try read(PDFFile.load(path), maxThreads: maxThreads)
    }

    /// `read(path:)` for a file already loaded (and hashed): `menu import` hashes it first, to
    /// find a re-import before extracting anything, and the bytes are read once.
    public static func read(_ file: PDFFile, maxThreads: Int? = nil) throws(Failure) -> TextDocument {
        let data = file.data, path = file.path, sha256 = file.sha256
        try checkLooksLikePDF(data, path: path)
        let result: Result<TextDocument, Failure> = data.withUnsafeBytes { raw in
            // Poppler reads the mapped bytes in place; `raw` outlives the document (unreffed below).
            guard let bytes = g_bytes_new_static(raw.baseAddress, gsize(raw.count)) else {
                return .failure(Failure.software("cannot wrap \(path) for poppler"))
            }
            defer { g_bytes_unref(bytes) }
            return readDocument(bytes, path: path, sha256: sha256, maxThreads: maxThreads)
        }
        return try result.get()
    }

    // MARK: - File checks before poppler

    fileprivate static func readBytes(path: String) throws(Failure) -> Data {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw Failure.noInput(path: path)
        }
        if isFolder.boolValue { throw Failure.noInput(path: path, reason: "is a folder, not a PDF file") }
        // a FIFO would hang the import and a device would be read without end (issue #18)
        var info = stat()
        if stat(path, &info) == 0, SafeFile.kind(mode: info.st_mode) != .regular {
            throw Failure.badInput(file: path, reason: "is \(SafeFile.kind(mode: info.st_mode).phrase), not a regular file; give the menu PDF itself.")
        }
        if Int(info.st_size) > SafeFile.maxInputBytes {
            throw Failure.badInput(file: path, reason: "is larger than \(SafeFile.maxInputBytes >> 20) MB, the limit for one input file; no menu PDF is that large.")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw Failure.noInput(path: path, reason: "cannot be read (check its permissions)")
        }
    }

    /// Empty files, other formats renamed `.pdf`, and files cut short are refused here with a
    /// sentence that says what the file is, rather than poppler's generic "damaged".
    static func checkLooksLikePDF(_ data: Data, path: String) throws(Failure) {
        if data.isEmpty {
            throw Failure.badInput(file: path, reason: "the file is empty (0 bytes); export or download the menu PDF again.")
        }
        let head = data.prefix(1024)
        guard let start = firstIndex(of: Array("%PDF-".utf8), in: head) else {
            throw Failure.badInput(file: path, reason: "this is not a PDF (\(describeFormat(head))); export the menu as a PDF.")
        }
        _ = start
        // A PDF ends with `%%EOF` (readers look for it in the last 1024 bytes). Without it the file
        // was cut short, and poppler would silently rebuild whatever pages it can find.
        let tail = data.suffix(1024)
        if firstIndex(of: Array("%%EOF".utf8), in: tail) == nil {
            throw Failure.badInput(file: path, reason: "the PDF is damaged or cut short (it does not end with %%EOF); download or export it again.")
        }
    }

    private static func firstIndex(of needle: [UInt8], in hay: Data) -> Int? {
        guard hay.count >= needle.count else { return nil }
        return hay.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int? in
            let n = needle.count
            var i = 0
            while i + n <= raw.count {
                if raw[i] == needle[0] {
                    var j = 1
                    while j < n && raw[i + j] == needle[j] { j += 1 }
                    if j == n { return i }
                }
                i += 1
            }
            return nil
        }
    }

    private static func describeFormat(_ head: Data) -> String {
        let b = Array(head.prefix(8))
        func starts(_ p: [UInt8]) -> Bool { b.count >= p.count && Array(b.prefix(p.count)) == p }
        if starts([0x89, 0x50, 0x4E, 0x47]) { return "it is a PNG image" }
        if starts([0xFF, 0xD8, 0xFF]) { return "it is a JPEG image" }
        if starts(Array("GIF8".utf8)) { return "it is a GIF image" }
        if starts(Array("PK".utf8)) { return "it is a ZIP archive, perhaps a Word or Pages document" }
        if starts([0xD0, 0xCF, 0x11, 0xE0]) { return "it is an old Office document" }
        if starts(Array("RIFF".utf8)) { return "it is a RIFF file, perhaps a WebP image" }
        if b.count >= 8, Array(b[4..<8]) == Array("ftyp".utf8) { return "it is a HEIC image or a video" }
        let text = head.allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || ($0 >= 32 && $0 != 127) || $0 >= 0x80 }
        if text, let first = head.first(where: { $0 > 32 }), first == UInt8(ascii: "<") {
            return "it looks like an HTML or XML page"
        }
        return text ? "it looks like a text file" : "it has no PDF header"
    }

    // MARK: - Poppler

    private static func readDocument(_ bytes: OpaquePointer, path: String, sha256: String, maxThreads: Int?) -> Result<TextDocument, Failure> {
        var error: UnsafeMutablePointer<GError>?
        guard let document = poppler_document_new_from_bytes(bytes, nil, &error) else {
            return .failure(openFailure(error, path: path))
        }
        defer { backoffice_unref(UnsafeMutableRawPointer(document)) }
        if let error { g_error_free(error) }

        let count = Int(poppler_document_get_n_pages(document))
        if count <= 0 {
            return .failure(Failure.badInput(file: path, reason: "the PDF is damaged: it has no pages; download or export it again."))
        }
        let workers = maxThreads.map { max(1, min($0, count)) } ?? workerCount(pages: count)
        // Each worker (one, or one per core for a document of several pages) opens its own document over the same bytes
        // (poppler documents are not thread-safe; one document per thread; the first worker reads
        // the one open here) and takes the next unread page until none is left, so a heavy page
        // does not leave the other core idle. Each page keeps its own font table; merging them in
        // page order gives the same fonts, in the same order, so the same result, as reading alone.
        let reads = PageWork.map(count, workers: workers, state: { k in
            k == 0 ? WorkerDocument(borrowing: document) : WorkerDocument(opening: bytes, path: path)
        }) { worker, index -> Result<(page: TextPage, fonts: FontTable), Failure> in
            guard let own = worker.document else { return .failure(worker.failure!) }
            var fonts = FontTable()
            return readPage(own, index: index, path: path, fonts: &fonts).map { ($0, fonts) }
        }
        var fonts = FontTable()
        var pages: [TextPage] = []
        pages.reserveCapacity(count)
        for read in reads {
            switch read {
            case .success(let (pageRead, pageFonts)):
                var page = pageRead
                let remap = pageFonts.styles.map { fonts.index(of: $0) }
                for i in page.glyphs.indices { page.glyphs[i].font = remap[page.glyphs[i].font] }
                pages.append(page)
            case .failure(let failure):
                return .failure(failure)
            }
        }
        return .success(TextDocument(file: path, sha256: sha256, pages: pages, fonts: fonts.styles))
    }

    /// One thread a page up to the cores (or `BACKOFFICE_THREADS`), at most 4: a 2-page menu
    /// already gains (the real menus went from about 58 to 70 pages a second, whole process, on
    /// two free cores); on a busy machine the second thread costs little more than opening the
    /// document again.
    private static func workerCount(pages: Int) -> Int {
        let cores = PageWork.threads
        guard pages >= 2, cores > 1 else { return 1 }
        return min(cores, pages, 4)
    }

    /// Page `index` (0-based) of `document`, its fonts added to `fonts`.
    private static func readPage(_ document: OpaquePointer, index: Int, path: String, fonts: inout FontTable) -> Result<TextPage, Failure> {
        guard let page = poppler_document_get_page(document, Int32(index)) else {
            return .failure(Failure.badInput(file: path, reason: "the PDF is damaged: page \(index + 1) cannot be read; download or export it again."))
        }
        defer { backoffice_unref(UnsafeMutableRawPointer(page)) }
        return .success(readPage(page, number: index + 1, fonts: &fonts))
    }

    /// A reading thread's own poppler document: the first thread borrows the one already open;
    /// the others open theirs over the same bytes and let it go when they finish.
    private final class WorkerDocument {
        let document: OpaquePointer?
        let failure: Failure?
        private let owned: Bool

        init(borrowing document: OpaquePointer) {
            self.document = document; failure = nil; owned = false
        }

        init(opening bytes: OpaquePointer, path: String) {
            var error: UnsafeMutablePointer<GError>?
            let opened = poppler_document_new_from_bytes(bytes, nil, &error)
            if let opened {
                if let error { g_error_free(error) }
                document = opened; failure = nil
            } else {
                document = nil; failure = PDFExtractor.openFailure(error, path: path)
            }
            owned = opened != nil
        }

        deinit { if owned, let document { backoffice_unref(UnsafeMutableRawPointer(document)) } }
    }

    private static func openFailure(_ error: UnsafeMutablePointer<GError>?, path: String) -> Failure {
        defer { if let error { g_error_free(error) } }
        if let error, error.pointee.domain == poppler_error_quark(),
           error.pointee.code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue) {
            return Failure.badInput(file: path, reason: "the PDF is encrypted; export it again without a password.")
        }
        return Failure.badInput(file: path, reason: "the PDF is damaged and cannot be opened; download or export it again.")
    }

    private static func readPage(_ page: OpaquePointer, number: Int, fonts: inout FontTable) -> TextPage {
        var width = 0.0, height = 0.0
        poppler_page_get_size(page, &width, &height)

        var rects: UnsafeMutablePointer<PopplerRectangle>?
        var rectCount: guint = 0
        _ = poppler_page_get_text_layout(page, &rects, &rectCount)
        defer { g_free(rects) }
        let text = poppler_page_get_text(page)
        defer { g_free(text) }
        let attributes = poppler_page_get_text_attributes(page)
        defer { poppler_page_free_text_attributes(attributes) }

        var glyphs: [Glyph] = []
        var hasInk = false
        if let rects, rectCount > 0, let text {
            glyphs.reserveCapacity(Int(rectCount))
            var runs = RunCursor(attributes, fonts: &fonts)
            text.withMemoryRebound(to: UInt8.self, capacity: 1) { utf8 in
                var offset = 0
                var index = 0
                let limit = Int(rectCount)
                while index < limit, let scalar = decodeScalar(utf8, &offset) {
                    let r = rects[index]
                    let font = runs.font(at: index, fonts: &fonts)
                    glyphs.append(Glyph(scalar: scalar,
                                        x0: min(r.x1, r.x2), y0: min(r.y1, r.y2),
                                        x1: max(r.x1, r.x2), y1: max(r.y1, r.y2),
                                        font: font))
                    if !hasInk && !scalar.isWhiteSpace { hasInk = true }
                    index += 1
                }
            }
        }
        var imageOnly = false
        if !hasInk {
            let images = poppler_page_get_image_mapping(page)
            imageOnly = images != nil
            poppler_page_free_image_mapping(images)
            if imageOnly { glyphs = [] }
        }
        return TextPage(number: number, width: width, height: height, glyphs: glyphs, imageOnly: imageOnly)
    }

    /// Decodes one UTF-8 scalar at `offset` of a NUL-terminated buffer and advances past it; nil at
    /// the end. Malformed bytes become U+FFFD one byte at a time, so counting stays in step with
    /// poppler's rectangles (poppler writes valid UTF-8; this is only a guard).
    @inline(__always)
    static func decodeScalar(_ p: UnsafePointer<UInt8>, _ offset: inout Int) -> Unicode.Scalar? {
        let b0 = p[offset]
        if b0 == 0 { return nil }
        if b0 < 0x80 { offset += 1; return Unicode.Scalar(b0) }
        var need = 0
        var value: UInt32 = 0
        if b0 & 0xE0 == 0xC0 { need = 1; value = UInt32(b0 & 0x1F) }
        else if b0 & 0xF0 == 0xE0 { need = 2; value = UInt32(b0 & 0x0F) }
        else if b0 & 0xF8 == 0xF0 { need = 3; value = UInt32(b0 & 0x07) }
        else { offset += 1; return "\u{FFFD}" }
        for k in 1...need {
            let b = p[offset + k]
            if b & 0xC0 != 0x80 { offset += 1; return "\u{FFFD}" }
            value = value << 6 | UInt32(b & 0x3F)
        }
        offset += need + 1
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }
}

/// Walks poppler's attribute runs (sorted by start) alongside the glyph index; each run's font
/// is looked up once.
private struct RunCursor {
    private var node: UnsafeMutablePointer<GList>?
    private var start = Int.max
    private var end = -1
    private var resolved = false
    private var current: Int

    init(_ list: UnsafeMutablePointer<GList>?, fonts: inout FontTable) {
        node = list
        if let first = Self.attributes(list) {
            current = fonts.index(for: first.pointee)
            resolved = true
            start = Int(first.pointee.start_index)
            end = Int(first.pointee.end_index)
        } else {
            current = fonts.placeholder()
        }
    }

    private static func attributes(_ node: UnsafeMutablePointer<GList>?) -> UnsafeMutablePointer<PopplerTextAttributes>? {
        node?.pointee.data?.assumingMemoryBound(to: PopplerTextAttributes.self)
    }

    /// The font of glyph `index` (indices only grow); a glyph no run covers keeps the previous glyph's font.
    mutating func font(at index: Int, fonts: inout FontTable) -> Int {
        while index > end, let next = node?.pointee.next {
            node = next
            resolved = false
            if let a = Self.attributes(next) {
                start = Int(a.pointee.start_index)
                end = Int(a.pointee.end_index)
            }
        }
        if !resolved && index >= start && index <= end, let a = Self.attributes(node) {
            current = fonts.index(for: a.pointee)
            resolved = true
        }
        return current
    }
}

/// The document's distinct font styles; runs with the same font (subset tag dropped), size, colour
/// and underline share one entry.
struct FontTable {
    private struct Key: Hashable {
        var name: String
        var size: Double
        var underlined: Bool
        var rgb: UInt32
    }
    private(set) var styles: [FontStyle] = []
    private var indices: [Key: Int] = [:]

    mutating func index(for attributes: PopplerTextAttributes) -> Int {
        let rgb = UInt32(attributes.color.red >> 8) << 16 | UInt32(attributes.color.green >> 8) << 8 | UInt32(attributes.color.blue >> 8)
        let underlined = attributes.is_underlined != 0
        let name = FontStyle.baseName(attributes.font_name.map { String(cString: $0) } ?? "")
        let key = Key(name: name, size: attributes.font_size, underlined: underlined, rgb: rgb)
        let index: Int
        if let known = indices[key] {
            index = known
        } else {
            let (bold, italic) = FontStyle.weightAndSlant(name)
            index = styles.count
            styles.append(FontStyle(name: name, size: attributes.font_size, bold: bold, italic: italic,
                                    red: UInt8(rgb >> 16), green: UInt8(rgb >> 8 & 0xFF), blue: UInt8(rgb & 0xFF),
                                    underlined: underlined))
            indices[key] = index
        }
        return index
    }

    /// The index of an existing style, adding it when new (merging the tables of several readers).
    mutating func index(of style: FontStyle) -> Int {
        let rgb = UInt32(style.red) << 16 | UInt32(style.green) << 8 | UInt32(style.blue)
        let key = Key(name: style.name, size: style.size, underlined: style.underlined, rgb: rgb)
        if let known = indices[key] { return known }
        styles.append(style)
        indices[key] = styles.count - 1
        return styles.count - 1
    }

    /// For glyphs on a page poppler gave no runs for.
    mutating func placeholder() -> Int {
        let key = Key(name: "", size: 0, underlined: false, rgb: 0)
        if let known = indices[key] { return known }
        styles.append(FontStyle(name: "", size: 0, bold: false, italic: false, red: 0, green: 0, blue: 0))
        indices[key] = styles.count - 1
        return styles.count - 1
    }
}

extension FontStyle {
    /// `ABCDEF+Helvetica-Bold` -> `Helvetica-Bold`: drops a subset tag (six capitals and `+`).
    public static func baseName(_ name: String) -> String {
        let u = Array(name.utf8)
        if u.count > 7, u[6] == UInt8(ascii: "+"), u[0..<6].allSatisfy({ $0 >= 65 && $0 <= 90 }) {
            return String(decoding: u[7...], as: UTF8.self)
        }
        return name
    }

    /// Bold and italic as the font's name says: `Bold`, `Black`, `Heavy`, `Semibold`, `Demi`,
    /// `ExtraBold`, `Ultra`; `Italic`, `Oblique`, `Slanted` and Adobe's `-It`/`BoldIt` suffix.
    public static func weightAndSlant(_ name: String) -> (bold: Bool, italic: Bool) {
        let lower = name.lowercased()
        let has: (String) -> Bool = { lower.contains($0) }
        let bold = ["bold", "black", "heavy", "demi", "ultra", "fett"].contains(where: has)
            || lower.hasSuffix(",bd") || lower.hasSuffix("-bd")
        // The style part is what follows the family: after the last '-' or ','.
        let style = name.split(whereSeparator: { $0 == "-" || $0 == "," }).last.map(String.init) ?? ""
        let italic = ["italic", "oblique", "slanted", "kursiv"].contains(where: has)
            || (style != name && (style.hasSuffix("It") || style == "It" || style.hasSuffix("Ita")))
        return (bold, italic)
    }
}

extension TextDocument {
    /// Numbers (1-based) of the pages that show images but have no text layer.
    public var imageOnlyPages: [Int] { pages.filter(\.imageOnly).map(\.number) }

    /// Whether any page has a character other than whitespace.
    public var hasText: Bool {
        pages.contains { $0.glyphs.contains { !$0.scalar.isWhiteSpace } }
    }

    /// Throws 65 when there is nothing to read on any page, by its text layer or by OCR.
    public func requireText() throws(Failure) {
        if hasText { return }
        let reason = pages.contains(where: \.ocr)
            ? "no text could be read on any page, neither from a text layer nor by OCR (is it a photo without words, or blank?)."
            : "the PDF has no text to read."
        throw Failure.badInput(file: file, reason: reason)
    }
}

/// A PDF's bytes (mapped, not copied) and their SHA-256, read once for hashing and extraction.
public struct PDFFile: Sendable {
    public let path: String
    public let data: Data
    public let sha256: String

    /// Reads `path`: 66 when it is missing, a folder or unreadable.
    public static func load(_ path: String) throws(Failure) -> PDFFile {
        let data = try PDFExtractor.readBytes(path: path)
        return PDFFile(path: path, data: data, sha256: data.withUnsafeBytes { SHA256Digest.hex($0) })
    }
}
