extension Interpreter {
    /// `reply AGENT`: the answer to the last prompt sent to it, from its hook (exact) or else
    /// its screen (the lines between the prompt's echo and the input box).
    func showReply(_ ref: AgentRef, at location: SourceLocation) async throws(OrchError) {
        let agent = try agent(ref)
        let (text, _) = try reply(of: agent, at: location)
        output.print(text)
    }

    /// The reply and where it came from (`hook` or `screen`).
    func reply(of agent: Agent, at location: SourceLocation?) throws(OrchError) -> (text: String, source: String) {
        let history = turnLog(at: location).histories()[agent.paneID]
        if history?.isTurnOpen == true {
            throw OrchError("reply: \(agent.name) is still working on its last prompt: `wait done \(agent.name)` first", at: location)
        }
        if let reply = history?.end?.reply { return (reply, "hook") }
        let screen: String
        do {
            screen = try tmux.capturePane(agent.paneID, escapes: true)
        } catch {
            throw OrchError(error, at: location)
        }
        guard let text = ReplyText.from(screen: screen, profile: agent.profile, marker: history?.turn?.marker) else {
            throw OrchError("reply: no prompt of \(agent.name)'s is on its screen any more; `peek \(agent.name) 40` shows what is there", at: location)
        }
        return (text, "screen")
    }
}
