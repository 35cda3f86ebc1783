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

    /// The socket file this endpoint names (`userSocketDirectory/NAME` for `-L NAME`); nil for
    /// the default server, whose file orch never removes.
    public var socketFile: String? {
        if let socketPath { return socketPath }
        guard let socketName else { return nil }
        return "\(Self.userSocketDirectory)/\(socketName)"
    }

    /// The folder holding this endpoint's socket, which every client of that server (any orch
    /// process, whatever its environment) finds alike: `-S`'s folder, else the one in `$TMUX`
    /// for the default server from inside tmux, else tmux's own per-user folder.
    public var socketDirectory: String {
        func folder(of path: Substring) -> String {
            guard let slash = path.lastIndex(of: "/") else { return "." }
            return slash == path.startIndex ? "/" : String(path[..<slash])
        }
        if let socketPath { return folder(of: Substring(socketPath)) }
        if socketName == nil, let inside = FileSystem.environment("TMUX"), let path = inside.split(separator: ",").first {
            return folder(of: path)
        }
        return Self.userSocketDirectory
    }

    /// tmux's rule: `$TMUX_TMPDIR` or `/tmp`, then `tmux-UID`.
    static var userSocketDirectory: String {
        let base = FileSystem.environment("TMUX_TMPDIR").flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return "\(base)/tmux-\(getuid())"
    }

    public var description: String {
        if let socketPath { return "socket path '\(socketPath)'" }
        if let socketName { return "socket '\(socketName)'" }
        return "the default socket"
    }
}
