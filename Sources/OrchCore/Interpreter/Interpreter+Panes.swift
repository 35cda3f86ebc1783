extension Interpreter {
    /// `send`: resolves every target first, so an unknown agent sends nothing to anyone.
    func send(_ text: String, to refs: [AgentRef], options sendOptions: SendOptions, at location: SourceLocation) async throws(OrchError) {
        let targets = try agents(refs)
        for agent in targets {
            // Told first, so `wait done` right after this waits for the turn this send starts.
            if sendOptions.submit { await watcher?.noteSend(pane: agent.paneID) }
            do {
                try await sender.send(text, to: agent, submit: sendOptions.submit)
            } catch {
                throw OrchError("send to \(agent.name): \(error.description)", at: location)
            }
        }
    }

    /// `enter` and `key`: tmux key names, checked first so a typo is not typed as text.
    func pressKeys(_ keys: [String], on ref: AgentRef, at location: SourceLocation) throws(OrchError) {
        if let bad = keys.first(where: { !KeyNames.isValid($0) }) {
            throw OrchError(
                "key: '\(bad)' is not a tmux key name (e.g. \(KeyNames.common.prefix(6).joined(separator: ", ")); C- for Ctrl, M- for Alt); to type text use `send --no-submit`",
                kind: .usage, at: location)
        }
        let agent = try agent(ref)
        do {
            try tmux.sendKeys(keys, to: agent.paneID)
        } catch {
            throw OrchError(error, at: location)
        }
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
}
