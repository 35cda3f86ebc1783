#if canImport(Glibc)
import Glibc
#endif

/// A window of a tmux session, with the id of its (first) pane.
public struct TmuxWindow: Sendable, Hashable {
    public var index: Int
    public var name: String
    /// The pane id (`%3`): stable for the pane's life, unlike window indexes and names.
    public var paneID: String
    /// The pane's program has exited and tmux keeps the pane (`remain-on-exit`): nothing reads
    /// what is typed there until it is respawned.
    public var isDead: Bool
    /// When the window last printed (`#{window_activity}`, seconds since the epoch): a reader
    /// that was not watching learns whether the agent printed since a prompt was sent.
    public var activity: Int
    /// The tmux server's process id: pane ids are only unique within one server's life, so
    /// the turn log is kept per server.
    public var serverPID: Int32
    /// The window id (`@2`): what the watcher subscribes to for `#{pane_dead}`.
    public var windowID: String
    public init(index: Int, name: String, paneID: String, isDead: Bool = false, activity: Int = 0, serverPID: Int32 = 0, windowID: String = "") {
        self.windowID = windowID
        self.index = index
        self.name = name
        self.paneID = paneID
        self.isDead = isDead
        self.activity = activity
        self.serverPID = serverPID
    }

    /// The `list-windows -F` format every window listing uses (one-shot or control mode).
    public static let listFormat = "#{window_index}\t#{pane_id}\t#{pane_dead}\t#{window_activity}\t#{pid}\t#{window_id}\t#{session_name}\t#{window_name}"

    /// One line of `listFormat` output: the window and its session; nil for a malformed line.
    public static func parse(_ line: Substring) -> (session: String, window: TmuxWindow)? {
        let fields = line.split(separator: "\t", maxSplits: 7, omittingEmptySubsequences: false)
        guard fields.count == 8, let index = Int(fields[0]) else { return nil }
        return (
            String(fields[6]),
            TmuxWindow(
                index: index, name: String(fields[7]), paneID: String(fields[1]), isDead: fields[2] == "1", activity: Int(fields[3]) ?? 0,
                serverPID: Int32(fields[4]) ?? 0, windowID: String(fields[5]))
        )
    }
}

/// Every one-shot tmux command orch runs: one place that knows tmux's command syntax.
///
/// Commands go by argument vector through `Spawner`, never through a shell.
public struct TmuxClient: Sendable {
    public var endpoint: TmuxEndpoint
    public var timeout: Duration

    public init(endpoint: TmuxEndpoint = TmuxEndpoint(), timeout: Duration = .seconds(10)) {
        self.endpoint = endpoint
        self.timeout = timeout
    }

    /// Runs `tmux <endpoint flags> arguments…` and returns its standard output.
    @discardableResult
    public func run(_ arguments: [String], input: [UInt8]? = nil) throws(TmuxError) -> String {
        let (program, full) = endpoint.invocation(arguments)
        let result: SpawnResult
        do {
            result = try Spawner.run(program, full, input: input, timeout: timeout)
        } catch {
            switch error {
            case .cannotStart: throw endpoint.host.map { .unreachable($0.name, "ssh is not installed or not in PATH") } ?? .notInstalled
            case .timedOut: throw .timedOut(arguments)
            case .io(let what, let code): throw .failed(command: arguments.first ?? "", message: "\(what) failed (errno \(code))")
            }
        }
        // ssh's own failures (no route, refused, no key) end it with 255; tmux never does.
        if let host = endpoint.host, result.status == 255 {
            throw .unreachable(host.name, result.stderrText.split(separator: "\n").last.map(String.init) ?? "ssh failed")
        }
        if endpoint.host != nil, result.status == 127 { throw .failed(command: "tmux", message: "tmux is not installed on that host (or not in ssh's PATH)") }
        guard result.status == 0 else { throw classify(result.stderrText, arguments: arguments) }
        return result.stdoutText
    }

    private func classify(_ stderr: String, arguments: [String]) -> TmuxError {
        let message = stderr.split(separator: "\n").first.map(String.init) ?? "exit status non-zero"
        // `server exited unexpectedly`, `lost server`: it died while this command ran (killed,
        // or still shutting down after kill-server): gone all the same.
        if message.hasPrefix("no server running") || message.hasPrefix("error connecting to")
            || message.hasPrefix("no sessions") || message.hasPrefix("server exited unexpectedly") || message.hasPrefix("lost server")
        {
            return .noServer(endpoint)
        }
        if message.hasPrefix("no current target") || message.hasPrefix("no current session") {
            return .failed(command: arguments.first ?? "", message: "the tmux server has no session: start one (tmux new -s moana-orchestration)")
        }
        if let range = message.firstRange(of: "can't find session: ") {
            let name = String(message[range.upperBound...])
            return .noSession(name, available: (try? listSessions()) ?? [])
        }
        for prefix in ["can't find window: ", "can't find pane: "] {
            if let range = message.firstRange(of: prefix) { return .noTarget(String(message[range.upperBound...])) }
        }
        return .failed(command: arguments.first ?? "", message: message)
    }

    // MARK: Sessions and windows

    /// The names of the server's sessions; throws `noServer` when none is running.
    public func listSessions() throws(TmuxError) -> [String] {
        try run(["list-sessions", "-F", "#{session_name}"]).split(separator: "\n").map(String.init)
    }

    /// The windows of `session`, in index order.
    public func listWindows(session: String) throws(TmuxError) -> [TmuxWindow] {
        let text = try run(["list-windows", "-t", exactSession(session), "-F", TmuxWindow.listFormat])
        return text.split(separator: "\n").compactMap { TmuxWindow.parse($0)?.window }
    }

    /// Every window of every session, in one call: (session, window), sessions in tmux's order.
    public func listAllWindows() throws(TmuxError) -> [(session: String, window: TmuxWindow)] {
        let text = try run(["list-windows", "-a", "-F", TmuxWindow.listFormat])
        return text.split(separator: "\n").compactMap(TmuxWindow.parse)
    }

    /// `=NAME` makes tmux match the session name exactly rather than by prefix.
    public func exactSession(_ session: String) -> String { "=" + session }

    // MARK: Panes

    /// The visible screen of `pane` (wrapped lines joined), optionally with colour escapes.
    /// `scrollback`: also this many lines of history above the screen (`-S -N`).
    public func capturePane(_ pane: String, escapes: Bool = false, scrollback: Int = 0) throws(TmuxError) -> String {
        try run(["capture-pane", "-p", "-J"] + (escapes ? ["-e"] : []) + (scrollback > 0 ? ["-S", "-\(scrollback)"] : []) + ["-t", pane])
    }

    /// The visible screen of `pane` with its colours, and where the cursor is, in one tmux call
    /// (`capture-pane ; display-message`): the sender's evidence for "still typed".
    /// `joined: false` keeps wrapped lines apart, so line numbers are the cursor's rows.
    public func captureWithCursor(_ pane: String, joined: Bool = true) throws(TmuxError) -> (screen: String, cursor: PaneCursor) {
        let text = try run(["capture-pane", "-p"] + (joined ? ["-J"] : []) + ["-e", "-t", pane, ";", "display-message", "-p", "-t", pane, PaneCursor.format])
        var body = Substring(text)
        if body.hasSuffix("\n") { body = body.dropLast() }
        let split = body.lastIndex(of: "\n")
        let last = split.map { body[body.index(after: $0)...] } ?? body
        let screen = split.map { String(body[..<$0]) } ?? ""
        return (screen, PaneCursor(parsing: last) ?? PaneCursor(x: -1, y: -1, inMode: false))
    }

    /// What `pane`'s program has not read yet, when its terminal is on this machine.
    public func paneInput(_ pane: String) -> PaneInput? {
        guard endpoint.host == nil, let tty = try? run(["display-message", "-p", "-t", pane, "#{pane_tty}"]) else { return nil }
        return PaneInput(tty: String(tty.split(separator: "\n").first ?? ""))
    }

    /// The names of the server's paste buffers.
    public func bufferNames() throws(TmuxError) -> [String] {
        try run(["list-buffers", "-F", "#{buffer_name}"]).split(separator: "\n").map(String.init)
    }

    public func deleteBuffer(_ name: String) {
        _ = try? run(["delete-buffer", "-b", name])
    }

    /// Types `text` into `pane` literally: no key-name lookup, byte-exact.
    ///
    /// Long or multi-line text goes through a paste buffer instead (`paste(_:into:)`): tmux limits
    /// the size of one command, and a newline typed as a key would submit the line.
    public func typeLiteral(_ text: String, into pane: String) throws(TmuxError) {
        guard endpoint.host == nil else {
            // Never in a remote shell's command line: through ssh's standard input, and pasted
            // unbracketed, which the program reads as typed keys.
            let buffer = "orch-type-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try run(["load-buffer", "-b", buffer, "-"], input: Array(text.utf8))
            try run(["paste-buffer", "-r", "-d", "-b", buffer, "-t", pane])
            return
        }
        try run(["send-keys", "-t", pane, "-l", "--", Self.protectTrailingSemicolon(text)])
    }

    /// Pastes `text` into `pane` as one bracketed paste (when the program asked for bracketed
    /// pastes), so newlines stay text; the buffer is deleted afterwards.
    public func paste(_ text: String, into pane: String, bufferName: String) throws(TmuxError) {
        try run(["load-buffer", "-b", bufferName, "-"], input: Array(text.utf8))
        try run(["paste-buffer", "-p", "-r", "-d", "-b", bufferName, "-t", pane])
    }

    /// Sends tmux key names (`Enter`, `C-c`, `Escape`, `Up`…) to `pane`.
    public func sendKeys(_ keys: [String], to pane: String) throws(TmuxError) {
        try run(["send-keys", "-t", pane, "--"] + keys.map(Self.protectTrailingSemicolon))
    }

    /// tmux reads an argument that ends in `;` as a command separator, even in an argument
    /// vector; `\;` at the end stands for a literal `;` (tmux's cmd-parse.c).
    static func protectTrailingSemicolon(_ argument: String) -> String {
        guard argument.hasSuffix(";") else { return argument }
        return String(argument.dropLast()) + "\\;"
    }

    // MARK: Servers (demo and tests)

    /// Starts a detached session whose first window is named `window` and runs `command`.
    public func newSession(_ session: String, window: String, command: [String]? = nil, width: Int = 160, height: Int = 48) throws(TmuxError) {
        try run(["new-session", "-d", "-s", session, "-n", window, "-x", String(width), "-y", String(height)] + (command ?? []))
    }

    /// Adds a window named `name` at `index` running `command`.
    public func newWindow(session: String, name: String, index: Int? = nil, command: [String]? = nil) throws(TmuxError) {
        let target = index.map { "\(exactSession(session)):\($0)" } ?? "\(exactSession(session)):"
        try run(["new-window", "-d", "-t", target, "-n", name] + (command ?? []))
    }

    /// Stops the server and removes its socket file (tmux leaves it behind) and orch's lock
    /// beside it (`ControlClientGate`); for private servers only (demo, tests).
    public func killServer() {
        _ = try? run(["kill-server"])
        if endpoint.socketName != nil, let file = endpoint.socketFile {
            FileSystem.remove(file)
            FileSystem.remove(ControlClientGate.lockPath(endpoint))
        }
    }
}
