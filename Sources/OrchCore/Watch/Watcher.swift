#if canImport(Glibc)
import Glibc
#endif

/// Follows every agent of a session through one tmux control-mode client and keeps each agent's
/// state current: `%output` for a pane → debounce → capture the pane (through the same client,
/// no process started) → classify → `StateTracker` → transitions to subscribers.
///
/// The session's `TurnLog` joins it to every other orch process: turns opened by another
/// process's `send`, and states another watcher or a CLI's hook recorded, arrive through an
/// inotify watch on the state folder; each transition this watcher decides is recorded there
/// (once, whoever saw it first) and journaled only by the process that recorded it.
///
/// Nothing polls: an idle agent prints nothing, so the watcher does nothing.
public actor Watcher {
    public let endpoint: TmuxEndpoint
    public let session: String
    var declarations: [AgentDeclaration]
    var patterns: [PatternRule]
    let debounce: Duration
    /// `set quiet`: overrides every profile's own quiet period.
    var quietOverride: Duration?
    let clock = ContinuousClock()
    /// The turn log of the server the watcher is attached to (a new one after a restart).
    var turnLog: TurnLog?
    let stateDirectory: String?
    let journal: Journal?

    var connection: ControlConnection?
    var registry = AgentRegistry(windows: [], declarations: [])
    var panes: [String: PaneWatch] = [:]
    /// Each listed pane's window id (`@2`), for its `#{pane_dead}` subscription.
    var windowOfPane: [String: String] = [:]
    var subscribers: [Int: AsyncStream<WatchEvent>.Continuation] = [:]
    var nextSubscriber = 0
    var loop: Task<Void, Never>?
    var stopped = false
    var windowRefreshScheduled = false
    var folderWatch: FolderWatch?
    /// Turn-log records already folded in (their serialized text), so each is applied once.
    var seenRecords: Set<String> = []
    var turnLogReadScheduled = false
    /// Busy panes whose output tmux holds back, and those turned on for a sample
    /// (`Watcher+BusyFlow.swift`), and the task that samples them.
    var muted: Set<String> = []
    var sampling: Set<String> = []
    var sampler: Task<Void, Never>?
    /// Panes to pause together, and the task that will.
    var pausing: Set<String> = []
    var pauser: Task<Void, Never>?
    /// Screens read so far, and `%output` bursts heard (the busy-pane tests count them).
    public private(set) var captures = 0
    public private(set) var outputs = 0

    /// What the watcher keeps for one agent's pane.
    struct PaneWatch {
        var tracker: StateTracker
        /// When the next capture is due, and the task that makes it (nil: none scheduled).
        var captureAt: ContinuousClock.Instant?
        var captureTask: Task<Void, Never>?
        var recheck: Task<Void, Never>?
        /// Tells a busy pane's bursts that may change its state from those that cannot.
        var scan: OutputScan
        /// The echo marker of the turn in progress, for the classifier.
        var marker: String?
        /// The number of the turn in progress, as the turn log gave it (nil: not known).
        var turn: Int?
    }

    /// `@HOST` after every agent name, for a `host`'s session.
    let nameSuffix: String

    public init(endpoint: TmuxEndpoint, session: String, declarations: [AgentDeclaration] = [], patterns: [PatternRule] = [], debounce: Duration = .milliseconds(20), quiet: Duration? = nil, stateDirectory: String? = nil, nameSuffix: String = "") {
        self.nameSuffix = nameSuffix
        self.endpoint = endpoint
        self.session = session
        self.declarations = declarations
        self.patterns = patterns
        self.debounce = debounce
        self.quietOverride = quiet
        self.stateDirectory = stateDirectory
        journal = stateDirectory.map { Journal(session: session, directory: $0) }
    }

    // MARK: Life cycle

    /// Connects and reads every agent's screen once; throws when tmux or the session is missing.
    public func start() async throws(TmuxError) {
        // The one-shot client gives the precise error (no server, no such session) up front.
        _ = try TmuxClient(endpoint: endpoint).listWindows(session: session)
        try await connect()
        loop = Task { [weak self] in await self?.run() }
    }

    /// The session's agents as last listed (kept while tmux is out of reach).
    public var agents: [Agent] { registry.agents }

    /// Whether the control client is attached (false while tmux is gone and orch reconnects).
    public var isConnected: Bool { connection != nil }

    /// The control client's process id while connected (benchmarks measure its CPU).
    public var clientProcessID: Int32? { connection?.clientProcessID }

    public func stop() async {
        stopped = true
        loop?.cancel()
        resetFlow()
        folderWatch?.stop()
        folderWatch = nil
        for pane in panes.values { pane.recheck?.cancel(); pane.captureTask?.cancel() }
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
        try await refreshWindows(announce: false)
    }

    /// Consumes the connection's events; on loss, says so once and reconnects: every second
    /// to a local server, with back-off (1, 2, 4, then every 8 s) to a host over ssh, where
    /// each try may cost a connect timeout.
    private func run() async {
        while !stopped && !Task.isCancelled {
            if let events = connection?.events {
                for await event in events { handle(event) }
            }
            if stopped || Task.isCancelled { return }
            connection = nil
            resetFlow()
            let endpoint = self.endpoint
            await offThread { ControlClientGate.leave(ControlClientGate.enter(endpoint, patience: .seconds(1)), endpoint) }  // the server may be gone for good: its lock with it
            // Forgotten, then seeded again from the turn log on reconnecting: a turn opened
            // before the loss is still open after it.
            for pane in panes.values { pane.recheck?.cancel(); pane.captureTask?.cancel() }
            panes = [:]
            if let host = endpoint.host {
                publish(.connectionLost("host \(host.name) unreachable (its tmux session '\(session)' over ssh was lost); its agents are unknown until it is back; reconnecting…"))
            } else {
                publish(.connectionLost("tmux session '\(session)' is gone (server stopped or session killed); reconnecting…"))
            }
            var attempt = 0
            while !stopped && !Task.isCancelled {
                try? await Task.sleep(for: .seconds(endpoint.host == nil ? 1 : 1 << min(attempt, 3)))
                attempt += 1
                let patience: Duration = endpoint.host == nil ? .seconds(2) : .seconds(RemoteHost.connectTimeout + 3)
                let session = self.session
                // Off the actor: over ssh a probe can take seconds, and statuses() must answer meanwhile.
                let reachable = await offThread { (try? TmuxClient(endpoint: endpoint, timeout: patience).listWindows(session: session)) != nil }
                if reachable,
                    (try? await connect()) != nil
                {
                    publish(.reconnected(host: endpoint.host?.name))
                    break
                }
            }
        }
    }

    private func handle(_ event: ControlEvent) {
        switch event {
        case .output(let pane, let data, let arrived):
            guard panes[pane] != nil else { return }
            outputs += 1
            panes[pane]?.tracker.noteOutput(at: min(arrived.instant, clock.now))
            // Working and printing: more of the same, unless the burst holds text that could
            // decide another state. Such a pane is read at most every `busyInterval`.
            let busy = panes[pane]?.tracker.state == .working
            let urgent = !busy || panes[pane]?.scan.mayDecide(data) == true
            scheduleCapture(pane, after: urgent ? debounce : isMuted(pane) ? Self.mutedReadInterval : Self.busyInterval)
            flowAfterOutput(pane)
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
            let tracker = panes[agent.paneID]?.tracker
            return AgentStatus(
                agent: agent, state: tracker?.state ?? .unknown, since: tracker?.since ?? clock.now, evidence: tracker?.evidence,
                turnOpen: tracker?.isTurnOpen ?? false, reply: tracker?.reply)
        }
    }

    /// `agent`, `pattern` and `set quiet` changed what the windows mean.
    public func configure(declarations: [AgentDeclaration], patterns: [PatternRule], quiet: Duration?) async {
        self.declarations = declarations
        self.patterns = patterns
        quietOverride = quiet
        try? await refreshWindows(announce: false)
        for pane in panes.keys { panes[pane]?.tracker.quiet = self.quiet(for: pane) }
    }

    /// Re-reads the session's windows now (a window may be newer than the last notification).
    public func refreshNow() async {
        try? await refreshWindows(announce: true)
    }

    /// A prompt is about to be submitted to the agent in `pane` (the turn was recorded).
    public func noteSend(pane: String, marker: String? = nil, record: TurnRecord? = nil) {
        guard panes[pane] != nil else { return }
        if let record { seenRecords.insert(record.json.serialized) }
        unmute(pane)
        panes[pane]?.marker = marker
        panes[pane]?.turn = record?.turn
        if let transition = panes[pane]?.tracker.noteSend(at: clock.now, wallTime: Self.wallClock()) {
            publishTransition(transition, pane: pane, recorded: true)
        }
        scheduleRecheck(pane)
    }

    /// The prompt of the turn just noted was not submitted after all.
    public func noteCancelled(pane: String) {
        let record = TurnRecord(kind: .cancel, turn: 0, pane: pane, agent: "", timeMs: TurnLog.nowMillis())
        if let transition = panes[pane]?.tracker.apply(record, at: clock.now, wallNowMs: record.timeMs) {
            publishTransition(transition, pane: pane, recorded: true)
        }
        panes[pane]?.turn = nil
        scheduleCapture(pane, after: .zero)
    }

    /// The quiet period the agent called `name` is followed with now.
    public func quietNow(for name: String) -> Duration? {
        registry.agents.first { $0.name == name }.flatMap { panes[$0.paneID]?.tracker.quiet }
    }

    private func quiet(for pane: String) -> Duration {
        quietOverride ?? registry.agents.first { $0.paneID == pane }?.profile.quiet ?? .milliseconds(1500)
    }

    private func refreshWindows(announce: Bool) async throws(TmuxError) {
        guard let connection else { return }
        let lines = try await connection.command(["list-windows", "-t", "=" + session, "-F", TmuxWindow.listFormat])
        let windows = lines.compactMap { TmuxWindow.parse(Substring($0))?.window }
        let old = registry
        let windowsBefore = windowOfPane
        windowOfPane = Dictionary(windows.map { ($0.paneID, $0.windowID) }, uniquingKeysWith: { first, _ in first })
        registry = AgentRegistry(windows: windows, declarations: declarations, patterns: patterns, nameSuffix: nameSuffix)
        if registry.serverPID != 0, registry.serverPID != old.serverPID { followTurnLog(server: registry.serverPID) }
        let live = Set(registry.agents.map(\.paneID))
        var subscribing: [String] = []
        for agent in old.agents where !live.contains(agent.paneID) {
            if announce {
                let closed = Transition(agent: agent.name, from: panes[agent.paneID]?.tracker.state ?? .unknown, to: .unknown, wallTime: Self.wallClock(), evidence: "window closed")
                recordAndJournal(closed, pane: agent.paneID)
                publish(.transition(closed))
            }
            panes[agent.paneID]?.recheck?.cancel()
            panes[agent.paneID]?.captureTask?.cancel()
            forgetFlow(agent.paneID)
            if let window = windowsBefore[agent.paneID], panes[agent.paneID] != nil { _ = try? await connection.command(Self.deathSubscription(window, on: false)) }
            panes[agent.paneID] = nil
        }
        let histories = turnLog?.histories() ?? [:]
        for agent in registry.agents {
            let before = old.agents.first { $0.paneID == agent.paneID }
            // New, or respawned after its program exited: its history no longer applies.
            if panes[agent.paneID] == nil, let window = windows.first(where: { $0.paneID == agent.paneID })?.windowID, !window.isEmpty { subscribing.append(window) }
            if panes[agent.paneID] == nil || (before?.hasExited == true && !agent.hasExited) {
                panes[agent.paneID]?.recheck?.cancel()
                // A program respawned in its pane starts afresh; otherwise the log's turn holds.
                let respawned = before?.hasExited == true
                let history = respawned ? nil : histories[agent.paneID]
                let tracker = StateTracker.seeded(
                    history: history, windowActivity: respawned ? 0 : agent.activity,
                    quiet: quietOverride ?? agent.profile.quiet, at: clock.now, wallNowMs: TurnLog.nowMillis())
                panes[agent.paneID] = PaneWatch(tracker: tracker, scan: OutputScan(profile: agent.profile), marker: history?.openTurn?.marker, turn: history?.openTurn?.turn)
            } else if before?.profile != agent.profile {
                panes[agent.paneID]?.scan = OutputScan(profile: agent.profile)  // `agent`/`pattern` changed it
            }
            if agent.hasExited {
                panes[agent.paneID]?.recheck?.cancel()
                if let transition = panes[agent.paneID]?.tracker.noteExited(at: clock.now, wallTime: Self.wallClock()), announce || before != nil {
                    publishTransition(transition, pane: agent.paneID)
                }
                continue
            }
            await capture(agent.paneID, announce: announce || before != nil)
        }
        for window in subscribing { _ = try? await connection.command(Self.deathSubscription(window, on: true)) }
    }

    /// An agent's program exiting under remain-on-exit prints nothing and closes no window:
    /// tmux reports it through a subscription to `#{pane_dead}` (checked once a second). One
    /// per agent window (`@N`: its active pane, the agent's), never the all-panes `%*` form:
    /// tmux 3.3a checks that one without looking whether the client still has a session, and
    /// its server crashes (NULL `session->windows` in `control_check_subs_all_panes`) when a
    /// watched session is killed while orch's control client is slow to leave. Nor the
    /// per-pane form (`%N`): it skips a pane whose program has exited, the very change.
    static func deathSubscription(_ window: String, on: Bool) -> [String] {
        let name = "orch-dead-" + window.dropFirst()
        return ["refresh-client", "-B", on ? "\(name):\(window):#{pane_dead}" : name]
    }

    /// How often a pane that keeps printing, and stays working, has its screen read (a question
    /// that appears mid-stream is read at once: its text is a needle of `OutputScan`).
    static let busyInterval: Duration = .seconds(1)

    /// A capture `delay` from now, unless one is due sooner already.
    func scheduleCapture(_ pane: String, after delay: Duration) {
        guard let watch = panes[pane] else { return }
        let due = clock.now + delay
        if let scheduled = watch.captureAt, scheduled <= due { return }
        watch.captureTask?.cancel()
        panes[pane]?.captureAt = due
        panes[pane]?.captureTask = Task {
            try? await Task.sleep(until: due, clock: ContinuousClock())
            if Task.isCancelled { return }
            await self.capture(pane, announce: true)
        }
    }

    private func scheduleRecheck(_ pane: String) {
        guard let at = panes[pane]?.tracker.recheckAt(clock.now) else { return }
        panes[pane]?.recheck?.cancel()
        panes[pane]?.recheck = Task {
            try? await Task.sleep(until: at, clock: ContinuousClock())
            if Task.isCancelled { return }
            await self.recheck(pane)
        }
    }

    /// A recheck came due. When the pane printed meanwhile, its quiet has not come yet: wait
    /// again rather than read (a busy pane was read once per quiet period so, on top of
    /// `busyInterval`).
    private func recheck(_ pane: String) async {
        if let later = panes[pane]?.tracker.recheckAt(clock.now), later > clock.now {
            return scheduleRecheck(pane)
        }
        await capture(pane, announce: true)
    }

    /// Reads the pane's screen (with its colours: faint placeholder text is not typed text) and
    /// folds it into its tracker.
    private func capture(_ pane: String, announce: Bool) async {
        panes[pane]?.captureAt = nil
        panes[pane]?.captureTask = nil
        captures += 1
        guard let connection, let agent = registry.agents.first(where: { $0.paneID == pane }), !agent.hasExited else { return }
        let screen: String
        do {
            screen = try await connection.command(["capture-pane", "-p", "-e", "-J", "-t", pane]).joined(separator: "\n")
        } catch {
            return  // the pane is gone: the window notification follows
        }
        guard var watch = panes[pane] else { return }  // a copy: the actor may change panes meanwhile
        let reading = ScreenClassifier.classify(screen, profile: agent.profile, turnOpen: watch.tracker.isTurnOpen, marker: watch.marker)
        let transition = watch.tracker.observe(reading, at: clock.now, wallTime: Self.wallClock())
        panes[pane]?.tracker = watch.tracker
        if let transition, announce { publishTransition(transition, pane: pane) }
        scheduleRecheck(pane)
    }

    // MARK: The turn log

    /// Starts following the turn log of the server with process id `server`.
    private func followTurnLog(server: Int32) {
        guard let stateDirectory else { return }
        folderWatch?.stop()
        let log = TurnLog(session: session, server: server, directory: stateDirectory)
        turnLog = log
        seenRecords = Set(log.records().map(\.json.serialized))
        let name = TurnLog.fileName(server: server)
        folderWatch = FolderWatch(folder: log.folder) { [weak self] changed in
            guard changed == name else { return }
            Task { await self?.turnLogChanged() }
        }
    }

    /// Another process wrote to the turn log: fold in what is new (debounced a little, so a
    /// burst of writes is read once).
    private func turnLogChanged() async {
        guard !turnLogReadScheduled, !stopped else { return }
        turnLogReadScheduled = true
        try? await Task.sleep(for: .milliseconds(2))
        turnLogReadScheduled = false
        guard let turnLog else { return }
        let records = turnLog.records()
        let me = getpid()
        var current: Set<String> = []
        for record in records {
            let key = record.json.serialized
            current.insert(key)
            guard !seenRecords.contains(key) else { continue }
            seenRecords.insert(key)
            guard record.pid != me, panes[record.pane] != nil else { continue }
            if record.kind == .open {
                panes[record.pane]?.marker = record.marker
                panes[record.pane]?.turn = record.turn
            }
            let now = clock.now
            if let transition = panes[record.pane]?.tracker.apply(record, at: now, wallNowMs: TurnLog.nowMillis()) {
                publishTransition(transition, pane: record.pane, recorded: true)
            }
            if record.kind == .cancel { scheduleCapture(record.pane, after: .zero) } else { scheduleRecheck(record.pane) }
        }
        // After a compaction only what the file holds now matters.
        if seenRecords.count > current.count * 2 + 64 { seenRecords = current }
    }

    /// Records `transition` in the turn log (unless another process already did) and, when this
    /// call recorded it, in the journal: one `state` line per change, however many orch watch.
    private func recordAndJournal(_ transition: Transition, pane: String) {
        var wrote = true
        if let turnLog {
            let endedAt = TurnLog.nowMillis() - (transition.endedAgo?.milliseconds ?? 0)
            let record = turnLog.record(pane: pane, agent: transition.agent, state: transition.to, source: transition.source, evidence: transition.evidence, at: endedAt, turn: panes[pane]?.turn)
            if let record { seenRecords.insert(record.json.serialized) }
            wrote = record != nil
        }
        guard wrote, let journal else { return }
        journal.append(JournalEvent(transition))
    }

    private func publishTransition(_ transition: Transition, pane: String, recorded: Bool = false) {
        guard let agent = registry.agents.first(where: { $0.paneID == pane }) else { return }
        var named = transition
        named.agent = agent.name
        if named.to != .working { unmute(pane) }
        if !recorded { recordAndJournal(named, pane: pane) }
        publish(.transition(named))
    }

    static func wallClock() -> Int { Int(time(nil)) }
}
