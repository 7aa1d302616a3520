import Foundation
import Samples
import Testing
import TestSupport

/// `backoffice menu extract` end to end: the built binary, its exit codes and its output.
@Suite(.enabled(if: BuiltCommand.isBuilt, "the command is not built")) struct ExtractionCommandTests {

    @Test func missingFileExits66() throws {
        let run = try BuiltCommand.run(["menu", "extract", "/nonexistent/menu.pdf"])
        #expect(run.status == 66)
        #expect(run.stderr == "backoffice: /nonexistent/menu.pdf does not exist or cannot be read.\n")
        #expect(run.stdout.isEmpty)
    }

    @Test(arguments: [BrokenKind.truncated, .pngRenamed, .empty, .damaged, .encrypted])
    func brokenFileExits65WithOneSentence(_ kind: BrokenKind) throws {
        let scratch = try Scratch()
        let path = try #require(try kind.write(in: scratch), "qpdf makes the encrypted file")
        let run = try BuiltCommand.run(["menu", "extract", path, "--json"])
        #expect(run.status == 65)
        #expect(run.stderr.hasPrefix("backoffice: \(path): "))
        // One sentence, nothing from poppler around it.
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test func scanWithoutWordsExits65() throws {
        let scratch = try Scratch()
        let path = try scratch.write(SampleMenus.imageOnlyMenu(), "scan.pdf")
        let run = try BuiltCommand.run(["menu", "extract", path])
        #expect(run.status == 65)
        #expect(run.stderr == "backoffice: \(path): no text could be read on any page, neither from a text layer nor by OCR (is it a photo without words, or blank?).\n")
    }

    @Test func scansNeedTesseractAndALanguageItHas() throws {
        let scratch = try Scratch()
        let path = try scratch.write(SampleMenus.imageOnlyMenu(), "scan.pdf")
        let bad = try BuiltCommand.run(["menu", "extract", path, "--ocr-lang", "x!"])
        #expect(bad.status == 64)
        let missing = try BuiltCommand.run(["menu", "extract", path, "--ocr-lang", "zzz"])
        #expect(missing.status == 69, "\(missing.stderr)")
        #expect(missing.stderr.contains("tesseract-ocr-LANG"), "\(missing.stderr)")
        let noTesseract = try BuiltCommand.run(["menu", "extract", path], environment: ["PATH": "/nonexistent"])
        #expect(noTesseract.status == 69)
        #expect(noTesseract.stderr.contains("install tesseract-ocr"), "\(noTesseract.stderr)")
    }

    @Test func sampleGivesItemsJSONOfTheContractShape() throws {
        let scratch = try Scratch()
        let path = try scratch.write(SampleMenus.all[0].pdf(), "menu.pdf")
        let run = try BuiltCommand.run(["menu", "extract", path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let source = try #require(object["source"] as? [String: Any])
        #expect(source["file"] as? String == path)
        #expect((source["sha256"] as? String)?.count == 64)
        #expect(source["pages"] as? Int == 1)
        #expect(object["structurer"] as? String == "heuristic")
        #expect((object["currency"] as? String)?.count == 3)
        let items = try #require(object["items"] as? [[String: Any]])
        #expect(object["questions"] is [String])
        for item in items {
            for key in ["category", "name", "description", "price_cents", "options", "dietary_tags", "confidence", "flags", "source"] {
                #expect(item.keys.contains(key), "item lacks \(key)")
            }
        }
    }

    @Test func currencyOptionIsChecked() throws {
        let scratch = try Scratch()
        let path = try scratch.write(SampleMenus.all[0].pdf(), "menu.pdf")
        let bad = try BuiltCommand.run(["menu", "extract", path, "--currency", "EURO"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--currency 'EURO'"))
        let good = try BuiltCommand.run(["menu", "extract", path, "--currency", "eur", "--json"])
        #expect(good.status == 0)
        #expect(good.stdout.contains("\"currency\" : \"EUR\""))
    }

    @Test func llmWithoutSettingsExits64NamingThem() throws {
        let scratch = try Scratch()
        let path = try scratch.write(SampleMenus.all[0].pdf(), "menu.pdf")
        let run = try BuiltCommand.run(["menu", "extract", path, "--structurer", "llm"])
        #expect(run.status == 64)
        for name in ["BACKOFFICE_LLM_PROVIDER", "BACKOFFICE_LLM_MODEL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"] {
            #expect(run.stderr.contains(name))
        }
        let partial = try BuiltCommand.run(["menu", "extract", path, "--structurer", "llm"], environment: ["BACKOFFICE_LLM_PROVIDER": "anthropic"])
        #expect(partial.status == 64)
        #expect(partial.stderr.contains("ANTHROPIC_API_KEY") && !partial.stderr.contains("OPENAI_API_KEY"))
    }

    @Test func unknownStructurerOrFlagIsUsage() throws {
        #expect(try BuiltCommand.run(["menu", "extract", "x.pdf", "--structurer", "magic"]).status == 64)
        #expect(try BuiltCommand.run(["menu", "extract", "x.pdf", "--nope"]).status == 64)
        #expect(try BuiltCommand.run(["menu", "extract"]).status == 64)
    }

    @Test func wordsListsLinesWithBoxesAndFonts() throws {
        let scratch = try Scratch()
        let path = try scratch.write(SampleMenus.all[0].pdf(), "menu.pdf")
        let run = try BuiltCommand.run(["menu", "extract", path, "--words"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("p1 [  56.0  154.2  120.2  168.1] Helvetica-Bold 15.0 bold #801c1c | Antipasti\n"))
    }
}
