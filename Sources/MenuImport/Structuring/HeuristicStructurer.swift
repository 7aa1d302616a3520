/// Placeholder so the `menuextract` branch compiles: the structurer helper's version replaces this
/// file at integration (same type, same protocol).
public struct HeuristicStructurer: MenuStructuring {
    public init() {}
    public var name: String { "heuristic" }
    public func structure(_ document: TextDocument, currency: String?) throws -> MenuDocument {
        MenuDocument(source: .init(file: document.file, sha256: document.sha256, pages: document.pages.count),
                     structurer: name, currency: currency ?? "EUR", items: [], questions: [])
    }
}
