#if canImport(Glibc)
import Glibc
#endif

/// One line of the turn log: a turn opened by a send, a state an agent reached, or a turn that
/// never started (its prompt was not submitted).
public struct TurnRecord: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A prompt is being submitted: the agent's turn starts.
        case open
        /// The agent reached `state` (the end of a turn is a `done` or `idle` record).
        case state
        /// The prompt of turn `turn` was not submitted after all: the turn never started.
        case cancel
    }

    public var kind: Kind
    /// The turn this record is about (0: none, e.g. a state seen with no turn open).
    public var turn: Int
    /// The agent's pane (`%5`): the stable key; the name is for people reading the log.
    public var pane: String
    public var agent: String
    /// Wall clock, milliseconds since the epoch.
    public var timeMs: Int
    /// The process that wrote the record: its own records are not news to it.
    public var pid: Int32
    public var state: AgentState?
    /// What decided a state: `send`, `screen`, `activity` or `hook`.
    public var source: String?
    public var evidence: String?
    /// `open`: who submitted the prompt (`send`, `queue #3`, …).
    public var by: String?
    /// `open`: text the agent echoes when it shows the prompt (the end of its first line).
    public var marker: String?
    /// A `done` from a hook: the agent's answer to the turn's prompt.
    public var reply: String?

    public init(kind: Kind, turn: Int, pane: String, agent: String, timeMs: Int, pid: Int32 = getpid(), state: AgentState? = nil, source: String? = nil, evidence: String? = nil, by: String? = nil, marker: String? = nil, reply: String? = nil) {
        self.kind = kind
        self.turn = turn
        self.pane = pane
        self.agent = agent
        self.timeMs = timeMs
        self.pid = pid
        self.state = state
        self.source = source
        self.evidence = evidence
        self.by = by
        self.marker = marker
        self.reply = reply
    }

    var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("kind", .string(kind.rawValue)), ("turn", .int(turn)), ("pane", .string(pane)),
            ("agent", .string(agent)), ("time_ms", .int(timeMs)), ("pid", .int(Int(pid))),
        ]
        if let state { fields.append(("state", .string(state.rawValue))) }
        for (key, value) in [("source", source), ("evidence", evidence), ("by", by), ("marker", marker), ("reply", reply)] {
            if let value { fields.append((key, .string(value))) }
        }
        return .object(fields)
    }

    init?(json: JSONValue) {
        guard let kind = json["kind"]?.stringValue.flatMap(Kind.init), let pane = json["pane"]?.stringValue,
            let time = json["time_ms"]?.intValue
        else { return nil }
        self.init(
            kind: kind, turn: json["turn"]?.intValue ?? 0, pane: pane, agent: json["agent"]?.stringValue ?? "",
            timeMs: time, pid: Int32(truncatingIfNeeded: json["pid"]?.intValue ?? 0),
            state: json["state"]?.stringValue.flatMap(AgentState.init), source: json["source"]?.stringValue,
            evidence: json["evidence"]?.stringValue, by: json["by"]?.stringValue, marker: json["marker"]?.stringValue,
            reply: json["reply"]?.stringValue)
        if kind == .state && state == nil { return nil }
    }
}

/// What the turn log says about one pane: its latest turn and its latest state.
public struct PaneHistory: Sendable, Equatable {
    /// The latest turn's `open` record (nil: nothing was ever sent, or it was cancelled).
    public var turn: TurnRecord?
    /// The record that ended that turn (`done`/`idle`), if it ended.
    public var end: TurnRecord?
    /// The latest state record of the pane, whatever turn.
    public var state: TurnRecord?

    /// A turn was submitted and has not ended.
    public var isTurnOpen: Bool { turn != nil && end == nil }

    /// The open turn's `open` record, if one is open.
    public var openTurn: TurnRecord? { isTurnOpen ? turn : nil }

    /// Folds `records` (oldest first) into each pane's history.
    public static func byPane(_ records: [TurnRecord]) -> [String: PaneHistory] {
        var panes: [String: PaneHistory] = [:]
        for record in records {
            var history = panes[record.pane] ?? PaneHistory()
            switch record.kind {
            case .open:
                history.turn = record
                history.end = nil
                history.state = TurnRecord(kind: .state, turn: record.turn, pane: record.pane, agent: record.agent, timeMs: record.timeMs, pid: record.pid, state: .working, source: "send", evidence: "prompt sent")
            case .cancel:
                if history.turn?.turn == record.turn {
                    history.turn = nil
                    history.end = nil
                }
            case .state:
                history.state = record
                if let state = record.state, state == .done || state == .idle, let open = history.turn,
                    record.turn == open.turn || record.turn == 0
                {
                    // The first end wins, but a hook's later word for the same turn adds its reply.
                    if history.end == nil || (record.source == "hook" && history.end?.source != "hook") { history.end = record }
                }
            }
            panes[record.pane] = history
        }
        return panes
    }
}

/// The session's shared record of each agent's turns: `turns.jsonl` in its state folder, 0600,
/// one JSON record per line, appended under a lock and fsync'd, and compacted when it grows.
///
/// Every orch process of the session (the REPL, scripts, one-shot commands, hooks) reads and
/// writes it, so `orch send` in one process and `orch wait done` in another agree on the turn,
/// and a state change is recorded once however many processes watch (docs/language.md, "Turns").
public struct TurnLog: Sendable {
    public let path: String
    let lockPath: String
    /// Past this size the log is rewritten with only each pane's latest records.
    let compactAt: Int

    /// The log of `session` on the tmux server whose process id is `server`: pane ids are
    /// reused by a new server, so each server life has its own file (`turns-PID.jsonl`).
    public init(session: String, server: Int32, directory: String = OrchPaths.stateDirectory, compactAt: Int = 64 * 1024) {
        path = OrchPaths.sessionFile(Self.fileName(server: server), session: session, directory: directory)
        lockPath = path + ".lock"
        self.compactAt = compactAt
    }

    /// `turns-PID.jsonl`.
    public static func fileName(server: Int32) -> String { "turns-\(server).jsonl" }

    /// The folder the log is in (watched for other processes' writes).
    public var folder: String { String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) }

    /// Removes the logs (and their locks, and the send locks) of tmux servers that are gone.
    public func removeLogsOfGoneServers() {
        for name in FileSystem.list(folder) where name.hasPrefix("turns-") || name.hasPrefix("send-") {
            let digits = name.drop { !$0.isNumber }.prefix { $0.isNumber }
            guard let pid = Int32(digits), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { FileSystem.remove(folder + "/" + name) }
        }
    }

    /// Every record, oldest first (lines that do not parse, such as a torn end, are skipped).
    public func records() -> [TurnRecord] {
        guard case .success(let text) = FileSystem.readText(path) else { return [] }
        return text.split(separator: "\n").compactMap { JSONValue.parse(String($0)).flatMap(TurnRecord.init(json:)) }
    }

    /// Each pane's history now.
    public func histories() -> [String: PaneHistory] {
        PaneHistory.byPane(records())
    }

    /// Opens a turn for `pane`: the prompt is about to be submitted. Returns the record (with
    /// its turn number), or the error when the log cannot be written.
    public func openTurn(pane: String, agent: String, by: String, marker: String?) -> Result<TurnRecord, FileError> {
        if records().isEmpty { removeLogsOfGoneServers() }
        return update { records in
            let next = (records.map(\.turn).max() ?? 0) + 1
            let record = TurnRecord(kind: .open, turn: next, pane: pane, agent: agent, timeMs: Self.nowMillis(), by: by, marker: marker)
            return ([record], record)
        }
    }

    /// The prompt of `turn` was not submitted: the turn never started.
    public func cancel(_ turn: TurnRecord) {
        _ = update { _ in ([TurnRecord(kind: .cancel, turn: turn.turn, pane: turn.pane, agent: turn.agent, timeMs: Self.nowMillis())], ()) }
    }

    /// Records that `pane` reached `state`, unless the log already says so (another process saw
    /// it first, or a hook reported it): true when this call wrote it, so only that process
    /// journals it. Returns the record written, or nil.
    ///
    /// The end of a turn (`done`/`idle` while one is open) carries the turn's number; a state
    /// for a turn that already ended is not recorded again.
    @discardableResult
    /// `turn`: the turn the caller saw (nil: not known); evidence about another turn than the
    /// one open now is an older turn's and ends nothing.
    public func record(pane: String, agent: String, state: AgentState, source: String, evidence: String?, reply: String? = nil, at timeMs: Int? = nil, turn expected: Int? = nil) -> TurnRecord? {
        let written = update { records -> ([TurnRecord], TurnRecord?) in
            let history = PaneHistory.byPane(records)[pane] ?? PaneHistory()
            if let expected, history.isTurnOpen, history.turn?.turn != expected { return ([], nil) }
            // Claude's idle_prompt after a finished turn: the result stays `done` until the next send.
            if state == .idle, history.state?.state == .done, !history.isTurnOpen { return ([], nil) }
            if let latest = history.state, latest.state == state {
                // A hook's word beats the screen's: its `done` carries the reply, so it is kept
                // even after a watcher recorded the same end (once: a repeated hook is not news).
                guard source == "hook", latest.source != "hook" else { return ([], nil) }
            }
            let turn = history.isTurnOpen ? history.turn?.turn ?? 0 : 0
            let record = TurnRecord(kind: .state, turn: turn, pane: pane, agent: agent, timeMs: timeMs ?? Self.nowMillis(), state: state, source: source, evidence: evidence, reply: reply)
            return ([record], record)
        }
        return (try? written.get()) ?? nil
    }

    /// Runs `change` on the current records under the log's lock and appends what it returns.
    func update<T>(_ change: ([TurnRecord]) -> ([TurnRecord], T)) -> Result<T, FileError> {
        let lockFD = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lockFD >= 0 else { return .failure(FileError(path: lockPath, errno: errno, operation: "write")) }
        defer { close(lockFD) }
        while flock(lockFD, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(lockFD, LOCK_UN) }
        var current = records()
        let (new, result) = change(current)
        guard !new.isEmpty else { return .success(result) }
        current += new
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return .failure(FileError(path: path, errno: errno, operation: "write")) }
        defer { close(fd) }
        guard FileSystem.appendLines(new.map { $0.json.serialized + "\n" }.joined(), to: fd) else {
            return .failure(FileError(path: path, errno: errno, operation: "write"))
        }
        var info = stat()
        if fstat(fd, &info) == 0, Int(info.st_size) > compactAt { compact(current) }
        return .success(result)
    }

    /// Rewrites the log with what decides each pane's state: its latest turn (with its end) and
    /// its latest state. Written beside and renamed over, so a reader sees the old or the new
    /// file whole; the turn numbers keep growing because the latest `open` of each pane stays.
    private func compact(_ records: [TurnRecord]) {
        var keep: [TurnRecord] = []
        let maxTurn = records.map(\.turn).max() ?? 0
        for (_, history) in PaneHistory.byPane(records) {
            // Only records that exist: the `working` an `open` implies is not written out.
            for record in [history.turn, history.end, history.state].compactMap({ $0 }) where !keep.contains(record) && records.contains(record) {
                keep.append(record)
            }
        }
        keep.sort { ($0.timeMs, $0.turn) < ($1.timeMs, $1.turn) }
        if !keep.contains(where: { $0.turn == maxTurn }), let last = records.last(where: { $0.turn == maxTurn }) {
            keep.insert(TurnRecord(kind: .cancel, turn: maxTurn, pane: last.pane, agent: last.agent, timeMs: last.timeMs), at: 0)
        }
        _ = FileSystem.replace(path, with: keep.map { $0.json.serialized + "\n" }.joined())
    }

    static func nowMillis() -> Int { WallClock.milliseconds() }
}
