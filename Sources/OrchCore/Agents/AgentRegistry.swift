/// The agents of one session: its windows, minus those that are not agents, plus declarations.
public struct AgentRegistry: Sendable {
    public private(set) var agents: [Agent]
    /// The tmux server's process id (0 when no window was listed).
    public private(set) var serverPID: Int32 = 0

    /// Builds the list from `windows`: every window is an agent except `main` and names ending in
    /// `-proxy` (language.md), unless a declaration maps it; declarations rename and re-profile.
    public init(windows: [TmuxWindow], declarations: [AgentDeclaration], patterns: [PatternRule] = []) {
        var agents: [Agent] = []
        // A name given to another window (`agent claude window 13`) moves the agent there: the
        // window that had the name no longer answers to it (it was listed twice, and sends went
        // to the old window).
        let existing = Set(windows.map(\.index))
        let declaredNames = Set(declarations.filter { existing.contains($0.window) }.map(\.name))
        for window in windows {
            if let declared = declarations.last(where: { $0.window == window.index }) {
                // Without a declared profile, the agent's name says it, else the window's name does.
                let guessed = AgentProfile.forWindowName(declared.name)
                let profile = declared.profile.flatMap(AgentProfile.named)
                    ?? (guessed.name == "generic" ? AgentProfile.forWindowName(window.name) : guessed)
                agents.append(Agent(name: declared.name, windowIndex: window.index, paneID: window.paneID, profile: profile, hasExited: window.isDead, activity: window.activity))
            } else if !Self.isNeverAnAgent(window.name), !declaredNames.contains(window.name) {
                agents.append(Agent(name: window.name, windowIndex: window.index, paneID: window.paneID, profile: AgentProfile.forWindowName(window.name), hasExited: window.isDead, activity: window.activity))
            }
        }
        for rule in patterns {
            for i in agents.indices where agents[i].profile.name == rule.profile {
                agents[i].profile.addPattern(rule.text, for: rule.state)
            }
        }
        self.agents = agents
        serverPID = windows.first?.serverPID ?? 0
    }

    /// `main` is the orchestrator's own terminal and `*-proxy` windows run helpers (the seed's layout).
    public static func isNeverAnAgent(_ windowName: String) -> Bool {
        windowName == "main" || windowName.hasSuffix("-proxy")
    }

    /// The agent called `reference`: by name first, then by window index.
    public func agent(named reference: String) -> Agent? {
        if let byName = agents.first(where: { $0.name == reference }) { return byName }
        if let index = Int(reference) { return agents.first { $0.windowIndex == index } }
        return nil
    }
}

/// `pattern PROFILE STATE "TEXT"`: an extra screen pattern for every agent of a profile.
public struct PatternRule: Sendable, Hashable {
    public var profile: String
    public var state: AgentState
    public var text: String
    public init(profile: String, state: AgentState, text: String) {
        self.profile = profile
        self.state = state
        self.text = text
    }
}
