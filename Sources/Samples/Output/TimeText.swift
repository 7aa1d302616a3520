import BackofficeCore

/// Timestamp text in the forms the samples write, built in one small buffer (the generator
/// writes several million of them; `Timestamp.iso` builds each from interpolated pieces).
enum TimeText {
    enum Form { case iso, spaced, dayFirst }

    static func format(_ t: Timestamp, _ form: Form, utcOffsetSeconds: Int = 0) -> String {
        let f = t.fields(utcOffsetSeconds: utcOffsetSeconds)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var i = 0
            func put(_ v: Int, _ width: Int) {
                var v = v
                var k = width - 1
                while k >= 0 { buffer[i + k] = UInt8(48 + v % 10); v /= 10; k -= 1 }
                i += width
            }
            func sep(_ c: UInt8) { buffer[i] = c; i += 1 }
            if form == .dayFirst {
                put(f.day, 2); sep(45); put(f.month, 2); sep(45); put(f.year, 4)
            } else {
                put(f.year, 4); sep(45); put(f.month, 2); sep(45); put(f.day, 2)
            }
            sep(form == .iso ? 84 : 32)
            put(f.hour, 2); sep(58); put(f.minute, 2); sep(58); put(f.second, 2)
            if form == .iso { sep(90) }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[0..<i]), as: UTF8.self)
        }
    }
}

extension Timestamp {
    /// `2026-11-20T18:04:05Z`, as `iso`, faster.
    var isoText: String { TimeText.format(self, .iso) }
}
