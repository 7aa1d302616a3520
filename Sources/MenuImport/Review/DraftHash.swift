import BackofficeCore
import Foundation

extension StagedImport {
    /// A short fingerprint of the draft as it stands: every item's fields and decision. The review
    /// files carry it, and `menu apply` refuses a file made from another state of the draft (the
    /// owner's older sheet must never undo what a newer one applied).
    ///
    ///     staged.draftHash   // "3f9a0c…" (16 hex digits)
    public var draftHash: String {
        var text = "import \(id)\n"
        for item in items {
            text += "\(item.seq)\t\(item.decision?.rawValue ?? "-")\t\(StoredJSON.encode(item.draft))\n"
        }
        return String(SHA256Digest.hex(Array(text.utf8)).prefix(16))
    }
}
