// TEMPORARY: replaced by the helpers' Lexer/Parser/CommandCatalog/AgentProfile/ScreenClassifier.
public struct AgentProfile: Sendable, Hashable {
    public var name: String
    public static let builtIn = ["claude", "amp", "codex", "antigravity", "gemini", "aider", "generic"].map { AgentProfile(name: $0) }
    public static func named(_ name: String) -> AgentProfile? { builtIn.first { $0.name == name } }
    public static func forWindowName(_ name: String) -> AgentProfile { named(name) ?? AgentProfile(name: "generic") }
    public mutating func addPattern(_ text: String, for state: AgentState) {}
}
public struct ScreenReading: Sendable, Equatable { public var state: AgentState; public var evidence: String? }
public enum ScreenClassifier {
    public static func classify(_ screen: String, profile: AgentProfile) -> ScreenReading { ScreenReading(state: .unknown, evidence: nil) }
}
