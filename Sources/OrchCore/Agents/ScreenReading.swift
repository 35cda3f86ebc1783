/// What a screen says about its agent: the state, and the line that decided it.
public struct ScreenReading: Sendable, Equatable {
    /// The state the screen shows (before the caller's history turns `idle` into `done`).
    public var state: AgentState
    /// The screen line that decided, trimmed (`✻ Brewed for 1m 3s`), quoted in notices; nil when
    /// no single line decided (an empty box, a blank screen).
    public var evidence: String?

    /// `input` only because text sits unsubmitted in the input box (not a question): the same
    /// screen shows for a moment while any prompt is being typed, so callers wait for the pane
    /// to be still before believing it.
    public var isUnsubmittedText: Bool

    public init(state: AgentState, evidence: String? = nil, isUnsubmittedText: Bool = false) {
        self.state = state
        self.evidence = evidence
        self.isUnsubmittedText = isUnsubmittedText
    }

    /// This reading, marked as coming from unsubmitted text.
    func unsubmitted() -> ScreenReading {
        ScreenReading(state: state, evidence: evidence, isUnsubmittedText: true)
    }
}
