extension Interpreter {
    /// The session commands act on, in the order of docs/language.md: `-s`/`$ORCH_SESSION` or a
    /// `session` command, then the config's `session`, then `moana-orchestration` if it exists, then
    /// the only session of the server.
    func resolveSession(at location: SourceLocation?) throws(OrchError) -> String {
        if let chosen = chosenSession ?? configSession { return chosen }
        if let known = cachedRegistry?.session { return known }
        let sessions: [String]
        do {
            sessions = try tmux.listSessions()
        } catch {
            throw OrchError(error, at: location)
        }
        return try Self.defaultSession(among: sessions, at: location)
    }

    /// With no session chosen: `moana-orchestration` if the server has it, else its only session.
    static func defaultSession(among sessions: [String], at location: SourceLocation?) throws(OrchError) -> String {
        if sessions.contains(conventionalSession) { return conventionalSession }
        if sessions.count == 1 { return sessions[0] }
        throw OrchError(
            "the tmux server has \(sessions.count) sessions (\(sessions.joined(separator: ", "))) and none was chosen: use -s NAME, ORCH_SESSION=NAME or `session NAME`",
            at: location)
    }

    /// tmux has no session whose name holds ':' or '.' (it makes them '_'), and reads them in a
    /// target as window and pane separators: `-s my.sess` would otherwise say it cannot find 'my'.
    func checkSessionName(_ name: String, at location: SourceLocation?) throws(OrchError) {
        guard name.contains(":") || name.contains(".") else { return }
        let tmuxName = String(name.map { $0 == ":" || $0 == "." ? "_" : $0 })
        let sessions = (try? tmux.listSessions()) ?? []
        let hint = sessions.contains(tmuxName) ? "; did you mean '\(tmuxName)'?" : " (sessions: \(sessions.isEmpty ? "none" : sessions.joined(separator: ", ")))"
        throw OrchError("no tmux session named '\(name)': tmux session names cannot hold ':' or '.' (tmux turns them into '_')\(hint)", at: location)
    }

    /// The seed guide's session name.
    static let conventionalSession = "moana-orchestration"

    /// The current session's agents, discovered from its windows (cached until something changes).
    func registry(at location: SourceLocation?, refresh: Bool = false) throws(OrchError) -> (session: String, registry: AgentRegistry) {
        if !refresh, let cached = cachedRegistry, cached.session == (chosenSession ?? configSession ?? cached.session) { return cached }
        let session: String
        let windows: [TmuxWindow]
        do {
            if let chosen = chosenSession ?? configSession {
                session = chosen
                try checkSessionName(chosen, at: location)
                windows = try tmux.listWindows(session: chosen)
            } else {
                // One tmux call picks the session and reads its windows (one-shot start-up cost).
                let all = try tmux.listAllWindows()
                var sessions: [String] = []
                for entry in all where sessions.last != entry.session { sessions.append(entry.session) }
                session = try Self.defaultSession(among: sessions, at: location)
                windows = all.filter { $0.session == session }.map(\.window)
            }
        } catch let error as TmuxError {
            throw OrchError(error, at: location)
        } catch let error as OrchError {
            throw error
        } catch {
            throw OrchError("\(error)", at: location)
        }
        let registry = AgentRegistry(windows: windows, declarations: declarations, patterns: patterns, nameSuffix: options.agentSuffix)
        cachedRegistry = (session, registry)
        lastSession = session
        agentNamesObserver?(allAgentNames)
        return (session, registry)
    }

    /// The agent `ref` names, from the session's windows as they are now.
    func agent(_ ref: AgentRef) throws(OrchError) -> Agent {
        try agents([ref])[0]
    }

    /// Every agent named in `refs`, all resolved before anything is done to any of them. The
    /// windows are re-read first (one tmux call): after a restart or a re-created window, a cached
    /// pane id would send a prompt to the wrong agent.
    func agents(_ refs: [AgentRef]) throws(OrchError) -> [Agent] {
        let (session, fresh) = try registry(at: refs.first?.location, refresh: true)
        var result: [Agent] = []
        for ref in refs {
            let resolved = fresh.resolve(ref.name)
            if case .failure(.ambiguous(let why)) = resolved { throw OrchError(why, at: ref.location) }
            guard case .success(let found) = resolved else {
                let names = fresh.agents.map { "\($0.name) (\($0.windowIndex))" }.joined(separator: ", ")
                var hint = NearestWord.closest(to: ref.name, among: fresh.agents.map(\.name)).map { " — did you mean '\($0)'?" } ?? ""
                if AgentRegistry.isNeverAnAgent(ref.name) {
                    hint = "; windows named main or *-proxy are not agents unless declared: agent NAME window N"
                }
                throw OrchError(
                    "unknown agent '\(ref.name)' in session '\(session)' (agents: \(names.isEmpty ? "none" : names))\(hint)",
                    at: ref.location)
            }
            if !result.contains(found) { result.append(found) }
        }
        return result
    }

    func selectSession(_ name: String, at location: SourceLocation) async throws(OrchError) {
        do {
            _ = try tmux.listWindows(session: name)
        } catch {
            throw OrchError(error, at: location)
        }
        if isRunningConfig {
            configSession = name
            return
        }
        let current = try? resolveSession(at: location)
        chosenSession = name
        // Not an echo of the command on standard output (a script's output is its results):
        // what changed, on standard error, which the REPL shows too.
        if !isRunningConfig, current != name {
            let names = (try? tmux.listWindows(session: name)).map { AgentRegistry(windows: $0, declarations: declarations).agents.map(\.name) } ?? []
            output.printError("now on session '\(name)' (agents: \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
        }
        guard current != name else { return }
        // Watching and dispatching follow the session: the old session's lock is given back.
        cachedRegistry = nil
        let wasWatching = watcher != nil
        let wasDispatching = dispatchOn
        try await setDispatch(false)
        await watcher?.stop()
        watcher = nil
        if wasWatching { _ = try await ensureWatcher(at: location) }
        if wasDispatching { try await setDispatch(true, at: location) }
    }

    func declareAgent(_ name: String, window: Int, profile: String?, at location: SourceLocation) async throws(OrchError) {
        if let profile, AgentProfile.named(profile) == nil {
            let names = AgentProfile.builtIn.map(\.name).joined(separator: ", ")
            throw OrchError("agent: unknown profile '\(profile)' (profiles: \(names))", kind: .usage, at: location)
        }
        declarations.removeAll { $0.name == name || $0.window == window }
        declarations.append(AgentDeclaration(name: name, window: window, profile: profile))
        cachedRegistry = nil
        await watcher?.configure(declarations: declarations, patterns: patterns, quiet: quiet)
    }

    /// One agent's screen, read now.
    struct Observation: Sendable {
        var agent: Agent
        var state: AgentState
        var evidence: String?
        var lastLine: String?
        /// How long the state has held, when a watcher has followed the agent.
        var age: Duration?
    }

    /// The agents' states: from the watcher when it runs (it knows history: done vs idle, for
    /// how long), else read from their screens now.
    /// `lastLines`: also read each screen's last line (the `agents` table shows it; `status` does
    /// not, so with a watcher it reads no screen at all).
    func observations(of agents: [Agent], lastLines: Bool) async -> [Observation] {
        guard let watcher else {
            let histories = turnLog(at: nil).histories()
            return agents.map { observe($0, history: histories[$0.paneID]) }
        }
        let live = await watcher.statuses()
        let now = ContinuousClock.now
        return agents.map { agent in
            // An agent the watcher has not seen yet (a brand-new window) is read from its screen.
            guard let status = live.first(where: { $0.agent.paneID == agent.paneID }) else { return observe(agent, history: nil) }
            var row = lastLines ? observe(agent, history: nil) : Observation(agent: agent, state: status.state, evidence: nil, lastLine: nil, age: nil)
            row.state = status.state
            row.evidence = status.evidence  // the line behind the watcher's state, not today's screen
            row.age = now - status.since
            return row
        }
    }

    /// One agent's state read now, without a watcher: its screen, what the turn log says
    /// (`history`: a turn some orch process opened, or saw end) and when its window last
    /// printed, through the same `StateTracker` a watcher uses. A turn it finds ended is
    /// recorded, so a later `wait done` returns at once.
    func observe(_ agent: Agent, history: PaneHistory?) -> Observation {
        if agent.hasExited {
            return Observation(agent: agent, state: .unknown, evidence: StateTracker.exitedEvidence, lastLine: nil, age: nil)
        }
        guard let screen = try? tmux.capturePane(agent.paneID, escapes: true) else {
            return Observation(agent: agent, state: .unknown, evidence: nil, lastLine: nil, age: nil)
        }
        let now = ContinuousClock.now
        let wallNow = TurnLog.nowMillis()
        var tracker = StateTracker.seeded(history: history, windowActivity: agent.activity, quiet: quiet ?? agent.profile.quiet, at: now, wallNowMs: wallNow)
        let reading = ScreenClassifier.classify(screen, profile: agent.profile, turnOpen: history?.isTurnOpen ?? false, marker: history?.openTurn?.marker)
        let change = tracker.observe(reading, at: now, wallTime: wallNow / 1000)
        if var change, history?.isTurnOpen == true, change.to == .done || change.to == .idle {
            change.agent = agent.name
            let log = turnLog(at: nil)
            if log.record(pane: agent.paneID, agent: agent.name, state: change.to, source: change.source, evidence: change.evidence, at: wallNow - (change.endedAgo?.milliseconds ?? 0)) != nil {
                (try? journal(at: nil))?.append(JournalEvent(change))
            }
        }
        let last = Self.nonEmptyLines(ScreenText.stripEscapes(screen)).last
        let age: Duration? = history == nil ? nil : now - tracker.since
        return Observation(agent: agent, state: tracker.state, evidence: tracker.evidence ?? reading.evidence, lastLine: last, age: age)
    }

    static func nonEmptyLines(_ screen: String) -> [String] {
        screen.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in
                var text = Substring(line)
                while let last = text.last, last.isWhitespace { text = text.dropLast() }
                return String(text)
            }
            .filter { !$0.isEmpty }
    }

    /// The rows of `status` (`refs`, or every agent) or of `agents` (`lastLines`), on this
    /// interpreter's tmux server only.
    func rows(_ refs: [AgentRef], lastLines: Bool, at location: SourceLocation) async throws(OrchError) -> [Observation] {
        let chosen = refs.isEmpty ? try registry(at: location, refresh: true).registry.agents : try agents(refs)
        return await observations(of: chosen, lastLines: lastLines)
    }

    func listAgents(at location: SourceLocation) async throws(OrchError) {
        let rows = try await rowsEverywhere([], lastLines: true, at: location)
        if format == .json {
            output.print(JSONValue.array(rows.map { row in
                .object([
                    ("agent", .string(row.agent.name)), ("window", .int(row.agent.windowIndex)),
                    ("pane", .string(row.agent.paneID)), ("profile", .string(row.agent.profile.name)),
                    ("state", .string(row.state.rawValue)), ("last_line", row.lastLine.map(JSONValue.string) ?? .null),
                ] + hostField(of: row.agent.name))
            }).serialized)
            return
        }
        if rows.isEmpty {
            output.print("no agents in session '\(try resolveSession(at: location))' (windows named main or *-proxy are not agents; declare one with `agent NAME window N`)")
            return
        }
        let nameWidth = max(5, rows.map(\.agent.name.displayWidth).max() ?? 0) + 2
        let profileWidth = max(7, rows.map(\.agent.profile.name.count).max() ?? 0) + 2
        output.print(style.dim("NAME".padding(to: nameWidth) + "WINDOW  " + "PROFILE".padding(to: profileWidth) + "STATE    SINCE    LAST LINE"))
        for row in rows {
            output.print(
                row.agent.name.padding(to: nameWidth) + String(row.agent.windowIndex).padding(to: 8)
                    + row.agent.profile.name.padding(to: profileWidth) + style.state(row.state, padTo: 9)
                    + (row.age?.compactDescription ?? "-").padding(to: 9) + Self.truncate(row.lastLine ?? "", to: 60))
        }
    }

    func showStatus(_ refs: [AgentRef], at location: SourceLocation) async throws(OrchError) {
        let rows = try await rowsEverywhere(refs, lastLines: false, at: location)
        if format == .json {
            output.print(JSONValue.array(rows.map { row in
                .object([
                    ("agent", .string(row.agent.name)), ("window", .int(row.agent.windowIndex)),
                    ("state", .string(row.state.rawValue)), ("evidence", row.evidence.map(JSONValue.string) ?? .null),
                    ("since_seconds", row.age.map { .int(Int($0.components.seconds)) } ?? .null),
                ] + hostField(of: row.agent.name))
            }).serialized)
            return
        }
        if rows.isEmpty {
            output.print("no agents in session '\(try resolveSession(at: location))' (windows named main or *-proxy are not agents; declare one with `agent NAME window N`)")
            return
        }
        let width = Self.nameColumn(rows.map(\.agent.name))
        for row in rows {
            // Without evidence (an empty prompt), the last line would only be the box's border.
            let why = row.evidence ?? ""
            let age = row.age.map { $0.compactDescription.padding(to: 8) } ?? ""
            output.print(row.agent.name.padding(to: width) + style.state(row.state, padTo: 9) + age + style.dim(Self.truncate(why, to: 70)))
        }
    }

    /// The width of a name column: the widest name (in terminal columns) and two spaces; `status`
    /// and `wait` line up alike.
    static func nameColumn(_ names: [String]) -> Int { (names.map(\.displayWidth).max() ?? 0) + 2 }

    static func truncate(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
