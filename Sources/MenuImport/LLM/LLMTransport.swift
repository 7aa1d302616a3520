import BackofficeCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange with the LLM endpoint.
public struct LLMHTTPRequest: Sendable, Equatable {
    public var url: URL
    public var headers: [String: String]
    public var body: Data
    public init(url: URL, headers: [String: String], body: Data) { self.url = url; self.headers = headers; self.body = body }
}

public struct LLMHTTPResponse: Sendable, Equatable {
    public var status: Int
    public var body: Data
    public init(status: Int, body: Data) { self.status = status; self.body = body }
}

/// The seam between the structurer and the network: a real HTTP client (`URLSessionTransport`) or
/// whatever a test needs. Throws when no HTTP answer came at all (connection refused, timeout).
public protocol LLMTransport: Sendable {
    func send(_ request: LLMHTTPRequest) throws -> LLMHTTPResponse
}

/// POSTs with URLSession (libcurl on Linux), waiting for the answer.
public struct URLSessionTransport: LLMTransport {
    public var timeout: TimeInterval

    public init(timeout: TimeInterval = 120) { self.timeout = timeout }

    public func send(_ request: LLMHTTPRequest) throws -> LLMHTTPResponse {
        var urlRequest = URLRequest(url: request.url, timeoutInterval: timeout)
        urlRequest.httpMethod = "POST"
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        // The answer is delivered on a private serial queue: a caller blocking a thread of the
        // global pool (Swift concurrency on a 2-core machine) cannot starve its delivery.
        let delivery = OperationQueue()
        delivery.maxConcurrentOperationCount = 1
        delivery.underlyingQueue = DispatchQueue(label: "backoffice.llm-transport")
        let session = URLSession(configuration: configuration, delegate: nil, delegateQueue: delivery)
        defer { session.finishTasksAndInvalidate() }
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: urlRequest) { data, response, error in
            if let error {
                box.set(.failure(TransportError(message: error.localizedDescription)))
            } else if let http = response as? HTTPURLResponse {
                box.set(.success(LLMHTTPResponse(status: http.statusCode, body: data ?? Data())))
            } else {
                box.set(.failure(TransportError(message: "no HTTP response")))
            }
            done.signal()
        }
        task.resume()
        done.wait()
        return try box.get()
    }

    struct TransportError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    private final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<LLMHTTPResponse, any Error> = .failure(TransportError(message: "no answer"))
        func set(_ r: Result<LLMHTTPResponse, any Error>) { lock.lock(); result = r; lock.unlock() }
        func get() throws -> LLMHTTPResponse { lock.lock(); defer { lock.unlock() }; return try result.get() }
    }
}

/// Sends a request with retries: a connection failure, 408, 429 or a 5xx is tried again (up to
/// `attempts` times in all, waiting `backoff(attempt)` seconds between); then 69.
public struct RetryingLLMClient: Sendable {
    public var transport: any LLMTransport
    public var attempts: Int
    /// Seconds to wait before attempt `n + 1` (n from 1).
    public var backoff: @Sendable (Int) -> Double
    public var sleep: @Sendable (Double) -> Void

    public init(transport: any LLMTransport, attempts: Int = 3,
                backoff: @escaping @Sendable (Int) -> Double = { n in Double(1 << (n - 1)) },
                sleep: @escaping @Sendable (Double) -> Void = { s in if s > 0 { Thread.sleep(forTimeInterval: s) } }) {
        self.transport = transport
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.sleep = sleep
    }

    /// The body of a 2xx answer. Other answers: 69 with the status (and what to check).
    public func send(_ request: LLMHTTPRequest) throws(Failure) -> Data {
        var last = ""
        for attempt in 1...attempts {
            if attempt > 1 { sleep(backoff(attempt - 1)) }
            let response: LLMHTTPResponse
            do {
                response = try transport.send(request)
            } catch {
                last = "no answer (\(error))"
                continue
            }
            switch response.status {
            case 200..<300:
                return response.body
            case 408, 429, 500...599:
                last = "HTTP \(response.status)"
                continue
            case 401, 403:
                throw Failure.unavailable("The LLM endpoint \(request.url.host ?? "") refused the API key (HTTP \(response.status)); check OPENAI_API_KEY or ANTHROPIC_API_KEY.")
            default:
                throw Failure.unavailable("The LLM endpoint \(request.url.absoluteString) answered HTTP \(response.status): \(Self.snippet(response.body)). Check BACKOFFICE_LLM_BASE_URL and BACKOFFICE_LLM_MODEL.")
            }
        }
        throw Failure.unavailable("The LLM endpoint \(request.url.absoluteString) is unavailable after \(attempts) attempts (last: \(last)); nothing was imported. Retry later or use --structurer heuristic.")
    }

    static func snippet(_ data: Data) -> String {
        let text = String(decoding: data.prefix(200), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        return text.isEmpty ? "(empty body)" : text
    }
}
