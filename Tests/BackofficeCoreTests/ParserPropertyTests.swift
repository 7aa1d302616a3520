import BackofficeCore
import PropertyBased
import Testing

/// Issue #18: the amount, date and CSV parsers on generated input. Whatever the bytes, a parser
/// answers with a value or its error (never a crash, never a silent zero), and what the tool
/// writes it reads back unchanged.
struct ParserPropertyTests {
    /// Bytes that look like amounts more often than random bytes would.
    static let amountish = chars("0123456789012345678901234567890123456789+-.,e ").string(of: 0...24)

    /// Characters drawn from `alphabet` (repeat a character to make it likelier).
    static func chars(_ alphabet: String) -> Generator<Character, Shrink.None<Character?>> {
        Gen<Character?>.element(of: Array(alphabet)).map { $0! }
    }

    @Test func amountsRoundTripThroughTheirText() async {
        await propertyCheck(count: 400, input: Gen.int64(in: (-Int64.max / 100)...(Int64.max / 100)), Gen.int(in: 0...3)) { minor, exponent in
            let text = MoneyText.format(minor, exponent: exponent)
            #expect((try? MoneyText.minorUnits(text, exponent: exponent)) == minor, "\(text)")
        }
    }

    @Test func anyTextIsAnAmountOrAnErrorNeverACrash() async {
        await propertyCheck(count: 600, input: Self.amountish, Gen.int(in: 0...3)) { text, exponent in
            do {
                let minor = try MoneyText.minorUnits(text, exponent: exponent)
                // what it read is what the text says: formatting it and reading again agrees
                #expect((try? MoneyText.minorUnits(MoneyText.format(minor, exponent: exponent), exponent: exponent)) == minor, "\(text)")
            } catch {
                // an error with a case is the answer; nothing else to check
            }
        }
    }

    @Test func instantsRoundTripThroughISO() async {
        await propertyCheck(count: 400, input: Gen.int64(in: 0...4_102_444_800)) { seconds in
            let t = Timestamp(seconds: seconds)
            #expect(Timestamp(iso: t.iso) == t, "\(t.iso)")
        }
    }

    @Test func anyTextIsAnInstantOrNil() async {
        let datish = Self.chars("01234567890123456789012345678901234567890123456789-- ::TZ+.x").string(of: 0...26)
        await propertyCheck(count: 600, input: datish) { text in
            if let t = Timestamp(iso: text) {
                #expect(t.seconds > -62_167_219_200 && t.seconds < 253_402_300_800, "\(text)")
            }
        }
    }

    @Test func csvFieldsRoundTripThroughQuoting() async {
        let field = Self.chars("abcXYZ019 ,;\"\n\r'=-").string(of: 0...12)
        await propertyCheck(count: 300, input: field.array(of: 2...6).array(of: 1...5)) { rows in
            let width = rows[0].count
            let table = rows.map { row in (0..<width).map { $0 < row.count ? row[$0] : "" } }
            let quote = { (s: String) in "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            let text = "h" + (1..<width).map { ",h\($0)" }.joined() + "\n" + table.map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
            var reader = CSVReader(bytes: Array(text.utf8), file: "gen.csv", delimiter: UInt8(ascii: ","))
            do {
                _ = try reader.readHeader()
                var read: [[String]] = []
                while let record = try reader.next() { read.append(record.strings) }
                #expect(read == table, "\(text)")
            } catch {
                Issue.record("quoted CSV refused: \(error) in \(text)")
            }
        }
    }

    @Test func anyBytesAreRowsOrA65WithALine() async {
        await propertyCheck(count: 400, input: Self.chars("ab1,;\"\n\r\t \u{FEFF}\u{00}").string(of: 0...200)) { text in
            var reader = CSVReader(bytes: Array(text.utf8), file: "junk.csv")
            do throws(Failure) {
                _ = try reader.readHeader()
                while try reader.next() != nil {}
            } catch {
                #expect(error.status == .dataError, "\(error.message)")
                #expect(error.message.contains("junk.csv"), "\(error.message)")
            }
        }
    }
}
