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

    /// A menu drawn over the input box (Codex's `@` file search): an Enter would pick an entry
    /// instead of submitting. The line that shows it.
    public var popup: String?

    /// The screen lines (of the capture read) of the input box's text, when text sits in it.
    public var typedLines: ClosedRange<Int>?

    public init(state: AgentState, evidence: String? = nil, isUnsubmittedText: Bool = false, popup: String? = nil, typedLines: ClosedRange<Int>? = nil) {
        self.state = state
        self.evidence = evidence
        self.isUnsubmittedText = isUnsubmittedText
        self.popup = popup
        self.typedLines = typedLines
    }

    /// Readings are equal when they say the same; where the box is on the capture is not part of it.
    public static func == (a: ScreenReading, b: ScreenReading) -> Bool {
        a.state == b.state && a.evidence == b.evidence && a.isUnsubmittedText == b.isUnsubmittedText && a.popup == b.popup
    }

    /// This reading, marked as coming from unsubmitted text.
    func unsubmitted() -> ScreenReading {
        var copy = self
        copy.isUnsubmittedText = true
        return copy
    }
}
