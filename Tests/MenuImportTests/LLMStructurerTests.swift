import BackofficeCore
import Foundation
@testable import MenuImport
import Testing
import TestSupport

struct LLMStructurerTests {
    /// The text the model is asked about: the sample PDF, read by the real extractor.
    func pageText() throws -> TextDocument {
        let scratch = try TemporaryFolder("llm-pdf")
        let url = scratch.file("menu.pdf")
        try MenuSample.pdf(lines: [("PIZZAS", 72, 80), ("Margherita 9.00", 72, 115), ("Diavola 11.00", 72, 145),
                                   ("Garlic Knots small 5.50 large 9.50", 72, 175), ("Catch of the day", 72, 205)]).write(to: url)
        return try PDFExtractor.read(path: url.path)
    }

    static let answer = """
        Here is the menu:
        ```json
        {"currency": "EUR", "items": [
          {"category": "Pizzas", "name": "Margherita", "description": null, "price": "9.00", "sizes": [], "dietary_tags": ["Vegetarian", "tasty"]},
          {"category": "Pizzas", "name": "Diavola", "description": null, "price": "12.00", "sizes": [], "dietary_tags": []},
          {"category": "Pizzas", "name": "Quattro Stagioni", "description": null, "price": 9.0, "sizes": [], "dietary_tags": []},
          {"category": "Starters", "name": "Garlic Knots", "price": "5.50", "sizes": [{"label": "small", "price": "5.50"}, {"label": "large", "price": "9.50"}]},
          {"category": "Mains", "name": "Catch of the day", "price": null}
        ],
         "questions": ["Is the catch of the day priced daily?"]}
        ```
        """

    func structurer(_ server: LoopbackLLMServer, provider: String = "openai", attempts: Int = 3) throws -> LLMStructurer {
        let key = provider == "openai" ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY"
        let configuration = try LLMConfiguration(environment: [
            "BACKOFFICE_LLM_PROVIDER": provider, "BACKOFFICE_LLM_BASE_URL": server.baseURL,
            "BACKOFFICE_LLM_MODEL": "test-model", key: "sk-test-123",
        ])
        return LLMStructurer(configuration: configuration,
                             client: RetryingLLMClient(transport: CurlTransport(timeout: 30), attempts: attempts, backoff: { _ in 0 }))
    }

    @Test func itemsComeFromTheAnswerAndWhatThePageLacksIsFlagged() throws {
        let server = try LoopbackLLMServer(reply: LoopbackLLMServer.openAIReply(Self.answer))
        let llm = try structurer(server), text = try pageText()
        let menu = try llm.structure(text, currency: "EUR")
        #expect(menu.structurer == "llm")
        #expect(menu.currency == "EUR")
        #expect(menu.items.map(\.name) == ["Margherita", "Diavola", "Quattro Stagioni", "Garlic Knots", "Catch of the day"])
        let byName = Dictionary(uniqueKeysWithValues: menu.items.map { ($0.name, $0) })
        let margherita = try #require(byName["Margherita"])
        #expect(margherita.flags.isEmpty)
        #expect(margherita.priceCents == 900)
        #expect(margherita.dietaryTags == [.vegetarian])
        #expect(margherita.source.page == 1)
        #expect(margherita.source.bbox[1] > 95 && margherita.source.bbox[3] < 125, "\(margherita.source.bbox)")
        #expect(byName["Diavola"]?.flags == [.priceNotInSource])
        #expect(byName["Diavola"]?.priceCents == 1200)
        #expect(byName["Quattro Stagioni"]?.flags.contains(.nameNotInSource) == true)
        let knots = try #require(byName["Garlic Knots"])
        #expect(knots.flags.isEmpty)
        #expect(knots.priceCents == 550)
        #expect(knots.options == [MenuOption(name: "Size", choices: [MenuChoice(value: "small", priceDeltaCents: 0), MenuChoice(value: "large", priceDeltaCents: 400)])])
        #expect(byName["Catch of the day"]?.flags == [.noPrice])
        #expect(menu.questions == ["Is the catch of the day priced daily?"])

        // the page's text went to the chat-completions endpoint with the key
        let requests = try server.requests()
        #expect(requests.count == 1)
        #expect(requests[0]["path"] as? String == "/v1/chat/completions")
        #expect(requests[0]["authorization"] as? String == "Bearer sk-test-123")
        let body = try JSONSerialization.jsonObject(with: Data((requests[0]["body"] as! String).utf8)) as! [String: Any]
        #expect(body["model"] as? String == "test-model")
        let messages = body["messages"] as! [[String: Any]]
        #expect((messages.last?["content"] as? String)?.contains("Diavola 11.00") == true)
    }

    @Test func anthropicMessagesWork() throws {
        let server = try LoopbackLLMServer(reply: LoopbackLLMServer.anthropicReply(Self.answer))
        let llm = try structurer(server, provider: "anthropic"), text = try pageText()
        let menu = try llm.structure(text, currency: nil)
        #expect(menu.items.count == 5)
        #expect(menu.currency == "EUR")
        let request = try #require(try server.requests().first)
        #expect(request["path"] as? String == "/v1/messages")
        #expect(request["x_api_key"] as? String == "sk-test-123")
        #expect(request["authorization"] is NSNull || request["authorization"] == nil)
    }

    @Test func aFlakyEndpointIsRetried() throws {
        let server = try LoopbackLLMServer(reply: LoopbackLLMServer.openAIReply(Self.answer), failFirst: 2)
        let llm = try structurer(server, attempts: 3), text = try pageText()
        let menu = try llm.structure(text, currency: "EUR")
        #expect(menu.items.count == 5)
        #expect(try server.requests().count == 3)
    }

    /// A page's compact text is made from its lines' (each folded once); it equals compacting the
    /// whole text, on every page of every menu we have.
    @Test func pageCompactTextIsItsLinesCompactTexts() throws {
        var folders = [EvaluationSupport.sampleMenus]
        if FileManager.default.fileExists(atPath: EvaluationSupport.realMenus.path) { folders.append(EvaluationSupport.realMenus) }
        var pages = 0
        for folder in folders {
            for pdf in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            where pdf.pathExtension == "pdf" && !pdf.lastPathComponent.contains("image_only") {
                for page in try PDFExtractor.read(path: pdf.path).pages {
                    let lines = PageLines(page)
                    #expect(lines.compact == LLMStructurer.compact(lines.text), "\(pdf.lastPathComponent) page \(page.number)")
                    pages += 1
                }
            }
        }
        #expect(pages >= 6)
    }

    @Test func anEndpointThatStaysDownIsUnavailable() throws {
        let server = try LoopbackLLMServer(reply: Data(), failFirst: 1000)
        do {
            let llm = try structurer(server, attempts: 3), text = try pageText()
            _ = try llm.structure(text, currency: "EUR")
            Issue.record("no failure")
        } catch let failure as Failure {
            #expect(failure.status == .unavailable)
            #expect(failure.message.contains("after 3 attempts"))
            #expect(!failure.message.contains("sk-test-123"))
        }
        #expect(try server.requests().count == 3)
    }

    @Test func nothingListeningIsUnavailable() throws {
        // a port that was free a moment ago
        let port: Int
        do { let s = try LoopbackLLMServer(reply: Data()); port = s.port }
        let configuration = try LLMConfiguration(environment: [
            "BACKOFFICE_LLM_PROVIDER": "openai", "BACKOFFICE_LLM_BASE_URL": "http://127.0.0.1:\(port)/v1",
            "BACKOFFICE_LLM_MODEL": "m", "OPENAI_API_KEY": "k",
        ])
        let llm = LLMStructurer(configuration: configuration, client: RetryingLLMClient(transport: CurlTransport(timeout: 10), attempts: 2, backoff: { _ in 0 }))
        let text = try pageText()
        #expect { _ = try llm.structure(text, currency: "EUR") } throws: { ($0 as? Failure)?.status == .unavailable }
    }

    @Test func anAnswerThatIsNotItemsJSONIsUnavailable() throws {
        let server = try LoopbackLLMServer(reply: LoopbackLLMServer.openAIReply("Sorry, I cannot read menus."))
        let llm = try structurer(server), text = try pageText()
        #expect { _ = try llm.structure(text, currency: "EUR") } throws: { ($0 as? Failure)?.status == .unavailable }
    }

    @Test func missingSettingsAreAUsageErrorNamingThem() {
        #expect { try LLMConfiguration(environment: [:]) } throws: { error in
            guard let f = error as? Failure, f.status == .usage else { return false }
            return f.message.contains("BACKOFFICE_LLM_PROVIDER") && f.message.contains("BACKOFFICE_LLM_MODEL")
        }
        #expect { try LLMConfiguration(environment: ["BACKOFFICE_LLM_PROVIDER": "anthropic", "BACKOFFICE_LLM_MODEL": "m", "OPENAI_API_KEY": "k"]) } throws: { error in
            (error as? Failure)?.message.contains("ANTHROPIC_API_KEY") == true
        }
        #expect { try LLMConfiguration(environment: ["BACKOFFICE_LLM_PROVIDER": "gemini", "BACKOFFICE_LLM_MODEL": "m"]) } throws: { error in
            (error as? Failure)?.status == .usage
        }
        let ok = try? LLMConfiguration(environment: ["BACKOFFICE_LLM_PROVIDER": "openai", "BACKOFFICE_LLM_MODEL": "m", "OPENAI_API_KEY": "k"])
        #expect(ok?.endpoint.absoluteString == "https://api.openai.com/v1/chat/completions")
    }

    @Test func pricesAreFoundOnlyAsWholeNumbers() throws {
        let page = TextPage(number: 1, width: 100, height: 100, glyphs: "Soup 19.50\nWine 12.900\nTea 3".unicodeScalars.enumerated().map { i, s in
            Glyph(scalar: s, x0: Double(i), y0: 0, x1: Double(i) + 1, y1: 10, font: 0)
        }, imageOnly: false)
        let lines = PageLines(page)
        #expect(lines.containsPrice(1950, exponent: 2))
        #expect(!lines.containsPrice(950, exponent: 2))
        #expect(lines.containsPrice(12900, exponent: 0))
        #expect(!lines.containsPrice(900, exponent: 0))
        #expect(lines.containsPrice(300, exponent: 2))
        #expect(LLMStructurer.parsePrice("$9.50", exponent: 2) == 950)
        #expect(LLMStructurer.parsePrice("9,50 €", exponent: 2) == 950)
        #expect(LLMStructurer.parsePrice("12.900", exponent: 0) == 12900)
        #expect(LLMStructurer.parsePrice("market price", exponent: 2) == nil)
    }
}
