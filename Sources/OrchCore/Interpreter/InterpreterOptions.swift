/// How results are printed: for people, or as JSON for programs (`--format json`).
public enum OutputFormat: String, Sendable, CaseIterable {
    case text, json
}

/// What the command line decided before any command runs.
public struct InterpreterOptions: Sendable {
    public var endpoint: TmuxEndpoint
    /// `-s NAME` or `$ORCH_SESSION`: beats a `session` line in the config.
    public var session: String?
    public var format: OutputFormat
    public var color: Bool
    /// Pause between typed text and its Enter (see `Sender`).
    public var settle: Duration
    /// Where journals and queues live instead of `$XDG_STATE_HOME/orch` (the demo's own folder).
    public var stateDirectory: String?
    /// `@HOST` after every agent name: the options of a `host`'s own interpreter.
    public var agentSuffix = ""

    public init(endpoint: TmuxEndpoint = TmuxEndpoint(), session: String? = nil, format: OutputFormat = .text, color: Bool = false, settle: Duration = .milliseconds(150), stateDirectory: String? = nil) {
        self.endpoint = endpoint
        self.session = session
        self.format = format
        self.color = color
        self.settle = settle
        self.stateDirectory = stateDirectory
    }
}

/// What running commands asks of the caller next.
public enum Flow: Sendable, Equatable {
    /// Go on with the next command.
    case next
    /// `break`: leave the innermost loop.
    case breakLoop
    /// `exit`: stop the REPL or script.
    case exit
}
