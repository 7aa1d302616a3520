import Foundation
import Synchronization

/// Answers about a piece of text, worked out once. The structurer's memos are static, so they
/// last as long as the process: one menu for `menu extract` and `menu import`; a process that
/// structures many menus (the tests, the demo) keeps the answers for every text it has seen,
/// which are few and short.
///
/// Both cores ask the same memos many times a millisecond, each time for a moment (one dictionary
/// look-up), so the lock spins rather than sleeps: a mutex that puts the second thread to sleep
/// and wakes it again costs more than the work the memo saves.
final class TextMemo<Value>: @unchecked Sendable {
    private var store: [String: Value]
    private let lock = SpinLock()

    /// Room for `capacity` texts from the start (a menu's worth by default): growing rehashes every
    /// entry while the lock is held, and the other core waits that long.
    init(capacity: Int = 1024) { store = Dictionary(minimumCapacity: capacity) }

    /// The texts answered so far.
    var keys: [String] {
        lock.lock()
        defer { lock.unlock() }
        return Array(store.keys)
    }

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

/// A lock for critical sections of a few hundred instructions, taken from several threads:
/// a waiting thread spins, and yields its core only when the holder seems to have lost its own.
final class SpinLock: @unchecked Sendable {
    private let held = Atomic<Bool>(false)

    func lock() {
        var tries = 0
        while !held.compareExchange(expected: false, desired: true, successOrdering: .acquiring, failureOrdering: .relaxed).exchanged {
            // wait for it to look free before trying again, so that waiting does not write to its cache line
            while held.load(ordering: .relaxed) {
                tries += 1
                if tries >= 1_000 { sched_yield(); tries = 0 }
            }
        }
    }

    func unlock() {
        held.store(false, ordering: .releasing)
    }
}
