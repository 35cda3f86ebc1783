#if canImport(Glibc)
import Glibc
#endif

/// Which tmux server to talk to: the default one, `-L NAME`, or `-S PATH` (as tmux's own flags).
///
/// On another machine when `host` is set: the same flags then select the server there, and
/// every command goes over ssh (`RemoteHost`).
public struct TmuxEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var socketName: String?
    public var socketPath: String?
    public var host: RemoteHost?

    public init(socketName: String? = nil, socketPath: String? = nil, host: RemoteHost? = nil) {
        self.socketName = socketName
        self.socketPath = socketPath
        self.host = host
    }

    /// The program and argument vector that run `tmux <tmuxArguments> command…` on this
    /// endpoint's machine: tmux itself here, ssh for a remote host.
    public func invocation(_ command: [String]) -> (program: String, arguments: [String]) {
        guard let host else { return ("tmux", tmuxArguments + command) }
        return ("ssh", host.sshArguments(running: ["tmux"] + tmuxArguments + command))
    }

    /// The flags that select this server, to put before a tmux command.
    public var arguments: [String] {
        if let socketPath { return ["-S", socketPath] }
        if let socketName { return ["-L", socketName] }
        return []
    }

    /// What orch puts before every tmux command of its own: `-u` first, since with no UTF-8
    /// locale (a plain `ssh host orch …`) tmux 3.3a prints the tabs of a `-F` format as `_` and
    /// orch would find no sessions (docs/facts.md, "Locale and ssh").
    public var tmuxArguments: [String] { ["-u"] + arguments }

    /// The socket file this endpoint names with `-L`/`-S`; nil for the default server, whose
    /// file orch never removes.
    public var socketFile: String? {
        socketName == nil && socketPath == nil ? nil : resolvedSocketPath
    }

    /// The socket this endpoint reaches, by tmux's own rules: `-S PATH`; `-L NAME` in the user's
    /// folder; else the server orch runs inside (`$TMUX`, unless it starts with a comma), else
    /// `default` in the user's folder.
    public var resolvedSocketPath: String {
        if let socketPath { return socketPath }
        if let socketName { return "\(Self.userSocketDirectory)/\(socketName)" }
        if let inside = FileSystem.environment("TMUX"), !inside.isEmpty, !inside.hasPrefix(","),
            let path = inside.split(separator: ",", maxSplits: 1).first
        {
            return String(path)
        }
        return "\(Self.userSocketDirectory)/default"
    }

    /// tmux's rule: `$TMUX_TMPDIR` if it resolves, else `/tmp`; then `tmux-UID`, resolved.
    static var userSocketDirectory: String {
        func resolved(_ path: String) -> String? {
            guard let real = realpath(path, nil) else { return nil }
            defer { free(real) }
            return String(cString: real)
        }
        let base = FileSystem.environment("TMUX_TMPDIR").flatMap { $0.isEmpty ? nil : resolved($0) } ?? "/tmp"
        let folder = "\(base)/tmux-\(getuid())"
        return resolved(folder) ?? folder
    }

    public var description: String {
        let here = host.map { " on host \($0.name)" } ?? ""
        if let socketPath { return "socket path '\(socketPath)'" + here }
        if let socketName { return "socket '\(socketName)'" + here }
        return "the default socket" + here
    }
}
