/// An agent: a tmux window running an agent CLI, addressed by its name or window index.
public struct Agent: Sendable, Hashable {
    public var name: String
    public var windowIndex: Int
    /// The pane to type into and read (`%3`); stable while the pane lives.
    public var paneID: String
    public var profile: AgentProfile
    /// The agent's program has exited and its pane stays, dead (tmux's `remain-on-exit`).
    public var hasExited: Bool
    /// When its window last printed (seconds since the epoch; 0 when not known).
    public var activity: Int

    public init(name: String, windowIndex: Int, paneID: String, profile: AgentProfile, hasExited: Bool = false, activity: Int = 0) {
        self.name = name
        self.windowIndex = windowIndex
        self.paneID = paneID
        self.profile = profile
        self.hasExited = hasExited
        self.activity = activity
    }

    /// Why nothing can be sent to an agent whose program exited, and what to do.
    public var exitedMessage: String {
        "\(name)'s program has exited (its pane \(paneID) is dead, kept by remain-on-exit): restart it, e.g. tmux respawn-pane -k -t \(paneID)"
    }
}

/// `agent NAME window N [profile P]`: an agent the user named explicitly (usually in init.orch).
public struct AgentDeclaration: Sendable, Hashable {
    public var name: String
    public var window: Int
    public var profile: String?

    public init(name: String, window: Int, profile: String?) {
        self.name = name
        self.window = window
        self.profile = profile
    }
}
