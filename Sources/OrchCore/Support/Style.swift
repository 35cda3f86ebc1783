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
    /// The string padded with spaces to `width` terminal columns (never truncated).
    func padding(to width: Int) -> String {
        let columns = displayWidth
        return columns >= width ? self : self + String(repeating: " ", count: width - columns)
    }

    /// Terminal columns the string takes: two for wide characters (CJK, emoji), one otherwise;
    /// a combining mark or a variation selector is part of the character before it.
    var displayWidth: Int {
        reduce(0) { total, character in total + (character.unicodeScalars.contains(where: \.isWide) ? 2 : 1) }
    }
}

extension Unicode.Scalar {
    /// East Asian Wide or Fullwidth, or an emoji drawn as a picture by default.
    var isWide: Bool {
        if properties.isEmojiPresentation { return true }
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
