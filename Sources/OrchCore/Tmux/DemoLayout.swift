#if canImport(Glibc)
import Glibc
#endif

/// The seed guide's tmux layout on a private server, each agent window running a simulated agent
/// (`orch __sim-agent`): 0 main, 1 claude, 2 amp, 3 antigravity-proxy, 4 antigravity, 5 codex.
public struct DemoLayout: Sendable {
    public static let session = "moana-orchestration"
    public var socketName: String
    /// The orch binary, which runs simulated agents as `orch __sim-agent`.
    public var executable: String
    public var tmux: TmuxClient

    public init(socketName: String, executable: String) {
        self.socketName = socketName
        self.executable = executable
        self.tmux = TmuxClient(endpoint: TmuxEndpoint(socketName: socketName))
    }

    /// The windows after `main`: name, simulated profile, extra options (codex swallows an Enter
    /// that follows text within 120 ms, as the real one does, docs/facts.md).
    public static let windows: [(name: String, profile: String, options: [String])] = [
        ("claude", "claude", ["--work", "6s"]),
        ("amp", "amp", ["--work", "4s"]),
        ("antigravity-proxy", "generic", ["--title", "Antigravity proxy (not an agent)"]),
        ("antigravity", "antigravity", ["--work", "8s"]),
        ("codex", "codex", ["--work", "5s", "--swallow", "120ms"]),
    ]

    public func start() throws(TmuxError) {
        // Window 0 is the orchestrator's own terminal in the seed; here it idles with a note.
        try tmux.newSession(Self.session, window: "main", command: [executable, "__sim-agent", "--profile", "generic", "--title", "main: the orchestrator's terminal (not an agent)"])
        for (offset, window) in Self.windows.enumerated() {
            try tmux.newWindow(session: Self.session, name: window.name, index: offset + 1, command: [executable, "__sim-agent", "--profile", window.profile] + window.options)
        }
        // Keep names fixed: programs would otherwise rename windows after themselves.
        try tmux.run(["set-option", "-g", "allow-rename", "off"])
    }

    public func stop() { tmux.killServer() }

    public var greeting: [String] {
        [
            "orch demo — a private tmux server (socket \(socketName)) laid out as in the guide, with simulated agents claude, amp, antigravity, codex.",
            "Try:  status   ·   send amp \"write the parser\"   ·   peek amp   ·   send claude,codex 'review src/'   ·   help",
            "Simulated agents obey two markers in a prompt: [work=20s] sets how long the turn lasts, [ask] makes the agent ask a permission question (state input).",
            "Watch them from another terminal: tmux -L \(socketName) attach -t \(Self.session)",
            "The server is removed when you leave (exit or Ctrl-D).",
        ]
    }

    /// Servers of demos that were killed before they could clean up (their pid is gone).
    public static func removeStaleServers() {
        for name in FileSystem.list(TmuxEndpoint.userSocketDirectory) where name.hasPrefix("orch-demo-") {
            guard let pid = Int32(name.dropFirst("orch-demo-".count)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            TmuxClient(endpoint: TmuxEndpoint(socketName: name), timeout: .seconds(2)).killServer()
        }
    }
}
