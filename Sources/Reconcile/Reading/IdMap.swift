/// A map from ids (as a column's bytes) to values, for the id columns a snapshot looks up about a
/// million times: order charges by order, payments by order.
///
/// Lower-case UUIDs, which the live service uses for every id, are two 64-bit integers in one flat
/// open-addressing table: a multiply-and-shift hash and, usually, one cache line per look-up. A
/// `Dictionary` keyed by `IdKey` spent most of its time hashing and missing the cache. Any other
/// text goes to a `Dictionary` beside it, so every id is kept exactly.
///
///     var charges = IdMap<Int>(capacity: 800_000)
///     charges.update(rows.bytes(3), default: 0) { $0 += 1 }
///     let n = charges[rows.bytes(0)] ?? 0
struct IdMap<Value> {
    private struct Slot {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var value: Value? = nil
    }
    private var slots: [Slot]
    private var mask: Int
    private var used = 0
    private var others: [String: Value] = [:]

    /// A map for about `capacity` UUID keys without growing (it grows as needed beyond).
    init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }   // at most half full
        slots = Array(repeating: Slot(), count: size)
        mask = size - 1
    }

    var isEmpty: Bool { used == 0 && others.isEmpty }
    var count: Int { used + others.count }

    private static func hash(_ high: UInt64, _ low: UInt64) -> Int {
        var x = (high ^ (low &* 0x9E37_79B9_7F4A_7C15))
        x ^= x >> 31
        x = x &* 0xBF58_476D_1CE4_E5B9
        x ^= x >> 29
        return Int(truncatingIfNeeded: x)
    }

    /// The slot holding (high, low), or the empty slot where it would go.
    private func slot(_ high: UInt64, _ low: UInt64) -> Int {
        var i = Self.hash(high, low) & mask
        while let _ = slots[i].value {
            if slots[i].high == high && slots[i].low == low { return i }
            i = (i + 1) & mask
        }
        return i
    }

    subscript(bytes: UnsafeRawBufferPointer) -> Value? {
        if let (high, low) = IdKey.packedUUID(bytes) {
            return slots[slot(high, low)].value
        }
        return others[String(decoding: bytes, as: UTF8.self)]
    }

    subscript(id: String) -> Value? {
        var id = id
        return id.withUTF8 { self[UnsafeRawBufferPointer($0)] }
    }

    /// Changes the value of `bytes`' id in place, starting from `initial` when it has none.
    mutating func update(_ bytes: UnsafeRawBufferPointer, default initial: @autoclosure () -> Value,
                         _ change: (inout Value) throws -> Void) rethrows {
        guard let (high, low) = IdKey.packedUUID(bytes) else {
            try change(&others[String(decoding: bytes, as: UTF8.self), default: initial()])
            return
        }
        var i = slot(high, low)
        if slots[i].value == nil {
            if (used + 1) * 2 > slots.count {
                grow()
                i = slot(high, low)
            }
            slots[i] = Slot(high: high, low: low, value: initial())
            used += 1
        }
        try change(&slots[i].value!)
    }

    mutating func update(_ id: String, default initial: @autoclosure () -> Value, _ change: (inout Value) throws -> Void) rethrows {
        var id = id
        try id.withUTF8 { utf8 in try update(UnsafeRawBufferPointer(utf8), default: initial(), change) }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        for s in old where s.value != nil {
            slots[slot(s.high, s.low)] = s
        }
    }
}
