/// A tmux failure, phrased so the user knows what to do next.
public enum TmuxError: Error, Sendable, Equatable, CustomStringConvertible {
    case notInstalled
    case noServer(TmuxEndpoint)
    case noSession(String, available: [String])
    case noTarget(String)
    case timedOut([String])
    case failed(command: String, message: String)
    /// ssh could not reach a `host` (refused, no route, a key it will not take).
    case unreachable(String, String)

    public var description: String {
        switch self {
        case .notInstalled:
            return "tmux is not installed or not in PATH (install it: apt-get install tmux)"
        case .noServer(let endpoint):
            let flags = endpoint.arguments.joined(separator: " ")
            return "no tmux server is running on \(endpoint) — start one (tmux \(flags)\(flags.isEmpty ? "" : " ")new -s moana-orchestration), or point orch at yours with -L/-S"
        case .noSession(let name, let available):
            let list = available.isEmpty ? "none" : available.joined(separator: ", ")
            return "no tmux session named '\(name)' (sessions: \(list)); choose one with -s NAME or `session NAME`"
        case .noTarget(let target):
            return "tmux cannot find '\(target)': the window or pane is gone (see `agents`)"
        case .timedOut(let arguments):
            return "tmux did not answer in time (tmux \(arguments.joined(separator: " ")))"
        case .failed(let command, let message):
            return "tmux \(command) failed: \(message)"
        case .unreachable(let host, let reason):
            return "host \(host) unreachable: \(reason) — orch's ssh asks for no password or host key (BatchMode): check that `ssh -o BatchMode=yes …` logs in with a key, as README \"Agents on other hosts\" says"
        }
    }
}
