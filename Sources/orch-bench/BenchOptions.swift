/// What to measure: how many agents, how many turns each, how long to watch them idle.
struct BenchOptions {
    /// Each count gets its own server: latency and idle CPU per row.
    var agents = [8, 32, 64]
    var rounds = 4
    var idle: Duration = .seconds(60)
    var poll: Duration = .seconds(1)
    /// Prompts for the delivery comparison (0: skip it).
    var prompts = 20
    /// One-shot `orch peek` calls timed, and as many of each plain tmux way (0: skip).
    var peeks = 200
    /// REPL start-ups timed on the largest server (0: skip the REPL measures).
    var starts = 10
    /// Streaming-agent counts for the busy case (empty: skip it), and how long each side runs.
    var busy = [8, 32, 64]
    var busyWindow: Duration = .seconds(15)
    /// The largest busy count watched this long more, for memory and latency over time (0: skip).
    var busySoak: Duration = .zero
    /// Old journal entries and finished tasks for the long-use case (0: skip it).
    var history = 100_000
    /// `--ssh 'SSH-ARGS… DESTINATION'`: also watch each server over ssh (a destination that
    /// reaches this machine); nil: skip it.
    var ssh: [String]?

    init?(_ arguments: [String]) {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { return nil }
            switch flag {
            case "--agents":
                let counts = value.split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
                guard !counts.isEmpty, counts.count == value.split(separator: ",").count else { return nil }
                agents = counts
            case "--rounds": guard let n = Int(value), n > 0 else { return nil }; rounds = n
            case "--idle": guard let d = Duration.parse(value) else { return nil }; idle = d
            case "--poll": guard let d = Duration.parse(value) else { return nil }; poll = d
            case "--prompts": guard let n = Int(value), n >= 0 else { return nil }; prompts = n
            case "--peeks": guard let n = Int(value), n >= 0 else { return nil }; peeks = n
            case "--starts": guard let n = Int(value), n >= 0 else { return nil }; starts = n
            case "--busy":
                let counts = value.split(separator: ",").compactMap { Int($0) }
                guard counts.count == value.split(separator: ",").count, counts.allSatisfy({ $0 >= 0 }) else { return nil }
                busy = counts.filter { $0 > 0 }
            case "--busy-window": guard let d = Duration.parse(value) else { return nil }; busyWindow = d
            case "--busy-soak": guard let d = Duration.parse(value) else { return nil }; busySoak = d
            case "--history": guard let n = Int(value), n >= 0 else { return nil }; history = n
            case "--ssh": ssh = value.split(separator: " ").map(String.init)
            default: return nil
            }
        }
    }

    static let usage = "usage: orch-bench [--agents N[,N…]] [--rounds N] [--idle DURATION] [--poll DURATION] [--prompts N] [--peeks N] [--starts N] [--busy N[,N…]|0] [--busy-window DURATION] [--busy-soak DURATION] [--history N] [--ssh 'SSH-ARGS DESTINATION']\n"
}

struct BenchError: Error {
    var message: String
}
