#if canImport(Glibc)
import Glibc
#endif

/// Makes orch's tmux control clients come and go one at a time, per tmux server.
///
/// tmux 3.3a's server can crash (SIGSEGV, and every agent's pane goes with it) when a control
/// client leaves while another one is still attaching. Measured here: about 1 crash in 100
/// overlapping leave/attach pairs, with a graceful `detach-client` as with SIGTERM or end of input;
/// none in 1,500 pairs kept apart. So each attach (until tmux says the client is attached) and each
/// departure (until the server no longer lists the client) holds an exclusive `flock` on a file
/// beside the server's socket (`SOCKET.orch-lock`) — the one place that the REPL, a one-shot
/// `orch wait` started by an agent and the test suite all find alike, whatever their
/// environment. Transitions take a few milliseconds; ordinary tmux commands are not concerned.
/// Best effort: if the file cannot be opened, or the lock is not had within `patience` (longer
/// than any holder keeps it), the transition goes ahead.
enum ControlClientGate {
    /// The lock for `endpoint`'s server, held until `unlock()`; nil if it could not be had.
    static func enter(_ endpoint: TmuxEndpoint, patience: Duration = .seconds(15)) -> FileLock? {
        FileLock(path: lockPath(endpoint), patience: patience)
    }

    static func lockPath(_ endpoint: TmuxEndpoint) -> String {
        // A remote server's clients attach from this machine through ssh: their lock is here.
        if let host = endpoint.host { return "\(RemoteHost.controlDirectory)/\(host.name)-\(endpoint.socketName ?? endpoint.socketPath.map { String($0.map { $0 == "/" ? "_" : $0 }) } ?? "default").orch-lock" }
        return endpoint.resolvedSocketPath + ".orch-lock"
    }

    /// Leaves the gate; when the server is gone (nothing listens on its socket) the lock file
    /// goes too, so they do not pile up beside the sockets of servers long stopped.
    static func leave(_ lock: FileLock?, _ endpoint: TmuxEndpoint) {
        if lock != nil, endpoint.host == nil, !isListening(endpoint.resolvedSocketPath) { FileSystem.remove(lockPath(endpoint)) }
        lock?.unlock()
    }

    /// Whether a server accepts connections on the Unix socket at `path`.
    static func isListening(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return true }  // unknown: keep the lock file
        defer { Glibc.close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return true }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
            buffer[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return result == 0 || (errno != ECONNREFUSED && errno != ENOENT)
    }
}
