#if canImport(Glibc)
import Glibc
#endif

extension Interpreter {
    /// The running watcher for the current session, started on first use.
    func ensureWatcher(at location: SourceLocation?) async throws(OrchError) -> Watcher {
        let session = try resolveSession(at: location)
        if let watcher, watcher.session == session { return watcher }
        await watcher?.stop()
        watcher = nil
        let fresh = Watcher(endpoint: options.endpoint, session: session, declarations: declarations, patterns: patterns, quiet: quiet, stateDirectory: stateDirectory, nameSuffix: options.agentSuffix)
        do {
            try await fresh.start()
        } catch {
            throw OrchError(error, at: location)
        }
        // Two callers at once (concurrent `orch mcp` calls) both started one: keep the first.
        if let watcher, watcher.session == session {
            await fresh.stop()
            return watcher
        }
        watcher = fresh
        startNotices(from: fresh)
        return fresh
    }

    /// Starts the watcher now (the REPL does, so notices flow before any command).
    public func startWatching() async throws(OrchError) {
        for name in hostOrder { await hosts[name]?.watchHost() }
        _ = try await ensureWatcher(at: nil)
    }

    /// For a REPL started before its tmux server or session: tries again every second (as the
    /// watcher does after losing tmux) and, once watching (and dispatching), says so.
    public func watchWhenTmuxAppears(dispatch: Bool) {
        for name in hostOrder {
            let host = hosts[name]
            Task { await host?.watchHost() }
        }
        watchRetry?.cancel()
        watchRetry = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                guard let self, !Task.isCancelled else { return }
                if await self.tryToStartWatching(dispatch: dispatch) { return }
            }
        }
    }

    func tryToStartWatching(dispatch: Bool) async -> Bool {
        if watcher != nil { return true }  // `watch on` or a command got there first
        do throws(OrchError) {
            let watcher = try await ensureWatcher(at: nil)
            if dispatch { try? await setDispatch(true) }
            let names = (try? registry(at: nil).registry.agents.map(\.name)) ?? []
            announce("tmux session '\(watcher.session)' is up: watching \(names.isEmpty ? "no agents yet" : names.joined(separator: ", "))")
            return true
        } catch {
            return false
        }
    }

    /// Stops watching (the tmux control client exits); call when done with the interpreter.
    public func shutdown() async {
        watchRetry?.cancel()
        dispatchTask?.cancel()
        dispatchOn = false
        dispatchLock = nil
        queueWatch?.stop()
        queueWatch = nil
        noticeTask?.cancel()
        await watcher?.stop()
        watcher = nil
        for name in hostOrder { await hosts[name]?.shutdown() }
    }

    /// The running watcher, if any (tests look inside it).
    public var currentWatcher: Watcher? { watcher }

    /// The running watcher's events from now on (nil when not watching), for tests and tools.
    public func watcherEvents() async -> AsyncStream<WatchEvent>? {
        await watcher?.subscribe()
    }

    /// Where notices go (the REPL prints them above the prompt); nil: the error stream.
    public func setNoticeSink(_ sink: @escaping @Sendable (String) -> Void) async {
        noticeSink = sink
        for name in hostOrder { await hosts[name]?.setNoticeSink(sink) }
    }

    /// `watch on|off`: whether notices are printed (on by default in the REPL, off in scripts).
    public func setWatching(_ on: Bool) async {
        noticesOn = on
        for name in hostOrder { await hosts[name]?.setWatching(on) }
    }

    func watch(_ on: Bool, at location: SourceLocation) async throws(OrchError) {
        await setWatching(on)
        if on {
            for name in hostOrder { await hosts[name]?.watchHost() }
            _ = try await ensureWatcher(at: location)
        }
    }

    private func startNotices(from watcher: Watcher) {
        noticeTask?.cancel()
        noticeTask = Task { [weak self] in
            for await event in await watcher.subscribe() {
                await self?.notify(event)
            }
        }
    }

    /// A watcher event for the notices (the watcher journals state changes itself, once for
    /// all the orch processes watching: issue "every process writes the same state lines").
    private func notify(_ event: WatchEvent) {
        guard noticesOn, let text = NoticeFormatter(style: style, bell: settings["bell"] == "on").text(for: event) else { return }
        if let noticeSink { noticeSink(text) } else { output.printError(text) }
    }

    // MARK: wait

    /// `wait STATE TARGET [timeout D]`: returns when the condition holds, printing who satisfied it.
    /// Returns who satisfied it (printed unless `quietly`).
    @discardableResult
    func wait(for condition: StateCondition, _ selection: AgentSelection, timeout: Duration?, at location: SourceLocation, quietly: Bool = false) async throws(OrchError) -> [AgentStatus] {
        let watcher = try await ensureWatcher(at: location)
        let names = try selectionNames(selection)
        // Subscribe before the first check, so no transition slips in between.
        let signals = Self.signals(from: await watcher.subscribe(), deadline: timeout.map { ContinuousClock.now + $0 })
        defer { signals.stop() }
        // A loss announced before this wait subscribed would never reach it.
        guard await watcher.isConnected else { throw Self.tmuxGone(condition, at: location) }
        var iterator = signals.stream.makeAsyncIterator()
        // An agent orch just resolved may be newer than the watcher's last look at the windows.
        let known = Set(await watcher.statuses().map(\.agent.name))
        if let names, !names.isSubset(of: known) {
            await watcher.refreshNow()
        }
        var lookedAgain = false
        var hinted = false
        while true {
            let statuses = await watcher.statuses()
            if let names, let gone = names.sorted().first(where: { name in !statuses.contains { $0.agent.name == name } }) {
                throw OrchError("wait \(condition.rawValue): \(gone)'s window closed (state unknown)", at: location)
            }
            if let satisfied = Self.satisfying(condition, selection, names: names, in: statuses) {
                if !quietly { printWaitResult(satisfied) }
                return satisfied
            }
            if !hinted, condition == .done, let names {
                // `wait done` on an agent with no turn open and nothing finished: say so now.
                let hopeless = statuses.filter { names.contains($0.agent.name) && $0.state == .idle && !$0.turnOpen }.map(\.agent.name)
                if !hopeless.isEmpty {
                    announce("\(hopeless.joined(separator: ", ")): nothing was sent since \(hopeless.count == 1 ? "it was" : "they were") last free, so this waits for a prompt from elsewhere; `wait free \(hopeless.joined(separator: ","))` returns now")
                }
                hinted = true
            }
            // A named agent whose program exited will never get there — unless it was respawned
            // since the watcher's last look (tmux reports that within a second): look again once.
            if let names, let exited = statuses.first(where: { names.contains($0.agent.name) && $0.agent.hasExited }) {
                if !lookedAgain {
                    lookedAgain = true
                    await watcher.refreshNow()
                    continue
                }
                throw OrchError("wait \(condition.rawValue): \(exited.agent.exitedMessage)", at: location)
            }
            switch await iterator.next() {
            case .changed?: continue
            case .timedOut?:
                let states = statuses.filter { names?.contains($0.agent.name) ?? true }.map { "\($0.agent.name) \($0.state.rawValue)" }
                throw OrchError("wait \(condition.rawValue): timed out after \(timeout?.compactDescription ?? "") (\(states.joined(separator: ", ")))", at: location)
            case .ended?:
                throw Self.tmuxGone(condition, at: location)
            case nil:
                throw .interrupted(at: location)  // the task was cancelled (Ctrl-C)
            }
        }
    }

    /// Who satisfied a `wait`: name, state, when it got there, the line that decided, and the
    /// reply a hook reported (JSON: also the screen's reply, and where each came from).
    /// `replies`: already read for some agents (a host's, whose screen is not this machine's).
    func printWaitResult(_ satisfied: [AgentStatus], replies: [String: (String, String)] = [:]) {
        let now = ContinuousClock.now
        let wallNow = TurnLog.nowMillis() / 1000
        if format == .json {
            output.print(JSONValue.array(satisfied.map { status in
                let reply = status.reply.map { ($0, "hook") } ?? replies[status.agent.name]
                    ?? (status.state == .done && host(of: status.agent.name) == nil ? (try? reply(of: status.agent, at: nil)) : nil)
                return .object([
                    ("agent", .string(status.agent.name)), ("state", .string(status.state.rawValue)),
                    ("since_seconds", .int(Int((now - status.since).components.seconds))),
                    ("evidence", status.evidence.map(JSONValue.string) ?? .null),
                    ("reply", reply.map { .string($0.0) } ?? .null), ("source", reply.map { .string($0.1) } ?? .null),
                ])
            }).serialized)
            return
        }
        let width = max(12, Self.nameColumn(satisfied.map(\.agent.name)))
        for status in satisfied {
            let age = now - status.since
            let when = age >= .seconds(1) ? style.dim("since \(NoticeFormatter.clock(wallNow - Int(age.components.seconds))) ") : ""
            output.print(status.agent.name.padding(to: width) + style.state(status.state, padTo: 9) + when + (status.evidence ?? ""))
            if let reply = status.reply {
                for line in reply.split(separator: "\n", omittingEmptySubsequences: false).prefix(20) { output.print("    " + line) }
            }
        }
    }

    static func tmuxGone(_ condition: StateCondition, at location: SourceLocation) -> OrchError {
        OrchError("wait \(condition.rawValue): tmux went away (server stopped or session killed) while waiting", at: location)
    }

    /// The agent names a selection is about (nil: every agent), resolved now so typos fail fast.
    func selectionNames(_ selection: AgentSelection) throws(OrchError) -> Set<String>? {
        guard case .agents(let refs) = selection else { return nil }
        return Set(try agents(refs).map(\.name))
    }

    /// The statuses that make the condition true, or nil when it does not hold yet.
    static func satisfying(_ condition: StateCondition, _ selection: AgentSelection, names: Set<String>?, in statuses: [AgentStatus]) -> [AgentStatus]? {
        let relevant = statuses.filter { names?.contains($0.agent.name) ?? true }
        let matching = relevant.filter { condition.isSatisfied(by: $0.state) }
        switch selection {
        // `any`: one agent, the one longest in that state (`wait free any` names whom to give
        // work to next; the others stay for the next call).
        case .any: return matching.min { $0.since < $1.since }.map { [$0] }
        case .all, .agents: return !relevant.isEmpty && matching.count == relevant.count ? matching : nil
        }
    }

    enum WaitSignal: Sendable { case changed, timedOut, ended }

    /// Watcher events and an optional deadline merged into one stream of wake-ups.
    static func signals(from events: AsyncStream<WatchEvent>, deadline: ContinuousClock.Instant?) -> (stream: AsyncStream<WaitSignal>, stop: @Sendable () -> Void) {
        let (stream, sink) = AsyncStream.makeStream(of: WaitSignal.self, bufferingPolicy: .bufferingNewest(8))
        let forward = Task {
            for await event in events {
                // tmux gone: what was awaited cannot happen on a server that is not there.
                if case .connectionLost = event { break }
                sink.yield(.changed)
            }
            sink.yield(.ended)
        }
        let timer = Task {
            guard let deadline else { return }
            try? await Task.sleep(until: deadline, clock: ContinuousClock())
            if !Task.isCancelled { sink.yield(.timedOut) }
        }
        return (stream, { forward.cancel(); timer.cancel(); sink.finish() })
    }

    // MARK: loop until

    func loop(_ body: [Command], until condition: LoopCondition, at location: SourceLocation) async throws(OrchError) -> Flow {
        while true {
            if try await holds(condition, at: location) { return .next }
            let flow = try await run(body)
            if flow == .breakLoop { return .next }
            if flow == .exit { return .exit }
        }
    }

    func holds(_ condition: LoopCondition, at location: SourceLocation) async throws(OrchError) -> Bool {
        switch condition {
        case .queueEmpty:
            return try queueIsEmpty(at: location)
        case .state(let state, let selection) where !hosts.isEmpty:
            return try await holdsAcrossHosts(state, selection, at: location)
        case .state(let state, let selection):
            return try await holdsOnThisServer(state, selection, at: location)
        }
    }

    /// Whether `state` holds for `selection` among this interpreter's own agents, as its watcher sees them.
    func holdsOnThisServer(_ state: StateCondition, _ selection: AgentSelection, at location: SourceLocation) async throws(OrchError) -> Bool {
        let watcher = try await ensureWatcher(at: location)
        return Self.satisfying(state, selection, names: try selectionNames(selection), in: await watcher.statuses()) != nil
    }
}
