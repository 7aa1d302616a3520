/// Turns an extracted PDF into menu items: the layout heuristic (default, no network) or an LLM.
public protocol MenuStructuring: Sendable {
    /// `heuristic` or `llm`, as written in the items JSON.
    var name: String { get }
    /// `currency`: the ISO code given by `--currency`, or nil to infer it from the menu.
    func structure(_ document: TextDocument, currency: String?) throws -> MenuDocument
}
