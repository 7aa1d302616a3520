import ArgumentParser
import BackofficeCore
import Foundation
import LiveDatabase
import Reconcile

struct Findings: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the findings carried from run to run; resolve or reopen them.",
        discussion: "Exit 0 when no listed finding is open, 1 when some are.\n\nExample: backoffice findings --state open --venue v1 --db live.db",
        subcommands: [List.self, Resolve.self, Reopen.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List findings (the default).",
                                                        discussion: "Example: backoffice findings list --kind amount_mismatch --json --db live.db")
        @Option(help: "open, resolved, cleared or all.") var state: String = "open"
        @Option(help: "Only this venue's findings.") var venue: String?
        @Option(help: "Only findings of this kind (e.g. unrecorded_payment).") var kind: String?
        @Flag(help: "Print the findings as JSON on stdout.") var json = false
        @OptionGroup var database: DatabaseOption
        @OptionGroup var global: GlobalOptions

        func run() throws {
            _ = global.logger("findings")
            try runReporting { () throws -> ExitStatus in
                let filter: FindingState?
                if state == "all" { filter = nil } else {
                    guard let s = FindingState(rawValue: state) else {
                        throw Failure.usage("--state \(state) is not a state: give open, resolved, cleared or all.")
                    }
                    filter = s
                }
                let kindFilter = try kind.map { (k: String) throws(Failure) -> ExceptionKind in
                    guard let kind = ExceptionKind(rawValue: k) else {
                        throw Failure.usage("--kind \(k) is not a kind of finding: give one of \(ExceptionKind.allCases.map(\.rawValue).joined(separator: ", ")).")
                    }
                    return kind
                }
                let live = try database.open()
                let now = try runClock().now
                let found = try live.read { db in
                    if let venue, try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM venues WHERE id = ?)", arguments: [venue]) ?? false) {
                        throw Failure.usage("--venue \(venue) is not a venue in \(live.path); check the id.")
                    }
                    return try FindingsBook.list(db, state: filter, venue: venue, kind: kindFilter)
                }.map { f -> StoredFinding in
                    var f = f
                    f.status.ageDays = f.status.ageDays(at: now)
                    return f
                }
                if json {
                    printOut(ResultOutput.findingsJSON(found))
                } else if found.isEmpty {
                    printOut("No \(filter.map { $0.rawValue + " " } ?? "")findings\(venue.map { " for venue \($0)" } ?? "")\(kind.map { " of kind \($0)" } ?? "").")
                } else {
                    for f in found {
                        let age = f.status.ageDays == 1 ? "1 day" : "\(f.status.ageDays) days"
                        printOut("\(f.status.id)  \(f.status.state.rawValue)  \(f.exception.kind.rawValue)  first seen \(f.status.firstSeen), \(age) old")
                        printOut("    \(f.exception.detail)")
                        if let note = f.note { printOut("    note (\(f.by ?? "someone")): \(note)") }
                    }
                }
                return found.contains { $0.status.state == .open } ? .needsAttention : .ok
            }
        }
    }

    /// Who changes a finding: `--by`, else the login name.
    static func person(_ by: String?) -> String {
        if let by, !by.isEmpty { return by }
        let env = ProcessInfo.processInfo.environment
        return env["USER"] ?? env["LOGNAME"] ?? "unknown"
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark findings resolved by a person, with a note.",
                                                        discussion: "Example: backoffice findings resolve F-1a2b3c4d5e6f --note \"refunded by hand\" --by anna --db live.db")
        @Argument(help: "Finding ids (F-…).") var ids: [String]
        @Option(help: "What was done (kept in the finding's history).") var note: String
        @Option(help: "Who resolved them (default: your login name).") var by: String?
        @OptionGroup var database: DatabaseOption
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if ids.isEmpty { throw ValidationError("Name the findings to resolve, e.g. backoffice findings resolve F-3f9a2c01b2d4 --note '…'.") }
            if note.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--note must say what was done.") }
        }

        func run() throws {
            _ = global.logger("findings")
            try runReporting { () throws -> ExitStatus in
                let done = try FindingsBook.change(try database.open(), ids: ids, to: .resolved, note: note, by: Findings.person(by), at: try runClock().now)
                for id in done.changed { printOut("\(id) resolved.") }
                for id in done.unchanged { printOut("\(id) was already resolved; left as it was.") }
                return .ok
            }
        }
    }

    struct Reopen: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open resolved or cleared findings again.",
                                                        discussion: "Example: backoffice findings reopen F-1a2b3c4d5e6f --note \"not refunded after all\" --db live.db")
        @Argument(help: "Finding ids (F-…).") var ids: [String]
        @Option(help: "Why (kept in the finding's history).") var note: String?
        @Option(help: "Who reopened them (default: your login name).") var by: String?
        @OptionGroup var database: DatabaseOption
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if ids.isEmpty { throw ValidationError("Name the findings to reopen, e.g. backoffice findings reopen F-3f9a2c01b2d4.") }
        }

        func run() throws {
            _ = global.logger("findings")
            try runReporting { () throws -> ExitStatus in
                let done = try FindingsBook.change(try database.open(), ids: ids, to: .open, note: note, by: Findings.person(by), at: try runClock().now)
                for id in done.changed { printOut("\(id) open again.") }
                for id in done.unchanged { printOut("\(id) was already open; left as it was.") }
                return .ok
            }
        }
    }
}
