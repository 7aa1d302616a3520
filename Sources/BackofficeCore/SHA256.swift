import CSHA256

/// SHA-256 of bytes, for recording which input files a run read (FIPS 180-4).
///
/// Whole 64-byte blocks are compressed straight from the caller's memory (no copy, no allocation
/// per block); only a partial block at the end of an `update` is kept for the next one. On a CPU
/// with the x86 SHA extensions the blocks go to them (CSHA256, about 1.5 GB a second); elsewhere
/// plain Swift rounds hash about 200 MB a second.
///
///     var digest = SHA256Digest()
///     digest.update(bytes)
///     let hex = digest.finalizeHex()   // or SHA256Digest.hex(bytes)
public struct SHA256Digest: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
    /// A partial block (fewer than 64 bytes) waiting for more input.
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    public init() {}

    public mutating func update(_ data: some Collection<UInt8>) {
        let done: Void? = data.withContiguousStorageIfAvailable { buffer in
            update(bytes: UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            let copy = Array(data)
            copy.withUnsafeBytes { update(bytes: $0) }
        }
    }

    /// Hashes `bytes` in place.
    public mutating func update(bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        length &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, bytes.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: take))
            offset = take
            guard pending.count == 64 else { return }
            pending.withUnsafeBytes { compress($0.baseAddress!, blocks: 1) }
            pending.removeAll(keepingCapacity: true)
        }
        let blocks = (bytes.count - offset) / 64
        if blocks > 0 {
            compress(base + offset, blocks: blocks)
            offset += blocks * 64
        }
        if offset < bytes.count {
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base + offset, count: bytes.count - offset))
        }
    }

    /// Whether the SHA extensions are there (asked of the CPU once).
    static let hardwareAvailable = backoffice_sha256_hw_available() != 0
    /// Whether this digest uses them (tests turn it off to compare the two paths).
    var usesHardware = SHA256Digest.hardwareAvailable

    private mutating func compress(_ data: UnsafeRawPointer, blocks: Int) {
        if usesHardware {
            withUnsafeMutableBytes(of: &state) { words in
                backoffice_sha256_hw_compress(words.baseAddress!.assumingMemoryBound(to: UInt32.self),
                                              data.assumingMemoryBound(to: UInt8.self), blocks)
            }
        } else {
            compressInSwift(data, blocks: blocks)
        }
    }

    /// The rounds in Swift.
    private mutating func compressInSwift(_ data: UnsafeRawPointer, blocks: Int) {
        var (h0, h1, h2, h3, h4, h5, h6, h7) = state
        // the round constants, from CSHA256 (one table serves both paths)
        let k = backoffice_sha256_k()!
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { wb in
            let w = wb.baseAddress!
            var p = data
            for _ in 0..<blocks {
                for i in 0..<16 {
                    w[i] = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))
                }
                for i in 16..<64 {
                    let x = w[i &- 15], y = w[i &- 2]
                    let s0 = x.rotr(7) ^ x.rotr(18) ^ (x >> 3)
                    let s1 = y.rotr(17) ^ y.rotr(19) ^ (y >> 10)
                    w[i] = w[i &- 16] &+ s0 &+ w[i &- 7] &+ s1
                }
                var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
                // eight rounds per pass, the variables rotating by name instead of by moves
                var i = 0
                while i < 64 {
                    round(a, b, c, &d, e, f, g, &h, k[i] &+ w[i])
                    round(h, a, b, &c, d, e, f, &g, k[i &+ 1] &+ w[i &+ 1])
                    round(g, h, a, &b, c, d, e, &f, k[i &+ 2] &+ w[i &+ 2])
                    round(f, g, h, &a, b, c, d, &e, k[i &+ 3] &+ w[i &+ 3])
                    round(e, f, g, &h, a, b, c, &d, k[i &+ 4] &+ w[i &+ 4])
                    round(d, e, f, &g, h, a, b, &c, k[i &+ 5] &+ w[i &+ 5])
                    round(c, d, e, &f, g, h, a, &b, k[i &+ 6] &+ w[i &+ 6])
                    round(b, c, d, &e, f, g, h, &a, k[i &+ 7] &+ w[i &+ 7])
                    i &+= 8
                }
                h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d; h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
                p += 64
            }
        }
        state = (h0, h1, h2, h3, h4, h5, h6, h7)
    }

    /// The digest as 64 lower-case hex characters.
    public mutating func finalizeHex() -> String {
        let bitLength = length &* 8
        var tail: [UInt8] = [0x80]
        while (pending.count + tail.count) % 64 != 56 { tail.append(0) }
        for i in (0..<8).reversed() { tail.append(UInt8((bitLength >> (UInt64(i) * 8)) & 0xff)) }
        let saved = length
        tail.withUnsafeBytes { update(bytes: $0) }
        length = saved
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        let (h0, h1, h2, h3, h4, h5, h6, h7) = state
        for word in [h0, h1, h2, h3, h4, h5, h6, h7] {
            for shift in stride(from: 28, through: 0, by: -4) { out.append(digits[Int((word >> UInt32(shift)) & 0xf)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// SHA-256 of `data`, hex.
    public static func hex(_ data: some Collection<UInt8>) -> String {
        var d = SHA256Digest()
        d.update(data)
        return d.finalizeHex()
    }
}

/// One SHA-256 round: `d += t1`, `h = t1 + t2` (the caller rotates the names).
@inline(__always)
private func round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                   _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32) {
    let s1 = e.rotr(6) ^ e.rotr(11) ^ e.rotr(25)
    let ch = g ^ (e & (f ^ g))
    let t1 = h &+ s1 &+ ch &+ kw
    let s0 = a.rotr(2) ^ a.rotr(13) ^ a.rotr(22)
    let maj = (a & b) ^ (c & (a ^ b))
    d &+= t1
    h = t1 &+ s0 &+ maj
}

extension UInt32 {
    @inline(__always) fileprivate func rotr(_ n: UInt32) -> UInt32 { (self >> n) | (self << (32 &- n)) }
}
