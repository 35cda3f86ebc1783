#if canImport(Glibc)
import Glibc
#endif

/// The queue of one session, kept as an append-only JSONL file of changes
/// (`$XDG_STATE_HOME/orch/<session>/queue.jsonl`, 0600), fsync'd at every change and replayed on
/// load, so a crash at any instant loses nothing; a torn last line is ignored.
///
/// Changes are made under an exclusive `flock` of the file and re-read first, so several orch
/// processes on one session see each other's changes and never hand out one task twice.
public struct TaskStore: Sendable {
    public let path: String

    public init(session: String, directory: String = OrchPaths.stateDirectory) {
        path = OrchPaths.sessionFile("queue.jsonl", session: session, directory: directory)
    }

    /// Every task not removed, in queue order.
    public func tasks() -> [QueuedTask] {
        Self.replay(FileSystem.readText(path).successValue ?? "").filter { $0.state != .removed }
    }

    /// Applies `change` to the current tasks under the file lock and records what it returns.
    /// `change` sees the latest state (other processes included) and returns the records to append.
    @discardableResult
    public func update<T>(_ change: ([QueuedTask]) -> (records: [JSONValue], result: T)) -> Result<T, FileError> {
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return .failure(FileError(path: path, errno: errno, operation: "write")) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(fd, LOCK_UN) }
        let current = Self.replay(FileSystem.readText(path).successValue ?? "")
        let (records, result) = change(current)
        guard !records.isEmpty else { return .success(result) }
        guard FileSystem.appendLines(records.map { $0.serialized + "\n" }.joined(), to: fd) else {
            return .failure(FileError(path: path, errno: errno, operation: "write"))
        }
        return .success(result)
    }

    /// Queues `text` for `target` (nil: any agent); the new task.
    public func add(_ text: String, for target: String?) -> Result<QueuedTask, FileError> {
        update { tasks in
            let id = (tasks.map(\.id).max() ?? 0) + 1
            let task = QueuedTask(id: id, target: target, text: text, state: .waiting, agent: nil, queuedAt: Self.nowMillis())
            let record = JSONValue.object([
                ("op", .string("add")), ("id", .int(id)), ("target", target.map(JSONValue.string) ?? .null),
                ("text", .string(text)), ("time_ms", .int(task.queuedAt)),
            ])
            return ([record], task)
        }
    }

    /// The record that moves task `id` to `state` (with the agent involved).
    public static func stateRecord(_ id: Int, _ state: QueuedTask.State, agent: String? = nil) -> JSONValue {
        .object([("op", .string("state")), ("id", .int(id)), ("state", .string(state.rawValue)), ("agent", agent.map(JSONValue.string) ?? .null), ("time_ms", .int(nowMillis()))])
    }

    /// Rebuilds the tasks from the file's records, skipping lines that do not parse (a torn end).
    static func replay(_ text: String) -> [QueuedTask] {
        var tasks: [QueuedTask] = []
        var index: [Int: Int] = [:]
        for line in text.split(separator: "\n") {
            guard let record = JSONValue.parse(String(line)), let id = record["id"]?.intValue else { continue }
            switch record["op"]?.stringValue {
            case "add":
                guard let text = record["text"]?.stringValue, index[id] == nil else { continue }
                index[id] = tasks.count
                tasks.append(QueuedTask(id: id, target: record["target"]?.stringValue, text: text, state: .waiting, agent: nil, queuedAt: record["time_ms"]?.intValue ?? 0))
            case "state":
                guard let i = index[id], let state = record["state"]?.stringValue.flatMap(QueuedTask.State.init) else { continue }
                tasks[i].state = state
                if let agent = record["agent"]?.stringValue { tasks[i].agent = agent }
                if state == .waiting { tasks[i].agent = nil }
            default:
                continue
            }
        }
        return tasks
    }

    static func nowMillis() -> Int { WallClock.milliseconds() }
}

extension Result {
    var successValue: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}
