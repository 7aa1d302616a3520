import Foundation
import Synchronization

/// Work that is independent from one page (or item) to the next, spread over the cores.
///
///     let chunks = PageWork.map(document.pages.count) { builder.chunks(page: document.pages[$0], fonts: fonts) }
///
/// The results come back in index order, so the structurer's output does not depend on how many
/// threads ran or in which order they finished. Bodies must be safe to run at the same time: the
/// structurer's steps are pure, and its memos (`TextMemo`, the pattern cache) take a lock.
enum PageWork {
    /// Threads to use: one per core, at most 4; set `BACKOFFICE_THREADS=1` to run on one thread.
    static let threads: Int = {
        if let raw = ProcessInfo.processInfo.environment["BACKOFFICE_THREADS"], let n = Int(raw), n >= 1 { return min(n, 8) }
        return max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))
    }()

    /// `body(i)` for `i` in `0..<count`, in index order. Indices are handed out one at a time, so
    /// a long page does not hold up the short ones behind it.
    static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        map(count, workers: threads, state: { _ in () }) { _, i in body(i) }
    }

    /// `map` for work that needs something of its own on each thread (a PDF document: poppler's
    /// are not thread-safe): worker `k` makes `state(k)` once, then passes it to `body` for every
    /// index it takes. At most `workers` threads, never more than `count`.
    static func map<State, T>(_ count: Int, workers: Int, state: (Int) -> State, _ body: (inout State, Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let workers = min(workers, count)
        if workers <= 1 {
            var own = state(0)
            return (0..<count).map { body(&own, $0) }
        }
        var slots = [T?](repeating: nil, count: count)
        let next = Counter()
        slots.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let buffer = buffer
            withoutActuallyEscaping(state) { state in
                withoutActuallyEscaping(body) { body in
                    nonisolated(unsafe) let state = state, body = body
                    DispatchQueue.concurrentPerform(iterations: workers) { k in
                        var own = state(k)
                        while true {
                            let i = next.take()
                            guard i < count else { return }
                            buffer[i] = body(&own, i)
                        }
                    }
                }
            }
        }
        return slots.map { $0! }
    }

    /// The next index to hand out: one atomic add, no lock, however small the work per index.
    private final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func take() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
    }
}
