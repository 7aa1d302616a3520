import ArgumentParser
import BackofficeCore
import Foundation

extension Backoffice {
    /// The entry point: ArgumentParser's, with `--version` printing the commit too, and a word that
    /// names no command answered with the nearest one instead of "unexpected argument".
    /// (Unknown flags get ArgumentParser's own "Did you mean '--json'?".)
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            // `--version`, wherever ArgumentParser accepts it: the line with the commit
            if exitCode(for: error) == .success, fullMessage(for: error) == BackofficeVersion.version {
                printOut(BuildInfo.versionLine())
                Foundation.exit(0)
            }
            // only words that did not parse are looked up among the commands
            if exitCode(for: error) != .success, let sentence = CommandSuggestion.unknownCommand(in: arguments, root: Backoffice.self) {
                FileHandle.standardError.write(Data(("backoffice: " + sentence + "\n").utf8))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
        do {
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}

/// The nearest command to a misspelt one.
enum CommandSuggestion {
    /// The sentence for the first word that should name a subcommand and names none, or nil when
    /// the words are for ArgumentParser to judge.
    ///
    ///     unknownCommand(in: ["recon", "exports/"], root: Backoffice.self)
    ///     // "unknown command 'recon'. Did you mean 'reconcile'?"
    static func unknownCommand(in arguments: [String], root: any ParsableCommand.Type) -> String? {
        var command = root
        var path: [String] = []
        for word in arguments {
            let subcommands = command.configuration.subcommands
            // a command with arguments of its own, or a default subcommand, takes the word itself
            guard !subcommands.isEmpty, command.configuration.defaultSubcommand == nil, !word.hasPrefix("-") else { return nil }
            if path.isEmpty && word == "help" { return nil }
            if let next = subcommands.first(where: { $0._commandName == word || $0.configuration.aliases.contains(word) }) {
                command = next
                path.append(word)
                continue
            }
            let typed = (path + [word]).joined(separator: " ")
            let names = subcommands.map { (sub: any ParsableCommand.Type) -> String in sub._commandName }
            if let near = nearest(to: word, in: names) {
                return "unknown command '\(typed)'. Did you mean '\((path + [near]).joined(separator: " "))'?"
            }
            if path.isEmpty, let nested = nestedPath(of: word, under: root) {
                return "unknown command '\(typed)'. Did you mean '\(nested)'?"
            }
            let prefix = path.isEmpty ? "" : path.joined(separator: " ") + " "
            return "unknown command '\(typed)'. The commands are: " + names.map { prefix + $0 }.joined(separator: ", ")
                + " (backoffice \(prefix)--help says what each does)."
        }
        return nil
    }

    /// The candidate `word` most likely meant: the only one it begins, else the closest by edit
    /// distance when that is small for its length (one edit up to five letters, then two, at most three).
    static func nearest(to word: String, in candidates: [String]) -> String? {
        let typed = word.lowercased()
        let prefixed = candidates.filter { $0.hasPrefix(typed) }
        if typed.count >= 2, prefixed.count == 1 { return prefixed[0] }
        let limit = max(1, min(3, typed.count / 3))
        let scored = candidates.map { (name: $0, distance: editDistance(typed, $0)) }.filter { $0.distance <= limit }
        guard let best = scored.min(by: { $0.distance < $1.distance }) else { return nil }
        // two candidates as close as each other: no guess
        return scored.filter({ $0.distance == best.distance }).count == 1 ? best.name : nil
    }

    /// `menu imports` for `imports`: a command one level down, typed without its group.
    static func nestedPath(of word: String, under root: any ParsableCommand.Type) -> String? {
        for group in root.configuration.subcommands {
            if group.configuration.subcommands.contains(where: { $0._commandName == word }) {
                return "\(group._commandName) \(word)"
            }
        }
        return nil
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// neighbours each count one ("nigthly" is one from "nightly").
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
