import Foundation
import Testing
@testable import Reconcile

/// Clean matches cross from the matcher's thread to the recorder's in order, all of them, then
/// the end; a stream closed early (the matcher stopped) ends the recorder's loop.
@Suite struct MatchStreamTests {
    @Test func batchesArriveInOrderThenTheEnd() {
        let stream = MatchStream()
        let producer = Thread {
            for b in 0..<200 {
                stream.send((0..<(b % 7 + 1)).map { i in (Int32(b), Int32(i), -1, 0, false) })
            }
            stream.close()
        }
        producer.start()
        var seen: [Int32] = []
        var pairs = 0
        while let batch = stream.next() {
            seen.append(batch[0].record)
            pairs += batch.count
            #expect(batch.count == Int(batch[0].record) % 7 + 1)
        }
        #expect(seen == (0..<200).map(Int32.init))
        #expect(pairs == (0..<200).reduce(0) { $0 + $1 % 7 + 1 })
        #expect(stream.next() == nil)   // and stays ended
    }

    @Test func anEmptyClosedStreamEndsAtOnceAndIgnoresLateBatches() {
        let stream = MatchStream()
        stream.close()
        stream.send([(1, 1, -1, 0, false)])
        stream.close()
        #expect(stream.next() == nil)
        #expect(stream.next() == nil)
    }
}
