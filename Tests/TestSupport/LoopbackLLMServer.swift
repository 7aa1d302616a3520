import Foundation

public enum LoopbackServerError: Error { case didNotStart }

/// A real HTTP server on 127.0.0.1 (Python's threading http.server on a free port) playing scripted
/// answers; it logs every request it gets. The LLM structurer's tests and the end-to-end
/// `menu import --structurer llm` test talk to it as to a provider.
///
///     let server = try LoopbackLLMServer(reply: LoopbackLLMServer.openAIReply("{…}"), failFirst: 2)
///     let scripted = try LoopbackLLMServer(rules: [
///         .init(match: "Page 2", steps: [.init(status: 429, headers: ["Retry-After": "1"]), .init(body: good)]),
///         .init(steps: [.init(body: other)]),
///     ])
///     // BACKOFFICE_LLM_BASE_URL = server.baseURL
///
/// A request takes the first rule whose `match` occurs in its body (a rule without one takes any);
/// each rule plays its steps in order and repeats its last step.
public final class LoopbackLLMServer: @unchecked Sendable {
    public struct Step: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: Data
        /// Seconds to wait before answering (a provider that hangs).
        public var delay: Double
        public init(status: Int = 200, headers: [String: String] = [:], body: Data = Data(), delay: Double = 0) {
            self.status = status; self.headers = headers; self.body = body; self.delay = delay
        }
    }

    public struct Rule: Sendable {
        public var match: String?
        public var steps: [Step]
        public init(match: String? = nil, steps: [Step]) { self.match = match; self.steps = steps }
    }

    private let process = Process()
    private let scratch: TemporaryFolder
    public let port: Int
    private var logURL: URL { scratch.file("requests.jsonl") }

    /// `failFirst`: how many requests get 503 before the canned reply (a huge number: always down).
    public convenience init(reply: Data, failFirst: Int = 0) throws {
        var steps: [Step] = []
        if failFirst > 0 { steps.append(Step(status: 503, body: Data("busy".utf8))) }
        steps.append(Step(body: reply))
        try self.init(rules: [Rule(steps: steps)], repeatFirst: failFirst)
    }

    /// `repeatFirst`: how many times the first step of every rule is played before the next.
    public init(rules: [Rule], repeatFirst: Int = 1) throws {
        scratch = try TemporaryFolder("llm")
        let script = try JSONSerialization.data(withJSONObject: rules.map { rule -> [String: Any] in
            ["match": rule.match ?? NSNull(),
             "steps": rule.steps.map { ["status": $0.status, "headers": $0.headers, "body": String(decoding: $0.body, as: UTF8.self), "delay": $0.delay] }]
        })
        try script.write(to: scratch.file("script.json"))
        let python = """
        import http.server, json, sys, threading, time
        rules, log, repeat_first = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3])
        lock = threading.Lock()
        counts = [0] * len(rules)
        in_flight = [0]
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
                text = body.decode()
                with lock:
                    in_flight[0] += 1
                    index = next((i for i, r in enumerate(rules) if r['match'] is None or r['match'] in text), None)
                    step = None
                    if index is not None:
                        n = counts[index]; counts[index] += 1
                        steps = rules[index]['steps']
                        k = 0 if n < repeat_first else min(n - repeat_first + 1, len(steps) - 1)
                        step = steps[min(k, len(steps) - 1)]
                    with open(log, 'a') as f:
                        f.write(json.dumps({'path': self.path, 'authorization': self.headers.get('Authorization'),
                                            'x_api_key': self.headers.get('x-api-key'), 'in_flight': in_flight[0],
                                            'time': time.time(), 'body': text}) + '\\n')
                try:
                    if step is None:
                        step = {'status': 404, 'headers': {}, 'body': 'no rule', 'delay': 0}
                    if step['delay']:
                        time.sleep(step['delay'])
                    data = step['body'].encode()
                    self.send_response(step['status'])
                    self.send_header('Content-Type', 'application/json')
                    for k, v in step['headers'].items():
                        self.send_header(k, v)
                    self.send_header('Content-Length', str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with lock:
                        in_flight[0] -= 1
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        server.daemon_threads = True
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", python, scratch.file("script.json").path, scratch.file("requests.jsonl").path, String(repeatFirst)]
        process.standardOutput = out
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw LoopbackServerError.didNotStart
        }
        self.port = port
    }

    deinit {
        // SIGKILL: the test process's children may inherit a mask that blocks SIGTERM.
        // The folder goes after this, with the stored properties, once the server no longer writes to it.
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// The requests received so far.
    public func requests() throws -> [[String: Any]] {
        guard let text = try? String(contentsOf: logURL, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    /// The request bodies received so far, parsed.
    public func bodies() throws -> [[String: Any]] {
        try requests().map { try JSONSerialization.jsonObject(with: Data(($0["body"] as! String).utf8)) as! [String: Any] }
    }

    /// The most requests that were being answered at once.
    public func maxInFlight() throws -> Int {
        try requests().compactMap { $0["in_flight"] as? Int }.max() ?? 0
    }

    /// An OpenAI chat-completions envelope around `content`, with token usage.
    public static func openAIReply(_ content: String, promptTokens: Int = 100, completionTokens: Int = 20) -> Data {
        try! JSONSerialization.data(withJSONObject: ["id": "chatcmpl-1", "object": "chat.completion",
                                                     "choices": [["index": 0, "message": ["role": "assistant", "content": content], "finish_reason": "stop"]],
                                                     "usage": ["prompt_tokens": promptTokens, "completion_tokens": completionTokens,
                                                               "total_tokens": promptTokens + completionTokens]])
    }

    /// An Anthropic messages envelope around `content` as text.
    public static func anthropicReply(_ content: String, inputTokens: Int = 100, outputTokens: Int = 20) -> Data {
        try! JSONSerialization.data(withJSONObject: ["id": "msg_1", "type": "message", "role": "assistant",
                                                     "content": [["type": "text", "text": content]],
                                                     "usage": ["input_tokens": inputTokens, "output_tokens": outputTokens]])
    }

    /// An Anthropic messages envelope whose answer is a `tool_use` block with `input` (a JSON object's text).
    public static func anthropicToolReply(_ input: String, tool: String = "record_menu_page", inputTokens: Int = 100, outputTokens: Int = 20) -> Data {
        let object = try! JSONSerialization.jsonObject(with: Data(input.utf8))
        return try! JSONSerialization.data(withJSONObject: ["id": "msg_1", "type": "message", "role": "assistant", "stop_reason": "tool_use",
                                                            "content": [["type": "tool_use", "id": "toolu_1", "name": tool, "input": object]],
                                                            "usage": ["input_tokens": inputTokens, "output_tokens": outputTokens]])
    }
}
