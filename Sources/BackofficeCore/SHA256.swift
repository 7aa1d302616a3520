import Crypto

/// SHA-256 of bytes as lower-case hex, for recording which input files a run read.
///
///     SHA256Digest.hex(Array("abc".utf8))   // "ba7816bf…"
///
/// swift-crypto does the hashing (on Linux through BoringSSL, which uses the CPU's SHA
/// extensions where it has them).
public enum SHA256Digest {
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        let done: Void? = bytes.withContiguousStorageIfAvailable { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        if done == nil { hasher.update(data: Array(bytes)) }
        return hex(of: hasher.finalize())
    }

    public static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        hex(of: SHA256.hash(data: bytes))
    }

    private static func hex(of digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
