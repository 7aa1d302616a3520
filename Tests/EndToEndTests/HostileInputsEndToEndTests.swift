import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue #18, the hostile-input suite: generated mutations of every input kind (truncation, byte
/// flips, NULs, other encodings, huge lines, duplicated columns, odd line ends) and odd entries in
/// an inbox. Every case ends in 0, 1, 65 or 66, with one sentence naming the file when it is
/// not 0 or 1, within a time bound, and the live tables byte-identical.
@Suite struct HostileInputsEndToEndTests {
    static let liveTables = ["venues", "orders", "payments", "credit_transactions", "invoices", "customers", "menu_items"]

    let scratch: TemporaryFolder
    var dir: String { scratch.path }
    var db: String { dir + "/live.db" }

    init() throws {
        scratch = try TemporaryFolder("hostile-inputs")
        let made = try BuiltCommand.run(["samples", "--out", scratch.path, "--days", "2", "--orders-per-day", "10", "--quiet"])
        try #require(made.status == 0, "\(made.stderr)")
    }

    func liveDump() throws -> String {
        try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [db, ".dump " + Self.liveTables.joined(separator: " ")]).stdout
    }

    /// A deterministic generator, so a failing case can be named and replayed.
    struct Seeded {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
    }

    /// Named mutations of one file's bytes.
    static func mutations(of bytes: [UInt8], seed: UInt64) -> [(String, [UInt8])] {
        var rng = Seeded(state: seed)
        var out: [(String, [UInt8])] = []
        for k in 0..<3 {
            let cut = rng.next(bytes.count)
            out.append(("truncated\(k)@\(cut)", Array(bytes[0..<cut])))
        }
        for k in 0..<4 {
            var flipped = bytes
            for _ in 0...(k * 3) {
                let i = rng.next(flipped.count)
                flipped[i] ^= UInt8(1 << rng.next(8))
            }
            out.append(("flipped\(k)", flipped))
        }
        var nul = bytes
        nul.insert(0, at: rng.next(nul.count))
        out.append(("nul", nul))
        let text = String(decoding: bytes, as: UTF8.self)
        out.append(("utf16le", [0xFF, 0xFE] + Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
        out.append(("latin1-bytes", bytes.map { $0 == UInt8(ascii: "a") ? 0xE9 : $0 }))
        out.append(("cr-only", bytes.filter { $0 != 0x0A }.map { $0 }))
        let firstLine = bytes.firstIndex(of: 0x0A) ?? bytes.count
        out.append(("huge-line", Array(bytes[0..<firstLine]) + [0x0A] + [UInt8](repeating: UInt8(ascii: "9"), count: 3 << 20) + [0x0A]))
        out.append(("header-only", Array(bytes[0..<min(firstLine + 1, bytes.count)])))
        // the header's first column once more at the end, and each row's first value likewise
        // but changed: a duplicated column with different values
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let dup = lines.enumerated().map { i, line -> String in
            guard !line.isEmpty, let first = line.split(separator: ",").first else { return String(line) }
            return line + "," + (i == 0 ? first : first + "X")
        }.joined(separator: "\n")
        out.append(("duplicate-column", Array(dup.utf8)))
        out.append(("empty", []))
        return out
    }

    @Test func everyMutationOfEveryKindEndsWithAnAnswerAndTheLiveTablesUntouched() throws {
        let before = try liveDump()
        let sources = ["exports/stripe/unified_payments.csv", "exports/stripe/balance_change_from_activity.itemized.csv",
                       "exports/mpesa/" + (try FileManager.default.contentsOfDirectory(atPath: dir + "/exports/mpesa").sorted().first { $0.hasPrefix("statement_") } ?? ""),
                       "exports/mpesa/stk_callbacks.log"]
        var cases = 0
        for (n, source) in sources.enumerated() {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/" + source)))
            try #require(!bytes.isEmpty, "\(source)")
            for (name, mutated) in Self.mutations(of: bytes, seed: UInt64(n + 1)) {
                let file = dir + "/case-\(n)-\(name).csv"
                try Data(mutated).write(to: URL(fileURLWithPath: file))
                let started = Date()
                let r = try HostileInboxEndToEndTests.bounded(["reconcile", file, "--db", db, "--quiet"], environment: ProcessInfo.processInfo.environment, limit: 30)
                let seconds = Date().timeIntervalSince(started)
                let label = "\(source) \(name): exit \(r.status), \(r.stderr.prefix(300))"
                #expect([0, 1, 65, 66].contains(r.status), "\(label)")
                #expect(seconds < 20, "\(label) took \(seconds) s")
                if r.status == 65 || r.status == 66 {
                    let lines = r.stderr.split(separator: "\n")
                    #expect(lines.count == 1, "one sentence: \(label)")
                    #expect(r.stderr.contains("case-\(n)-\(name).csv"), "the file is named: \(label)")
                }
                if name == "duplicate-column" && n < 2 {
                    // a column named twice whose copies differ is never silently read
                    #expect(r.status == 65 && r.stderr.contains("names this column twice"), "\(label)")
                }
                try? FileManager.default.removeItem(atPath: file)
                cases += 1
            }
        }
        #expect(cases >= 50)
        #expect(try liveDump() == before, "a live table changed")
    }

    @Test func oddEntriesInAnInboxAreRefusedAndTheLiveTablesUntouched() throws {
        let before = try liveDump()
        let plant: [(String, (String) throws -> Void)] = [
            ("fifo", { path in _ = mkfifo(path, 0o644) }),
            ("link-to-db", { path in try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: self.db) }),
            ("link-to-zero", { path in try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/zero") }),
            ("dangling-link", { path in try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: self.dir + "/nowhere") }),
            ("socket", { path in
                let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
                var address = sockaddr_un()
                address.sun_family = sa_family_t(AF_UNIX)
                withUnsafeMutableBytes(of: &address.sun_path) { raw in
                    for (i, b) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = b }
                }
                _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
                close(fd)
            }),
            ("name-\u{1B}[31mred\u{07}", { path in try Data("not an export\n".utf8).write(to: URL(fileURLWithPath: path)) }),
        ]
        for (name, make) in plant {
            let inbox = dir + "/in-\(name.count)"
            try? FileManager.default.removeItem(atPath: inbox)
            try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: dir + "/exports/stripe/unified_payments.csv", toPath: inbox + "/unified_payments.csv")
            try make(inbox + "/" + name)
            let started = Date()
            let r = try HostileInboxEndToEndTests.bounded(["nightly", "--inbox", inbox, "--db", db, "--out", dir + "/reports", "--quiet"], environment: ProcessInfo.processInfo.environment, limit: 30)
            #expect(Date().timeIntervalSince(started) < 20, "\(name)")
            #expect(r.status == 65, "\(name): \(r.status) \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(name): \(r.stderr)")
            #expect(!r.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(name): raw control character")
            #expect(FileManager.default.fileExists(atPath: inbox + "/unified_payments.csv"), "\(name): a file was moved")
        }
        #expect(try liveDump() == before)
    }

    /// A menu "PDF" that is a FIFO or a device is refused at once, not read for ever.
    @Test func aMenuPDFThatIsAFIFOOrADeviceIsRefused() throws {
        let fifo = dir + "/menu.pdf"
        #expect(mkfifo(fifo, 0o644) == 0)
        for path in [fifo, "/dev/zero"] {
            let started = Date()
            let r = try HostileInboxEndToEndTests.bounded(["menu", "extract", path], environment: ProcessInfo.processInfo.environment, limit: 20)
            #expect(Date().timeIntervalSince(started) < 15, "\(path)")
            #expect(r.status == 65 && r.stderr.contains("not a regular file"), "\(path): \(r.status) \(r.stderr)")
        }
    }
}
