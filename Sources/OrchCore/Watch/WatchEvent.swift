/// What the watcher tells its subscribers.
public enum WatchEvent: Sendable, Equatable {
    /// An agent changed state.
    case transition(Transition)
    /// tmux went away (server killed, session gone): said once, then orch keeps reconnecting.
    case connectionLost(String)
    /// Watching again after `connectionLost`.
    case reconnected(host: String?)
}

/// One agent as the watcher sees it now.
public struct AgentStatus: Sendable {
    public var agent: Agent
    public var state: AgentState
    public var since: ContinuousClock.Instant
    public var evidence: String?
    /// A prompt was submitted and the turn has not ended.
    public var turnOpen: Bool = false
    /// The answer a hook reported for the last turn.
    public var reply: String?
}
