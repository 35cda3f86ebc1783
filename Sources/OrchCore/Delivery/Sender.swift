#if canImport(Glibc)
import Glibc
#endif

/// Types a prompt into an agent's pane byte-exact, submits it, and checks it was submitted.
///
/// Agent CLIs treat a burst of input as a paste and swallow an Enter that follows it too soon
/// (docs/facts.md, "Enter is swallowed"). So Enter is its own tmux command, sent once the agent has
/// drawn the typed text and a settle delay has passed. Then it looks for evidence:
/// - submitted: the agent works, asks something, its input box emptied, or tmux's cursor left
///   the line the text was typed on (Aider keeps `> prompt` as the last line for up to 0.9 s
///   after a submit, with the cursor already below it);
/// - still typed: the box holds the text **and** the cursor has not moved: only then is Enter
///   pressed again (with growing pauses, up to `maxEnters`); a stray Enter would answer the
///   agent's next question (`Create new file? [Yes]`);
/// - neither (a screen orch cannot read, unchanged): `unverified`, never reported as success.
/// Before every Enter the screen is read again: a question or dialog stops the send (an Enter
/// would answer it), a completion popup is closed with Escape first (an Enter would pick an
/// entry and change the text), and copy mode stops it (keys would go to tmux). The text itself is
/// never typed twice.
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

    /// Types `text` (already `PromptText.sanitize`d) into `agent` and, when `submit`, presses
    /// Enter until there is evidence the agent took it. `beforeEnter` runs once, just before
    /// the first Enter: the turn starts there (the caller records it).
    public func send(_ text: String, to agent: Agent, submit: Bool, beforeEnter: @Sendable () async -> Void = {}) async throws(TmuxError) -> DeliveryReport {
        func report(_ outcome: DeliveryReport.Outcome, _ enters: Int, _ seen: String?) -> DeliveryReport {
            DeliveryReport(agent: agent.name, outcome: outcome, enters: enters, seen: seen)
        }
        if Task.isCancelled { return report(.interrupted, 0, nil) }
        deleteBuffersOfDeadOrchs()
        let input = tmux.paneInput(agent.paneID)
        // Keys sent before (a killed sender's paste, a user's `key`) are read first: text typed
        // behind them would be glued to them, and the screen below would not show them yet.
        await input?.waitUntilRead(limit: .seconds(5))
        let before = try tmux.capturePane(agent.paneID)
        // Bytes, not Characters: "\r\n" is one Character, which contains neither "\r" nor "\n".
        let pasted = text.utf8.contains(10) || text.utf8.contains(13) || text.utf8.count > pasteThreshold
        if pasted {
            // A trailing newline would submit inside the paste, before orch's own Enter.
            var body = Substring(text).unicodeScalars
            while let last = body.last, last == "\n" || last == "\r" { body = body.dropLast() }
            try paste(String(body), into: agent.paneID)
        } else if !text.isEmpty {
            try tmux.typeLiteral(text, into: agent.paneID)
        }
        guard submit else { return report(.typed, 0, nil) }
        // An Enter that lands inside a paste becomes a newline in the text: a paste must be over
        // (the screen still for longer) before Enter.
        if !text.isEmpty {
            // An Enter written before the agent read the text reaches it inside the text (a
            // newline in a paste, or swallowed): a starved agent shows nothing until it reads.
            await input?.waitUntilRead(limit: .seconds(10 + text.utf8.count / 65536))
            try await waitForEcho(of: text, in: agent.paneID, changedFrom: before, stillFor: pasted ? .milliseconds(250) : .milliseconds(60))
            // The screen shows a paste's text before the agent has read the paste's end marker, and
            // its paste window runs from that marker: give a paste extra settle time.
            try? await Task.sleep(for: pasted ? settle + pasteSettle : settle)
        }

        var window = verifyWindow
        var lastSeen: String?
        for enters in 1...max(1, maxEnters) {
            if Task.isCancelled { return report(.interrupted, enters - 1, nil) }  // typed, not submitted: the user stopped it
            var (typed, cursor) = try tmux.captureWithCursor(agent.paneID, joined: false)
            var reading = ScreenClassifier.classify(typed, profile: agent.profile)
            if cursor.inMode { return report(.blocked, enters - 1, "the pane is in copy mode (keys would go to tmux): press q in it, or `key \(agent.name) q`") }
            if reading.state == .input, !reading.isUnsubmittedText {
                return report(.question, enters - 1, reading.evidence)  // an Enter would answer it
            }
            // A retry only while the text is still in the box: the agent may have taken it
            // just after the last look (a stray Enter would wait for its next question).
            if enters > 1, !(reading.state == .input && reading.isUnsubmittedText) {
                return report(.submitted, enters - 1, reading.evidence ?? "taken after the last Enter")
            }
            if reading.popup != nil {
                // Escape closes the popup and keeps the text (Codex's footer: `esc close`).
                try tmux.sendKeys(["Escape"], to: agent.paneID)
                await input?.waitUntilRead(limit: .seconds(5))
                (typed, cursor, reading) = try await waitForPopupToClose(agent)
                if reading.popup != nil { return report(.blocked, enters - 1, "a popup over the input box stayed open (\(reading.popup ?? "")): close it with `key \(agent.name) Escape`") }
            }
            if enters == 1 { await beforeEnter() }
            try tmux.sendKeys(["Enter"], to: agent.paneID)
            switch try await verify(agent, typedScreen: typed, cursor: cursor, within: window) {
            case .taken(let seen):
                return report(.submitted, enters, seen)
            case .stillTyped(let seen):
                lastSeen = seen
            case .unverified(let seen):
                return report(.unverified, enters, seen)
            case .cancelled:
                return report(.interrupted, enters, nil)
            }
            window = min(window * 2, .seconds(2))
        }
        return report(.notSubmitted, max(1, maxEnters), lastSeen)
    }

    /// Pastes through a buffer named for this process, so a later orch can tell one left behind
    /// by a killed orch (`orch-PID-…` with PID gone) and delete it.
    func paste(_ text: String, into pane: String) throws(TmuxError) {
        try tmux.paste(text, into: pane, bufferName: "orch-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    }

    /// Deletes the paste buffers of orch processes that are gone: one killed between loading its
    /// buffer and pasting it leaves the prompt there, for prefix-`]` to paste anywhere. Every send
    /// looks (one `list-buffers`), whether it pastes or types.
    func deleteBuffersOfDeadOrchs() {
        guard let names = try? tmux.bufferNames() else { return }
        let me = getpid()
        for name in names where name.hasPrefix("orch-") {
            let parts = name.split(separator: "-")
            guard parts.count >= 3, let pid = Int32(parts[1]), pid != me else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { tmux.deleteBuffer(name) }
        }
    }

    enum Verdict {
        case taken(String?)
        case stillTyped(String?)
        case unverified(String?)
        case cancelled
    }

    /// How long a screen that shows nothing of an Enter is watched before it is `unverified`.
    static let unverifiedPatience: Duration = .seconds(2)

    /// Reads the screen after an Enter until it shows the prompt was taken, or `window` passes.
    func verify(_ agent: Agent, typedScreen: String, cursor typedCursor: PaneCursor, within window: Duration) async throws(TmuxError) -> Verdict {
        let deadline = ContinuousClock.now + window
        // Nothing at all changed by `window`: the agent may just be slow to draw (a loaded
        // machine stalled simulated agents for more than 300 ms). No Enter is pressed while
        // waiting, so "unverified" can wait longer before it is said.
        let giveUp = ContinuousClock.now + max(window, Self.unverifiedPatience)
        var seen: String?
        var stillTyped = false
        while true {
            let (screen, cursor) = try tmux.captureWithCursor(agent.paneID, joined: false)
            let reading = ScreenClassifier.classify(screen, profile: agent.profile, turnOpen: true)
            seen = reading.evidence
            let cursorMoved = cursor.y != typedCursor.y || (cursor.x != typedCursor.x && screen != typedScreen)
            // Below everything drawn: the program printed a newline after the line (Aider, a
            // shell). A cursor moved inside the box is a newline typed into the text (an Enter
            // the agent swallowed as part of a paste).
            let cursorBelowText = cursor.y > Self.lastDrawnRow(screen)
            switch reading.state {
            case .working:
                return .taken(reading.evidence)
            case .input where !reading.isUnsubmittedText:
                return .taken(reading.evidence)  // it answered with a question: the prompt ran
            case .done, .idle:
                // The box emptied and something moved.
                if screen != typedScreen { return .taken(reading.evidence ?? "the input box emptied") }
                stillTyped = false
            case .unknown:
                // A screen orch cannot read: only the cursor tells.
                if cursorMoved { return .taken("the cursor left the typed line") }
                stillTyped = false
            case .input:
                // The text is in the box; it is still typed unless the cursor left it.
                if cursorMoved && cursorBelowText { return .taken("the cursor left the typed line") }
                stillTyped = true
            }
            if ContinuousClock.now >= deadline {
                if stillTyped { return .stillTyped(seen) }
                if ContinuousClock.now >= giveUp { return .unverified(seen ?? "the screen did not change") }
            }
            do {
                try await Task.sleep(for: .milliseconds(20))
            } catch {
                return .cancelled
            }
        }
    }

    /// The last screen row with anything on it (escapes ignored), or -1.
    static func lastDrawnRow(_ screen: String) -> Int {
        let rows = ScreenText.stripEscapes(screen).split(separator: "\n", omittingEmptySubsequences: false)
        return rows.lastIndex { !$0.allSatisfy(\.isWhitespace) } ?? -1
    }

    /// Waits (at most 500 ms) until the pane's screen differs from `screen`.
    /// Reads the screen after an Escape until the popup is gone, up to `popupPatience`. The first
    /// change is not enough: under load Codex redraws the popup (its search results arrive) before
    /// it draws the Escape, and a loaded machine let 500 ms pass with the popup still up (CI soak).
    func waitForPopupToClose(_ agent: Agent) async throws(TmuxError) -> (String, PaneCursor, ScreenReading) {
        let deadline = ContinuousClock.now + Self.popupPatience
        while true {
            let (screen, cursor) = try tmux.captureWithCursor(agent.paneID, joined: false)
            let reading = ScreenClassifier.classify(screen, profile: agent.profile)
            if reading.popup == nil || ContinuousClock.now >= deadline { return (screen, cursor, reading) }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// How long a popup is given to close after its Escape.
    static let popupPatience: Duration = .seconds(3)

    /// Waits until the pane shows the end of `text`, or has changed and then stayed still for
    /// `stillFor` (the agent drew what it read, e.g. text wrapped or folded), up to `echoTimeout`
    /// (longer for a big text).
    func waitForEcho(of text: String, in pane: String, changedFrom before: String, stillFor: Duration) async throws(TmuxError) {
        let marker = Self.echoMarker(for: text)
        // A big paste takes the agent a while to read and draw (a 1 MB one, seconds): an Enter
        // pressed before it is drawn lands inside it. One more second per 64 KB.
        let deadline = ContinuousClock.now.advanced(by: echoTimeout + .seconds(text.utf8.count / 65536))
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
    static func echoMarker(for text: String, length: Int = 8) -> String {
        let lastLine = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).last.map(String.init) ?? ""
        // After the last tab (drawn as spaces, a varying number), and not a blank after a trailing one.
        let visible = lastLine.split(separator: "\t").last { !$0.allSatisfy(\.isWhitespace) }.map(String.init) ?? ""
        var trimmed = Substring(visible)
        while let last = trimmed.last, last.isWhitespace { trimmed = trimmed.dropLast() }
        return String(trimmed.suffix(length))
    }

    /// What a turn's echo in the transcript shows of `text`: the start of its first line (the
    /// classifier ignores indicators above it). Nil when too short to be told from other text.
    public static func turnMarker(for text: String) -> String? {
        guard let first = text.split(whereSeparator: { $0 == "\n" }).first(where: { !$0.allSatisfy(\.isWhitespace) }) else { return nil }
        var line = Substring(first)
        while let head = line.first, head.isWhitespace { line = line.dropFirst() }
        let marker = String(line.prefix(32))
        return marker.count >= 6 ? marker : nil
    }
}
