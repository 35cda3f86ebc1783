/// An agent: a tmux window running an agent CLI, addressed by its name or window index.
public struct Agent: Sendable, Hashable {
    public var name: String
    public var windowIndex: Int
    /// The pane to type into and read (`%3`); stable while the pane lives.
    public var paneID: String
    public var profile: AgentProfile

    public init(name: String, windowIndex: Int, paneID: String, profile: AgentProfile) {
        self.name = name
        self.windowIndex = windowIndex
        self.paneID = paneID
        self.profile = profile
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
