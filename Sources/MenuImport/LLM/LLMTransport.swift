import BackofficeCore
import Foundation
import CCurl

/// One HTTP exchange with the LLM endpoint.
public struct LLMHTTPRequest: Sendable, Equatable {
    public var url: URL
    public var headers: [String: String]
    public var body: Data
    public init(url: URL, headers: [String: String], body: Data) { self.url = url; self.headers = headers; self.body = body }
}

public struct LLMHTTPResponse: Sendable, Equatable {
    public var status: Int
    /// Header names in lower case; the last value of a repeated header.
    public var headers: [String: String]
    public var body: Data
    public init(status: Int, headers: [String: String] = [:], body: Data) { self.status = status; self.headers = headers; self.body = body }
}

/// The seam between the structurer and the network: a real HTTP client (`CurlTransport`) or
/// whatever a test needs. Throws when no HTTP answer came at all (connection refused, timeout).
public protocol LLMTransport: Sendable {
    func send(_ request: LLMHTTPRequest) throws -> LLMHTTPResponse
}

/// POSTs with libcurl, waiting for the answer.
///
/// libcurl is opened with `dlopen` on the first request (see Sources/CCurl): `menu extract` runs
/// once per menu, and linking libcurl (directly or through FoundationNetworking) made every run
/// load and resolve some thirty more shared libraries before doing anything. Redirects are
/// followed and proxies are taken from the environment, as URLSession did.
public struct CurlTransport: LLMTransport {
    public var timeout: TimeInterval

    public init(timeout: TimeInterval = 120) { self.timeout = timeout }

    public func send(_ request: LLMHTTPRequest) throws -> LLMHTTPResponse {
        guard let api = Self.api else {
            throw TransportError(message: "libcurl (libcurl.so.4) cannot be loaded; install the libcurl4 package")
        }
        var curl = api
        guard let handle = curl.easy_init() else { throw TransportError(message: "libcurl cannot start a request") }
        defer { curl.easy_cleanup(handle) }

        var headers: UnsafeMutablePointer<curl_slist>? = nil
        defer { if let headers { curl.slist_free_all(headers) } }
        // sorted, so the request is the same from run to run; `Expect:` keeps curl from waiting for a 100
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) {
            headers = curl.slist_append(headers, "\(name): \(value)")
        }
        if !request.headers.keys.contains(where: { $0.lowercased() == "expect" }) {
            headers = curl.slist_append(headers, "Expect:")
        }
        let sink = Sink()
        let body = request.body
        var status = 0
        let code: CURLcode = body.withUnsafeBytes { raw in
            withExtendedLifetime(sink) {
                let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
                var ok = backoffice_curl_set_string(&curl, handle, CURLOPT_URL, request.url.absoluteString) == CURLE_OK
                ok = ok && backoffice_curl_set_long(&curl, handle, CURLOPT_NOSIGNAL, 1) == CURLE_OK
                ok = ok && backoffice_curl_set_long(&curl, handle, CURLOPT_POST, 1) == CURLE_OK
                ok = ok && backoffice_curl_set_size(&curl, handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(raw.count)) == CURLE_OK
                // an empty body still needs a pointer, or curl reads the body from stdin
                let empty: StaticString = ""
                let bodyPointer = raw.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }
                    ?? UnsafeMutableRawPointer(mutating: UnsafeRawPointer(empty.utf8Start))
                ok = ok && backoffice_curl_set_pointer(&curl, handle, CURLOPT_POSTFIELDS, bodyPointer) == CURLE_OK
                ok = ok && backoffice_curl_set_headers(&curl, handle, headers) == CURLE_OK
                ok = ok && backoffice_curl_set_long(&curl, handle, CURLOPT_FOLLOWLOCATION, 1) == CURLE_OK
                ok = ok && backoffice_curl_set_long(&curl, handle, CURLOPT_TIMEOUT_MS, max(1, Int(timeout * 1000))) == CURLE_OK
                ok = ok && backoffice_curl_set_writer(&curl, handle, { data, size, count, context in
                    guard let context else { return 0 }
                    let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
                    let n = size * count
                    if let data, n > 0 { sink.bytes.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: n) }
                    return n
                }) == CURLE_OK
                ok = ok && backoffice_curl_set_pointer(&curl, handle, CURLOPT_WRITEDATA, sinkPointer) == CURLE_OK
                ok = ok && backoffice_curl_set_header_writer(&curl, handle, { data, size, count, context in
                    guard let context else { return 0 }
                    let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
                    let n = size * count
                    if let data, n > 0 { sink.header(UnsafeRawBufferPointer(start: data, count: n)) }
                    return n
                }) == CURLE_OK
                ok = ok && backoffice_curl_set_pointer(&curl, handle, CURLOPT_HEADERDATA, sinkPointer) == CURLE_OK
                guard ok else { return CURLE_FAILED_INIT }
                let result = curl.easy_perform(handle)
                if result == CURLE_OK {
                    var answer = 0
                    if backoffice_curl_status(&curl, handle, &answer) == CURLE_OK { status = answer }
                }
                return result
            }
        }
        guard code == CURLE_OK else {
            let reason = curl.easy_strerror(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
            throw TransportError(message: reason)
        }
        guard status > 0 else { throw TransportError(message: "no HTTP response") }
        return LLMHTTPResponse(status: status, headers: sink.headers, body: sink.bytes)
    }

    /// libcurl's functions, loaded once; nil when the library is not installed.
    /// (Function pointers only, never changed after loading: safe to share between threads.)
    nonisolated(unsafe) private static let api: backoffice_curl_api? = {
        var api = backoffice_curl_api()
        return backoffice_curl_load(&api) == 0 ? api : nil
    }()

    struct TransportError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    private final class Sink {
        var bytes = Data()
        var headers: [String: String] = [:]

        /// One header line (`Name: value\r\n`); a status line starts a new set (after a redirect or a 100).
        func header(_ line: UnsafeRawBufferPointer) {
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.hasPrefix("HTTP/") { headers = [:]; return }
            guard let colon = text.firstIndex(of: ":") else { return }
            let name = text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            headers[name] = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }
}

/// Sends a request with retries: a connection failure or timeout, 408, 429 or a 5xx is tried
/// again (up to `attempts` times in all), waiting what the answer's `Retry-After` asks (at most
/// `maxWait` seconds), else an exponential backoff with jitter; then 69.
///
///     let client = RetryingLLMClient(transport: CurlTransport(timeout: 60), attempts: 4)
///     let response = try client.send(request)   // 2xx, or a 4xx the caller reads (400: bad request)
///
/// Messages never hold the request's credentials: header values that carry a key are blanked out
/// of anything quoted from an answer.
public struct RetryingLLMClient: Sendable {
    public var transport: any LLMTransport
    public var attempts: Int
    /// Seconds to wait before attempt `n + 1` (n from 1), before jitter.
    public var backoff: @Sendable (Int) -> Double
    public var sleep: @Sendable (Double) -> Void
    /// 0..<1, for the jitter: the wait is `backoff(n) * (0.5 + random() / 2)`.
    public var random: @Sendable () -> Double
    /// The longest wait, whatever `Retry-After` asks.
    public var maxWait: Double

    public init(transport: any LLMTransport, attempts: Int = 4,
                backoff: @escaping @Sendable (Int) -> Double = { n in min(30, Double(1 << (n - 1))) },
                sleep: @escaping @Sendable (Double) -> Void = { s in if s > 0 { Thread.sleep(forTimeInterval: s) } },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                maxWait: Double = 60) {
        self.transport = transport
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.sleep = sleep
        self.random = random
        self.maxWait = maxWait
    }

    /// What one logical call cost: the answer, how many HTTP attempts it took and what they waited.
    public struct Exchange: Sendable {
        public var response: LLMHTTPResponse
        public var attempts: Int
        public var waits: [Double]
    }

    /// A 2xx answer, or a 4xx other than 401/403/408/429 (the caller decides: a server without
    /// structured outputs answers 400). 401/403 and running out of attempts are 69.
    public func send(_ request: LLMHTTPRequest) throws(Failure) -> Exchange {
        var last = ""
        var waits: [Double] = []
        var wait: Double?
        for attempt in 1...attempts {
            if attempt > 1 {
                let seconds = min(maxWait, wait ?? backoff(attempt - 1) * (0.5 + random() / 2))
                waits.append(seconds)
                sleep(seconds)
            }
            wait = nil
            let response: LLMHTTPResponse
            do {
                response = try transport.send(request)
            } catch {
                last = "no answer (\(Self.redact("\(error)", request)))"
                continue
            }
            switch response.status {
            case 200..<300:
                return Exchange(response: response, attempts: attempt, waits: waits)
            case 408, 429, 500...599:
                last = "HTTP \(response.status)"
                wait = response.headers["retry-after"].flatMap(Self.retryAfter)
                continue
            case 401, 403:
                throw Failure.unavailable("The LLM endpoint \(request.url.host ?? "") refused the API key (HTTP \(response.status)); check OPENAI_API_KEY or ANTHROPIC_API_KEY.")
            default:
                return Exchange(response: response, attempts: attempt, waits: waits)
            }
        }
        throw Failure.unavailable("The LLM endpoint \(request.url.absoluteString) is unavailable after \(attempts) attempts (last: \(last)); nothing was imported. Retry later, or use --structurer heuristic (or --fallback heuristic).")
    }

    /// `Retry-After` as seconds (`"2"`, `"1.5"`) or an HTTP date.
    static func retryAfter(_ value: String) -> Double? {
        if let seconds = Double(value.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds.isFinite { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }

    /// A quote of an answer for a message: its first 200 bytes on one line, credentials blanked.
    static func snippet(_ data: Data, _ request: LLMHTTPRequest) -> String {
        let text = String(decoding: data.prefix(200), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        return text.isEmpty ? "(empty body)" : redact(text, request)
    }

    /// `text` with every credential the request carries (and its bare key) replaced by `[key]`.
    static func redact(_ text: String, _ request: LLMHTTPRequest) -> String {
        var out = text
        for (name, value) in request.headers where ["authorization", "x-api-key", "api-key"].contains(name.lowercased()) {
            let key = value.hasPrefix("Bearer ") ? String(value.dropFirst(7)) : value
            guard key.count >= 4 else { continue }
            out = out.replacingOccurrences(of: key, with: "[key]")
        }
        return out
    }
}
