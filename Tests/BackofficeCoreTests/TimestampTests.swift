import Testing
@testable import BackofficeCore

struct TimestampTests {
    @Test func isoForms() {
        let t = Timestamp(year: 2026, month: 11, day: 20, hour: 18, minute: 4, second: 5)!
        #expect(Timestamp(iso: "2026-11-20T18:04:05Z") == t)
        #expect(Timestamp(iso: "2026-11-20 18:04:05") == t)
        #expect(Timestamp(iso: "2026-11-20T18:04:05.123Z") == t)
        #expect(Timestamp(iso: "2026-11-20T21:04:05+03:00") == t)
        #expect(Timestamp(iso: "2026-11-20T15:04:05-03:00") == t)
        #expect(Timestamp(iso: "2026-11-20")?.iso == "2026-11-20T00:00:00Z")
        #expect(t.iso == "2026-11-20T18:04:05Z")
        #expect(t.isoDate == "2026-11-20")
    }

    @Test func rejectsBadText() {
        #expect(Timestamp(iso: "2026-02-31") == nil)
        #expect(Timestamp(iso: "2026-13-01 00:00:00") == nil)
        #expect(Timestamp(iso: "2026-11-20 25:00:00") == nil)
        #expect(Timestamp(iso: "2026-11-20X18:04:05") == nil)
        #expect(Timestamp(iso: "2026-11-20T18:04:05 junk") == nil)
        #expect(Timestamp(iso: "20-11-2026 18:04:05") == nil)
        #expect(Timestamp(iso: "") == nil)
    }

    @Test func leapYears() {
        #expect(Timestamp(iso: "2024-02-29") != nil)
        #expect(Timestamp(iso: "2026-02-29") == nil)
        #expect(Timestamp(iso: "2000-02-29") != nil)
        #expect(Timestamp(iso: "1900-02-29") == nil)
    }

    @Test func eastAfricaTime() {
        // 08-11-2026 00:30:00 EAT is 7 November 21:30 UTC
        let t = Timestamp(year: 2026, month: 11, day: 8, hour: 0, minute: 30, second: 0, utcOffsetSeconds: Timestamp.eatOffsetSeconds)!
        #expect(t.iso == "2026-11-07T21:30:00Z")
        #expect(t.formatted(utcOffsetSeconds: Timestamp.eatOffsetSeconds) == "2026-11-08 00:30:00")
        #expect(t.formatted(utcOffsetSeconds: Timestamp.eatOffsetSeconds, dateOrder: .dayFirst) == "08-11-2026 00:30:00")
    }

    @Test func civilDaysRoundTrip() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let c = Timestamp.civilFromDays(days)
            #expect(Timestamp.daysFromCivil(year: c.year, month: c.month, day: c.day) == days)
        }
        #expect(Timestamp.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
    }

    @Test func dayNumberBeforeTheEpoch() {
        #expect(Timestamp(seconds: -1).dayNumber == -1)
        #expect(Timestamp(seconds: 0).dayNumber == 0)
        #expect(Timestamp(seconds: 86_399).dayNumber == 0)
        #expect(Timestamp(seconds: -86_400).dayNumber == -1)
    }

    @Test func ordering() {
        #expect(Timestamp(seconds: 1) < Timestamp(seconds: 2))
        #expect(Timestamp(seconds: 5).adding(seconds: 10) == Timestamp(seconds: 15))
    }
}
