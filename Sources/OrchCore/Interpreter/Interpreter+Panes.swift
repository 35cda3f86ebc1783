extension Interpreter {
    /// `send`: resolves every target first (an unknown agent sends nothing to anyone), checks each
    /// is ready, then delivers to all of them at once and reports any that did not take it.
    func send(_ text: String, to refs: [AgentRef], options sendOptions: SendOptions, at location: SourceLocation) async throws(OrchError) {
        let targets = try agents(refs)
        if let exited = targets.first(where: \.hasExited) {
            throw OrchError("send: \(exited.exitedMessage)", at: location)
        }
        for agent in targets where !sendOptions.force {
            try refuseIfAsking(agent, at: location)
        }
        if sendOptions.waitForReady {
            for agent in targets { try await waitUntilReady(agent, at: location) }
        }
        let journal = try journal(at: location)
        let sender = self.sender
        let watcher = self.watcher
        let reports = await withTaskGroup(of: Result<DeliveryReport, OrchError>.self) { group in
            for agent in targets {
                // Recorded before typing: after a crash the journal shows what may have been typed.
                record("send", [("agent", .string(agent.name)), ("phase", .string("typing")), ("text", .string(text))], in: journal)
                group.addTask {
                    // Told first, so `wait done` right after this waits for the turn this send starts.
                    if sendOptions.submit { await watcher?.noteSend(pane: agent.paneID) }
                    do throws(TmuxError) {
                        return .success(try await sender.send(text, to: agent, submit: sendOptions.submit))
                    } catch {
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
                record("send", [
                    ("agent", .string(report.agent)), ("phase", .string("\(report.outcome)")),
                    ("enters", .int(report.enters)), ("seen", report.seen.map(JSONValue.string) ?? .null),
                ], in: journal)
                if report.outcome == .interrupted { interrupted = true }
                if report.outcome == .notSubmitted {
                    failures.append("send to \(report.agent): not submitted after \(report.enters) Enter presses; the text is still in its input box (\(report.seen ?? "screen unchanged")). Check with `peek \(report.agent)`; `enter \(report.agent)` retries.")
                }
            }
        }
        if !failures.isEmpty { throw OrchError(failures.sorted().joined(separator: "\n"), at: location) }
        if interrupted { throw .interrupted(at: location) }
    }

    /// An agent with a question open, or text already typed in its box, must not get a prompt
    /// typed on top (it would answer the question or glue two prompts together).
    func refuseIfAsking(_ agent: Agent, at location: SourceLocation) throws(OrchError) {
        guard let screen = try? tmux.capturePane(agent.paneID, escapes: true) else { return }
        let reading = ScreenClassifier.classify(screen, profile: agent.profile)
        guard reading.state == .input else { return }
        let seen = reading.evidence.map { " (\($0))" } ?? ""
        if reading.isUnsubmittedText {
            throw OrchError("send: \(agent.name) already has unsubmitted text in its input box\(seen): `enter \(agent.name)` submits it, `key \(agent.name) C-u` clears it, or use send --force", at: location)
        }
        throw OrchError("send: \(agent.name) is waiting for an answer\(seen): answer it first (e.g. `key \(agent.name) 1` or `enter \(agent.name)`), or use send --force to type anyway", at: location)
    }

    /// Waits (bounded by `set ready-timeout`) until the agent is back at its prompt.
    func waitUntilReady(_ agent: Agent, at location: SourceLocation) async throws(OrchError) {
        guard let screen = try? tmux.capturePane(agent.paneID, escapes: true),
            ScreenClassifier.classify(screen, profile: agent.profile).state == .working
        else { return }
        let limit = settings["ready-timeout"].flatMap(Duration.parse) ?? .seconds(120)
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
        Journal(session: try resolveSession(at: location), directory: options.stateDirectory ?? OrchPaths.stateDirectory)
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
        record("key", [("agent", .string(agent.name)), ("keys", .array(keys.map(JSONValue.string)))], in: try journal(at: location))
    }

    /// `peek`: the last `lines` non-empty lines of the agent's screen, as the seed's
    /// `capture-pane -p | tail -15` but without the blank lines under the prompt.
    func peek(_ ref: AgentRef, lines: Int, at location: SourceLocation) throws(OrchError) {
        let agent = try agent(ref)
        let screen: String
        do {
            screen = try tmux.capturePane(agent.paneID)
        } catch {
            throw OrchError(error, at: location)
        }
        for line in Self.nonEmptyLines(screen).suffix(lines) { output.print(line) }
    }

    /// How many lines `peek` shows when not told: the seed's `tail -15`.
    static let defaultPeekLines = 15
}
