/// A change of an agent's state, as notices, `wait` and the dispatcher see it.
public struct Transition: Sendable, Equatable {
    public var agent: String
    public var from: AgentState
    public var to: AgentState
    /// Seconds since the epoch (wall clock), for the `12:03:04` of a notice.
    public var wallTime: Int
    /// How long the agent had been busy, for `done after 4m12s` (nil when it was not working).
    public var workedFor: Duration?
    /// The screen line that decided, e.g. `✻ Brewed for 4m 12s`.
    public var evidence: String?
    /// What decided: `screen` (an indicator or the prompt), `activity` (printing, then quiet),
    /// `hook` (the CLI said so), `send` (a prompt was submitted).
    public var source: String = "screen"
    /// For a turn that ended by going quiet: how long ago it really ended (its last output).
    public var endedAgo: Duration?
    /// The agent's answer, when its hook reported one.
    public var reply: String?

    public init(agent: String, from: AgentState, to: AgentState, wallTime: Int, workedFor: Duration? = nil, evidence: String? = nil, source: String = "screen", endedAgo: Duration? = nil, reply: String? = nil) {
        self.agent = agent
        self.from = from
        self.to = to
        self.wallTime = wallTime
        self.workedFor = workedFor
        self.evidence = evidence
        self.source = source
        self.endedAgo = endedAgo
        self.reply = reply
    }
}

/// One agent's state over time: screen readings, output and turn records in, transitions out.
/// Pure; the caller passes the time, so tests drive it without a clock.
///
/// What the screen alone cannot tell and this adds (docs/language.md, "States" and "Turns"):
/// - an empty prompt after work since the last `send` is `done`; with nothing sent, `idle`;
/// - right after a `send`, the old done screen may still show until the agent redraws, so
///   `done`/`idle`/`input` readings wait until the agent has been seen working or printing (or
///   `turnStart` passed without it: an agent that finished too fast to be seen);
/// - activity is a signal of its own: output since the send means working even with no
///   indicator on screen (Codex shows none while its reply streams), and a turn ends only once
///   the pane has been quiet for `quiet` at its prompt;
/// - a screen no profile can read (a REPL, a shell) is followed by activity alone: working while
///   it prints after a send, done after `quiet` of silence, idle when nothing was sent;
/// - text sitting in the input box means `input` only once the pane has been still for `quiet`.
public struct StateTracker: Sendable {
    public private(set) var state: AgentState = .unknown
    public private(set) var since: ContinuousClock.Instant
    public private(set) var evidence: String?
    /// The answer a hook reported for the turn that ended.
    public private(set) var reply: String?
    /// When the current piece of work began (a send, or the first working reading).
    private var workStarted: ContinuousClock.Instant?
    /// The moment of the last `send` not yet followed by a working reading or output.
    private var pendingSend: ContinuousClock.Instant?
    /// The moment of the last `send` (the turn's start), until the turn ends.
    private var turnSent: ContinuousClock.Instant?
    /// Whether work happened since the agent last finished (makes an empty prompt `done`).
    private var workedSinceFinish = false
    private var lastOutput: ContinuousClock.Instant?
    /// When the pane's current run of output began (output after `quiet` of silence starts one).
    private var printingSince: ContinuousClock.Instant?
    /// The state before the last send, given back if its prompt turns out not submitted.
    private var beforeSend: (state: AgentState, evidence: String?)?

    public var quiet: Duration
    public var turnStart: Duration
    /// How long a pane with no turn must keep printing, its screen saying nothing, to be working.
    static let sustainedPrinting: Duration = .seconds(1)
    static let denseGap: Duration = .milliseconds(600)

    public init(at now: ContinuousClock.Instant, quiet: Duration = .milliseconds(1500), turnStart: Duration = .seconds(5)) {
        since = now
        self.quiet = quiet
        self.turnStart = turnStart
    }

    /// Whether a turn is in progress: sent and not yet ended.
    public var isTurnOpen: Bool { turnSent != nil }

    /// A prompt was submitted: the agent counts as working from now.
    public mutating func noteSend(at now: ContinuousClock.Instant, wallTime: Int) -> Transition? {
        if state != .working { beforeSend = (state, evidence) }
        pendingSend = now
        turnSent = now
        workStarted = now
        workedSinceFinish = true
        reply = nil
        var transition = move(to: .working, evidence: "prompt sent", at: now, wallTime: wallTime)
        transition?.source = "send"
        return transition
    }

    /// The pane printed something (control mode `%output`, or `#{window_activity}` read once).
    public mutating func noteOutput(at now: ContinuousClock.Instant) {
        if let last = lastOutput, last > now { return }
        // A run of output is dense: a gap longer than this starts a new one (a clock ticking
        // once a second never adds up to "printing"; a stream slowed by a loaded machine does).
        if printingSince == nil || lastOutput.map({ now - $0 > Self.denseGap }) ?? true { printingSince = now }
        lastOutput = now
        // The agent reacted to the prompt: what it shows from now on is this turn's screen.
        if let sent = pendingSend, now > sent { pendingSend = nil }
    }

    /// How long the pane has been printing without a pause (nil: it is quiet).
    public func printingFor(at now: ContinuousClock.Instant) -> Duration? {
        guard let since = printingSince, let last = lastOutput, now - last <= Self.denseGap else { return nil }
        return now - since
    }

    /// A tracker for a pane met for the first time: what the turn log says of it (a turn some
    /// orch process opened, or saw end) and when its window last printed (it may be mid-reply).
    /// The watcher and one-shot reads start the same way.
    public static func seeded(history: PaneHistory?, windowActivity: Int, quiet: Duration, at now: ContinuousClock.Instant, wallNowMs: Int) -> StateTracker {
        var tracker = StateTracker(at: now, quiet: quiet)
        if let history { tracker.seed(from: history, at: now, wallNowMs: wallNowMs) }
        tracker.noteWindowActivity(windowActivity, at: now, wallNowMs: wallNowMs)
        return tracker
    }

    /// What `#{window_activity}` (seconds since the epoch, 0: unknown) says of the pane's last
    /// output, for a reader that was not watching. The whole second counts, so a pane is never
    /// taken for quiet too soon.
    public mutating func noteWindowActivity(_ seconds: Int, at now: ContinuousClock.Instant, wallNowMs: Int) {
        guard seconds > 0 else { return }
        noteOutput(at: now - .milliseconds(max(0, wallNowMs - (seconds + 1) * 1000)))
        printingSince = nil  // a second-rounded instant starts no run of output
    }

    /// Starts from what the turn log says (another process sent the prompt, or saw the turn
    /// end): `history` in wall-clock milliseconds, mapped onto this clock with `wallNowMs`.
    public mutating func seed(from history: PaneHistory, at now: ContinuousClock.Instant, wallNowMs: Int) {
        func instant(_ ms: Int) -> ContinuousClock.Instant { now - .milliseconds(max(0, wallNowMs - ms)) }
        if history.isTurnOpen, let open = history.turn {
            let sent = instant(open.timeMs)
            turnSent = sent
            workStarted = sent
            pendingSend = now - sent < turnStart ? sent : nil
            workedSinceFinish = true
            state = .working
            since = sent
            evidence = "prompt sent"
            if let latest = history.state, latest.state == .input, latest.timeMs >= open.timeMs {
                state = .input
                since = instant(latest.timeMs)
                evidence = latest.evidence
            }
        } else if let latest = history.state, let recorded = latest.state, recorded != .working {
            state = recorded
            since = instant(latest.timeMs)
            evidence = latest.evidence
            reply = history.end?.reply
        }
    }

    /// Another process, or the CLI's own hook, recorded that the agent reached `record.state`.
    public mutating func apply(_ record: TurnRecord, at now: ContinuousClock.Instant, wallNowMs: Int) -> Transition? {
        let wall = wallNowMs / 1000
        switch record.kind {
        case .open:
            return noteSend(at: now - .milliseconds(max(0, wallNowMs - record.timeMs)), wallTime: wall)
        case .cancel:
            guard turnSent != nil else { return nil }
            // The prompt was never submitted: the agent is as it was before the send (the caller
            // reads the screen again at once).
            turnSent = nil
            pendingSend = nil
            workedSinceFinish = false
            workStarted = nil
            let previous = beforeSend ?? (.idle, nil)
            return move(to: previous.state, evidence: previous.evidence, at: now, wallTime: wall)
        case .state:
            guard let target = record.state else { return nil }
            // Claude's idle_prompt an hour after a turn does not take the finished result away.
            if target == .idle, state == .done, turnSent == nil { return nil }
            if target == .done || target == .idle {
                finishTurn()
                reply = record.reply
            } else if target == .working {
                pendingSend = nil
                workedSinceFinish = true
                if workStarted == nil { workStarted = now }
            }
            var transition = move(to: target, evidence: record.evidence, at: now, wallTime: wall)
            transition?.source = record.source ?? "screen"
            transition?.reply = record.reply
            if target == .done || target == .idle { workStarted = nil }
            return transition
        }
    }

    /// When a reading taken now should be taken again even without new output (the quiet
    /// period or the turn-start grace ends), or nil.
    public func recheckAt(_ now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        var times: [ContinuousClock.Instant] = []
        if let lastOutput, now - lastOutput < quiet { times.append(lastOutput + quiet) }
        if let pendingSend, now - pendingSend < turnStart { times.append(pendingSend + turnStart) }
        if let turnSent, lastOutput == nil || lastOutput! < turnSent, now - turnSent < quiet { times.append(turnSent + quiet) }
        return times.min()
    }

    /// Folds in what the screen shows now; the transition it causes, if any.
    public mutating func observe(_ reading: ScreenReading, at now: ContinuousClock.Instant, wallTime: Int) -> Transition? {
        var target = reading.state
        var why = reading.evidence
        var source = "screen"
        var endedAgo: Duration?
        let printing = lastOutput.map { now - $0 < quiet } ?? false
        if target == .unknown {
            // Nothing on the screen decides: follow the pane's activity (docs/language.md, "Turns").
            guard let sent = turnSent else {
                // No turn: a pane that keeps printing is working (docs/language.md, "States"), and
                // finished once quiet. A second of output first, so a redraw is not a turn.
                let sustained = printing && printingSince.map { now - $0 >= Self.sustainedPrinting } == true
                switch state {
                case .working where !printing:
                    return move(to: .done, evidence: "quiet after printing", at: now, wallTime: wallTime, source: "activity")
                case let current where sustained && current != .working:
                    return move(to: .working, evidence: "printing", at: now, wallTime: wallTime, source: "activity")
                case .unknown, .input:
                    return move(to: .idle, evidence: nil, at: now, wallTime: wallTime, source: "activity")
                default:
                    return nil
                }
            }
            let printedSinceSend = lastOutput.map { $0 > sent } ?? false
            if printing && printedSinceSend {
                pendingSend = nil
                return move(to: .working, evidence: "printing since the prompt was sent", at: now, wallTime: wallTime, source: "activity")
            }
            let quietSince = printedSinceSend ? lastOutput! : sent
            guard now - quietSince >= quiet else { return nil }
            target = .done
            why = "quiet for \((now - quietSince).compactDescription) after \(printedSinceSend ? "printing" : "the prompt")"
            source = "activity"
            endedAgo = printedSinceSend ? now - quietSince : nil
        } else if target == .working {
            pendingSend = nil
            if workStarted == nil { workStarted = now }
            workedSinceFinish = true
        } else if let sent = pendingSend, now - sent < turnStart {
            return nil  // the agent has not redrawn since the send: this is still the old screen
        }
        if reading.isUnsubmittedText, printing {
            return nil  // text still being typed or pasted: believe it once the pane is still
        }
        if target == .idle || target == .done {
            pendingSend = nil
            if printing, workedSinceFinish, state == .working, target == .idle {
                return nil  // still printing: wait for the quiet period (a recheck is scheduled)
            }
            if target == .idle, workedSinceFinish, state == .working, let lastOutput, let sent = turnSent, lastOutput > sent {
                // Back at its prompt and quiet since its last output: the turn ended then.
                source = "activity"
                endedAgo = now - lastOutput
                if why == nil { why = "back at its prompt, quiet for \((now - lastOutput).compactDescription)" }
            }
            // Done holds until the next send: the finished turn's result waits for someone to read it.
            if target == .idle && (workedSinceFinish || state == .done) { target = .done }
            if target == .done && why == nil { why = "back at its prompt" }
        }
        var transition = move(to: target, evidence: why, at: now, wallTime: wallTime, source: source)
        transition?.endedAgo = endedAgo
        // A turn that ended by going quiet ended at its last output, not when orch noticed.
        if transition != nil, let endedAgo { since = now - endedAgo }
        if target == .done || target == .idle {
            finishTurn()
            workStarted = nil
        }
        return transition
    }

    /// The agent's program exited (its pane stays, dead): what it shows no longer means a state.
    public mutating func noteExited(at now: ContinuousClock.Instant, wallTime: Int) -> Transition? {
        pendingSend = nil
        turnSent = nil
        return move(to: .unknown, evidence: Self.exitedEvidence, at: now, wallTime: wallTime)
    }

    public static let exitedEvidence = "program exited"

    private mutating func finishTurn() {
        workedSinceFinish = false
        pendingSend = nil
        turnSent = nil
    }

    private mutating func move(to target: AgentState, evidence: String?, at now: ContinuousClock.Instant, wallTime: Int, source: String = "screen") -> Transition? {
        self.evidence = evidence ?? self.evidence
        guard target != state else { return nil }
        let previous = state
        state = target
        since = now
        let worked = (target == .done || target == .input) ? workStarted.map { now - $0 } : nil
        return Transition(agent: "", from: previous, to: target, wallTime: wallTime, workedFor: worked, evidence: evidence, source: source)
    }
}
