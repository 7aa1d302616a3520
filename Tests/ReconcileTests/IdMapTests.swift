import Testing
@testable import Reconcile

/// The flat id map agrees with a Dictionary for UUIDs and for any other text, through growth.
@Suite struct IdMapTests {
    func uuid(_ n: Int) -> String {
        let hex = String(n, radix: 16)
        return "\(String(repeating: "0", count: 8 - min(8, hex.count)))\(hex.suffix(8))-aaaa-4bbb-8ccc-\(String(repeating: "0", count: 12 - String(n).count))\(n)"
    }

    @Test func agreesWithADictionaryThroughGrowth() {
        var map = IdMap<Int>(capacity: 4)   // grows many times
        var reference: [String: Int] = [:]
        let ids = (0..<5000).map { $0 % 7 == 0 ? "OD\($0)" : $0 % 11 == 0 ? uuid($0).uppercased() : uuid($0) } + ["", "a"]
        for (step, id) in (ids + ids.prefix(1000)).enumerated() {
            map.update(id, default: 0) { $0 += step }
            reference[id, default: 0] += step
        }
        #expect(map.count == reference.count)
        for (id, value) in reference { #expect(map[id] == value, "\(id)") }
        #expect(map[uuid(999_999)] == nil && map["OD-none"] == nil)
        #expect(!map.isEmpty && IdMap<Int>().isEmpty)
    }

    @Test func bytesAndTextAreTheSameKey() {
        var map = IdMap<String>(capacity: 10)
        let id = "a921cc91-9925-475b-8c6d-72ab615d2c1d"
        map.update(id, default: "") { $0 = "x" }
        var copy = id
        let viaBytes = copy.withUTF8 { map[UnsafeRawBufferPointer($0)] }
        #expect(viaBytes == "x")
        // an upper-case spelling is another id, as in the database
        #expect(map[id.uppercased()] == nil)
    }
}
