import Output
import Testing

/// Issue #18: one masking rule for every common written form of a phone number.
struct PhoneFormsTests {
    @Test(arguments: [
        ("0712 345 678", "071****678"),
        ("+254 712 345 678", "+2547****5678"),
        ("254 712 345 678", "2547****5678"),
        ("0712-345-678", "071****678"),
        ("+254-712-345-678", "+2547****5678"),
        ("Pay Bill from 0712 345 678 - JANE DOE", "Pay Bill from 071****678 - JANE DOE"),
        ("TEL0712345678", "TEL071****678"),
        ("JANE0712345678", "JANE071****678"),
        ("0712345678JANE", "071****678JANE"),
        ("call +254 712 345 678.", "call +2547****5678."),
        ("Tel: 0712 345 678, or 0733-111-222", "Tel: 071****678, or 073****222"),
        ("0712 345 678 10:30", "071****678 10:30"),
        ("on 2026-11-02 0712345678", "on 2026-11-02 071****678"),
        ("+1 415 555 2671", "+141*****671"),
    ])
    func masksEveryForm(_ written: String, _ masked: String) {
        #expect(PhoneMask.maskText(written) == masked)
    }

    @Test func leavesDatesTimesAmountsAndIdsAlone() {
        let untouched = [
            "2026-11-02 10:00:00", "2026-11-02T09:02:00Z", "02 11 2026", "1 700.50", "1,234,567.00",
            "ch_3PabC123456789012", "order 4e5f6a7b-2222-4222-8222-000000000003", "pi_3123456789012",
            "1234567890.00 KES", "TKL2ABC3DE", "17 orders, 240 matched",
        ]
        for text in untouched { #expect(PhoneMask.maskText(text) == text, "\(text)") }
    }
}
