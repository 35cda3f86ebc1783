extension Interpreter {
    func taskStore(at location: SourceLocation?) throws(OrchError) -> TaskStore {
        TaskStore(session: try resolveSession(at: location), directory: options.stateDirectory ?? OrchPaths.stateDirectory)
    }

    // MARK: Commands

    func queueAdd(_ target: QueueTarget, text: String, at location: SourceLocation) async throws(OrchError) {
        var agentName: String?
        if case .agent(let ref) = target {
            // An agent of a host is checked there; the task waits in this machine's queue.
            if let host = host(of: ref.name) { agentName = try await host.agentName(ref) } else { agentName = try agent(ref).name }
        }
        let task: QueuedTask
        switch try taskStore(at: location).add(text, for: agentName) {
        case .success(let added): task = added
        case .failure(let error): throw OrchError("queue: \(error)", at: location)
        }
        record(.queued(id: task.id, target: agentName ?? "any", text: text), in: try journal(at: location))
        output.print("queued #\(task.id) for \(agentName ?? "any free agent")" + (dispatchOn ? "" : " (dispatch is off: `dispatch on` hands it out)"))
        await dispatchRound()
    }

    func queueList(at location: SourceLocation) throws(OrchError) {
        let tasks = try taskStore(at: location).tasks()
        if format == .json {
            output.print(JSONValue.array(tasks.map { task in
                .object([
                    ("id", .int(task.id)), ("target", .string(task.target ?? "any")), ("state", .string(task.state.rawValue)),
                    ("agent", task.agent.map(JSONValue.string) ?? .null), ("queued_ms", .int(task.queuedAt)), ("text", .string(task.text)),
                ])
            }).serialized)
            return
        }
        if tasks.isEmpty {
            output.print("the queue is empty")
            return
        }
        let now = TaskStore.nowMillis()
        output.print(style.dim("ID   FOR          STATE    AGE      TEXT"))
        for task in tasks {
            let who = task.agent.map { task.state == .waiting ? $0 : "→ " + $0 } ?? (task.target ?? "any")
            let age = Duration.milliseconds(max(0, now - task.queuedAt)).compactDescription
            output.print(String(task.id).padding(to: 5) + who.padding(to: 13) + task.state.rawValue.padding(to: 9) + age.padding(to: 9) + Self.truncate(task.text.split(separator: "\n").first.map(String.init) ?? "", to: 60))
        }
    }

    func queueRemove(_ id: Int, at location: SourceLocation) throws(OrchError) {
        try changeTask(id, at: location) { task throws(OrchError) in
            guard task.state != .sending else { throw OrchError("queue rm: task #\(id) is being typed into \(task.agent ?? "an agent") right now", at: location) }
            return .removed
        }
        record(.queueRemoved(id: id), in: try journal(at: location))
        output.print("removed #\(id)")
    }

    func queueRetry(_ id: Int, at location: SourceLocation) async throws(OrchError) {
        try changeTask(id, at: location) { task throws(OrchError) in
            guard task.state != .waiting else { throw OrchError("queue retry: task #\(id) is already waiting", at: location) }
            guard task.state != .sending else { throw OrchError("queue retry: task #\(id) is being typed into \(task.agent ?? "an agent") right now", at: location) }
            return .waiting
        }
        record(.queueRetried(id: id), in: try journal(at: location))
        output.print("#\(id) is waiting again")
        await dispatchRound()
    }

    func queueClear(at location: SourceLocation) throws(OrchError) {
        let result = try taskStore(at: location).update { tasks in
            let waiting = tasks.filter { $0.state == .waiting }
            return (waiting.map { TaskStore.stateRecord($0.id, .removed) }, waiting.count)
        }
        switch result {
        case .success(let count):
            record(.queueCleared(removed: count), in: try journal(at: location))
            output.print("removed \(count) waiting task\(count == 1 ? "" : "s")")
        case .failure(let error): throw OrchError("queue clear: \(error)", at: location)
        }
    }

    private func changeTask(_ id: Int, at location: SourceLocation, _ decide: (QueuedTask) throws(OrchError) -> QueuedTask.State) throws(OrchError) {
        var failure: OrchError?
        let result = try taskStore(at: location).update { tasks -> (records: [JSONValue], result: Void) in
            guard let task = tasks.first(where: { $0.id == id }) else {
                failure = OrchError("queue: no task #\(id) (see `queue list`)", at: location)
                return ([], ())
            }
            do throws(OrchError) {
                return ([TaskStore.stateRecord(id, try decide(task))], ())
            } catch {
                failure = error
                return ([], ())
            }
        }
        if let failure { throw failure }
        if case .failure(let error) = result { throw OrchError("queue: \(error)", at: location) }
    }

    // MARK: Dispatch

    /// `dispatch on|off`: hand queued tasks to free agents as they become free.
    public func setDispatch(_ on: Bool, at location: SourceLocation? = nil) async throws(OrchError) {
        guard on else {
            dispatchOn = false
            dispatchLock = nil
            dispatchTask?.cancel()
            for task in hostDispatchTasks { task.cancel() }
            hostDispatchTasks = []
            queueWatch?.stop()
            queueWatch = nil
            return
        }
        let store = try taskStore(at: location)
        guard let lock = DispatchLock(for: store) else {
            throw OrchError("dispatch: another orch is already dispatching this session's queue; tasks queued here are handed out by it", at: location)
        }
        let watcher = try await ensureWatcher(at: location)
        dispatchLock = lock
        dispatchOn = true
        await recoverInterruptedSends(store)
        dispatchTask?.cancel()
        dispatchTask = Task { [weak self] in
            for await event in await watcher.subscribe() {
                await self?.dispatchEvent(event)
            }
        }
        // Tasks for a host's agents wait here and go when its watcher says they are free.
        for task in hostDispatchTasks { task.cancel() }
        hostDispatchTasks = []
        for name in hostOrder {
            guard let host = hosts[name] else { continue }
            await host.watchHost()
            guard let events = await host.watcherEvents() else { continue }
            hostDispatchTasks.append(Task { [weak self] in
                for await event in events { await self?.dispatchEvent(event) }
            })
        }
        queueWatch?.stop()
        let queueFile = String(store.path.split(separator: "/").last ?? "")
        queueWatch = FolderWatch(folder: FileSystem.parent(of: store.path)) { [weak self] name in
            guard name == queueFile else { return }
            Task { await self?.queueFileChanged() }
        }
        await dispatchRound()
    }

    /// The queue file changed (maybe another process queued a task): one dispatch round for a
    /// burst of writes. The rounds' own writes land here too, and find nothing more to do.
    func queueFileChanged() async {
        // Only a real change: a round that wrote nothing still closes the file it opened for
        // writing (inotify says so), and must not wake another round, and so on.
        guard dispatchOn, !queueRoundPending, let store = try? taskStore(at: nil) else { return }
        let size = FileSystem.size(of: store.path)
        guard size != queueFileSize else { return }
        queueFileSize = size
        queueRoundPending = true
        try? await Task.sleep(for: .milliseconds(10))
        queueRoundPending = false
        await dispatchRound()
    }

    private func dispatchEvent(_ event: WatchEvent) async {
        guard dispatchOn else { return }
        if case .transition(let change) = event, change.to == .done, let store = try? taskStore(at: nil) {
            // The turn a task started is over.
            store.update { tasks in
                (tasks.filter { $0.state == .sent && $0.agent == change.agent }.map { TaskStore.stateRecord($0.id, .done, agent: change.agent) }, ())
            }
        }
        await dispatchRound()
    }

    /// Gives every free agent the oldest waiting task addressed to it or to any agent, all at once.
    func dispatchRound() async {
        guard dispatchOn, let watcher, let store = try? taskStore(at: nil) else { return }
        var statuses = await watcher.statuses()
        for name in hostOrder { statuses += await hosts[name]?.watcherStatuses() ?? [] }
        let free = statuses
            .filter { ($0.state == .done || $0.state == .idle) && !delivering.contains($0.agent.name) }
            .map(\.agent.name)
        guard !free.isEmpty else { return }
        // Claimed under the queue's lock and recorded as `sending` before any key is typed, one
        // record per claim: on a full disk a claim is either whole or a torn line that replay
        // skips, never recorded `sending` without anyone delivering it.
        var claims: [(QueuedTask, String)] = []
        claiming: for agent in free {
            let claimed = store.update { tasks -> (records: [JSONValue], result: QueuedTask?) in
                guard let task = tasks.first(where: { $0.state == .waiting && ($0.target == nil || $0.target == agent) }) else { return ([], nil) }
                return ([TaskStore.stateRecord(task.id, .sending, agent: agent)], task)
            }
            switch claimed {
            case .success(let task?):
                claims.append((task, agent))
                queueWriteFailing = false
            case .success(nil):
                continue
            case .failure(let error):
                // Nothing is typed that could not be recorded first; said once until it works again.
                if !queueWriteFailing { announce("queue: \(error) — no task is handed out until the queue can be written") }
                queueWriteFailing = true
                break claiming
            }
        }
        for (task, agent) in claims {
            delivering.insert(agent)
            // Not the caller's output: a round started by an `orch mcp` call must not print into
            // that call's (already answered) result.
            Task { await RoutedOutput.$current.withValue(nil) { await self.deliver(task, to: agent, store: store) } }
        }
    }

    private func deliver(_ task: QueuedTask, to agentName: String, store: TaskStore) async {
        defer { delivering.remove(agentName) }
        let location = SourceLocation(file: "<queue>", line: task.id, column: 1)
        do throws(OrchError) {
            if let host = host(of: agentName) {
                _ = try await host.run([Command(.send(SendOptions(), targets: [AgentRef(agentName, at: location)], text: task.text), at: location)])
            } else {
                try await send(task.text, to: [AgentRef(agentName, at: location)], options: SendOptions(), at: location)
            }
            store.update { _ in ([TaskStore.stateRecord(task.id, .sent, agent: agentName)], ()) }
            announce("queue #\(task.id) → \(agentName) · \(Self.truncate(task.text.split(separator: "\n").first.map(String.init) ?? "", to: 50))")
        } catch {
            store.update { _ in ([TaskStore.stateRecord(task.id, .waiting)], ()) }
            announce("queue #\(task.id) could not be delivered to \(agentName), waiting again: \(error.message)")
        }
        await dispatchRound()
    }

    /// Tasks left `sending` by an orch that died mid-delivery: look at the turn log and the
    /// agent's screen rather than type them again blindly. A turn opened for the task's text
    /// (recorded just before its Enter) → sent; its end typed in the input box, cursor on it →
    /// Enter, then sent; not there → waiting again. The whole task counts, not its first line,
    /// which may have scrolled off.
    func recoverInterruptedSends(_ store: TaskStore) async {
        let histories = turnLog(at: nil).histories()
        for task in store.tasks() where task.state == .sending {
            let location = SourceLocation(file: "<queue>", line: task.id, column: 1)
            guard let name = task.agent, let agent = try? agent(AgentRef(name, at: location)) else {
                store.update { _ in ([TaskStore.stateRecord(task.id, .waiting)], ()) }
                continue
            }
            let delivered = PromptText.sanitize(task.text).text
            let outcome: String
            if let turn = histories[agent.paneID]?.turn, turn.timeMs >= task.queuedAt, let marker = turn.marker, marker == Sender.turnMarker(for: delivered) {
                store.update { _ in ([TaskStore.stateRecord(task.id, .sent, agent: name)], ()) }
                outcome = "\(name) has it (its turn was recorded)"
            } else {
                // Under the agent's send lock: no other sender types between the look and the Enter.
                // Its note names the task's end, as the killed sender's did.
                let lock: FileLock?
                do {
                    lock = try await sendLock(for: agent, patience: .seconds(10), typing: delivered, at: location)
                } catch {
                    // Another sender keeps the agent: nothing is pressed without the lock. Waiting
                    // again, its next send checks the box (and the lock's note) before typing.
                    store.update { _ in ([TaskStore.stateRecord(task.id, .waiting)], ()) }
                    let busy = "\(name) is being sent another prompt, so nothing was pressed: waiting again"
                    if let journal = try? journal(at: nil) { record(.queueRecovered(id: task.id, agent: name, outcome: busy), in: journal) }
                    announce("queue #\(task.id) was being sent when orch stopped; \(busy)")
                    continue
                }
                // What the killed orch had started to type lands first (a starved agent draws late).
                if let lock, !lock.previousNote.isEmpty { await letAKilledSendersKeysLand(lock, in: agent) }
                if Self.isTypedAtCursor(delivered, screen: try? tmux.captureWithCursor(agent.paneID, joined: false), profile: agent.profile) {
                    let report = try? await sender.send("", to: agent, submit: true)
                    let ok = report?.outcome == .submitted
                    store.update { _ in ([TaskStore.stateRecord(task.id, ok ? .sent : .waiting, agent: name)], ()) }
                    outcome = ok ? "it was typed but not submitted: pressed Enter" : "it is stuck in \(name)'s input box: check `peek \(name)`"
                    lock?.unlock(clearingNote: ok)
                } else {
                    store.update { _ in ([TaskStore.stateRecord(task.id, .waiting)], ()) }
                    outcome = "its end is not at \(name)'s cursor: waiting again"
                    // The note stays: should the task's text still appear, the next sender finds it
                    // at the cursor and refuses rather than glue its own to it.
                    lock?.unlock(clearingNote: false)
                }
            }
            if let journal = try? journal(at: nil) {
                record(.queueRecovered(id: task.id, agent: name, outcome: outcome), in: journal)
            }
            announce("queue #\(task.id) was being sent when orch stopped; \(outcome)")
        }
    }

    /// Whether `text` sits typed and unsubmitted where the cursor is: the screen reads as text in
    /// the input box, and the cursor's row ends with the end of the text's last line (or, for a
    /// paste the CLI folded, its `[Pasted text #N +L lines]`). Text elsewhere on the screen, such
    /// as an earlier prompt's echo in the transcript with the same ending, does not count.
    static func isTypedAtCursor(_ text: String, screen capture: (screen: String, cursor: PaneCursor)?, profile: AgentProfile) -> Bool {
        guard let (screen, cursor) = capture else { return false }
        let reading = ScreenClassifier.classify(screen, profile: profile)
        guard reading.state == .input, reading.isUnsubmittedText else { return false }
        let rows = ScreenText.stripEscapes(screen).split(separator: "\n", omittingEmptySubsequences: false)
        guard rows.indices.contains(cursor.y) else { return false }
        // The row's text without the box's right border and padding.
        var row = Substring(rows[cursor.y])
        while let last = row.last, last.isWhitespace || last == "│" || last == "┃" { row = row.dropLast() }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let lineCount = lines.count
        if lineCount > 1, row.contains("[Pasted text #"), row.contains("+\(lineCount) lines") || row.contains("+\(lineCount - 1) lines") {
            return true
        }
        var lastLine = Substring(lines.last(where: { !$0.allSatisfy(\.isWhitespace) }) ?? "")
        while let last = lastLine.last, last.isWhitespace { lastLine = lastLine.dropLast() }
        return ScreenText.typedLine(lastLine, endsAtRow: cursor.y, of: rows)
    }

    /// A dispatcher message: a notice in the REPL, standard error in scripts.
    func announce(_ text: String) {
        let line = style.dim(NoticeFormatter.clock(Int(TaskStore.nowMillis() / 1000))) + " " + text
        if let noticeSink { noticeSink(line) } else { output.printError(line) }
    }

    /// `loop until queue empty`: nothing waiting or being typed.
    func queueIsEmpty(at location: SourceLocation) throws(OrchError) -> Bool {
        !(try taskStore(at: location).tasks().contains { $0.state == .waiting || $0.state == .sending })
    }
}
