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
}

/// One agent's state over time: screen readings in, transitions out. Pure; the caller passes
/// the time, so tests drive it without a clock.
///
/// What the screen alone cannot tell and this adds (language.md, "States"):
/// - an empty prompt after work since the last `send` is `done`; with nothing sent, `idle`;
/// - right after a `send`, the old done screen may still show until the agent redraws, so
///   `done`/`idle`/`input` readings wait until the agent has been seen working (or `turnStart`
///   passed without it: an agent that finished too fast to be seen);
/// - output within `quiet` on a screen that shows only a prompt still means working, and text
///   sitting in the input box means `input` only once the pane has been still for `quiet`.
public struct StateTracker: Sendable {
    public private(set) var state: AgentState = .unknown
    public private(set) var since: ContinuousClock.Instant
    public private(set) var evidence: String?
    /// When the current piece of work began (a send, or the first working reading).
    private var workStarted: ContinuousClock.Instant?
    /// The moment of the last `send` not yet followed by a working reading.
    private var pendingSend: ContinuousClock.Instant?
    /// Whether work happened since the agent last finished (makes an empty prompt `done`).
    private var workedSinceFinish = false
    private var lastOutput: ContinuousClock.Instant?

    public var quiet: Duration
    public var turnStart: Duration

    public init(at now: ContinuousClock.Instant, quiet: Duration = .milliseconds(1500), turnStart: Duration = .seconds(5)) {
        since = now
        self.quiet = quiet
        self.turnStart = turnStart
    }

    /// A prompt was submitted: the agent counts as working from now.
    public mutating func noteSend(at now: ContinuousClock.Instant, wallTime: Int) -> Transition? {
        pendingSend = now
        workStarted = now
        workedSinceFinish = true
        return move(to: .working, evidence: "prompt sent", at: now, wallTime: wallTime)
    }

    /// The pane printed something (control mode `%output`).
    public mutating func noteOutput(at now: ContinuousClock.Instant) {
        lastOutput = now
    }

    /// When a reading taken now should be taken again even without new output (the quiet
    /// period or the turn-start grace ends), or nil.
    public func recheckAt(_ now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        var times: [ContinuousClock.Instant] = []
        if let lastOutput, now - lastOutput < quiet { times.append(lastOutput + quiet) }
        if let pendingSend, now - pendingSend < turnStart { times.append(pendingSend + turnStart) }
        return times.min()
    }

    /// Folds in what the screen shows now; the transition it causes, if any.
    public mutating func observe(_ reading: ScreenReading, at now: ContinuousClock.Instant, wallTime: Int) -> Transition? {
        var target = reading.state
        var why = reading.evidence
        if target == .working {
            pendingSend = nil
            if workStarted == nil { workStarted = now }
            workedSinceFinish = true
        } else if target != .unknown, let sent = pendingSend, now - sent < turnStart {
            return nil  // the agent has not redrawn since the send: this is still the old screen
        }
        if reading.isUnsubmittedText, let lastOutput, now - lastOutput < quiet {
            return nil  // text still being typed or pasted: believe it once the pane is still
        }
        if target == .idle || target == .done {
            pendingSend = nil
            if let lastOutput, now - lastOutput < quiet, workedSinceFinish, state == .working, target == .idle {
                return nil  // still printing: wait for the quiet period (a recheck is scheduled)
            }
            // Done holds until the next send: the finished turn's result waits for someone to read it.
            if target == .idle && (workedSinceFinish || state == .done) { target = .done }
            if target == .done && why == nil { why = "back at its prompt" }
        }
        let transition = move(to: target, evidence: why, at: now, wallTime: wallTime)
        if target == .done || target == .idle {
            workedSinceFinish = false
            workStarted = nil
        }
        return transition
    }

    /// The agent's program exited (its pane stays, dead): what it shows no longer means a state.
    public mutating func noteExited(at now: ContinuousClock.Instant, wallTime: Int) -> Transition? {
        pendingSend = nil
        return move(to: .unknown, evidence: Self.exitedEvidence, at: now, wallTime: wallTime)
    }

    public static let exitedEvidence = "program exited"

    private mutating func move(to target: AgentState, evidence: String?, at now: ContinuousClock.Instant, wallTime: Int) -> Transition? {
        self.evidence = evidence ?? self.evidence
        guard target != state else { return nil }
        let previous = state
        state = target
        since = now
        let worked = (target == .done || target == .input) ? workStarted.map { now - $0 } : nil
        return Transition(agent: "", from: previous, to: target, wallTime: wallTime, workedFor: worked, evidence: evidence)
    }
}
