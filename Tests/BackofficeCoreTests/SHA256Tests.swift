import Testing
@testable import BackofficeCore

/// The hex form of swift-crypto's digest, as recorded for every input a run reads.
struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256Digest.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Digest.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// A non-contiguous sequence and a raw buffer hash as the array does.
    @Test func everyFormAgrees() {
        let data = (0..<300).map { UInt8(truncatingIfNeeded: $0) }
        #expect(SHA256Digest.hex(data.lazy.map { $0 }) == SHA256Digest.hex(data))
        #expect(data.withUnsafeBytes { SHA256Digest.hex($0) } == SHA256Digest.hex(data))
    }
}
