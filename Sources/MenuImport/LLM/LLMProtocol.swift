import BackofficeCore
import Foundation

/// What goes over the wire to a chat model and what comes back, as Codable values: the request of
/// each provider (OpenAI chat completions with a strict JSON schema, or JSON mode; Anthropic
/// messages with a tool whose input schema is the answer's), and the answer, validated.

/// Any JSON value: the schema we send, and a tool's input we get back.
public enum JSONValue: Codable, Sendable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .object(let o): try c.encode(o)
        case .array(let a): try c.encode(a)
        case .string(let s): try c.encode(s)
        case .number(let n): try c.encode(n)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        }
    }
}

/// The model's reading of one page, as the schema fixes it.
public struct PageAnswer: Codable, Sendable, Equatable {
    public struct Item: Codable, Sendable, Equatable {
        public var category: String
        public var name: String
        public var description: String?
        /// The lowest price as printed (`"9.50"`), or nil when none is printed.
        public var price: String?
        public var sizes: [Size]
        public var dietaryTags: [String]

        enum CodingKeys: String, CodingKey {
            case category, name, description, price, sizes
            case dietaryTags = "dietary_tags"
        }

        public init(category: String, name: String, description: String? = nil, price: String?, sizes: [Size] = [], dietaryTags: [String] = []) {
            self.category = category; self.name = name; self.description = description
            self.price = price; self.sizes = sizes; self.dietaryTags = dietaryTags
        }

        /// Strict about shapes (a name that is not a string, sizes that are not a list break the
        /// schema); lenient about what JSON-mode servers leave out (sizes, tags, a description) and
        /// about a price written as a number.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: .name, in: c, debugDescription: "the name is empty")
            }
            category = try c.decodeIfPresent(String.self, forKey: .category) ?? ""
            description = try c.decodeIfPresent(String.self, forKey: .description)
            if let text = try? c.decodeIfPresent(String.self, forKey: .price) {
                price = text
            } else if let number = try? c.decodeIfPresent(Double.self, forKey: .price) {
                price = number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
            } else if c.contains(.price), try !c.decodeNil(forKey: .price) {
                throw DecodingError.typeMismatch(String.self, .init(codingPath: c.codingPath + [CodingKeys.price], debugDescription: "the price must be a string or null"))
            } else {
                price = nil
            }
            sizes = try c.decodeIfPresent([Size].self, forKey: .sizes) ?? []
            dietaryTags = try c.decodeIfPresent([String].self, forKey: .dietaryTags) ?? []
        }
    }

    public struct Size: Codable, Sendable, Equatable {
        public var label: String
        public var price: String
        public init(label: String, price: String) { self.label = label; self.price = price }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            label = try c.decode(String.self, forKey: .label)
            if let text = try? c.decode(String.self, forKey: .price) { price = text }
            else { let n = try c.decode(Double.self, forKey: .price); price = n == n.rounded() ? String(Int64(n)) : String(n) }
        }
        enum CodingKeys: String, CodingKey { case label, price }
    }

    public var currency: String?
    public var items: [Item]
    public var questions: [String]

    public init(currency: String?, items: [Item], questions: [String] = []) {
        self.currency = currency; self.items = items; self.questions = questions
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        currency = try c.decodeIfPresent(String.self, forKey: .currency)
        items = try c.decode([Item].self, forKey: .items)
        questions = try c.decodeIfPresent([String].self, forKey: .questions) ?? []
    }

    enum CodingKeys: String, CodingKey { case currency, items, questions }

    /// The answer's JSON schema, strict (every property required, nothing else allowed; null where
    /// a value may be missing), as OpenAI's structured outputs and Anthropic's tool input take it.
    public static let schema: JSONValue = {
        func obj(_ properties: [String: JSONValue]) -> JSONValue {
            .object(["type": .string("object"), "additionalProperties": .bool(false),
                     "required": .array(properties.keys.sorted().map(JSONValue.string)), "properties": .object(properties)])
        }
        let string: JSONValue = .object(["type": .string("string")])
        let nullableString: JSONValue = .object(["type": .array([.string("string"), .string("null")])])
        let tags = JSONValue.object(["type": .string("array"), "items": .object([
            "type": .string("string"), "enum": .array(DietaryTag.allCases.map { .string($0.rawValue) })])])
        let size = obj(["label": string, "price": string])
        let item = obj([
            "category": string, "name": string, "description": nullableString, "price": nullableString,
            "sizes": .object(["type": .string("array"), "items": size]), "dietary_tags": tags,
        ])
        return obj([
            "currency": nullableString,
            "items": .object(["type": .string("array"), "items": item]),
            "questions": .object(["type": .string("array"), "items": string]),
        ])
    }()

    /// Decodes and validates an answer's JSON; the error says where it breaks the schema.
    static func decode(_ data: Data) -> Result<PageAnswer, AnswerProblem> {
        do {
            return .success(try JSONDecoder().decode(PageAnswer.self, from: data))
        } catch let error as DecodingError {
            return .failure(AnswerProblem(Self.describe(error)))
        } catch {
            return .failure(AnswerProblem("the answer is not JSON"))
        }
    }

    /// `items[2].name: expected a string` — a path and what is wrong, for the model to fix.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var out = ""
            for key in keys {
                if let i = key.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
            }
            return out.isEmpty ? "the answer" : out
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is missing"
        case .typeMismatch(let type, let context): return "\(path(context.codingPath)): expected \(type == String.self ? "a string" : "\(type)")"
        case .valueNotFound(_, let context): return "\(path(context.codingPath)) is null"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the answer is not JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "the answer does not match the schema"
        }
    }
}

/// Why an answer could not be used; sent back to the model once, then shown to the owner.
struct AnswerProblem: Error, Equatable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Tokens one call used, as the provider counted them.
public struct TokenUsage: Sendable, Equatable, Codable {
    public var input: Int
    public var output: Int
    public init(input: Int = 0, output: Int = 0) { self.input = input; self.output = output }
    public var total: Int { input + output }
    public static func + (a: TokenUsage, b: TokenUsage) -> TokenUsage { TokenUsage(input: a.input + b.input, output: a.output + b.output) }
}

// MARK: - OpenAI chat completions

struct OpenAIChatRequest: Encodable {
    struct Message: Encodable {
        var role: String
        var content: Content
    }
    enum Content: Encodable {
        case text(String)
        case parts([Part])
        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .text(let t): try c.encode(t)
            case .parts(let p): try c.encode(p)
            }
        }
    }
    struct Part: Encodable {
        struct ImageURL: Encodable { var url: String }
        var type: String
        var text: String?
        var imageURL: ImageURL?
        enum CodingKeys: String, CodingKey { case type, text; case imageURL = "image_url" }
    }
    struct ResponseFormat: Encodable {
        struct Schema: Encodable { var name: String; var strict: Bool; var schema: JSONValue }
        var type: String
        var jsonSchema: Schema?
        enum CodingKeys: String, CodingKey { case type; case jsonSchema = "json_schema" }
    }
    var model: String
    var temperature: Double
    var messages: [Message]
    var responseFormat: ResponseFormat
    enum CodingKeys: String, CodingKey { case model, temperature, messages; case responseFormat = "response_format" }
}

struct OpenAIChatResponse: Decodable {
    struct Choice: Decodable {
        struct Message: Decodable { var content: String?; var refusal: String? }
        var message: Message
        var finishReason: String?
        enum CodingKeys: String, CodingKey { case message; case finishReason = "finish_reason" }
    }
    struct Usage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?
        enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens"; case completionTokens = "completion_tokens" }
    }
    var choices: [Choice]
    var usage: Usage?
}

// MARK: - Anthropic messages

struct AnthropicRequest: Encodable {
    struct Message: Encodable { var role: String; var content: [Block] }
    struct Block: Encodable {
        struct Source: Encodable {
            var type = "base64"
            var mediaType: String
            var data: String
            enum CodingKeys: String, CodingKey { case type; case mediaType = "media_type"; case data }
        }
        var type: String
        var text: String?
        var source: Source?
    }
    struct Tool: Encodable {
        var name: String
        var description: String
        var inputSchema: JSONValue
        enum CodingKeys: String, CodingKey { case name, description; case inputSchema = "input_schema" }
    }
    struct ToolChoice: Encodable { var type = "tool"; var name: String }
    var model: String
    var maxTokens: Int
    var temperature: Double
    var system: String
    var messages: [Message]
    var tools: [Tool]
    var toolChoice: ToolChoice
    enum CodingKeys: String, CodingKey {
        case model, temperature, system, messages, tools
        case maxTokens = "max_tokens"
        case toolChoice = "tool_choice"
    }
}

struct AnthropicResponse: Decodable {
    struct Block: Decodable {
        var type: String
        var text: String?
        var name: String?
        var input: JSONValue?
    }
    struct Usage: Decodable {
        var inputTokens: Int?
        var outputTokens: Int?
        enum CodingKeys: String, CodingKey { case inputTokens = "input_tokens"; case outputTokens = "output_tokens" }
    }
    var content: [Block]
    var usage: Usage?
    var stopReason: String?
    enum CodingKeys: String, CodingKey { case content, usage; case stopReason = "stop_reason" }
}
