import Foundation

/// Answers about a piece of text, worked out once and kept for the life of the structuring run.
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
