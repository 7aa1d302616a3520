import BackofficeCore
import CPoppler
import Foundation

/// Renders regions of a PDF's pages to PNG with poppler and cairo, for the review page's crops.
///
///     let renderer = try PDFRenderer(path: "menu.pdf")
///     let png = renderer.renderPNG(page: 1, bbox: [72, 640, 540, 668])   // PNG bytes, or nil
///
/// poppler's rendering is not thread-safe: use one renderer from one thread at a time.
public final class PDFRenderer {
    private let document: OpaquePointer
    public let pageCount: Int

    /// Opens the PDF. Fails with 66 when it cannot be read, 65 when poppler cannot parse it.
    public convenience init(path: String) throws(Failure) {
        try self.init(file: PDFFile.load(path))
    }

    /// Opens a PDF already read (and hashed), without reading it again.
    public init(file: PDFFile) throws(Failure) {
        let path = file.path
        var error: UnsafeMutablePointer<GError>?
        let opened: OpaquePointer? = file.data.withUnsafeBytes { raw in
            // copied into GLib's keeping: the document outlives this closure (a menu is a few MB)
            guard let bytes = g_bytes_new(raw.baseAddress, gsize(raw.count)) else { return nil }
            defer { g_bytes_unref(bytes) }   // the document holds its own reference
            return poppler_document_new_from_bytes(bytes, nil, &error)
        }
        guard let doc = opened else {
            var reason = "is not a PDF poppler can read"
            if let error {
                if let message = error.pointee.message { reason += " (\(String(cString: message)))" }
                g_error_free(error)
            }
            throw Failure.badInput(file: path, reason: reason)
        }
        document = doc
        pageCount = Int(poppler_document_get_n_pages(doc))
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(document)) }

    /// PNG bytes of the region `bbox` (`[x0, y0, x1, y1]`, points, origin top-left) of page `page`
    /// (1-based), widened by `margin` points on each side and clipped to the page, drawn at `scale`
    /// pixels per point on white. Each box of `highlights` (same coordinates) is outlined, so a
    /// person sees which printed cell a value was read from. nil when the page does not exist or
    /// the region is empty.
    public func renderPNG(page: Int, bbox: [Double], scale: Double = 2, margin: Double = 12, highlights: [[Double]] = []) -> [UInt8]? {
        guard bbox.count == 4, bbox.allSatisfy(\.isFinite), scale > 0,
              page >= 1, page <= pageCount,
              let p = poppler_document_get_page(document, Int32(page - 1)) else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(p)) }
        var pageWidth = 0.0, pageHeight = 0.0
        poppler_page_get_size(p, &pageWidth, &pageHeight)
        let x0 = max(0, min(bbox[0], bbox[2]) - margin)
        let y0 = max(0, min(bbox[1], bbox[3]) - margin)
        let x1 = min(pageWidth, max(bbox[0], bbox[2]) + margin)
        let y1 = min(pageHeight, max(bbox[1], bbox[3]) + margin)
        guard x1 > x0, y1 > y0 else { return nil }
        let width = Int32(((x1 - x0) * scale).rounded(.up))
        let height = Int32(((y1 - y0) * scale).rounded(.up))
        // A runaway bbox must not ask cairo for a gigantic surface.
        guard width > 0, height > 0, Int(width) * Int(height) <= 40_000_000 else { return nil }

        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height) else { return nil }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let cr = cairo_create(surface) else { return nil }
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
        cairo_scale(cr, scale, scale)
        cairo_translate(cr, -x0, -y0)
        poppler_page_render(p, cr)
        let boxes = highlights.filter { $0.count == 4 && $0.allSatisfy(\.isFinite) }
        if !boxes.isEmpty {
            // an orange outline a little outside the cell, so the printed price stays readable
            cairo_set_source_rgb(cr, 0.9, 0.35, 0)
            cairo_set_line_width(cr, 1.5)
            for b in boxes {
                cairo_rectangle(cr, min(b[0], b[2]) - 2, min(b[1], b[3]) - 2, abs(b[2] - b[0]) + 4, abs(b[3] - b[1]) + 4)
            }
            cairo_stroke(cr)
        }
        cairo_destroy(cr)
        cairo_surface_flush(surface)

        let sink = PNGSink()
        let status = withExtendedLifetime(sink) {
            cairo_surface_write_to_png_stream(surface, { closure, data, length in
                guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
                let sink = Unmanaged<PNGSink>.fromOpaque(closure).takeUnretainedValue()
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(sink).toOpaque())
        }
        guard status == CAIRO_STATUS_SUCCESS, !sink.bytes.isEmpty else { return nil }
        return sink.bytes
    }
}

private final class PNGSink {
    var bytes: [UInt8] = []
}

extension PDFRenderer {
    /// The whole page `page` (1-based) as PNG at `dpi` dots per inch, for OCR; nil when the page
    /// does not exist or is too large to draw.
    public func renderPagePNG(page: Int, dpi: Double) -> [UInt8]? {
        renderPNG(page: page, bbox: [0, 0, 1e6, 1e6], scale: dpi / 72, margin: 0)
    }

    /// The whole page as 8-bit grey pixels, row by row (for making scans of sample menus).
    public func renderPageGrey(page: Int, dpi: Double) -> (columns: Int, rows: Int, pixels: [UInt8])? {
        guard page >= 1, page <= pageCount, let p = poppler_document_get_page(document, Int32(page - 1)) else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(p)) }
        var width = 0.0, height = 0.0
        poppler_page_get_size(p, &width, &height)
        let scale = dpi / 72
        let columns = Int32((width * scale).rounded(.up)), rows = Int32((height * scale).rounded(.up))
        guard columns > 0, rows > 0, Int(columns) * Int(rows) <= 40_000_000,
              let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, columns, rows) else { return nil }
        defer { cairo_surface_destroy(surface) }
        guard let cr = cairo_create(surface) else { return nil }
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
        cairo_scale(cr, scale, scale)
        poppler_page_render(p, cr)
        cairo_destroy(cr)
        cairo_surface_flush(surface)
        guard let data = cairo_image_surface_get_data(surface) else { return nil }
        let stride = Int(cairo_image_surface_get_stride(surface))
        var pixels = [UInt8](repeating: 255, count: Int(columns) * Int(rows))
        for y in 0..<Int(rows) {
            let row = data + y * stride
            for x in 0..<Int(columns) {
                // RGB24 is one 32-bit word a pixel: the green byte stands for grey on black text
                let v = row.advanced(by: x * 4).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
                pixels[y * Int(columns) + x] = UInt8(truncatingIfNeeded: v >> 8)
            }
        }
        return (Int(columns), Int(rows), pixels)
    }
}
