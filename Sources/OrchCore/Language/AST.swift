/// A reference to an agent as written: a window name (`amp`) or index (`2`), with where it was written.
public struct AgentRef: Sendable, Hashable {
    public var name: String
    public var location: SourceLocation
    public init(_ name: String, at location: SourceLocation) {
        self.name = name
        self.location = location
    }
}

/// Which agents a `wait`, `status` or loop condition is about.
public enum AgentSelection: Sendable, Hashable {
    /// These agents, all of them (`amp`, `amp,codex`).
    case agents([AgentRef])
    /// At least one agent of the session.
    case any
    /// Every agent of the session.
    case all
}

/// The state words `wait` accepts: the five states except `unknown`, plus `free` (= done or idle).
public enum StateCondition: String, Sendable, Hashable, CaseIterable {
    case working, done, idle, input, free

    /// Whether an agent in `state` satisfies this condition.
    public func isSatisfied(by state: AgentState) -> Bool {
        switch self {
        case .working: state == .working
        case .done: state == .done
        case .idle: state == .idle
        case .input: state == .input
        case .free: state == .done || state == .idle
        }
    }
}

/// A condition of `loop until COND`.
public enum LoopCondition: Sendable, Hashable {
    /// `queue empty`: no task is waiting or being sent.
    case queueEmpty
    /// `done amp`, `free any`, `idle all`, `working amp,codex`…
    case state(StateCondition, AgentSelection)
}

/// Who a queued task is for.
public enum QueueTarget: Sendable, Hashable {
    case any
    case agent(AgentRef)
}

/// Options of `send`, given before the agent list.
public struct SendOptions: Sendable, Hashable {
    /// `--no-submit`: type the text but do not press Enter.
    public var submit = true
    /// `--no-wait`: do not wait for the agent to be at its prompt before typing.
    public var waitForReady = true
    /// `--force`: send even when the agent is waiting for input (a question is open).
    public var force = false
    /// `--file PATH` (`-`: standard input): the prompt is the file's contents.
    public var file: String?
    public init(submit: Bool = true, waitForReady: Bool = true, force: Bool = false, file: String? = nil) {
        self.submit = submit
        self.waitForReady = waitForReady
        self.force = force
        self.file = file
    }
}

/// One command of the language, where it starts in the source.
public struct Command: Sendable, Hashable {
    public var kind: CommandKind
    public var location: SourceLocation
    /// `--format text|json` given to this command (status, agents, queue list, log, wait).
    public var format: OutputFormat?
    public init(_ kind: CommandKind, at location: SourceLocation, format: OutputFormat? = nil) {
        self.kind = kind
        self.location = location
        self.format = format
    }
}

/// Every command of docs/language.md, already checked for shape by the parser.
/// `host NAME [socket S | socket-path P] [session S] ssh SSH-ARGS...`: a tmux server on another
/// machine, its agents named `AGENT@NAME`.
public struct HostDeclaration: Sendable, Hashable {
    public var name: String
    public var socketName: String?
    public var socketPath: String?
    public var session: String?
    /// ssh's own words, destination last.
    public var sshArguments: [String]
    public init(name: String, socketName: String? = nil, socketPath: String? = nil, session: String? = nil, sshArguments: [String]) {
        self.name = name
        self.socketName = socketName
        self.socketPath = socketPath
        self.session = session
        self.sshArguments = sshArguments
    }
}

public indirect enum CommandKind: Sendable, Hashable {
    /// `session NAME`
    case session(String)
    /// `agent NAME window N [profile P]`
    case agent(name: String, window: Int, profile: String?)
    /// `agents`
    case agents
    /// `host NAME … ssh …`
    case host(HostDeclaration)
    /// `status [AGENT...]` (empty: every agent)
    case status([AgentRef])
    /// `send [--no-submit] [--no-wait] [--force] AGENT[,AGENT...] TEXT`
    case send(SendOptions, targets: [AgentRef], text: String)
    /// `enter AGENT`
    case enter(AgentRef)
    /// `key AGENT KEY...`
    case key(AgentRef, keys: [String])
    /// `peek AGENT [LINES]`
    case peek(AgentRef, lines: Int?)
    /// `reply AGENT`
    case reply(AgentRef)
    /// `wait STATE TARGET [timeout D]`
    case wait(StateCondition, AgentSelection, timeout: Duration?)
    /// `queue [AGENT|any] TEXT`
    case queueAdd(QueueTarget, text: String)
    /// `queue list`
    case queueList
    /// `queue rm ID`
    case queueRemove(Int)
    /// `queue retry ID`
    case queueRetry(Int)
    /// `queue clear`
    case queueClear
    /// `dispatch on|off`
    case dispatch(Bool)
    /// `loop N { ... }`
    case loopTimes(Int, body: [Command])
    /// `loop every D { ... }`
    case loopEvery(Duration, body: [Command])
    /// `loop until COND { ... }`
    case loopUntil(LoopCondition, body: [Command])
    /// `break`
    case breakLoop
    /// `sleep D`
    case sleep(Duration)
    /// `echo TEXT`
    case echo(String)
    /// `watch on|off`
    case watch(Bool)
    /// `set NAME VALUE`
    case set(name: String, value: String)
    /// `pattern PROFILE STATE "TEXT"`
    case pattern(profile: String, state: AgentState, text: String)
    /// `log [N]`
    case log(Int?)
    /// `source FILE`
    case source(String)
    /// `help [COMMAND]`
    case help(String?)
    /// `exit` or `quit`
    case exit
    /// `{ ... }` on its own: a group run in order.
    case block([Command])
}
