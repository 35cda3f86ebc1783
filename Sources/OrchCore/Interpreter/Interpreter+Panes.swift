#if canImport(Glibc)
import Glibc
#endif
import Synchronization

extension Interpreter {
    /// `send`: resolves every target first (an unknown agent sends nothing to anyone), checks each
    /// is ready, then delivers to all of them at once and reports any that did not take it.
    ///
    /// Per agent, one sender at a time across every orch process: a lock per pane is held from
    /// the readiness check to the verified submit, so concurrent sends queue behind it and each
    /// prompt is typed whole and submitted alone.
    func send(_ rawText: String, to refs: [AgentRef], options sendOptions: SendOptions, at location: SourceLocation) async throws(OrchError) {
        let targets = try agents(refs)
        let source = try sendOptions.file.map { path throws(OrchError) in try Self.readPrompt(path, at: location) } ?? rawText
        let (text, removed) = PromptText.sanitize(source)
        if let exited = targets.first(where: \.hasExited) {
            throw OrchError("send: \(exited.exitedMessage)", at: location)
        }
        if let own = FileSystem.environment("TMUX_PANE"), let me = targets.first(where: { $0.paneID == own }), isOwnServer {
            throw OrchError("send: \(me.name) is this orch's own pane (\(own)): the text would be typed into orch itself", at: location)
        }
        if (sendOptions.file != nil && text.isEmpty) || (!text.isEmpty && text.allSatisfy { $0 == "\n" }) {
            throw OrchError("send: nothing to send (the text is empty or only newlines); `enter AGENT` presses Enter", kind: .usage, at: location)
        }
        if removed > 0 {
            announce("send: removed \(removed) control character\(removed == 1 ? "" : "s") (escape sequences, C0 controls) from the text: they would act as keys")
        }
        let journal = try journal(at: location)
        let turns = turnLog(at: location)
        let sender = self.sender
        let limit = readyTimeout
        var locks: [String: FileLock] = [:]
        defer { for lock in locks.values { lock.unlock(clearingNote: true) } }
        // Locks taken in one order (by pane) by every sender: `send a,b` and `send b,a` at once
        // must not each hold one and wait for the other.
        for agent in targets.sorted(by: { $0.paneID.utf8.lexicographicallyPrecedes($1.paneID.utf8) }) {
            let lock = try await sendLock(for: agent, patience: limit, typing: text, at: location)  // nil: no state folder to lock in
            locks[agent.paneID] = lock
            if let lock { try await refuseIfAKilledSenderLeftText(lock, in: agent, at: location) }
            // The turn in progress first: right after another sender's submit, Aider still shows
            // that prompt as its last line (`> …`, up to 1.2 s), which alone reads as text typed
            // and not submitted (real Aider refused 5 of 6 concurrent sends). A question open
            // or text typed outside any turn is not `working`: the wait returns at once.
            if sendOptions.waitForReady { try await waitUntilReady(agent, at: location) }
            if !sendOptions.force { try refuseIfAsking(agent, at: location) }
        }
        // Read after the readiness wait, which may have started the watcher: it must hear of
        // this turn (it skips this process's own records in the turn log).
        let watcher = self.watcher
        let by = sendBy
        let reports = await withTaskGroup(of: Result<DeliveryReport, OrchError>.self) { group in
            for agent in targets {
                // Recorded before typing: after a crash the journal shows what may have been typed.
                record(.sendTyping(agent: agent.name, text: text), in: journal)
                group.addTask {
                    let marker = Sender.turnMarker(for: text)
                    let opened = Mutex<TurnRecord?>(nil)
                    do throws(TmuxError) {
                        let report = try await sender.send(text, to: agent, submit: sendOptions.submit) {
                            // The turn starts at the Enter: recorded first, so a `wait done` in any
                            // orch process right after this waits for the turn this send starts.
                            let record = try? turns.openTurn(pane: agent.paneID, agent: agent.name, by: by, marker: marker).get()
                            opened.withLock { $0 = record }
                            await watcher?.noteSend(pane: agent.paneID, marker: marker, record: record)
                        }
                        // Interrupted after its Enter, the prompt was most likely taken: the turn stays.
                        if report.outcome != .submitted, report.outcome != .interrupted || report.enters == 0, let record = opened.withLock({ $0 }) {
                            turns.cancel(record)
                            await watcher?.noteCancelled(pane: agent.paneID)
                        }
                        return .success(report)
                    } catch {
                        if let record = opened.withLock({ $0 }) {
                            turns.cancel(record)
                            await watcher?.noteCancelled(pane: agent.paneID)
                        }
                        return .failure(OrchError("send to \(agent.name): \(error.description)", at: location))
                    }
                }
            }
            var all: [Result<DeliveryReport, OrchError>] = []
            for await result in group { all.append(result) }
            return all
        }
        var failures: [String] = []
        var interrupted = false
        for result in reports {
            switch result {
            case .failure(let error):
                failures.append(error.message)
            case .success(let report):
                record(.sendOutcome(agent: report.agent, outcome: "\(report.outcome)", enters: report.enters, seen: report.seen), in: journal)
                if let failure = Self.failureMessage(report) { failures.append(failure) }
                if report.outcome == .interrupted { interrupted = true }
            }
        }
        if !failures.isEmpty { throw OrchError(failures.sorted().joined(separator: "\n"), at: location) }
        if interrupted { throw .interrupted(at: location) }
    }

    /// What a delivery that did not end submitted tells the user, and what to do.
    static func failureMessage(_ report: DeliveryReport) -> String? {
        let name = report.agent
        let seen = report.seen ?? "screen unchanged"
        switch report.outcome {
        case .submitted, .typed, .interrupted:
            return nil
        case .notSubmitted:
            return "send to \(name): not submitted after \(report.enters) Enter presses; the text is still in its input box (\(seen)). Check with `peek \(name)`; `enter \(name)` retries."
        case .unverified:
            return "send to \(name): unverified: Enter was pressed but nothing on its screen shows the prompt was taken (\(seen)). Check with `peek \(name)`; declare its profile or add a prompt pattern so orch can read it."
        case .question:
            return "send to \(name): input: a question appeared before the Enter, so none was pressed (\(seen)); the text is typed in its box. Answer it (`key \(name) …`), then `enter \(name)`."
        case .blocked:
            return "send to \(name): not submitted: \(seen)"
        }
    }

    /// `set ready-timeout`, default 2 minutes.
    var readyTimeout: Duration { settings["ready-timeout"].flatMap(Duration.parse) ?? .seconds(120) }

    /// Who a turn's record names as its sender.
    var sendBy: String { "orch pid \(getpid())" }

    /// Whether orch talks to the tmux server it runs inside (`$TMUX`), where `$TMUX_PANE` is its own pane.
    var isOwnServer: Bool {
        // A host's server is on another machine, whatever its socket is called.
        guard options.endpoint.host == nil, let inside = FileSystem.environment("TMUX"), let socket = inside.split(separator: ",").first else { return false }
        return String(socket) == options.endpoint.resolvedSocketPath
    }

    /// Takes the agent's send lock (waiting, off the concurrency pool, up to `patience`); the
    /// error names the holder when another sender keeps it. Its note says who holds it and how
    /// the text being typed ends, for the next sender if this one is killed.
    func sendLock(for agent: Agent, patience: Duration, typing text: String, at location: SourceLocation) async throws(OrchError) -> FileLock? {
        // Per tmux server, like the turn log: pane ids start again at %0 on a new server.
        let known = try registry(at: location)
        let path = OrchPaths.sessionFile("send-\(known.registry.serverPID)-\(agent.paneID.dropFirst()).lock", session: known.session, directory: stateDirectory)
        // An unwritable state folder (the journal warns about it): deliver unlocked rather than not at all.
        let probe = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard probe >= 0 else { return nil }
        close(probe)
        let note = "pid \(getpid()) since \(NoticeFormatter.clock(Int(time(nil))))\nend \(Sender.echoMarker(for: text, length: 24))"
        if let lock = await offThread({ FileLock(path: path, patience: patience, note: note, inArrivalOrder: true) }) { return lock }
        let holder = (FileSystem.readText(path).successValue ?? "").split(separator: "\n").first.map(String.init) ?? ""
        throw OrchError("send: \(agent.name) is being sent another prompt (\(holder.isEmpty ? "by another orch" : holder)) and it did not finish within \(patience.compactDescription) (set ready-timeout)", at: location)
    }

    /// The last sender died holding `lock` (kill -9, its note left behind): a paste or keys it
    /// had started may still be reaching the screen, and its text may sit unsubmitted at the
    /// cursor, where a profile cannot always tell it from the agent's own drawing; a prompt typed
    /// after it would be glued to it. The dead sender's note stays while this one looks (were
    /// this one killed too, the next would still know what to look for); it is told once, then
    /// the note goes.
    func refuseIfAKilledSenderLeftText(_ lock: FileLock, in agent: Agent, at location: SourceLocation) async throws(OrchError) {
        guard !lock.previousNote.isEmpty else { return }
        await letAKilledSendersKeysLand(lock, in: agent)
        if let left = leftByKilledSender(lock.previousNote, in: agent) {
            throw OrchError("send: \(agent.name)'s input box still holds the text of a send that was killed before its Enter (\(left)): `enter \(agent.name)` submits it, `key \(agent.name) C-u` clears it", at: location)
        }
    }

    /// Waits until what a sender killed holding `lock` had started to type has reached the
    /// screen: its tmux clients ended, the agent read its input, the screen still. Its note stays
    /// in the lock meanwhile (were this one killed too, the next would still know what to look for).
    func letAKilledSendersKeysLand(_ lock: FileLock, in agent: Agent) async {
        lock.setNote(lock.previousNote)
        let endpointArguments = tmux.endpoint.tmuxArguments
        await offThread { Self.waitForOtherTmuxClients(targeting: agent.paneID, endpoint: endpointArguments) }
        // Its keys may sit unread in the agent's terminal (a starved agent draws nothing yet).
        await tmux.paneInput(agent.paneID)?.waitUntilRead(limit: .seconds(5))
        await waitForStillScreen(agent)
        lock.setNote(lock.currentNote)
    }

    /// What a killed sender (its lock `note`) left typed: its text's end on the cursor's line
    /// (where typed text ends), or nil.
    func leftByKilledSender(_ note: String, in agent: Agent) -> String? {
        // A marker of a few characters could match anything on the row.
        guard let end = note.split(separator: "\n").first(where: { $0.hasPrefix("end ") })?.dropFirst(4), end.count >= 4,
            let (screen, cursor) = try? tmux.captureWithCursor(agent.paneID, joined: false)
        else { return nil }
        let rows = ScreenText.stripEscapes(screen).split(separator: "\n", omittingEmptySubsequences: false)
        // On the cursor's row, or split by the pane's width between it and the row above.
        guard rows.indices.contains(cursor.y), rows[cursor.y].contains(end.suffix(8)) || ScreenText.typedLine(end, endsAtRow: cursor.y, of: rows) else { return nil }
        let who = note.split(separator: "\n").first.map(String.init) ?? "another orch"
        return "\(who), ending …\(end)"
    }

    /// Waits (at most 5 s) until no tmux client process names `pane` as its target: a killed
    /// sender's last `send-keys` or `paste-buffer` runs on after it, as a process of its own
    /// (seen late by more than 300 ms under a loaded machine, and then glued to this text).
    /// Nothing of this process targets the pane yet, so any such client is someone else's.
    static func waitForOtherTmuxClients(targeting pane: String, endpoint: [String]) {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline, otherTmuxClientRuns(targeting: pane, endpoint: endpoint) { usleep(10_000) }
    }

    /// Pane ids repeat across servers: a client counts only with this server's `-L`/`-S` words.
    static func otherTmuxClientRuns(targeting pane: String, endpoint: [String]) -> Bool {
        let me = String(getpid())
        for entry in FileSystem.list("/proc") where entry.first?.isNumber == true && entry != me {
            guard case .success(let line) = FileSystem.readText("/proc/\(entry)/cmdline") else { continue }
            let words = line.split(separator: "\0", omittingEmptySubsequences: false)
            guard let program = words.first, program == "tmux" || program.hasSuffix("/tmux"),
                let target = words.firstIndex(of: "-t"), words.indices.contains(target + 1), words[target + 1] == pane,
                endpoint.allSatisfy({ argument in words.contains { $0 == argument } })
            else { continue }
            return true
        }
        return false
    }

    /// Waits until `agent`'s screen has not changed for 300 ms (at most 3 s).
    func waitForStillScreen(_ agent: Agent) async {
        let deadline = ContinuousClock.now + .seconds(3)
        var last = try? tmux.capturePane(agent.paneID, escapes: true)
        var since = ContinuousClock.now
        while ContinuousClock.now < deadline, ContinuousClock.now - since < .milliseconds(300) {
            try? await Task.sleep(for: .milliseconds(20))
            let screen = try? tmux.capturePane(agent.paneID, escapes: true)
            if screen != last { (last, since) = (screen, .now) }
        }
    }

    /// A prompt file's text (`-`: standard input).
    static func readPrompt(_ path: String, at location: SourceLocation) throws(OrchError) -> String {
        let result = path == "-" ? FileSystem.readText("/dev/stdin") : FileSystem.readText(path)
        switch result {
        case .success(let text): return text
        case .failure(let error): throw OrchError("send --file: \(error.description)", at: location)
        }
    }

    /// An agent with a question open, or text already typed in its box, must not get a prompt
    /// typed on top (it would answer the question or glue two prompts together).
    func refuseIfAsking(_ agent: Agent, at location: SourceLocation) throws(OrchError) {
        guard let (screen, cursor) = try? tmux.captureWithCursor(agent.paneID) else { return }
        if cursor.inMode {
            throw OrchError("send: \(agent.name)'s pane is in copy mode (what is typed would go to tmux): press q in it or `key \(agent.name) q`", at: location)
        }
        let reading = ScreenClassifier.classify(screen, profile: agent.profile)
        if let popup = reading.popup {
            throw OrchError("send: \(agent.name) has a popup open over its input box (\(popup)): `key \(agent.name) Escape` closes it", at: location)
        }
        guard reading.state == .input else { return }
        let seen = reading.evidence.map { " (\($0))" } ?? ""
        if reading.isUnsubmittedText {
            throw OrchError("send: \(agent.name) already has unsubmitted text in its input box\(seen): `enter \(agent.name)` submits it, `key \(agent.name) C-u` clears it, or use send --force", at: location)
        }
        throw OrchError("send: \(agent.name) is waiting for an answer\(seen): answer it first (e.g. `key \(agent.name) 1` or `enter \(agent.name)`), or use send --force to type anyway", at: location)
    }

    /// Waits (bounded by `set ready-timeout`) until the agent's turn is over: a visible
    /// indicator, or a turn some orch process opened that has not ended (a reply streaming with
    /// no indicator on screen, as Codex's does).
    func waitUntilReady(_ agent: Agent, at location: SourceLocation) async throws(OrchError) {
        let state: AgentState
        if let watcher, let status = await watcher.statuses().first(where: { $0.agent.paneID == agent.paneID }) {
            state = status.state
        } else {
            state = observe(agent, history: turnLog(at: location).histories()[agent.paneID]).state
        }
        guard state == .working else { return }
        let limit = readyTimeout
        announce("\(agent.name) is working: send waits for it to be free (up to \(limit.compactDescription); Ctrl-C stops, send --no-wait types now)")
        do {
            try await wait(for: .free, .agents([AgentRef(agent.name, at: location)]), timeout: limit, at: location, quietly: true)
        } catch where error.kind == .interrupted {
            throw error
        } catch {
            throw OrchError("send: \(agent.name) is still working after \(limit.compactDescription); send --no-wait types anyway (most agents queue it)", at: location)
        }
    }

    /// The current session's journal.
    func journal(at location: SourceLocation?) throws(OrchError) -> Journal {
        Journal(session: try resolveSession(at: location), directory: stateDirectory)
    }

    /// `enter` and `key`: tmux key names, checked first so a typo is not typed as text.
    func pressKeys(_ keys: [String], on ref: AgentRef, at location: SourceLocation) throws(OrchError) {
        if let bad = keys.first(where: { !KeyNames.isValid($0) }) {
            throw OrchError(
                "key: '\(bad)' is not a tmux key name (e.g. \(KeyNames.common.prefix(6).joined(separator: ", ")); C- for Ctrl, M- for Alt); to type text use `send --no-submit`",
                kind: .usage, at: location)
        }
        let agent = try agent(ref)
        if agent.hasExited { throw OrchError(agent.exitedMessage, at: location) }
        do {
            try tmux.sendKeys(keys, to: agent.paneID)
        } catch {
            throw OrchError(error, at: location)
        }
        record(.key(agent: agent.name, keys: keys), in: try journal(at: location))
    }

    /// `peek`: the last `lines` non-empty lines of the agent's screen (and its scrollback when
    /// more are asked for), as the seed's `capture-pane -p | tail -15` but without the blank
    /// lines under the prompt.
    func peek(_ ref: AgentRef, lines: Int, at location: SourceLocation) throws(OrchError) {
        let agent = try agent(ref)
        let screen: String
        do {
            screen = try tmux.capturePane(agent.paneID, scrollback: Self.scrollback(for: lines))
        } catch {
            throw OrchError(error, at: location)
        }
        for line in Self.nonEmptyLines(screen).suffix(lines) { output.print(line) }
    }

    /// History lines to read for `peek N`: none while the screen alone can hold N lines.
    static func scrollback(for lines: Int) -> Int { lines > defaultPeekLines ? lines : 0 }

    /// How many lines `peek` shows when not told: the seed's `tail -15`.
    static let defaultPeekLines = 15
}
