/// What an agent is doing, read from its screen (see docs/language.md, "States").
public enum AgentState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Busy: a spinner or progress line is live, or the pane is still producing output.
    case working
    /// Finished the work it was given since the last `send`.
    case done
    /// At an empty prompt with nothing sent since it last finished.
    case idle
    /// Waiting for a person: a permission question, or a prompt typed but not submitted.
    case input
    /// The pane cannot be read or the window is gone.
    case unknown
}
