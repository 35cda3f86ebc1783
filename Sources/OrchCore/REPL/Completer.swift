/// What Tab can complete besides the language's fixed words: the live agents.
public struct CompletionVocabulary: Sendable, Equatable {
    public var agents: [String]
    public init(agents: [String] = []) { self.agents = agents }
}

/// Context-aware Tab completion for the REPL: pure, from the text before the cursor.
public enum Completer {
    /// Candidates for the word under the cursor in `textBeforeCursor`.
    ///
    /// `listDirectory` lists a folder's entries (a parameter so tests need no real files).
    public static func complete(
        _ textBeforeCursor: String, vocabulary: CompletionVocabulary,
        listDirectory: (String) -> [String] = FileSystem.list,
        isDirectory: (String) -> Bool = FileSystem.isDirectory
    ) -> Completion {
        // Only the command being typed matters: after the last `;`, `{`, `}` or newline outside quotes.
        let line = CommandLineWords(textBeforeCursor)
        let words = line.words
        let current = line.current
        let raw = line.currentRaw

        /// Candidates as typed: quoted when they hold a space or another character the lexer
        /// reads (`my agent` → `'my agent'`), in the quote the user opened if any.
        func quoted(_ candidates: [String], closing: (String) -> Bool = { _ in true }) -> [String] {
            candidates.map { Self.quote($0, opened: line.openQuote, close: closing($0)) }
        }
        func offer(_ options: [String]) -> Completion {
            let matching = options.filter { $0.hasPrefix(current) && $0 != "" }.sorted()
            return Completion(replacing: raw.count, candidates: quoted(matching), tabIsText: line.openQuote != nil)
        }
        func offerAgents(_ extra: [String] = []) -> Completion {
            // In a list (`amp,co`), complete the part after the last comma.
            guard let comma = current.lastIndex(of: ",") else { return offer(vocabulary.agents + extra) }
            let head = String(current[...comma])
            let part = String(current[current.index(after: comma)...])
            let chosen = Set(head.split(separator: ",").map(String.init))
            let names = vocabulary.agents.filter { $0.hasPrefix(part) && !chosen.contains($0) }
            return Completion(replacing: raw.count, candidates: quoted(names.map { head + $0 }.sorted()), tabIsText: line.openQuote != nil)
        }

        guard let verb = words.first else { return offer(commandNames) }
        let position = words.count  // index of the word being completed
        let states = StateCondition.allCases.map(\.rawValue)
        switch verb {
        case "send":
            let options = ["--no-submit", "--no-wait", "--force"]
            let afterOptions = words.dropFirst().filter { !$0.hasPrefix("--") }.count
            if afterOptions == 0 { return current.hasPrefix("-") ? offer(options) : offerAgents() }
            return offer([])
        case "enter", "peek", "reply":
            return position == 1 ? offerAgents() : offer([])
        case "key":
            return position == 1 ? offerAgents() : offer(KeyNames.common)
        case "status":
            return offerAgents()
        case "wait":
            switch position {
            case 1: return offer(states)
            case 2: return offerAgents(["any", "all"])
            case 3: return offer(["timeout"])
            default: return offer([])
            }
        case "loop":
            if position == 1 { return offer(["every", "until"]) }
            if words.count >= 2, words[1] == "until" {
                if position == 2 { return offer(states + ["queue"]) }
                if position == 3 { return words[2] == "queue" ? offer(["empty"]) : offerAgents(["any", "all"]) }
            }
            return offer([])
        case "queue":
            if position == 1 { return offerAgents(["any", "list", "rm", "retry", "clear"]) }
            return offer([])
        case "dispatch", "watch":
            return position == 1 ? offer(["on", "off"]) : offer([])
        case "help":
            return position == 1 ? offer(commandNames) : offer([])
        case "set":
            if position == 1 { return offer(Interpreter.knownSettings.map(\.name)) }
            if position == 2, words[1] == "bell" { return offer(["on", "off"]) }
            return offer([])
        case "pattern":
            if position == 1 { return offer(AgentProfile.builtIn.map(\.name)) }
            if position == 2 { return offer(AgentState.allCases.filter { $0 != .unknown }.map(\.rawValue)) }
            return offer([])
        case "agent":
            if position == 2 { return offer(["window"]) }
            if position == 4 { return offer(["profile"]) }
            if position == 5 { return offer(AgentProfile.builtIn.map(\.name)) }
            return offer([])
        case "source":
            guard position == 1 else { return offer([]) }
            let paths = completePath(current, listDirectory: listDirectory, isDirectory: isDirectory)
            // A folder stays open (quote included) for the next Tab.
            return Completion(replacing: raw.count, candidates: quoted(paths.candidates, closing: { !$0.hasSuffix("/") }), appendSpace: paths.appendSpace, tabIsText: line.openQuote != nil)
        default:
            return offer([])
        }
    }

    /// `word` as the lexer reads it back: bare when safe, else single-quoted (double-quoted when
    /// it holds a `'`), or in the quote the user opened; `close`: end the quote.
    static func quote(_ word: String, opened: Character?, close: Bool = true) -> String {
        let special = word.contains { " \t\n;{}#'\"\\$<".contains($0) }
        guard special || opened != nil else { return word }
        let mark: Character = opened ?? (word.contains("'") ? "\"" : "'")
        let body = mark == "'" ? word : word.reduce(into: "") { text, character in
            if character == "\\" || character == "\"" { text.append("\\") }
            text.append(character)
        }
        return String(mark) + body + (close ? String(mark) : "")
    }

    /// A candidate as `quote` made it, back to the word itself (an unclosed quote too).
    public static func unquote(_ candidate: String) -> String {
        guard let mark = candidate.first, mark == "'" || mark == "\"" else { return candidate }
        var body = candidate.dropFirst()
        if body.last == mark { body = body.dropLast() }
        guard mark == "\"" else { return String(body) }
        var word = ""
        var escaped = false
        for character in body {
            if !escaped, character == "\\" {
                escaped = true
                continue
            }
            escaped = false
            word.append(character)
        }
        return word
    }

    /// Every command word, aliases included (`quit`).
    static var commandNames: [String] { CommandCatalog.all.flatMap { [$0.name] + $0.aliases } }

    /// File names for `source`: entries of the typed folder, folders ending in `/`.
    static func completePath(_ typed: String, listDirectory: (String) -> [String], isDirectory: (String) -> Bool) -> Completion {
        let slash = typed.lastIndex(of: "/")
        let folder = slash.map { String(typed[...$0]) } ?? ""
        let base = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        var expanded = folder
        if folder.hasPrefix("~/"), let home = FileSystem.environment("HOME") { expanded = home + folder.dropFirst() }
        let entries = listDirectory(expanded.isEmpty ? "." : expanded)
            .filter { $0.hasPrefix(base) && (base.hasPrefix(".") || !$0.hasPrefix(".")) }
        let candidates = entries.map { entry in
            folder + entry + (isDirectory((expanded.isEmpty ? "" : expanded) + entry) ? "/" : "")
        }
        return Completion(replacing: typed.count, candidates: candidates.sorted(), appendSpace: !(candidates.count == 1 && candidates[0].hasSuffix("/")))
    }
}

/// The command before the cursor split into words as the lexer would: quotes group, `;`, `{`,
/// `}` and newlines outside quotes end a command. The word under the cursor is `current`
/// (unquoted) and `currentRaw` (as typed, its quote included).
struct CommandLineWords {
    var words: [String] = []
    var current = ""
    var currentRaw = ""
    /// The quote left open at the cursor, if any.
    var openQuote: Character?

    init(_ text: String) {
        var quote: Character?
        var escaped = false
        var inWord = false
        for character in text {
            if let open = quote {
                currentRaw.append(character)
                if open == "\"" && escaped {
                    current.append(character)
                    escaped = false
                } else if open == "\"" && character == "\\" {
                    escaped = true
                } else if character == open {
                    quote = nil
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case " ", "\t":
                if inWord { words.append(current) }
                (current, currentRaw, inWord) = ("", "", false)
            case ";", "{", "}", "\n":
                (words, current, currentRaw, inWord) = ([], "", "", false)
            case "'", "\"":
                quote = character
                currentRaw.append(character)
                inWord = true
            default:
                current.append(character)
                currentRaw.append(character)
                inWord = true
            }
        }
        openQuote = quote
    }
}
