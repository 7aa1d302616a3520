import Foundation
import Testing
import TestSupport
@testable import BackofficeCore

struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256Digest.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // two blocks after padding
        #expect(SHA256Digest.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// Lengths around the block and padding boundaries (55, 56, 63, 64, 65 bytes) hashed whole and
    /// in uneven pieces give the same digest.
    @Test(arguments: [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000])
    func piecesMatchWhole(length: Int) {
        let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = SHA256Digest.hex(data)
        var d = SHA256Digest()
        var i = 0
        var step = 1
        while i < data.count {
            let j = min(data.count, i + step)
            d.update(data[i..<j])
            i = j
            step = step % 70 + 13
        }
        #expect(d.finalizeHex() == whole)
    }

    /// The SHA-extension path and the Swift rounds agree, block counts one to many, when this CPU
    /// has the extensions (the Swift rounds alone are checked by the vectors above otherwise).
    @Test(arguments: [0, 64, 100, 640, 4096 + 17, 100_000])
    func hardwareMatchesSwift(length: Int) {
        var state: UInt32 = 99
        let data: [UInt8] = (0..<length).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
        var software = SHA256Digest()
        software.usesHardware = false
        software.update(data)
        var hardware = SHA256Digest()
        hardware.usesHardware = SHA256Digest.hardwareAvailable
        hardware.update(data)
        #expect(hardware.finalizeHex() == software.finalizeHex())
    }

    /// A non-contiguous collection takes the copying path and still agrees.
    @Test func nonContiguousInput() {
        let data = (0..<300).map { UInt8(truncatingIfNeeded: $0) }
        #expect(SHA256Digest.hex(data.lazy.map { $0 }) == SHA256Digest.hex(data))
    }

    /// 1 MB of varied bytes against the system's `sha256sum`.
    @Test func oneMegabyteMatchesSha256sum() throws {
        let tool = "/usr/bin/sha256sum"
        guard FileManager.default.isExecutableFile(atPath: tool) else { return }
        var state: UInt32 = 12345
        let data: [UInt8] = (0..<(1 << 20)).map { _ in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
        let scratch = try TemporaryFolder("sha")
        let url = scratch.file("random.bin")
        try Data(data).write(to: url)
        let output = try runProcess(URL(fileURLWithPath: tool), [url.path]).stdout
        let expected = output.split(separator: " ").first.map(String.init)
        #expect(SHA256Digest.hex(data) == expected)
    }
}
