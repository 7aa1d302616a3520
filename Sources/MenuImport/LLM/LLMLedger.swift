import BackofficeCore
import Foundation
import GRDB
import LiveDatabase
import Synchronization

/// One call to the model (or one page answered from the cache), as metered.
public struct LLMCallRecord: Sendable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        /// A usable answer.
        case ok
        /// An answer that broke the schema (it was asked again, or the page fell back).
        case invalid
        /// Answered from the cache: no call, no tokens.
        case cached
        /// A request the server refused (a 4xx other than the key).
        case rejected
        /// No answer after every retry.
        case unavailable
    }
    public var page: Int
    public var provider: String
    public var model: String
    public var usage: TokenUsage
    public var milliseconds: Int
    public var attempts: Int
    public var outcome: Outcome

    public init(page: Int, provider: String, model: String, usage: TokenUsage, milliseconds: Int, attempts: Int, outcome: Outcome) {
        self.page = page; self.provider = provider; self.model = model; self.usage = usage
        self.milliseconds = milliseconds; self.attempts = attempts; self.outcome = outcome
    }
}

/// Where the LLM structurer keeps answers, meters calls and checks the venue's budget. `menu
/// import` uses the database (`DatabaseLLMLedger`); `menu extract` and the tests keep it in memory.
public protocol LLMLedger: Sendable {
    func cachedAnswer(key: String) -> Data?
    func storeAnswer(key: String, pageHash: String, provider: String, model: String, promptVersion: String, answer: Data)
    func record(_ call: LLMCallRecord)
    /// Tokens counted against the budget so far this month (nil: no budget applies).
    func tokensUsedThisMonth() -> Int?
    /// The calls recorded through this ledger in this run.
    var calls: [LLMCallRecord] { get }
}

/// Answers and records kept in memory, for one run.
public final class MemoryLLMLedger: LLMLedger {
    private let state = Mutex<(answers: [String: Data], calls: [LLMCallRecord])>(([:], []))
    public let monthlyTokens: Int?
    public init(monthlyTokens: Int? = nil) { self.monthlyTokens = monthlyTokens }
    public func cachedAnswer(key: String) -> Data? { state.withLock { $0.answers[key] } }
    public func storeAnswer(key: String, pageHash: String, provider: String, model: String, promptVersion: String, answer: Data) {
        state.withLock { $0.answers[key] = answer }
    }
    public func record(_ call: LLMCallRecord) { state.withLock { $0.calls.append(call) } }
    public func tokensUsedThisMonth() -> Int? { monthlyTokens == nil ? nil : calls.reduce(0) { $0 + $1.usage.total } }
    public var calls: [LLMCallRecord] { state.withLock { $0.calls } }
}

/// The cache (`batch_llm_answers`) and the meter (`batch_llm_calls`) in the database, for one
/// venue and one import run. Calls are recorded as they happen (a call that is paid for is
/// recorded even when the import then fails); `attach(importId:)` ties them to the staged import.
public final class DatabaseLLMLedger: LLMLedger {
    public let database: LiveDatabase
    public let venueId: String
    /// Ties the calls of one run together until the import has an id.
    public let runId: String
    public let monthlyTokens: Int?
    private let queue: DatabaseQueue
    private let recorded = Mutex<[LLMCallRecord]>([])
    private let now: @Sendable () -> Timestamp

    public init(database: LiveDatabase, venueId: String, monthlyTokens: Int?, runId: String = UUID().uuidString.lowercased(),
                now: (@Sendable () -> Timestamp)? = nil) throws(Failure) {
        self.database = database; self.venueId = venueId; self.monthlyTokens = monthlyTokens; self.runId = runId; self.now = now ?? { Clock.now() }
        queue = try database.writer()
        try database.migrate(queue)
    }

    public func cachedAnswer(key: String) -> Data? {
        try? queue.read { db in
            try String.fetchOne(db, sql: "SELECT answer FROM batch_llm_answers WHERE cache_key = ?", arguments: [key]).map { Data($0.utf8) }
        }
    }

    public func storeAnswer(key: String, pageHash: String, provider: String, model: String, promptVersion: String, answer: Data) {
        try? queue.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO batch_llm_answers (cache_key, page_hash, provider, model, prompt_version, answer, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [key, pageHash, provider, model, promptVersion, String(decoding: answer, as: UTF8.self), now().iso])
        }
    }

    public func record(_ call: LLMCallRecord) {
        recorded.withLock { $0.append(call) }
        try? queue.write { db in
            try db.execute(sql: """
                INSERT INTO batch_llm_calls (venue_id, run_id, import_id, page, provider, model, input_tokens, output_tokens,
                                             duration_ms, attempts, outcome, created_at)
                VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [venueId, runId, call.page, call.provider, call.model, call.usage.input, call.usage.output,
                                 call.milliseconds, call.attempts, call.outcome.rawValue, now().iso])
        }
    }

    public func tokensUsedThisMonth() -> Int? {
        guard monthlyTokens != nil else { return nil }
        let month = String(now().iso.prefix(7))   // YYYY-MM, UTC
        return (try? queue.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COALESCE(SUM(input_tokens + output_tokens), 0) FROM batch_llm_calls
                WHERE venue_id = ? AND substr(created_at, 1, 7) = ?
                """, arguments: [venueId, month])
        } ?? 0) ?? 0
    }

    public var calls: [LLMCallRecord] { recorded.withLock { $0 } }

    /// Ties this run's calls to the import they produced.
    public func attach(importId: String) throws(Failure) {
        do {
            try queue.write { db in
                try db.execute(sql: "UPDATE batch_llm_calls SET import_id = ? WHERE run_id = ?", arguments: [importId, runId])
            }
        } catch {
            throw database.mapError(error)
        }
    }
}

/// What the calls of a run cost, priced from `BACKOFFICE_LLM_PRICES`.
public struct LLMUsageSummary: Sendable, Equatable {
    public var calls: Int
    public var cached: Int
    public var usage: TokenUsage
    /// US dollars, when the model has a price.
    public var estimatedCost: Double?

    public init(records: [LLMCallRecord], prices: [String: LLMConfiguration.Price]) {
        calls = records.filter { $0.outcome != .cached }.count
        cached = records.filter { $0.outcome == .cached }.count
        usage = records.reduce(TokenUsage()) { $0 + $1.usage }
        var cost: Double? = 0
        for r in records where r.usage.total > 0 {
            guard let price = prices[r.model] else { cost = nil; break }
            cost! += Double(r.usage.input) * price.inputPerMillion / 1_000_000 + Double(r.usage.output) * price.outputPerMillion / 1_000_000
        }
        estimatedCost = cost
    }

    /// `LLM: 3 calls (1 page from the cache), 1,234 input + 321 output tokens, about $0.0012.`
    public func sentence(model: String) -> String {
        var out = "LLM usage: \(calls) call\(calls == 1 ? "" : "s")"
        if cached > 0 { out += " (\(cached) page\(cached == 1 ? "" : "s") from the cache)" }
        out += ", \(usage.input) input + \(usage.output) output tokens"
        if let estimatedCost {
            out += String(format: ", about $%.4f", estimatedCost)
        } else {
            out += "; no price for \(model) in BACKOFFICE_LLM_PRICES, so no cost estimate"
        }
        return out + "."
    }
}
