import BackofficeCore
import Foundation
import Testing
@testable import Output

struct CSVWriterTests {
    @Test func quotesAndLineEnds() {
        var csv = CSVWriter(header: ["a", "b"], byteOrderMark: false)
        csv.writeRow([.text("x,y"), .text("say \"hi\"")])
        csv.writeRow([.text("two\nlines"), .empty])
        let text = String(decoding: csv.drain(), as: UTF8.self)
        #expect(text == "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",\r\n")
    }

    /// With `;` between fields (comma-decimal locales) amounts take a decimal comma; text is as it was.
    @Test func semicolonFilesWriteDecimalCommas() {
        var csv = CSVWriter(header: ["what", "amount"], byteOrderMark: false, delimiter: UInt8(ascii: ";"))
        csv.writeRow([.text("Tea; hot"), .money(-2050, exponent: 2)])
        csv.writeRow([.text("1.5 l"), .money(1_234_500, exponent: 2)])
        #expect(String(decoding: csv.drain(), as: UTF8.self) == "what;amount\r\n\"Tea; hot\";-20,50\r\n1.5 l;12345,00\r\n")
    }

    @Test func byteOrderMarkByDefault() {
        var csv = CSVWriter(header: ["a"])
        #expect(Array(csv.drain().prefix(3)) == [0xEF, 0xBB, 0xBF])
    }

    @Test func textCellsAreDefused() {
        for bad in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "\r\nx", "=HYPERLINK(\"http://x\",\"y\")"] {
            let encoded = CSVWriter.encode(.text(bad))
            let unquoted = encoded.hasPrefix("\"") ? String(encoded.dropFirst()) : encoded
            #expect(unquoted.hasPrefix("'"), "\(bad.debugDescription) → \(encoded.debugDescription)")
        }
        #expect(CSVWriter.encode(.text("Corner Bistro")) == "Corner Bistro")
        #expect(CSVWriter.encode(.text("")) == "")
    }

    @Test func numberCellsStayNumbers() {
        #expect(CSVWriter.encode(.money(-2050, exponent: 2)) == "-20.50")
        #expect(CSVWriter.encode(.money(5, exponent: 2)) == "0.05")
        #expect(CSVWriter.encode(.money(1500, exponent: 0)) == "1500")
        #expect(CSVWriter.encode(.integer(-3)) == "-3")
        // the same text from outside is defused
        #expect(CSVWriter.encode(.text("-20.50")) == "'-20.50")
    }

    @Test func readsBackWithTheCoreReader() throws {
        var csv = CSVWriter(header: ["name", "amount"])
        csv.writeRow([.text("a \"b\", c"), .money(123456, exponent: 2)])
        var reader = CSVReader(bytes: csv.drain(), file: "t.csv")
        let header = try reader.readHeader()
        #expect(header?.strings == ["name", "amount"])
        let row = try reader.next()
        #expect(row?.strings == ["a \"b\", c", "1234.56"])
    }
}

struct HTMLTests {
    @Test func escapesTheFiveCharacters() {
        #expect(HTML.escape("<a href=\"x\">Tom's & co</a>") == "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; co&lt;/a&gt;")
        #expect(HTML.escape("Café ☕") == "Café ☕")
    }

    @Test func templatesEscapeDoubleBraces() throws {
        struct Context { var name: String }
        let html = try HTML.render(template: "<p title=\"{{name}}\">{{name}}</p>", Context(name: "\"><script>x</script>"))
        #expect(!html.contains("<script>"))
        #expect(html == "<p title=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\">&quot;&gt;&lt;script&gt;x&lt;/script&gt;</p>")
    }
}

struct PhoneMaskTests {
    @Test func masksTheMiddle() {
        #expect(PhoneMask.mask("254712345678") == "2547****5678")
        #expect(PhoneMask.mask("+254712345678") == "+2547****5678")
        #expect(PhoneMask.mask("0712345678") == "071****678")
        #expect(PhoneMask.mask("712345678") == "712****78")
        #expect(PhoneMask.mask("12345") == "12345")
    }

    @Test func masksNumbersInText() {
        #expect(PhoneMask.maskText("Pay Bill from 254712345678 - JANE DOE") == "Pay Bill from 2547****5678 - JANE DOE")
        #expect(PhoneMask.maskText("call +254712345678.") == "call +2547****5678.")
        #expect(PhoneMask.maskText("tel 0712345678, thanks") == "tel 071****678, thanks")
    }

    @Test func leavesIdsAmountsAndMaskedNumbersAlone() {
        let untouched = [
            "order 4e5f6a7b-2222-4222-8222-000000000003",   // UUID segment
            "receipt TKL2ABC3DE", "pi_3123456789012", "1234567890.00 KES", "254712***678 - JANE",
            "on 2026-11-02T09:02:00Z", "order 17",
        ]
        for text in untouched { #expect(PhoneMask.maskText(text) == text) }
    }
}
