#if canImport(Glibc)
import Glibc
#endif

/// The one-line notices printed above the prompt, e.g.
/// `12:03:04 amp done after 4m12s · ✻ Brewed for 4m 12s`.
public struct NoticeFormatter: Sendable {
    public var style: Style
    public var bell: Bool

    public init(style: Style, bell: Bool = false) {
        self.style = style
        self.bell = bell
    }

    /// The notice for `event`, or nil for changes that are not announced (to working or idle).
    public func text(for event: WatchEvent) -> String? {
        switch event {
        case .connectionLost(let message):
            return style.dim(Self.clock(Int(time(nil)))) + " " + style.error(message)
        case .reconnected(let host):
            return style.dim(Self.clock(Int(time(nil)))) + (host.map { " host \($0) is back: watching its agents again" } ?? " reconnected to tmux")
        case .transition(let change):
            guard [.done, .input, .unknown].contains(change.to) else { return nil }
            var line = style.dim(Self.clock(change.wallTime)) + " " + style.bold(change.agent) + " " + style.state(change.to)
            if let worked = change.workedFor, change.to == .done { line += " after " + worked.compactDescription }
            if let evidence = change.evidence { line += " · " + evidence }
            return line + (bell ? "\u{7}" : "")
        }
    }

    /// `HH:MM:SS` in local time.
    public static func clock(_ seconds: Int) -> String {
        var t = time_t(seconds)
        var parts = tm()
        localtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}
