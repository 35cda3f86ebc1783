#if canImport(Glibc)
import Glibc
#endif

/// Which tmux server to talk to: the default one, `-L NAME`, or `-S PATH` (as tmux's own flags).
///
/// This is the seam for agents on other machines: a later transport (ssh) adds a host here.
public struct TmuxEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var socketName: String?
    public var socketPath: String?

    public init(socketName: String? = nil, socketPath: String? = nil) {
        self.socketName = socketName
        self.socketPath = socketPath
    }

    /// The flags that select this server, to put before a tmux command.
    public var arguments: [String] {
        if let socketPath { return ["-S", socketPath] }
        if let socketName { return ["-L", socketName] }
        return []
    }

    /// The socket file this endpoint names (tmux's own rule: `$TMUX_TMPDIR` or `/tmp`, then
    /// `tmux-UID/NAME`); nil for the default server, whose file orch never removes.
    public var socketFile: String? {
        if let socketPath { return socketPath }
        guard let socketName else { return nil }
        let base = FileSystem.environment("TMUX_TMPDIR").flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return "\(base)/tmux-\(getuid())/\(socketName)"
    }

    public var description: String {
        if let socketPath { return "socket path '\(socketPath)'" }
        if let socketName { return "socket '\(socketName)'" }
        return "the default socket"
    }
}
