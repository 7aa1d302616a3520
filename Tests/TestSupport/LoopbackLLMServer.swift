import Foundation

public enum LoopbackServerError: Error { case didNotStart }

/// A real HTTP server on 127.0.0.1 (Python's http.server on a free port) answering a canned reply,
/// optionally failing first with 503; it logs every request it gets. The LLM structurer's tests and
/// the end-to-end `menu import --structurer llm` test talk to it as to a provider.
///
///     let server = try LoopbackLLMServer(reply: LoopbackLLMServer.openAIReply("{…}"), failFirst: 2)
///     // BACKOFFICE_LLM_BASE_URL = server.baseURL
public final class LoopbackLLMServer {
    private let process = Process()
    private let scratch: TemporaryFolder
    public let port: Int
    private var logURL: URL { scratch.file("requests.jsonl") }

    /// `failFirst`: how many requests get 503 before the canned reply (a huge number: always down).
    public init(reply: Data, failFirst: Int = 0) throws {
        scratch = try TemporaryFolder("llm")
        try reply.write(to: scratch.file("reply.json"))
        let script = """
        import http.server, json, sys
        reply, log, fail_first = sys.argv[1], sys.argv[2], int(sys.argv[3])
        seen = [0]
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
                seen[0] += 1
                with open(log, 'a') as f:
                    f.write(json.dumps({'path': self.path, 'authorization': self.headers.get('Authorization'),
                                        'x_api_key': self.headers.get('x-api-key'), 'body': body.decode()}) + '\\n')
                if seen[0] <= fail_first:
                    self.send_response(503); self.send_header('Content-Length', '4'); self.end_headers(); self.wfile.write(b'busy')
                    return
                data = open(reply, 'rb').read()
                self.send_response(200)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            def log_message(self, *args):
                pass
        server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, scratch.file("reply.json").path, scratch.file("requests.jsonl").path, String(failFirst)]
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

    /// An OpenAI chat-completions envelope around `content`.
    public static func openAIReply(_ content: String) -> Data {
        try! JSONSerialization.data(withJSONObject: ["id": "chatcmpl-1", "object": "chat.completion",
                                                     "choices": [["index": 0, "message": ["role": "assistant", "content": content], "finish_reason": "stop"]]])
    }

    public static func anthropicReply(_ content: String) -> Data {
        try! JSONSerialization.data(withJSONObject: ["id": "msg_1", "type": "message", "role": "assistant",
                                                     "content": [["type": "text", "text": content]]])
    }
}
