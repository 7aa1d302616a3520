import Foundation

/// A clean match: the provider record (the head of its group), the payment row, the balance
/// report row that gave the payout (-1: none) and the fee (`feeKnown` false: none known).
public typealias MatchPair = (record: Int32, payment: Int32, balance: Int32, fee: Int64, feeKnown: Bool)

/// Clean matches handed from the matcher, as it finds them, to whoever records them on another
/// thread: batches in order, then the end.
///
///     // matcher's thread              // recorder's thread
///     stream.send(batch)               while let batch = stream.next() { write(batch) }
///     stream.close()
public final class MatchStream: @unchecked Sendable {
    /// Matches per batch: about a hundred batches for a million orders.
    static let batchSize = 4096

    // `batches` and `closed` are guarded by `lock`; `available` is signalled once per batch sent
    // and once for the close, so each wait in `next()` is answered by exactly one of them.
    private let lock = NSLock()
    private let available = DispatchSemaphore(value: 0)
    private var batches: [[MatchPair]] = []
    private var head = 0
    private var closed = false

    public init() {}

    /// Adds a batch (ignored after `close`).
    public func send(_ batch: [MatchPair]) {
        lock.lock()
        if closed { lock.unlock(); return }
        batches.append(batch)
        lock.unlock()
        available.signal()
    }

    /// No more batches. Closing twice is harmless.
    public func close() {
        lock.lock()
        let wasOpen = !closed
        closed = true
        lock.unlock()
        if wasOpen { available.signal() }
    }

    /// The next batch, waiting for it; nil once the stream is closed and every batch was taken.
    public func next() -> [MatchPair]? {
        available.wait()
        lock.lock()
        defer { lock.unlock() }
        if head < batches.count {
            let batch = batches[head]
            batches[head] = []
            head += 1
            return batch
        }
        // the close: answer any later call the same way
        available.signal()
        return nil
    }
}
