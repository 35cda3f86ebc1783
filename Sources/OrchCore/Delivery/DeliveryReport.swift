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
    }

    public var agent: String
    public var outcome: Outcome
    /// How many times Enter was pressed.
    public var enters: Int
    /// The screen line that showed the result (the working line, or the text left in the box).
    public var seen: String?
}
