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
        endpoint.resolvedSocketPath + ".orch-lock"
    }
}
