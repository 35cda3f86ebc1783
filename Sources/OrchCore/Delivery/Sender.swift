/// Types a prompt into an agent's pane byte-exact, submits it, and checks it was submitted.
///
/// Agent CLIs treat a burst of input as a paste and swallow an Enter that follows it too soon
/// (facts.md, "Enter is swallowed"). So Enter is its own tmux command, sent once the agent has
/// drawn the typed text and a settle delay has passed; then the screen is read again: if the text
/// still sits in the input box (or `↵ send` shows), Enter is pressed again with growing pauses,
/// up to `maxEnters`. The text itself is never typed twice.
public struct Sender: Sendable {
    public var tmux: TmuxClient
    /// Pause between the agent showing the text and the Enter that submits it.
    public var settle: Duration
    /// Longest wait for the agent to show what was typed before pressing Enter anyway.
    public var echoTimeout: Duration
    /// Longer text, or text with a newline, goes in as one bracketed paste rather than typed keys.
    public var pasteThreshold: Int
    /// Extra pause before the Enter after a paste (see `send`).
    public var pasteSettle: Duration = .milliseconds(250)
    /// Enter presses allowed before the delivery counts as failed.
    public var maxEnters: Int
    /// How long the first Enter is given to take effect; doubled for each retry, up to 2 s.
    public var verifyWindow: Duration

    public init(tmux: TmuxClient, settle: Duration = .milliseconds(150), echoTimeout: Duration = .seconds(2), pasteThreshold: Int = 1024, maxEnters: Int = 5, verifyWindow: Duration = .milliseconds(300)) {
        self.tmux = tmux
        self.settle = settle
        self.echoTimeout = echoTimeout
        self.pasteThreshold = pasteThreshold
        self.maxEnters = maxEnters
        self.verifyWindow = verifyWindow
    }

    /// Types `text` into `agent` and, when `submit`, presses Enter until the agent has taken it.
    public func send(_ text: String, to agent: Agent, submit: Bool) async throws(TmuxError) -> DeliveryReport {
        func stopped(_ enters: Int) -> DeliveryReport { DeliveryReport(agent: agent.name, outcome: .interrupted, enters: enters, seen: nil) }
        if Task.isCancelled { return stopped(0) }
        let before = try tmux.capturePane(agent.paneID)
        // Bytes, not Characters: "\r\n" is one Character, which contains neither "\r" nor "\n".
        let pasted = text.utf8.contains(10) || text.utf8.contains(13) || text.utf8.count > pasteThreshold
        if pasted {
            // A trailing newline would submit inside the paste, before orch's own Enter.
            var body = Substring(text).unicodeScalars
            while let last = body.last, last == "\n" || last == "\r" { body = body.dropLast() }
            try tmux.paste(String(body), into: agent.paneID, bufferName: "orch-\(agent.paneID.dropFirst())-\(UInt32.random(in: 0...UInt32.max))")
        } else if !text.isEmpty {
            try tmux.typeLiteral(text, into: agent.paneID)
        }
        guard submit else { return DeliveryReport(agent: agent.name, outcome: .typed, enters: 0, seen: nil) }
        // An Enter that lands inside a paste becomes a newline in the text: a paste must be over
        // (the screen still for longer) before Enter.
        if !text.isEmpty {
            try await waitForEcho(of: text, in: agent.paneID, changedFrom: before, stillFor: pasted ? .milliseconds(250) : .milliseconds(60))
            // The screen shows a paste's text before the agent has read the paste's end marker, and
            // its paste window runs from that marker: give a paste extra settle time.
            try? await Task.sleep(for: pasted ? settle + pasteSettle : settle)
        }

        var window = verifyWindow
        var lastSeen: String?
        for enters in 1...max(1, maxEnters) {
            if Task.isCancelled { return stopped(enters - 1) }  // typed, not submitted: the user stopped it
            let typed = try tmux.capturePane(agent.paneID, escapes: true)
            try tmux.sendKeys(["Enter"], to: agent.paneID)
            switch try await verify(agent, typedScreen: typed, within: window) {
            case .taken(let seen):
                return DeliveryReport(agent: agent.name, outcome: .submitted, enters: enters, seen: seen)
            case .stillTyped(let seen):
                lastSeen = seen
            case .cancelled:
                return stopped(enters)
            }
            window = min(window * 2, .seconds(2))
        }
        return DeliveryReport(agent: agent.name, outcome: .notSubmitted, enters: max(1, maxEnters), seen: lastSeen)
    }

    enum Verdict {
        case taken(String?)
        case stillTyped(String?)
        case cancelled
    }

    /// Reads the screen after an Enter until it shows the prompt was taken, or `window` passes.
    func verify(_ agent: Agent, typedScreen: String, within window: Duration) async throws(TmuxError) -> Verdict {
        let deadline = ContinuousClock.now + window
        var seen: String?
        while true {
            let screen = try tmux.capturePane(agent.paneID, escapes: true)
            let reading = ScreenClassifier.classify(screen, profile: agent.profile)
            seen = reading.evidence
            switch reading.state {
            case .working:
                return .taken(reading.evidence)
            case .input where !reading.isUnsubmittedText:
                return .taken(reading.evidence)  // it answered with a question: the prompt ran
            case .done, .idle, .unknown:
                // The box emptied (or the screen is one orch cannot read) and something moved.
                if screen != typedScreen { return .taken(reading.evidence) }
            case .input:
                break  // the text is still in the box
            }
            if ContinuousClock.now >= deadline { return .stillTyped(seen) }
            do {
                try await Task.sleep(for: .milliseconds(20))
            } catch {
                return .cancelled
            }
        }
    }

    /// Waits until the pane shows the end of `text`, or has changed and then stayed still for
    /// `stillFor` (the agent drew what it read, e.g. text wrapped or folded), up to `echoTimeout`.
    func waitForEcho(of text: String, in pane: String, changedFrom before: String, stillFor: Duration) async throws(TmuxError) {
        let marker = Self.echoMarker(for: text)
        let deadline = ContinuousClock.now.advanced(by: echoTimeout)
        var previous = before
        var stillSince: ContinuousClock.Instant?
        while ContinuousClock.now < deadline {
            let screen = try tmux.capturePane(pane)
            if screen != before {
                if !marker.isEmpty && screen.contains(marker) { return }
                if screen == previous {
                    if let since = stillSince, ContinuousClock.now - since >= stillFor { return }
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
