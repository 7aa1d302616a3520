import BackofficeCore
import Foundation

/// Where the `llm` structurer sends the page text, read from the environment (CLI.md names the
/// variables):
///
///     BACKOFFICE_LLM_PROVIDER=openai     # or anthropic
///     BACKOFFICE_LLM_BASE_URL=https://api.openai.com/v1   # optional: the provider's public endpoint
///     BACKOFFICE_LLM_MODEL=gpt-4o-mini
///     OPENAI_API_KEY=…                   # or ANTHROPIC_API_KEY for anthropic
///     BACKOFFICE_LLM_CONCURRENCY=4       # optional: pages in flight at once
///     BACKOFFICE_LLM_TIMEOUT=120         # optional: seconds one request may take
///     BACKOFFICE_LLM_MONTHLY_TOKENS=2000000   # optional: a venue's tokens per calendar month
///     BACKOFFICE_LLM_PRICES="gpt-4o-mini=0.15/0.60"   # optional: USD per million input/output tokens
///     BACKOFFICE_LLM_VISION=1            # optional: the model reads images; scans go as pictures
///
/// Anything missing is a usage error (64) naming every missing variable. The key never appears in
/// a message or a log.
public struct LLMConfiguration: Sendable, Equatable, CustomStringConvertible {
    public enum Provider: String, Sendable, CaseIterable {
        /// Any OpenAI-compatible chat-completions server.
        case openai
        case anthropic
    }

    /// US dollars per million tokens.
    public struct Price: Sendable, Equatable {
        public var inputPerMillion: Double
        public var outputPerMillion: Double
        public init(inputPerMillion: Double, outputPerMillion: Double) { self.inputPerMillion = inputPerMillion; self.outputPerMillion = outputPerMillion }
    }

    public var provider: Provider
    public var baseURL: URL
    public var model: String
    public var apiKey: String
    /// Pages sent at once.
    public var concurrency: Int = 4
    /// Seconds one HTTP request may take.
    public var timeout: Double = 120
    /// A venue's tokens per calendar month (UTC); nil: no cap.
    public var monthlyTokens: Int?
    /// Prices by model name, for the usage line's estimate.
    public var prices: [String: Price] = [:]
    /// The model takes images: a page without a text layer is sent as a picture.
    public var vision = false

    public init(provider: Provider, baseURL: URL, model: String, apiKey: String) {
        self.provider = provider; self.baseURL = baseURL; self.model = model; self.apiKey = apiKey
    }

    /// Never the key: a configuration may be printed in a log or an error.
    public var description: String { "\(provider.rawValue) \(model) at \(baseURL.absoluteString)" }

    /// Whether the environment names a model at all (then `auto` is the default structurer).
    public static func isConfigured(_ environment: [String: String]) -> Bool {
        ["BACKOFFICE_LLM_PROVIDER", "BACKOFFICE_LLM_MODEL"].contains { !(environment[$0] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
    }

    public static let defaultBaseURLs: [Provider: String] = [
        .openai: "https://api.openai.com/v1",
        .anthropic: "https://api.anthropic.com",
    ]

    /// Reads the settings; throws 64 naming everything that is missing or wrong.
    public init(environment: [String: String]) throws(Failure) {
        func value(_ name: String) -> String? {
            guard let v = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
            return v
        }
        var missing: [String] = []
        let providerText = value("BACKOFFICE_LLM_PROVIDER")
        var provider: Provider?
        if let providerText {
            guard let p = Provider(rawValue: providerText.lowercased()) else {
                throw Failure.usage("BACKOFFICE_LLM_PROVIDER is '\(providerText)'; set it to openai or anthropic.")
            }
            provider = p
        } else {
            missing.append("BACKOFFICE_LLM_PROVIDER (openai or anthropic)")
        }
        let model = value("BACKOFFICE_LLM_MODEL")
        if model == nil { missing.append("BACKOFFICE_LLM_MODEL") }
        let keyName: String
        switch provider {
        case .openai?: keyName = "OPENAI_API_KEY"
        case .anthropic?: keyName = "ANTHROPIC_API_KEY"
        case nil: keyName = "OPENAI_API_KEY or ANTHROPIC_API_KEY"
        }
        let key = provider == nil ? nil : value(keyName)
        if key == nil { missing.append(keyName) }
        var base: URL?
        if let text = value("BACKOFFICE_LLM_BASE_URL") {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
                throw Failure.usage("BACKOFFICE_LLM_BASE_URL '\(text)' is not an http(s) URL.")
            }
            base = url
        }
        guard missing.isEmpty, let provider, let model, let key else {
            throw Failure.usage("--structurer llm needs settings that are missing: \(missing.joined(separator: ", ")); set them in the environment or use --structurer heuristic.")
        }
        self.init(provider: provider, baseURL: base ?? URL(string: Self.defaultBaseURLs[provider]!)!, model: model, apiKey: key)
        func positive(_ name: String) throws(Failure) -> Double? {
            guard let text = value(name) else { return nil }
            guard let n = Double(text), n > 0, n.isFinite else { throw Failure.usage("\(name) is '\(text)'; give a number above 0.") }
            return n
        }
        if let n = try positive("BACKOFFICE_LLM_CONCURRENCY") { concurrency = max(1, min(32, Int(n))) }
        if let n = try positive("BACKOFFICE_LLM_TIMEOUT") { timeout = n }
        if let n = try positive("BACKOFFICE_LLM_MONTHLY_TOKENS") { monthlyTokens = Int(n) }
        if let text = value("BACKOFFICE_LLM_PRICES") { prices = try Self.prices(text) }
        if let text = value("BACKOFFICE_LLM_VISION") { vision = ["1", "true", "yes", "on"].contains(text.lowercased()) }
    }

    /// `"gpt-4o-mini=0.15/0.60, claude-3-5-haiku-latest=0.80/4"`: model=input/output USD per million tokens.
    static func prices(_ text: String) throws(Failure) -> [String: Price] {
        var out: [String: Price] = [:]
        for entry in text.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let amounts = parts.count == 2 ? parts[1].split(separator: "/").compactMap { Double($0) } : []
            guard parts.count == 2, !parts[0].isEmpty, amounts.count == 2, amounts.allSatisfy({ $0 >= 0 }) else {
                throw Failure.usage("BACKOFFICE_LLM_PRICES entry '\(entry)' is not MODEL=INPUT/OUTPUT (US dollars per million tokens, e.g. gpt-4o-mini=0.15/0.60).")
            }
            out[parts[0]] = Price(inputPerMillion: amounts[0], outputPerMillion: amounts[1])
        }
        return out
    }

    /// The endpoint the request goes to.
    public var endpoint: URL {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        switch provider {
        case .openai:
            return URL(string: base + "/chat/completions")!
        case .anthropic:
            return URL(string: base + (base.hasSuffix("/v1") ? "/messages" : "/v1/messages"))!
        }
    }
}
