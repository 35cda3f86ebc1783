#if canImport(Glibc)
import Glibc
#endif

/// Runs orch commands against a tmux session: the one context every mode (REPL, script, `-c`,
/// one-shot) shares.
public actor Interpreter {
    let output: OutputSink
    let options: InterpreterOptions
    let tmux: TmuxClient
    let style: Style
    var sender: Sender

    /// Set by `session NAME` (outside the config) or by `-s`/`$ORCH_SESSION`.
    var chosenSession: String?
    /// Set by `session NAME` inside init.orch: used only when nothing above chose one.
    var configSession: String?
    var isRunningConfig = false
    var declarations: [AgentDeclaration] = []
    var patterns: [PatternRule] = []
    var cachedRegistry: (session: String, registry: AgentRegistry)?
    /// The session last read (the REPL's prompt keeps showing it while the cache is reset).
    var lastSession: String?
    var settings: [String: String] = [:]
    /// The `--format` of the command running now, over the command line's.
    var commandFormat: OutputFormat?
    /// How results print: the command's `--format`, else the command line's.
    var format: OutputFormat { commandFormat ?? options.format }
    /// A journal entry could not be written and the user was told (once per run).
    var journalWarned = false
    /// The queue could not be written when dispatching (said once until it can be again).
    var queueWriteFailing = false
    /// The state watcher, started on first need (`wait`, `watch on`, the REPL).
    var watcher: Watcher?
    var noticeTask: Task<Void, Never>?
    var noticeSink: (@Sendable (String) -> Void)?
    /// Whether notices are printed: `watch on|off`.
    var noticesOn = false
    /// `dispatch on`: queued tasks go to agents as they become free.
    var dispatchOn = false
    var dispatchLock: DispatchLock?
    var dispatchTask: Task<Void, Never>?
    /// While dispatching: the queue file's folder, watched so a task queued by another orch
    /// process (`orch queue …` from a shell) is handed out at once, not at the next state change.
    var queueWatch: FolderWatch?
    var queueRoundPending = false
    /// The queue file's size when last looked at (appends only grow it; compaction replaces it).
    var queueFileSize: Int?
    /// The REPL started before its tmux server or session: tries to start watching every second.
    var watchRetry: Task<Void, Never>?
    /// Agents a queued task is being typed into right now.
    var delivering: Set<String> = []
    /// `set quiet`: how long a pane must be still before a turn without a done line counts as
    /// finished, for every agent; nil: each profile's own (`AgentProfile.quiet`).
    var quiet: Duration?
    /// `host NAME …`: the interpreter of each other machine, and the order they were declared in.
    var hosts: [String: Interpreter] = [:]
    var hostOrder: [String] = []
    /// Each host's agent names as last read (Tab completion offers them too).
    var hostAgentNames: [String: [String]] = [:]
    /// While dispatching: each host's watcher events, which free its agents for queued tasks.
    var hostDispatchTasks: [Task<Void, Never>] = []
    /// Told the agent names whenever they are (re)discovered, e.g. for Tab completion.
    var agentNamesObserver: (@Sendable ([String]) -> Void)?

    public init(options: InterpreterOptions, output: OutputSink) {
        self.options = options
        self.output = output
        self.tmux = TmuxClient(endpoint: options.endpoint)
        self.style = Style(enabled: options.color)
        self.sender = Sender(tmux: tmux, settle: options.settle)
        self.chosenSession = options.session
    }

    /// Calls `observer` with the agent names now (if known) and whenever they are re-read.
    public func observeAgentNames(_ observer: @escaping @Sendable ([String]) -> Void) {
        agentNamesObserver = observer
        if cachedRegistry != nil { observer(allAgentNames) }
    }

    // MARK: Running source

    /// Parses all of `source` first (a syntax error runs nothing), then runs it.
    public func run(source: String, file: String) async throws(OrchError) -> Flow {
        let commands: [Command]
        do {
            commands = try Parser.parse(source: source, file: file)
        } catch {
            throw OrchError(error)
        }
        return try await run(commands)
    }

    /// Runs the config file `path` (init.orch): its `session` line is only a default.
    public func runConfig(path: String) async throws(OrchError) {
        isRunningConfig = true
        defer { isRunningConfig = false }
        _ = try await runFile(path, at: nil)
    }

    /// Runs `commands` in order, stopping at the first error, `break` or `exit`.
    public func run(_ commands: [Command]) async throws(OrchError) -> Flow {
        for command in commands {
            if Task.isCancelled { throw .interrupted(at: command.location) }
            let flow = try await execute(command)
            if flow != .next { return flow }
        }
        return .next
    }

    func runFile(_ path: String, at location: SourceLocation?) async throws(OrchError) -> Flow {
        switch FileSystem.readText(path) {
        case .failure(let error): throw OrchError(error.description, at: location)
        case .success(let text): return try await run(source: text, file: path)
        }
    }

    // MARK: Dispatch

    func execute(_ command: Command) async throws(OrchError) -> Flow {
        if !hosts.isEmpty, let flow = try await runOnHosts(command) { return flow }
        return try await executeHere(command)
    }

    /// Runs `command` on this interpreter's own tmux server (`execute` first sends what is
    /// about other hosts' agents there).
    func executeHere(_ command: Command) async throws(OrchError) -> Flow {
        let at = command.location
        let outer = commandFormat
        if let format = command.format { commandFormat = format }
        defer { commandFormat = outer }
        switch command.kind {
        case .host(let declaration): try await declareHost(declaration, at: at)
        case .session(let name): try await selectSession(name, at: at)
        case .agent(let name, let window, let profile): try await declareAgent(name, window: window, profile: profile, at: at)
        case .agents: try await listAgents(at: at)
        case .status(let refs): try await showStatus(refs, at: at)
        case .send(let sendOptions, let targets, let text): try await send(text, to: targets, options: sendOptions, at: at)
        case .enter(let ref): try pressKeys(["Enter"], on: ref, at: at)
        case .key(let ref, let keys): try pressKeys(keys, on: ref, at: at)
        case .peek(let ref, let lines): try peek(ref, lines: lines ?? Self.defaultPeekLines, at: at)
        case .reply(let ref): try await showReply(ref, at: at)
        case .sleep(let duration): try await pause(for: duration, at: at)
        case .echo(let text): output.print(text)
        case .source(let path): return try await runFile(path, at: at)
        case .help(let topic): try help(topic, at: at)
        case .exit: return .exit
        case .breakLoop: return .breakLoop
        case .block(let body): return try await run(body)
        case .loopTimes(let count, let body): return try await loop(body, times: count)
        case .loopEvery(let interval, let body): return try await loop(body, every: interval, at: at)
        case .set(let name, let value): try await set(name, value, at: at)
        case .pattern(let profile, let state, let text): try await addPattern(profile: profile, state: state, text: text, at: at)
        case .wait(let condition, let selection, let timeout): try await wait(for: condition, selection, timeout: timeout, at: at)
        case .loopUntil(let condition, let body): return try await loop(body, until: condition, at: at)
        case .queueAdd(let target, let text): try await queueAdd(target, text: text, at: at)
        case .queueList: try queueList(at: at)
        case .queueRemove(let id): try queueRemove(id, at: at)
        case .queueRetry(let id): try await queueRetry(id, at: at)
        case .queueClear: try queueClear(at: at)
        case .dispatch(let on): try await setDispatch(on, at: at)
        case .watch(let on): try await watch(on, at: at)
        case .log(let count): try showLog(count ?? 20, at: at)
        }
        return .next
    }

    // MARK: Control

    func pause(for duration: Duration, at location: SourceLocation) async throws(OrchError) {
        do {
            try await Task.sleep(for: duration)
        } catch {
            throw .interrupted(at: location)
        }
    }

    func loop(_ body: [Command], times: Int) async throws(OrchError) -> Flow {
        for _ in 0..<times {
            let flow = try await run(body)
            if flow == .breakLoop { break }
            if flow == .exit { return .exit }
        }
        return .next
    }

    func loop(_ body: [Command], every interval: Duration, at location: SourceLocation) async throws(OrchError) -> Flow {
        let clock = ContinuousClock()
        var next = clock.now
        while true {
            let flow = try await run(body)
            if flow == .breakLoop { return .next }
            if flow == .exit { return .exit }
            next = next.advanced(by: interval)
            if next < clock.now { next = clock.now }  // a slow body does not cause a burst of catch-up runs
            do {
                try await Task.sleep(until: next, clock: clock)
            } catch {
                throw .interrupted(at: location)
            }
        }
    }

    // MARK: Settings

    /// Settings `set` knows, with what each value must look like.
    static let knownSettings: [Setting] = [
        Setting(name: "bell", help: "on|off: ring the terminal bell with a notice", isValid: { $0 == "on" || $0 == "off" }),
        Setting(name: "quiet", help: "a duration: how long a pane must be still before a turn counts as done", isValid: { Duration.parse($0) != nil }),
        Setting(name: "settle", help: "a duration: pause between typed text and its Enter", isValid: { $0 == "0" || Duration.parse($0) != nil }),
        Setting(name: "ready-timeout", help: "a duration: how long send waits for a working agent to be free", isValid: { Duration.parse($0) != nil }),
    ]

    /// A setting `set NAME VALUE` accepts.
    struct Setting: Sendable {
        var name: String
        var help: String
        var isValid: @Sendable (String) -> Bool
    }

    func set(_ name: String, _ value: String, at location: SourceLocation) async throws(OrchError) {
        guard let setting = Self.knownSettings.first(where: { $0.name == name }) else {
            let names = Self.knownSettings.map(\.name).joined(separator: ", ")
            throw OrchError("set: unknown setting '\(name)' (settings: \(names))", kind: .usage, at: location)
        }
        guard setting.isValid(value) else {
            throw OrchError("set \(name): '\(value)' is not valid (\(setting.help))", kind: .usage, at: location)
        }
        settings[name] = value
        if name == "settle" { sender.settle = Duration.parse(value) ?? .zero }
        if name == "quiet", let duration = Duration.parse(value) {
            quiet = duration
            await watcher?.configure(declarations: declarations, patterns: patterns, quiet: quiet)
        }
    }

    func addPattern(profile: String, state: AgentState, text: String, at location: SourceLocation) async throws(OrchError) {
        guard AgentProfile.named(profile) != nil else {
            let names = AgentProfile.builtIn.map(\.name).joined(separator: ", ")
            throw OrchError("pattern: unknown profile '\(profile)' (profiles: \(names))", kind: .usage, at: location)
        }
        patterns.append(PatternRule(profile: profile, state: state, text: text))
        cachedRegistry = nil
        await watcher?.configure(declarations: declarations, patterns: patterns, quiet: quiet)
    }

    // MARK: Help

    func help(_ topic: String?, at location: SourceLocation) throws(OrchError) {
        guard let topic else {
            output.print("Commands (help COMMAND for details):")
            let width = (CommandCatalog.all.map(\.name.count).max() ?? 0) + 2
            for entry in CommandCatalog.all {
                output.print("  " + entry.name.padding(to: width) + entry.summary)
            }
            return
        }
        guard let entry = CommandCatalog.named(topic) else {
            let hint = CommandCatalog.suggestion(for: topic).map { " — did you mean '\($0)'?" } ?? " (type 'help' for the list)"
            throw OrchError("help: no command '\(topic)'\(hint)", kind: .usage, at: location)
        }
        output.print(entry.syntax)
        output.print("")
        let width = max(40, Self.terminalWidth() - 1)
        for paragraph in entry.details.split(separator: "\n", omittingEmptySubsequences: false) {
            for line in Self.wrap(String(paragraph), width: width - 2) { output.print("  " + line) }
        }
        output.print("")
        output.print("Example:")
        for line in entry.example.split(separator: "\n", omittingEmptySubsequences: false) {
            output.print("  " + line)
        }
    }
}

extension Interpreter {
    /// The terminal's width when standard output is one, else `$COLUMNS`, else 80.
    static func terminalWidth() -> Int {
        var size = winsize()
        if isatty(1) != 0, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return FileSystem.environment("COLUMNS").flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 80
    }

    /// `text` broken at spaces into lines of at most `width` columns (a longer word stays whole).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty {
                current = String(word)
            } else if current.displayWidth + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        lines.append(current)
        return lines
    }

    /// The session name to show in the prompt, without asking tmux.
    public var sessionLabel: String? { chosenSession ?? configSession ?? cachedRegistry?.session ?? lastSession }

    /// Discovers the agents now (REPL start), so completion knows them; returns their names.
    public func discoverAgents() throws(OrchError) -> (session: String, agents: [String]) {
        let (session, registry) = try registry(at: nil, refresh: true)
        return (session, registry.agents.map(\.name))
    }
}
