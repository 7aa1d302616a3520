import Synchronization

/// Answers about a piece of text, worked out once. The structurer asks the same questions of the
/// same texts from several steps (and from both cores); the memos are static, so they last as
/// long as the process: one menu for `menu extract` and `menu import`.
final class TextMemo<Value: Sendable>: Sendable {
    private let store = Mutex<[String: Value]>([:])

    init() {}

    func value(_ key: String, _ make: () -> Value) -> Value {
        if let known = store.withLock({ $0[key] }) { return known }
        let made = make()
        store.withLock { $0[key] = made }
        return made
    }
}
