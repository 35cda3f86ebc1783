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
        // Only the command being typed matters: after the last `;`, `{`, `}` or newline.
        let command = textBeforeCursor.split(omittingEmptySubsequences: false) { ";{}\n".contains($0) }.last.map(String.init) ?? ""
        if command.filter({ $0 == "\"" }).count % 2 == 1 || command.filter({ $0 == "'" }).count % 2 == 1 {
            return Completion(replacing: 0, candidates: [])  // inside a quoted text: nothing to offer
        }
        var words = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let current = command.last.map { $0 == " " || $0 == "\t" } ?? true ? "" : words.removeLast()

        func offer(_ options: [String]) -> Completion {
            Completion(replacing: current.count, candidates: options.filter { $0.hasPrefix(current) && $0 != "" }.sorted())
        }
        func offerAgents(_ extra: [String] = []) -> Completion {
            // In a list (`amp,co`), complete the part after the last comma.
            guard let comma = current.lastIndex(of: ",") else { return offer(vocabulary.agents + extra) }
            let head = String(current[...comma])
            let part = String(current[current.index(after: comma)...])
            let chosen = Set(head.split(separator: ",").map(String.init))
            let names = vocabulary.agents.filter { $0.hasPrefix(part) && !chosen.contains($0) }
            return Completion(replacing: current.count, candidates: names.map { head + $0 }.sorted())
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
            return position == 1 ? completePath(current, listDirectory: listDirectory, isDirectory: isDirectory) : offer([])
        default:
            return offer([])
        }
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
