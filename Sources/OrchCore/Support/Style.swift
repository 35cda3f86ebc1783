/// Colours for states and messages on a terminal; plain text when colour is off.
public struct Style: Sendable {
    public var enabled: Bool
    public init(enabled: Bool) { self.enabled = enabled }

    /// `state`'s name in its colour: working yellow, done green, idle blue, input magenta, unknown grey.
    public func state(_ state: AgentState, padTo width: Int = 0) -> String {
        let name = state.rawValue.padding(to: width)
        guard enabled else { return name }
        let code: String
        switch state {
        case .working: code = "33"
        case .done: code = "32"
        case .idle: code = "34"
        case .input: code = "35;1"
        case .unknown: code = "90"
        }
        return "\u{1B}[\(code)m\(name)\u{1B}[0m"
    }

    public func dim(_ text: String) -> String { enabled ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    public func bold(_ text: String) -> String { enabled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    public func error(_ text: String) -> String { enabled ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
}

extension String {
    /// The string padded with spaces to `width` characters (never truncated).
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
