/// A UTC instant with one-second resolution, stored as seconds since 1970-01-01T00:00:00Z.
///
/// The live database writes `'2026-11-20T18:04:05Z'`; inputs convert at the edges (M-PESA
/// statements are East Africa Time, UTC+3). Parsing and formatting are done by hand on bytes,
/// because reconciliation reads millions of them.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.seconds < b.seconds }

    public func adding(seconds delta: Int64) -> Timestamp { Timestamp(seconds: seconds + delta) }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The civil date of a day count since 1970-01-01.
    public static func civilFromDays(_ z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, utcOffsetSeconds: Int = 0) {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
              (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        // reject 31 February and the like
        let back = Timestamp.civilFromDays(days)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        seconds = days * 86400 + Int64(hour * 3600 + minute * 60 + second) - Int64(utcOffsetSeconds)
    }

    /// Parses the forms the inputs and the database use, all as UTC unless an offset is given:
    /// `2026-11-20T18:04:05Z`, `2026-11-20 18:04:05`, `2026-11-20T18:04:05.123Z`,
    /// `2026-11-20T18:04:05+03:00`, `2026-11-20` (midnight).
    public init?(iso text: some StringProtocol) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        bytes.append(contentsOf: text.utf8)
        self.init(isoBytes: bytes[...])
    }

    public init?(isoBytes b: ArraySlice<UInt8>) {
        let s = b.startIndex
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.endIndex else { return nil }
            var v = 0
            for i in from..<(from + count) {
                let c = b[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard b.count >= 10, let y = num(s, 4), b[s + 4] == 45, let mo = num(s + 5, 2), b[s + 7] == 45, let d = num(s + 8, 2) else { return nil }
        if b.count == 10 {
            self.init(year: y, month: mo, day: d)
            return
        }
        guard b.count >= 19, b[s + 10] == UInt8(ascii: "T") || b[s + 10] == 32,
              let h = num(s + 11, 2), b[s + 13] == 58, let mi = num(s + 14, 2), b[s + 16] == 58, let se = num(s + 17, 2) else { return nil }
        var i = s + 19
        if i < b.endIndex, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.endIndex, b[i] >= 48, b[i] <= 57 { i += 1 }
        }
        var offset = 0
        if i < b.endIndex {
            let c = b[i]
            if c == UInt8(ascii: "Z") && i + 1 == b.endIndex {
                offset = 0
            } else if (c == UInt8(ascii: "+") || c == UInt8(ascii: "-")), b.endIndex - i == 6, let oh = num(i + 1, 2), b[i + 3] == 58, let om = num(i + 4, 2) {
                offset = (oh * 3600 + om * 60) * (c == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
        }
        self.init(year: y, month: mo, day: d, hour: h, minute: mi, second: se, utcOffsetSeconds: offset)
    }

    /// The calendar fields in UTC shifted by `utcOffsetSeconds`.
    public func fields(utcOffsetSeconds: Int = 0) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let t = seconds + Int64(utcOffsetSeconds)
        var days = t / 86400
        var rem = t % 86400
        if rem < 0 { rem += 86400; days -= 1 }
        let c = Timestamp.civilFromDays(days)
        return (c.year, c.month, c.day, Int(rem / 3600), Int(rem % 3600 / 60), Int(rem % 60))
    }

    /// The forms timestamps are written in. Built in one small buffer rather than from interpolated
    /// pieces: recording a run and generating samples write millions of them.
    private enum Layout { case iso, date, spaced(DateOrder) }

    private func text(_ layout: Layout, utcOffsetSeconds: Int = 0) -> String {
        let f = fields(utcOffsetSeconds: utcOffsetSeconds)
        guard (0...9999).contains(f.year) else { return slowText(layout, f) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var at = 0
            func put(_ value: Int, _ width: Int) {
                var v = value
                var k = width - 1
                while k >= 0 { buffer[at + k] = UInt8(48 + v % 10); v /= 10; k -= 1 }
                at += width
            }
            func put(_ byte: UInt8) { buffer[at] = byte; at += 1 }
            if case .spaced(.dayFirst) = layout {
                put(f.day, 2); put(0x2D); put(f.month, 2); put(0x2D); put(f.year, 4)
            } else {
                put(f.year, 4); put(0x2D); put(f.month, 2); put(0x2D); put(f.day, 2)
            }
            if case .date = layout {} else {
                if case .iso = layout { put(0x54) } else { put(0x20) }
                put(f.hour, 2); put(0x3A); put(f.minute, 2); put(0x3A); put(f.second, 2)
                if case .iso = layout { put(0x5A) }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[0..<at]), as: UTF8.self)
        }
    }

    /// Years outside 0...9999 (never in the data; kept readable rather than wrong).
    private func slowText(_ layout: Layout, _ f: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int)) -> String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        let time = "\(pad(f.hour, 2)):\(pad(f.minute, 2)):\(pad(f.second, 2))"
        switch layout {
        case .iso: return "\(pad(f.year, 4))-\(pad(f.month, 2))-\(pad(f.day, 2))T\(time)Z"
        case .date: return "\(pad(f.year, 4))-\(pad(f.month, 2))-\(pad(f.day, 2))"
        case .spaced(.yearFirst): return "\(pad(f.year, 4))-\(pad(f.month, 2))-\(pad(f.day, 2)) \(time)"
        case .spaced(.dayFirst): return "\(pad(f.day, 2))-\(pad(f.month, 2))-\(pad(f.year, 4)) \(time)"
        }
    }

    /// `2026-11-20T18:04:05Z`, the database's form.
    public var iso: String { text(.iso) }

    /// `2026-11-20`, the UTC date.
    public var isoDate: String { text(.date) }

    /// The UTC day this instant falls in, as days since 1970-01-01.
    public var dayNumber: Int64 { seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400 }

    /// `yyyy-MM-dd HH:mm:ss` (or `dd-MM-yyyy HH:mm:ss`) in the given offset, for statements
    /// written in local time.
    public func formatted(utcOffsetSeconds: Int, dateOrder: DateOrder = .yearFirst) -> String {
        text(.spaced(dateOrder), utcOffsetSeconds: utcOffsetSeconds)
    }

    public enum DateOrder: Sendable { case yearFirst, dayFirst }

    public var description: String { iso }

    /// East Africa Time, in which M-PESA statements are written.
    public static let eatOffsetSeconds = 3 * 3600
}
