/// Types a prompt into an agent's pane byte-exact and submits it.
///
/// Agent CLIs treat a burst of input as a paste and swallow an Enter that follows it too soon
/// (facts.md, "Enter is swallowed"). So Enter is its own tmux command, sent only once the agent
/// has drawn the typed text (it has read it) and a settle delay has passed since — measured on
/// the screen, not a fixed long sleep.
public struct Sender: Sendable {
    public var tmux: TmuxClient
    /// Pause between the agent showing the text and the Enter that submits it.
    public var settle: Duration
    /// Longest wait for the agent to show what was typed before pressing Enter anyway.
    public var echoTimeout: Duration
    /// Longer text, or text with a newline, goes in as one bracketed paste rather than typed keys.
    public var pasteThreshold: Int

    public init(tmux: TmuxClient, settle: Duration = .milliseconds(150), echoTimeout: Duration = .seconds(2), pasteThreshold: Int = 1024) {
        self.tmux = tmux
        self.settle = settle
        self.echoTimeout = echoTimeout
        self.pasteThreshold = pasteThreshold
    }

    /// Types `text` into `agent` and, when `submit`, presses Enter once the agent has taken the text.
    public func send(_ text: String, to agent: Agent, submit: Bool) async throws(TmuxError) {
        let before = try tmux.capturePane(agent.paneID)
        if text.contains("\n") || text.contains("\r") || text.utf8.count > pasteThreshold {
            // A trailing newline would submit inside the paste, before orch's own Enter.
            var body = Substring(text)
            while body.hasSuffix("\n") || body.hasSuffix("\r") { body = body.dropLast() }
            try tmux.paste(String(body), into: agent.paneID, bufferName: "orch-\(agent.paneID.dropFirst())-\(UInt32.random(in: 0...UInt32.max))")
        } else if !text.isEmpty {
            try tmux.typeLiteral(text, into: agent.paneID)
        }
        guard submit else { return }
        try await waitForEcho(of: text, in: agent.paneID, changedFrom: before)
        try? await Task.sleep(for: settle)
        try tmux.sendKeys(["Enter"], to: agent.paneID)
    }

    /// Waits until the pane shows the end of `text`, or has changed and then stayed still for a
    /// moment (the agent drew what it read, e.g. text wrapped or clipped), up to `echoTimeout`.
    func waitForEcho(of text: String, in pane: String, changedFrom before: String) async throws(TmuxError) {
        let marker = Self.echoMarker(for: text)
        let deadline = ContinuousClock.now.advanced(by: echoTimeout)
        var previous = before
        var stillSince: ContinuousClock.Instant?
        while ContinuousClock.now < deadline {
            let screen = try tmux.capturePane(pane)
            if screen != before {
                if !marker.isEmpty && screen.contains(marker) { return }
                if screen == previous {
                    if let since = stillSince, ContinuousClock.now - since >= .milliseconds(60) { return }
                    if stillSince == nil { stillSince = .now }
                } else {
                    stillSince = nil
                }
            }
            previous = screen
            do {
                try await Task.sleep(for: .milliseconds(10))
            } catch {
                return  // cancelled: let the caller go on (and be cancelled at its next step)
            }
        }
    }

    /// The last few visible characters of `text`: what to look for on the screen.
    static func echoMarker(for text: String) -> String {
        let lastLine = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).last.map(String.init) ?? ""
        let visible = lastLine.split(separator: "\t").last.map(String.init) ?? ""
        var trimmed = Substring(visible)
        while let last = trimmed.last, last.isWhitespace { trimmed = trimmed.dropLast() }
        return String(trimmed.suffix(8))
    }
}
