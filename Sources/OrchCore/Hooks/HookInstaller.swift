#if canImport(Glibc)
import Glibc
#endif

/// `orch hooks install|uninstall|status CLI`: adds orch to a CLI's own hook configuration,
/// merged into the user's file (every other key kept), with a backup, idempotent, and undone
/// exactly by `uninstall`.
///
/// - Codex: `notify = ["/abs/orch", "hook", "codex"]` at the top of `$CODEX_HOME/config.toml`
///   (default `~/.codex`). A different `notify` program already there is refused, unless
///   `--chain` keeps it: orch records the event, then runs that program with the payload.
/// - Claude Code: `hooks` in `$CLAUDE_CONFIG_DIR/settings.json` (default `~/.claude`).
/// - Gemini CLI: `hooks` in `~/.gemini/settings.json`. Antigravity `agy`: `~/.gemini/antigravity/hooks.json`.
public struct HookInstaller: Sendable {
    public var cli: HookCLI
    /// The orch to run (absolute).
    public var orchPath: String
    public var environment: @Sendable (String) -> String?

    public init(cli: HookCLI, orchPath: String, environment: @escaping @Sendable (String) -> String? = FileSystem.environment) {
        self.cli = cli
        self.orchPath = orchPath
        self.environment = environment
    }

    /// What went wrong, in words a user can act on.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The file orch edits for this CLI.
    public var configPath: String {
        let home = environment("HOME") ?? ""
        switch cli {
        case .codex: return (environment("CODEX_HOME").flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.codex") + "/config.toml"
        case .claude: return (environment("CLAUDE_CONFIG_DIR").flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.claude") + "/settings.json"
        case .gemini: return home + "/.gemini/settings.json"
        case .agy: return home + "/.gemini/antigravity/hooks.json"
        }
    }

    /// The command the CLI runs.
    var hookCommand: [String] { [orchPath, "hook", cli.rawValue] }

    /// The events orch asks a JSON-configured CLI for.
    var events: [String] {
        switch cli {
        case .codex: return []
        case .claude: return ["UserPromptSubmit", "Stop", "StopFailure", "Notification"]
        case .gemini: return ["BeforeAgent", "AfterAgent", "Notification"]
        case .agy: return ["PreInvocation", "Stop"]
        }
    }

    // MARK: Install and uninstall

    /// The file's text after installing (unchanged when already installed); `chain` keeps a
    /// different notify program by calling it on.
    public func installed(into text: String, chain: Bool = false) -> Result<String, Failure> {
        cli == .codex ? codexInstalled(into: text, chain: chain) : jsonInstalled(into: text)
    }

    /// The file's text without what `installed` added.
    public func uninstalled(from text: String) -> Result<String, Failure> {
        cli == .codex ? codexUninstalled(from: text) : jsonUninstalled(from: text)
    }

    /// Whether orch is installed in `text`.
    public func isInstalled(in text: String) -> Bool {
        cli == .codex ? codexNotify(in: text)?.value.contains(tomlString(orchPath)) == true && codexNotify(in: text)?.value.contains("\"hook\"") == true
            : text.contains(JSONValue.quote(hookCommand.map(shellWord).joined(separator: " ")))
    }

    /// Installs into the CLI's file (created if missing), keeping a backup of the original
    /// beside it (`FILE.orch-backup`, once). Returns what was done, for the user.
    public func install(chain: Bool = false, dryRun: Bool = false) -> Result<String, Failure> {
        let path = configPath
        let original: String
        switch FileSystem.readText(path) {
        case .success(let text): original = text
        case .failure(let error) where error.errno == ENOENT: original = ""
        case .failure(let error): return .failure(Failure(description: "\(error): orch will not replace a file it cannot read"))
        }
        let new: String
        switch installed(into: original, chain: chain) {
        case .success(let text): new = text
        case .failure(let failure): return .failure(failure)
        }
        if new == original { return .success("orch is already installed in \(path)") }
        if dryRun { return .success("would change \(path):\n" + Self.diff(original, new)) }
        if let error = write(new, to: path, backup: original) { return .failure(error) }
        return .success("installed in \(path)" + (FileSystem.exists(path + ".orch-backup") ? " (backup: \(path).orch-backup)" : ""))
    }

    public func uninstall(dryRun: Bool = false) -> Result<String, Failure> {
        let path = configPath
        guard case .success(let original) = FileSystem.readText(path) else { return .success("nothing to remove: \(path) does not exist") }
        let new: String
        switch uninstalled(from: original) {
        case .success(let text): new = text
        case .failure(let failure): return .failure(failure)
        }
        if new == original { return .success("orch is not installed in \(path)") }
        if dryRun { return .success("would change \(path):\n" + Self.diff(original, new)) }
        if let error = write(new, to: path, backup: nil) { return .failure(error) }
        return .success("removed from \(path)")
    }

    private func write(_ text: String, to path: String, backup: String?) -> Failure? {
        let folder = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
        FileSystem.makeDirectories(folder)
        if let backup, !backup.isEmpty, !FileSystem.exists(path + ".orch-backup") {
            guard FileSystem.replace(path + ".orch-backup", with: backup) else { return Failure(description: "cannot write \(path).orch-backup: \(String(cString: strerror(errno)))") }
        }
        // The CLI never reads half a file.
        guard FileSystem.replace(path, with: text) else {
            return Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return nil
    }

    /// The lines that differ, `-` old and `+` new (enough to show a small config change).
    static func diff(_ old: String, _ new: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var prefix = 0
        while prefix < min(a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(a.count, b.count) - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let removed = a[prefix..<(a.count - suffix)].map { "- " + $0 }
        let added = b[prefix..<(b.count - suffix)].map { "+ " + $0 }
        return (removed + added).joined(separator: "\n")
    }

    // MARK: Codex (TOML)

    /// The top-level `notify = …` of a config.toml: its lines and its value's text.
    func codexNotify(in text: String) -> (lines: Range<Int>, value: String)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index < lines.count {
            let line = lines[index].drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("[") { return nil }  // the first table: top-level keys are above it
            if line.hasPrefix("notify"), line.dropFirst(6).drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("=") {
                var end = index
                var value = String(line)
                // A multi-line array runs to its closing bracket.
                while !Self.closesArray(value), end + 1 < lines.count {
                    end += 1
                    value += "\n" + lines[end]
                }
                return (index..<(end + 1), value)
            }
            index += 1
        }
        return nil
    }

    static func closesArray(_ text: String) -> Bool {
        var depth = 0
        var inString = false
        var previous: Character = " "
        for character in text {
            if character == "\"" && previous != "\\" { inString.toggle() }
            if !inString {
                if character == "[" { depth += 1 }
                if character == "]" { depth -= 1 }
            }
            previous = character
        }
        return depth <= 0 && text.contains("]")
    }

    func tomlString(_ text: String) -> String { JSONValue.quote(text) }

    func notifyLine(then others: [String]) -> String {
        "notify = [" + (hookCommand + (others.isEmpty ? [] : ["--then"] + others)).map(tomlString).joined(separator: ", ") + "]  # added by orch hooks install"
    }

    func codexInstalled(into text: String, chain: Bool) -> Result<String, Failure> {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let existing = codexNotify(in: text) {
            if existing.value.contains("\"hook\"") && existing.value.contains(tomlString(orchPath)) { return .success(text) }
            guard chain else {
                return .failure(Failure(description: "\(configPath) already sets a notify program (\(existing.value.split(separator: "\n").joined(separator: " "))): orch will not replace it. `orch hooks install codex --chain` keeps it: orch records the event, then runs that program with the same payload."))
            }
            guard let program = Self.stringArray(existing.value) else {
                return .failure(Failure(description: "cannot read the notify value in \(configPath) to chain it: \(existing.value)"))
            }
            lines.replaceSubrange(existing.lines, with: [notifyLine(then: program)])
            return .success(lines.joined(separator: "\n"))
        }
        // At the very top: a top-level key must come before the first table.
        lines.insert(notifyLine(then: []), at: 0)
        if text.isEmpty { return .success(lines[0] + "\n") }
        return .success(lines.joined(separator: "\n"))
    }

    func codexUninstalled(from text: String) -> Result<String, Failure> {
        guard let existing = codexNotify(in: text), existing.value.contains("\"hook\""), existing.value.contains(tomlString(orchPath)) else {
            return .success(text)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let words = Self.stringArray(existing.value) ?? []
        if let then = words.firstIndex(of: "--then") {
            // Chained: the user's own program goes back where it was.
            let original = Array(words[(then + 1)...])
            lines.replaceSubrange(existing.lines, with: ["notify = [" + original.map(tomlString).joined(separator: ", ") + "]"])
        } else {
            lines.removeSubrange(existing.lines)
        }
        var result = lines.joined(separator: "\n")
        if text.hasSuffix("\n") && !result.hasSuffix("\n") && !result.isEmpty { result += "\n" }
        return .success(result)
    }

    /// The strings of a TOML array of basic strings (`notify = ["a", "b"]`), or nil.
    static func stringArray(_ assignment: String) -> [String]? {
        guard let open = assignment.firstIndex(of: "["), let close = assignment.lastIndex(of: "]") else { return nil }
        var body = String(assignment[open...close])
        // TOML allows a trailing comma and comments inside; JSON does not.
        body = body.split(separator: "\n").map { line -> String in
            guard let hash = line.firstIndex(of: "#"), !line[..<hash].contains("\"") || line[..<hash].filter({ $0 == "\"" }).count % 2 == 0 else { return String(line) }
            return String(line[..<hash])
        }.joined(separator: "\n")
        body = body.replacing(",\n]", with: "\n]").replacing(", ]", with: "]").replacing(",]", with: "]")
        guard case .array(let items)? = JSONValue.parse(body) else { return nil }
        let strings = items.compactMap(\.stringValue)
        return strings.count == items.count ? strings : nil
    }

    // MARK: Claude Code, Gemini CLI, agy (JSON)

    func shellWord(_ word: String) -> String {
        word.allSatisfy({ $0.isLetter || $0.isNumber || "/._-+:@".contains($0) }) ? word : "'" + word.replacing("'", with: "'\\''") + "'"
    }

    var commandString: String { hookCommand.map(shellWord).joined(separator: " ") }

    var hookEntry: JSONValue {
        .object([("hooks", .array([.object([("type", .string("command")), ("command", .string(commandString))])]))])
    }

    func jsonInstalled(into text: String) -> Result<String, Failure> {
        let root: [(String, JSONValue)]
        if text.allSatisfy(\.isWhitespace) {
            root = []
        } else {
            guard case .object(let pairs)? = JSONValue.parse(text) else {
                return .failure(Failure(description: "\(configPath) is not a JSON object: fix or move it, then try again"))
            }
            root = pairs
        }
        if isInstalled(in: text) { return .success(text) }
        var hooks: [(String, JSONValue)] = []
        if let existing = root.last(where: { $0.0 == "hooks" })?.1 {
            guard case .object(let pairs) = existing else { return .failure(Failure(description: "\(configPath): \"hooks\" is not an object")) }
            hooks = pairs
        }
        for event in events {
            var list: [JSONValue] = []
            if let index = hooks.lastIndex(where: { $0.0 == event }) {
                guard case .array(let items) = hooks[index].1 else { return .failure(Failure(description: "\(configPath): hooks.\(event) is not a list")) }
                list = items
                hooks[index].1 = .array(list + [hookEntry])
            } else {
                hooks.append((event, .array([hookEntry])))
            }
        }
        var newRoot = root.filter { $0.0 != "hooks" }
        newRoot.append(("hooks", .object(hooks)))
        return .success(JSONValue.object(newRoot).pretty() + "\n")
    }

    func jsonUninstalled(from text: String) -> Result<String, Failure> {
        guard isInstalled(in: text), case .object(var root)? = JSONValue.parse(text),
            let index = root.lastIndex(where: { $0.0 == "hooks" }), case .object(var hooks) = root[index].1
        else { return .success(text) }
        // Restored byte for byte when nothing else changed since install.
        if let backup = FileSystem.readText(configPath + ".orch-backup").successValue, (try? installed(into: backup).get()) == text {
            return .success(backup)
        }
        hooks = hooks.compactMap { pair in
            guard case .array(let items) = pair.1 else { return pair }
            let kept = items.filter { $0 != hookEntry }
            return kept.isEmpty && events.contains(pair.0) ? nil : (pair.0, .array(kept))
        }
        if hooks.isEmpty { root.remove(at: index) } else { root[index].1 = .object(hooks) }
        return .success(JSONValue.object(root).pretty() + "\n")
    }
}
