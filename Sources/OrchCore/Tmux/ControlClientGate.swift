#if canImport(Glibc)
import Glibc
#endif

/// Makes orch's tmux control clients come and go one at a time, per folder of sockets.
///
/// tmux 3.3a's server can crash (SIGSEGV, and every agent's pane goes with it) when a control
/// client leaves while another one is still attaching. Measured here: about 1 crash in 100
/// overlapping leave/attach pairs, with a graceful `detach-client` as with SIGTERM or end of input;
/// none in 1,500 pairs kept apart. So each attach (until tmux says the client is attached) and each
/// departure (until the server no longer lists the client) holds an exclusive `flock` on the
/// folder of the server's socket — the one thing that the REPL, a one-shot `orch wait` started by
/// an agent and the test suite all agree on, whatever their environment. Transitions take a few
/// milliseconds; ordinary tmux commands are not concerned. Best effort: if the folder cannot be
/// opened, or the lock is not had within `patience` (a stuck holder), the transition goes ahead.
enum ControlClientGate {
    /// Takes the lock for `endpoint`'s socket folder; pass the result to `leave`.
    static func enter(_ endpoint: TmuxEndpoint, patience: Duration = .seconds(3)) -> Int32 {
        let folder = open(endpoint.socketDirectory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { return -1 }
        let deadline = ContinuousClock.now + patience
        while flock(folder, LOCK_EX | LOCK_NB) != 0, errno == EWOULDBLOCK || errno == EINTR, ContinuousClock.now < deadline {
            usleep(500)
        }
        return folder
    }

    /// Releases what `enter` took (closing the folder releases its lock).
    static func leave(_ folder: Int32) {
        if folder >= 0 { close(folder) }
    }
}
