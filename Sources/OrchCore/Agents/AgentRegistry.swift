/// The agents of one session: its windows, minus those that are not agents, plus declarations.
public struct AgentRegistry: Sendable {
    public private(set) var agents: [Agent]
    /// The tmux server's process id (0 when no window was listed).
    public private(set) var serverPID: Int32 = 0

    /// Builds the list from `windows`: every window is an agent except `main` and names ending in
    /// `-proxy` (docs/language.md), unless a declaration maps it; declarations rename and re-profile.
    /// `@HOST` after every name for the agents of a `host` (empty for the local server).
    public private(set) var nameSuffix = ""

    public init(windows: [TmuxWindow], declarations: [AgentDeclaration], patterns: [PatternRule] = [], nameSuffix: String = "") {
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
                agents.append(Agent(name: Self.printable(window.name), windowIndex: window.index, paneID: window.paneID, profile: AgentProfile.forWindowName(window.name), hasExited: window.isDead, activity: window.activity))
            }
        }
        for rule in patterns {
            for i in agents.indices where agents[i].profile.name == rule.profile {
                agents[i].profile.addPattern(rule.text, for: rule.state)
            }
        }
        if !nameSuffix.isEmpty { for i in agents.indices { agents[i].name += nameSuffix } }
        self.agents = agents
        self.nameSuffix = nameSuffix
        serverPID = windows.first?.serverPID ?? 0
    }

    /// A window name as orch shows it and answers to it: control characters (an ESC would act
    /// on the terminal that prints `agents`) written as `\e` or `\xHH`.
    public static func printable(_ name: String) -> String {
        guard name.unicodeScalars.contains(where: isControl) else { return name }
        var out = ""
        for scalar in name.unicodeScalars {
            if scalar == "\u{1B}" {
                out += "\\e"
            } else if isControl(scalar) {
                let hex = String(scalar.value, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" : "") + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// `main` is the orchestrator's own terminal and `*-proxy` windows run helpers (the seed's layout).
    public static func isNeverAnAgent(_ windowName: String) -> Bool {
        windowName == "main" || windowName.hasSuffix("-proxy")
    }

    /// The agent called `reference`: by name first, then by window index.
    public func agent(named reference: String) -> Agent? {
        if case .success(let agent) = resolve(reference) { return agent }
        return nil
    }

    /// What a reference names, by explicit rules: `window:N` (or `#N` where `#` does not start a
    /// comment: the command line, MCP, a quoted word) is always window index N; otherwise a
    /// window name, else a window index. Two windows with the name, or a number that is one
    /// window's name and another's index, is an error that lists the candidates.
    public func resolve(_ reference: String) -> Result<Agent, ResolveError> {
        // A host's agents by window index: `window:2@gpu1`, `#2@gpu1`, `2@gpu1`.
        if !nameSuffix.isEmpty, reference.hasSuffix(nameSuffix), !agents.contains(where: { $0.name == reference }) {
            let bare = String(reference.dropLast(nameSuffix.count))
            // The bare form no longer ends in the suffix: resolved as a local reference would be.
            if bare.hasPrefix("window:") || bare.hasPrefix("#") || Int(bare) != nil { return resolve(bare) }
        }
        for prefix in ["window:", "#"] where reference.hasPrefix(prefix) {
            guard let index = Int(reference.dropFirst(prefix.count)), let agent = agents.first(where: { $0.windowIndex == index }) else { return .failure(.notFound) }
            return .success(agent)
        }
        let named = agents.filter { $0.name == reference }
        if named.count > 1 {
            let indexes = named.map { "window:\($0.windowIndex)" }
            return .failure(.ambiguous("\(named.count) windows are named '\(reference)' (\(named.map { "window \($0.windowIndex)" }.joined(separator: ", "))): say which with \(indexes.joined(separator: " or "))"))
        }
        let indexed = Int(reference).flatMap { index in agents.first { $0.windowIndex == index } }
        if let byName = named.first {
            if let indexed, indexed.paneID != byName.paneID {
                return .failure(.ambiguous("'\(reference)' is both the window named '\(reference)' (window:\(byName.windowIndex)) and window index \(reference) (\(indexed.name)): say window:\(byName.windowIndex) or window:\(reference)"))
            }
            return .success(byName)
        }
        return indexed.map { .success($0) } ?? .failure(.notFound)
    }

    public enum ResolveError: Error, Sendable, Equatable {
        case notFound
        case ambiguous(String)
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
