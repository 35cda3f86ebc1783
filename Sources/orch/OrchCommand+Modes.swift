import OrchCore

#if canImport(Glibc)
import Glibc
#endif

extension OrchCommand {
    func makeInterpreter(_ output: OutputSink = StandardOutput(), options: InterpreterOptions? = nil) -> Interpreter {
        let interpreter = Interpreter(options: options ?? interpreterOptions, output: output)
        runConfig(interpreter)
        return interpreter
    }

    /// Runs init.orch (or --config); its errors are reported and do not stop orch.
    func runConfig(_ interpreter: Interpreter) {
        let path = config ?? OrchPaths.initFile
        guard config != nil || FileSystem.exists(path) else { return }
        if let error = runBlocking({ () -> OrchError? in
            do throws(OrchError) { try await interpreter.runConfig(path: path) } catch { return error }
            return nil
        }) {
            FileSystem.writeAll("orch: in config: \(error)\n", to: 2)
        }
    }

    /// Script text from a file, stdin or -c: parsed whole first, then run; stops at the first error.
    func runScript(_ source: String, file: String, options: InterpreterOptions? = nil) -> Int32 {
        let interpreter = makeInterpreter(options: options)
        let failure = runBlocking { () -> OrchError? in
            do throws(OrchError) { _ = try await interpreter.run(source: source, file: file) } catch { return error }
            return nil
        }
        // Before exiting: the watcher's tmux client must leave through ControlClientGate. (Not in
        // the closure above: an OrchError? kept across this await there came back corrupt in
        // release builds — Swift 6.3.1, `orch demo --script` crashed on exit.)
        runBlocking { await interpreter.shutdown() }
        guard let failure else { return Self.outputStatus() }
        FileSystem.writeAll("\(failure)\n", to: 2)
        return failure.exitStatus
    }

    /// 0, or 1 with a message when standard output could not be written (a full disk, a closed pipe).
    static func outputStatus() -> Int32 {
        guard let code = StandardOutput.outputFailure.withLock({ $0 }) else { return 0 }
        FileSystem.writeAll("orch: error: cannot write standard output: \(String(cString: strerror(code)))\n", to: 2)
        return 1
    }

    /// `orch CMD ARGS…`: each word verbatim, one command.
    func runOneShot(_ allWords: [String]) -> Int32 {
        let words: [String]
        let command: OrchCommand
        switch extractTrailingOptions(allWords) {
        case .success(let (kept, adjusted)): (words, command) = (kept, adjusted)
        case .failure(let error):
            FileSystem.writeAll("orch: \(error)\n", to: 2)
            return error.exitStatus
        }
        let interpreter = command.makeInterpreter(options: command.interpreterOptions)
        let failure = runBlocking { () -> OrchError? in
            do {
                let commands = try Parser.parse(arguments: words)
                _ = try await interpreter.run(commands)
            } catch let error as Diagnostic {
                return OrchError(error)
            } catch let error as OrchError {
                return error
            } catch {
                return OrchError("\(error)")
            }
            return nil
        }
        // Before exiting (`orch wait` watches): its tmux client leaves through ControlClientGate.
        runBlocking { await interpreter.shutdown() }
        guard let failure else { return Self.outputStatus() }
        FileSystem.writeAll("orch: \(failure)\n", to: 2)
        return failure.exitStatus
    }

    /// Commands whose words are never free text: after them, orch's own options count as options
    /// wherever they are, as users type them (`orch status --no-color`, `orch wait done amp
    /// --format json`); after `send`, `echo` or `queue TEXT` every word stays text.
    static let commandsTakingOptionsAfter: Set<String> = ["status", "agents", "log", "wait", "reply", "peek"]

    /// `orch status --format json -L work`: the global options among the words of a command that
    /// takes no free text, taken out and applied to a copy of this command line.
    func extractTrailingOptions(_ words: [String]) -> Result<([String], OrchCommand), OrchError> {
        guard let verb = words.first, Self.commandsTakingOptionsAfter.contains(verb) || words.prefix(2) == ["queue", "list"] else {
            return .success((words, self))
        }
        var command = self
        var kept: [String] = []
        var i = 0
        while i < words.count {
            var word = words[i]
            var inline: String?
            if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
                inline = String(word[word.index(after: equals)...])
                word = String(word[..<equals])
            }
            func value() -> Result<String, OrchError> {
                if let inline { return .success(inline) }
                guard i + 1 < words.count else { return .failure(OrchError("\(word) needs a value", kind: .usage)) }
                i += 1
                return .success(words[i])
            }
            switch word {
            case "--no-color", "--no-watch":
                guard inline == nil else { return .failure(OrchError("\(word) takes no value", kind: .usage)) }
                if word == "--no-color" { command.noColor = true } else { command.noWatch = true }
            case "--format", "-L", "--socket-name", "-S", "--socket-path", "-s", "--session", "--config":
                let given: String
                switch value() {
                case .success(let text): given = text
                case .failure(let error): return .failure(error)
                }
                switch word {
                case "--format":
                    guard OutputFormat(rawValue: given) != nil else {
                        return .failure(OrchError("--format must be text or json, not '\(given)'", kind: .usage))
                    }
                    command.format = given
                case "-L", "--socket-name": command.socketName = given
                case "-S", "--socket-path": command.socketPath = given
                case "-s", "--session": command.session = given
                default: command.config = given
                }
            default:
                kept.append(words[i])
            }
            i += 1
        }
        if command.socketName != nil && command.socketPath != nil {
            return .failure(OrchError("give -L/--socket-name or -S/--socket-path, not both", kind: .usage))
        }
        return .success((kept, command))
    }

    /// `orch __complete [--unquoted] 'TEXT BEFORE CURSOR'`: the shell completion scripts'
    /// helper; prints the candidates for the last word, one per line, with the live agents of
    /// the session. Quoted for bash, which inserts them as they are; `--unquoted` for zsh and
    /// fish, which quote what they insert by their own rules.
    func complete(_ text: String, quoted: Bool = true) -> Int32 {
        let interpreter = Interpreter(options: interpreterOptions, output: CapturedOutput())
        let agents = runBlocking { () -> [String] in
            do throws(OrchError) { return try await interpreter.discoverAgents().agents } catch { return [] }
        }
        let isCommandWord = !text.contains(" ")
        var candidates = Completer.complete(text, vocabulary: CompletionVocabulary(agents: agents)).candidates
        if isCommandWord && "demo".hasPrefix(text) { candidates.append("demo") }
        if !quoted { candidates = candidates.map(Completer.unquote) }
        for candidate in candidates.sorted() { FileSystem.writeAll(candidate + "\n", to: 1) }
        return 0
    }

    func runREPL() -> Int32 {
        let interpreter = makeInterpreter()
        let style = Style(enabled: interpreterOptions.color)
        var greeting: [String] = []
        let found = runBlocking { () -> Result<(session: String, agents: [String]), OrchError> in
            do throws(OrchError) { return .success(try await interpreter.discoverAgents()) } catch { return .failure(error) }
        }
        switch found {
        case .success(let (session, agents)):
            greeting.append("orch \(OrchVersion.current) — session \(session), agents: \(agents.isEmpty ? "none" : agents.joined(separator: ", ")). Type help, Tab completes.")
        case .failure(let error):
            greeting.append("orch \(OrchVersion.current) — \(error.message)")
        }
        return Self.runREPL(interpreter, greeting: greeting, style: style, watch: !noWatch)
    }

    /// The REPL over `interpreter`, with the watcher's notices above the prompt unless --no-watch.
    /// `historyPath` nil: the user's history file (the demo keeps its own, in its folder).
    static func runREPL(_ interpreter: Interpreter, greeting: [String], style: Style, watch: Bool, historyPath: String? = nil) -> Int32 {
        let repl = REPL(interpreter: interpreter, historyPath: historyPath ?? OrchPaths.historyFile, style: style)
        var greeting = greeting
        if watch {
            // Watching and dispatching are on by default in the REPL (docs/language.md).
            let problem = runBlocking { () -> OrchError? in
                await interpreter.setWatching(true)
                do throws(OrchError) {
                    try await interpreter.startWatching()
                    try await interpreter.setDispatch(true)
                } catch {
                    return error
                }
                return nil
            }
            if let problem {
                greeting.append(problem.message + " — watching starts when it appears")
                runBlocking { await interpreter.watchWhenTmuxAppears(dispatch: true) }
            }
        }
        let status = repl.run(greeting: greeting)
        runBlocking { await interpreter.shutdown() }
        return status
    }

    func readStandardInput() -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(0, &buffer, buffer.count)
            if n > 0 { bytes.append(contentsOf: buffer[0..<n]) } else if n == 0 || errno != EINTR { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// orch's version, printed by --version and the REPL greeting.
enum OrchVersion {
    static let current = "0.1.0"
}
