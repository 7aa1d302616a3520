import Foundation

/// Answers about a piece of text, worked out once. The structurer's memos are static, so they
/// last as long as the process: one menu for `menu extract` and `menu import`; a process that
/// structures many menus (the tests, the demo) keeps the answers for every text it has seen,
/// which are few and short.
final class TextMemo<Value>: @unchecked Sendable {
    private var store: [String: Value] = [:]
    private let lock = NSLock()

    func value(_ key: String, _ make: () -> Value) -> Value {
        lock.lock()
        if let known = store[key] { lock.unlock(); return known }
        lock.unlock()
        let made = make()
        lock.lock()
        store[key] = made
        lock.unlock()
        return made
    }
}
