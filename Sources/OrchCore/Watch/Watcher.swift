#if canImport(Glibc)
import Glibc
#endif

/// Follows every agent of a session through one tmux control-mode client and keeps each agent's
/// state current: `%output` for a pane → debounce → capture the pane (through the same client,
/// no process started) → classify → `StateTracker` → transitions to subscribers.
///
/// Nothing polls: an idle agent prints nothing, so the watcher does nothing.
public actor Watcher {
    public let endpoint: TmuxEndpoint
    public let session: String
    var declarations: [AgentDeclaration]
    var patterns: [PatternRule]
    let debounce: Duration
    var quiet: Duration
    let clock = ContinuousClock()

    var connection: ControlConnection?
    var registry = AgentRegistry(windows: [], declarations: [])
    var trackers: [String: StateTracker] = [:]
    var scheduled: Set<String> = []
    var rechecks: [String: Task<Void, Never>] = [:]
    var subscribers: [Int: AsyncStream<WatchEvent>.Continuation] = [:]
    var nextSubscriber = 0
    var loop: Task<Void, Never>?
    var stopped = false
    var windowRefreshScheduled = false

    public init(endpoint: TmuxEndpoint, session: String, declarations: [AgentDeclaration] = [], patterns: [PatternRule] = [], debounce: Duration = .milliseconds(20), quiet: Duration = .milliseconds(1500)) {
        self.endpoint = endpoint
        self.session = session
        self.declarations = declarations
        self.patterns = patterns
        self.debounce = debounce
        self.quiet = quiet
    }

    // MARK: Life cycle

    /// Connects and reads every agent's screen once; throws when tmux or the session is missing.
    public func start() async throws(TmuxError) {
        // The one-shot client gives the precise error (no server, no such session) up front.
        _ = try TmuxClient(endpoint: endpoint).listWindows(session: session)
        try await connect()
        loop = Task { [weak self] in await self?.run() }
    }

    /// Whether the control client is attached (false while tmux is gone and orch reconnects).
    public var isConnected: Bool { connection != nil }

    /// The control client's process id while connected (benchmarks measure its CPU).
    public var clientProcessID: Int32? { connection?.clientProcessID }

    public func stop() async {
        stopped = true
        loop?.cancel()
        for task in rechecks.values { task.cancel() }
        let leaving = connection
        connection = nil
        for subscriber in subscribers.values { subscriber.finish() }
        subscribers.removeAll()
        await leaving?.closeOffThread()
    }

    private func connect() async throws(TmuxError) {
        let connection = try await ControlConnection.open(endpoint: endpoint, session: session)
        guard !stopped else { return await connection.closeOffThread() }
        self.connection = connection
        // An agent's program exiting under remain-on-exit prints nothing and closes no window:
        // tmux reports it through this subscription (checked by tmux once a second).
        _ = try? await connection.command(["refresh-client", "-B", "orch-pane-dead:%*:#{pane_dead}"])
        try await refreshWindows(announce: false)
    }

    /// Consumes the connection's events; on loss, says so once and reconnects every second.
    private func run() async {
        while !stopped && !Task.isCancelled {
            if let events = connection?.events {
                for await event in events { handle(event) }
            }
            if stopped || Task.isCancelled { return }
            connection = nil
            for pane in trackers.keys { trackers[pane] = StateTracker(at: clock.now, quiet: quiet) }
            publish(.connectionLost("tmux session '\(session)' is gone (server stopped or session killed); reconnecting…"))
            while !stopped && !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if (try? TmuxClient(endpoint: endpoint, timeout: .seconds(2)).listWindows(session: session)) != nil,
                    (try? await connect()) != nil
                {
                    publish(.reconnected)
                    break
                }
            }
        }
    }

    private func handle(_ event: ControlEvent) {
        switch event {
        case .output(let pane, _):
            guard trackers[pane] != nil else { return }
            trackers[pane]?.noteOutput(at: clock.now)
            scheduleCapture(pane, after: debounce)
        case .windowsChanged:
            guard !windowRefreshScheduled else { return }
            windowRefreshScheduled = true
            Task {
                try? await Task.sleep(for: .milliseconds(50))
                self.windowRefreshScheduled = false
                try? await self.refreshWindows(announce: true)
            }
        case .attached, .exit, .reply:
            break
        }
    }

    // MARK: Subscribers

    /// Every event from now on, until `stop()`.
    public func subscribe() -> AsyncStream<WatchEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: WatchEvent.self, bufferingPolicy: .unbounded)
        let id = nextSubscriber
        nextSubscriber += 1
        subscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in Task { await self?.unsubscribe(id) } }
        return stream
    }

    private func unsubscribe(_ id: Int) { subscribers[id] = nil }

    private func publish(_ event: WatchEvent) {
        for subscriber in subscribers.values { subscriber.yield(event) }
    }

    // MARK: Agents

    /// Each agent's state now, in window order.
    public func statuses() -> [AgentStatus] {
        registry.agents.map { agent in
            let tracker = trackers[agent.paneID]
            return AgentStatus(agent: agent, state: tracker?.state ?? .unknown, since: tracker?.since ?? clock.now, evidence: tracker?.evidence)
        }
    }

    /// `agent` and `pattern` changed what the windows mean.
    public func configure(declarations: [AgentDeclaration], patterns: [PatternRule]) async {
        self.declarations = declarations
        self.patterns = patterns
        try? await refreshWindows(announce: false)
    }

    /// Re-reads the session's windows now (a window may be newer than the last notification).
    public func refreshNow() async {
        try? await refreshWindows(announce: true)
    }

    /// A prompt is about to be submitted to the agent in `pane`.
    public func noteSend(pane: String) {
        guard var tracker = trackers[pane] else { return }
        let transition = tracker.noteSend(at: clock.now, wallTime: Self.wallClock())
        trackers[pane] = tracker
        if let transition { publishTransition(transition, pane: pane) }
        scheduleRecheck(pane)
    }

    private func refreshWindows(announce: Bool) async throws(TmuxError) {
        guard let connection else { return }
        let lines = try await connection.command(["list-windows", "-t", "=" + session, "-F", TmuxWindow.listFormat])
        let windows = lines.compactMap { TmuxWindow.parse(Substring($0))?.window }
        let old = registry
        registry = AgentRegistry(windows: windows, declarations: declarations, patterns: patterns)
        let panes = Set(registry.agents.map(\.paneID))
        for agent in old.agents where !panes.contains(agent.paneID) {
            if announce {
                publish(.transition(Transition(agent: agent.name, from: trackers[agent.paneID]?.state ?? .unknown, to: .unknown, wallTime: Self.wallClock(), workedFor: nil, evidence: "window closed")))
            }
            trackers[agent.paneID] = nil
            rechecks[agent.paneID]?.cancel()
        }
        for agent in registry.agents {
            let before = old.agents.first { $0.paneID == agent.paneID }
            // New, or respawned after its program exited: its history no longer applies.
            if trackers[agent.paneID] == nil || (before?.hasExited == true && !agent.hasExited) {
                trackers[agent.paneID] = StateTracker(at: clock.now, quiet: quiet)
            }
            if agent.hasExited {
                rechecks[agent.paneID]?.cancel()
                if let transition = trackers[agent.paneID]?.noteExited(at: clock.now, wallTime: Self.wallClock()), announce || before != nil {
                    publishTransition(transition, pane: agent.paneID)
                }
                continue
            }
            await capture(agent.paneID, announce: announce || before != nil)
        }
    }

    private func scheduleCapture(_ pane: String, after delay: Duration) {
        guard !scheduled.contains(pane) else { return }
        scheduled.insert(pane)
        Task {
            try? await Task.sleep(for: delay)
            await self.capture(pane, announce: true)
        }
    }

    private func scheduleRecheck(_ pane: String) {
        guard let at = trackers[pane]?.recheckAt(clock.now) else { return }
        rechecks[pane]?.cancel()
        rechecks[pane] = Task {
            try? await Task.sleep(until: at, clock: ContinuousClock())
            if Task.isCancelled { return }
            await self.capture(pane, announce: true)
        }
    }

    /// Reads the pane's screen (with its colours: faint placeholder text is not typed text) and
    /// folds it into its tracker.
    private func capture(_ pane: String, announce: Bool) async {
        scheduled.remove(pane)
        guard let connection, let agent = registry.agents.first(where: { $0.paneID == pane }), !agent.hasExited else { return }
        let screen: String
        do {
            screen = try await connection.command(["capture-pane", "-p", "-e", "-J", "-t", pane]).joined(separator: "\n")
        } catch {
            return  // the pane is gone: the window notification follows
        }
        guard var tracker = trackers[pane] else { return }
        let reading = ScreenClassifier.classify(screen, profile: agent.profile)
        let transition = tracker.observe(reading, at: clock.now, wallTime: Self.wallClock())
        trackers[pane] = tracker
        if let transition, announce { publishTransition(transition, pane: pane) }
        scheduleRecheck(pane)
    }

    private func publishTransition(_ transition: Transition, pane: String) {
        guard let agent = registry.agents.first(where: { $0.paneID == pane }) else { return }
        var named = transition
        named.agent = agent.name
        publish(.transition(named))
    }

    static func wallClock() -> Int { Int(time(nil)) }
}
