import BackofficeCore
import Foundation

/// Where the `llm` structurer sends the page text, read from the environment (CLI.md names the
/// variables):
///
///     BACKOFFICE_LLM_PROVIDER=openai     # or anthropic
///     BACKOFFICE_LLM_BASE_URL=https://api.openai.com/v1   # optional: the provider's public endpoint
///     BACKOFFICE_LLM_MODEL=gpt-4o-mini
///     OPENAI_API_KEY=…                   # or ANTHROPIC_API_KEY for anthropic
///
/// Anything missing is a usage error (64) naming every missing variable. The key never appears in
/// a message or a log.
public struct LLMConfiguration: Sendable, Equatable {
    public enum Provider: String, Sendable, CaseIterable {
        /// Any OpenAI-compatible chat-completions server.
        case openai
        case anthropic
    }

    public var provider: Provider
    public var baseURL: URL
    public var model: String
    public var apiKey: String

    public init(provider: Provider, baseURL: URL, model: String, apiKey: String) {
        self.provider = provider; self.baseURL = baseURL; self.model = model; self.apiKey = apiKey
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
