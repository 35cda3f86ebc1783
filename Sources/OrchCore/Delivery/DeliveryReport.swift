/// What happened to one prompt sent to one agent.
public struct DeliveryReport: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The agent took the prompt (it started working, or its input box emptied).
        case submitted
        /// `--no-submit`: typed, Enter not pressed.
        case typed
        /// Still unsubmitted after every Enter allowed.
        case notSubmitted
        /// Ctrl-C stopped it (before typing, or before an Enter).
        case interrupted
        /// Enter was pressed but nothing showed it was taken (a screen orch cannot read, that did
        /// not change): not reported as a success.
        case unverified
        /// A question or dialog was on screen before an Enter: no Enter was pressed into it.
        case question
        /// Something else stood in the way of an Enter (copy mode, a popup that stayed open).
        case blocked
    }

    public var agent: String
    public var outcome: Outcome
    /// How many times Enter was pressed.
    public var enters: Int
    /// The screen line that showed the result (the working line, or the text left in the box).
    public var seen: String?
}
