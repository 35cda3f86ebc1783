/// What to measure: how many agents, how many turns each, how long to watch them idle.
struct BenchOptions {
    var agents = 32
    var rounds = 4
    var idle: Duration = .seconds(60)
    var poll: Duration = .seconds(1)
    /// Prompts for the delivery comparison (0: skip it).
    var prompts = 20

    init?(_ arguments: [String]) {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { return nil }
            switch flag {
            case "--agents": guard let n = Int(value), n > 0 else { return nil }; agents = n
            case "--rounds": guard let n = Int(value), n > 0 else { return nil }; rounds = n
            case "--idle": guard let d = Duration.parse(value) else { return nil }; idle = d
            case "--poll": guard let d = Duration.parse(value) else { return nil }; poll = d
            case "--prompts": guard let n = Int(value), n >= 0 else { return nil }; prompts = n
            default: return nil
            }
        }
    }
}

struct BenchError: Error {
    var message: String
}
