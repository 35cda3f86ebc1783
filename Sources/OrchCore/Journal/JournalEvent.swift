/// One entry of the session journal, with what each kind holds: written by `Journal.append`
/// and read back by `log`, both through this one encode/decode pair.
public enum JournalEvent: Sendable, Equatable {
    /// Recorded before the first key is typed: after a crash the journal shows what may have
    /// been typed.
    case sendTyping(agent: String, text: String)
    /// How a send ended (`DeliveryOutcome`), how many Enters it took, what the screen showed.
    case sendOutcome(agent: String, outcome: String, enters: Int, seen: String?)
    case key(agent: String, keys: [String])
    case queued(id: Int, target: String, text: String)
    case queueRemoved(id: Int)
    case queueRetried(id: Int)
    case queueCleared(removed: Int)
    case queueRecovered(id: Int, agent: String, outcome: String)
    case state(agent: String, from: AgentState, to: AgentState, source: String, evidence: String?)
    case hookError(agent: String, cli: String, error: String, payload: String?)
    /// An entry of a kind this version does not know (read back only).
    case unknown(name: String)

    /// The `event` field.
    public var name: String {
        switch self {
        case .sendTyping, .sendOutcome: "send"
        case .key: "key"
        case .queued: "queue"
        case .queueRemoved: "queue-rm"
        case .queueRetried: "queue-retry"
        case .queueCleared: "queue-clear"
        case .queueRecovered: "queue-recover"
        case .state: "state"
        case .hookError: "hook-error"
        case .unknown(let name): name
        }
    }

    /// The agent the entry is about, if any.
    public var agent: String? {
        switch self {
        case .sendTyping(let agent, _), .sendOutcome(let agent, _, _, _), .key(let agent, _), .queueRecovered(_, let agent, _),
            .state(let agent, _, _, _, _), .hookError(let agent, _, _, _):
            agent
        case .queued, .queueRemoved, .queueRetried, .queueCleared, .unknown: nil
        }
    }

    /// The fields after `time_ms` and `event`, in the order they are written.
    public var fields: [(String, JSONValue)] {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        switch self {
        case .sendTyping(let agent, let text):
            return [("agent", .string(agent)), ("phase", .string("typing")), ("text", .string(text))]
        case .sendOutcome(let agent, let outcome, let enters, let seen):
            return [("agent", .string(agent)), ("phase", .string(outcome)), ("enters", .int(enters)), ("seen", optional(seen))]
        case .key(let agent, let keys):
            return [("agent", .string(agent)), ("keys", .array(keys.map(JSONValue.string)))]
        case .queued(let id, let target, let text):
            return [("id", .int(id)), ("target", .string(target)), ("text", .string(text))]
        case .queueRemoved(let id), .queueRetried(let id):
            return [("id", .int(id))]
        case .queueCleared(let removed):
            return [("removed", .int(removed))]
        case .queueRecovered(let id, let agent, let outcome):
            return [("id", .int(id)), ("agent", .string(agent)), ("outcome", .string(outcome))]
        case .state(let agent, let from, let to, let source, let evidence):
            return [("agent", .string(agent)), ("from", .string(from.rawValue)), ("to", .string(to.rawValue)), ("source", .string(source)), ("evidence", optional(evidence))]
        case .hookError(let agent, let cli, let error, let payload):
            return [("agent", .string(agent)), ("cli", .string(cli)), ("error", .string(error))] + (payload.map { [("payload", JSONValue.string($0))] } ?? [])
        case .unknown:
            return []
        }
    }

    /// A state change as the watcher, a hook or a reader decided it.
    public init(_ change: Transition) {
        self = .state(agent: change.agent, from: change.from, to: change.to, source: change.source, evidence: change.evidence)
    }

    /// Reads an entry back (nil: not a journal entry at all).
    public init?(_ entry: JSONValue) {
        guard let name = entry["event"]?.stringValue else { return nil }
        let agent = entry["agent"]?.stringValue ?? ""
        let id = entry["id"]?.intValue ?? 0
        switch name {
        case "send":
            let phase = entry["phase"]?.stringValue ?? ""
            if phase == "typing" {
                self = .sendTyping(agent: agent, text: entry["text"]?.stringValue ?? "")
            } else {
                self = .sendOutcome(agent: agent, outcome: phase, enters: entry["enters"]?.intValue ?? 0, seen: entry["seen"]?.stringValue)
            }
        case "key":
            let keys: [String]
            if case .array(let items)? = entry["keys"] { keys = items.compactMap(\.stringValue) } else { keys = [] }
            self = .key(agent: agent, keys: keys)
        case "queue": self = .queued(id: id, target: entry["target"]?.stringValue ?? "any", text: entry["text"]?.stringValue ?? "")
        case "queue-rm": self = .queueRemoved(id: id)
        case "queue-retry": self = .queueRetried(id: id)
        case "queue-clear": self = .queueCleared(removed: entry["removed"]?.intValue ?? 0)
        case "queue-recover": self = .queueRecovered(id: id, agent: agent, outcome: entry["outcome"]?.stringValue ?? "")
        case "state":
            self = .state(
                agent: agent, from: entry["from"]?.stringValue.flatMap(AgentState.init(rawValue:)) ?? .unknown,
                to: entry["to"]?.stringValue.flatMap(AgentState.init(rawValue:)) ?? .unknown,
                source: entry["source"]?.stringValue ?? "", evidence: entry["evidence"]?.stringValue)
        case "hook-error":
            self = .hookError(agent: agent, cli: entry["cli"]?.stringValue ?? "", error: entry["error"]?.stringValue ?? "", payload: entry["payload"]?.stringValue)
        default: self = .unknown(name: name)
        }
    }
}
