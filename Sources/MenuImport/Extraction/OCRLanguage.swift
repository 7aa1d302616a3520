import Foundation

/// Which language a scanned menu is written in, from the short function words OCR read on its
/// first page (`und`, `mit`; `con`, `y`; `com`, `e`): Tesseract reads a language far better with
/// that language's data, and reading with every installed language at once is several times slower.
public enum OCRLanguage {
    /// Tesseract's code and the words that give the language away (folded: no accents, lower case).
    static let cues: [(code: String, words: Set<String>)] = [
        ("eng", ["and", "with", "the", "of", "or", "served", "fried", "each"]),
        ("deu", ["und", "mit", "der", "die", "das", "vom", "oder", "auf", "zum", "zur", "nach", "art"]),
        ("fra", ["et", "avec", "le", "les", "du", "des", "au", "aux", "ou", "sur", "maison"]),
        ("spa", ["y", "con", "el", "los", "las", "del", "al", "o", "para", "en", "salsa"]),
        ("por", ["com", "do", "da", "dos", "das", "em", "ou", "ao", "molho"]),
        ("ita", ["di", "con", "il", "alla", "al", "del", "della", "allo", "ai", "e", "o"]),
        ("nld", ["en", "met", "van", "het", "een", "of", "saus"]),
        ("tur", ["ve", "ile", "bir", "veya", "soslu"]),
        ("swe", ["och", "med", "av", "eller", "till", "serveras"]),
    ]

    /// The most likely language of `words`, or nil when no language stands out (then English stays).
    public static func guess(_ words: [String]) -> String? {
        let folded = words.map { $0.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).trimmingCharacters(in: .punctuationCharacters) }
        let scores = cues.map { cue in (cue.code, folded.filter { cue.words.contains($0) }.count) }.sorted { $0.1 > $1.1 }
        guard let best = scores.first, best.1 >= 3 else { return nil }
        let second = scores.dropFirst().first?.1 ?? 0
        return Double(best.1) >= Double(second) * 1.5 ? best.0 : nil
    }

    /// The languages this machine's Tesseract has data for.
    public static func installed(executable: String) -> Set<String> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--list-langs"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return [] }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Set(String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst().map(String.init))
    }
}
