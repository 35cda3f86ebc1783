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

    /// Past this size the file is rewritten with only what is still live (about 1,000 tasks).
    public let compactionSize: Int

    public init(session: String, directory: String = OrchPaths.stateDirectory, compactionSize: Int = 256 << 10) {
        path = OrchPaths.sessionFile("queue.jsonl", session: session, directory: directory)
        self.compactionSize = compactionSize
    }

    /// Every task not removed, in queue order.
    public func tasks() -> [QueuedTask] {
        Self.replay(FileSystem.readText(path).successValue ?? "").filter { $0.state != .removed }
    }

    /// Applies `change` to the current tasks under the file lock and records what it returns.
    /// `change` sees the latest state (other processes included) and returns the records to append.
    @discardableResult
    public func update<T>(_ change: ([QueuedTask]) -> (records: [JSONValue], result: T)) -> Result<T, FileError> {
        var fd: Int32 = -1
        // The file is replaced when compacted: a lock taken on the old one guards nothing, so
        // open again until the locked file is the one at the path.
        while true {
            fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return .failure(FileError(path: path, errno: errno, operation: "write")) }
            while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
            var opened = stat(), atPath = stat()
            if fstat(fd, &opened) == 0, stat(path, &atPath) == 0, opened.st_ino != atPath.st_ino {
                flock(fd, LOCK_UN)
                close(fd)
                continue
            }
            break
        }
        defer {
            flock(fd, LOCK_UN)
            close(fd)
        }
        let text = FileSystem.readText(path).successValue ?? ""
        let current = Self.replay(text)
        let (records, result) = change(current)
        guard !records.isEmpty else { return .success(result) }
        guard FileSystem.appendLines(records.map { $0.serialized + "\n" }.joined(), to: fd) else {
            return .failure(FileError(path: path, errno: errno, operation: "write"))
        }
        if text.utf8.count > compactionSize { compact() }
        return .success(result)
    }

    /// Under the lock: the tasks still waiting, being sent or sent stay in `queue.jsonl` (as one
    /// `add` and one `state` record each); the finished and removed ones are appended to
    /// `queue-archive.jsonl`. The highest id stays (as a removed record) so ids never repeat.
    /// Replaced atomically: a crash leaves the old file or the new one, never a mix.
    private func compact() {
        let tasks = Self.replay(FileSystem.readText(path).successValue ?? "")
        let finished: Set<QueuedTask.State> = [.done, .removed]
        let highest = tasks.map(\.id).max()
        var kept = ""
        var archived = ""
        for task in tasks {
            let lines = Self.records(of: task).map { $0.serialized + "\n" }.joined()
            if finished.contains(task.state) {
                archived += lines
                if task.id == highest { kept += Self.records(of: QueuedTask(id: task.id, target: task.target, text: "", state: .removed, agent: nil, queuedAt: task.queuedAt)).map { $0.serialized + "\n" }.joined() }
            } else {
                kept += lines
            }
        }
        let archive = open(FileSystem.parent(of: path) + "/queue-archive.jsonl", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard archive >= 0 else { return }
        defer { close(archive) }
        guard FileSystem.appendLines(archived, to: archive) else { return }  // archived first: nothing is lost
        _ = FileSystem.replace(path, with: kept)
    }

    /// The records that rebuild `task` as it is.
    static func records(of task: QueuedTask) -> [JSONValue] {
        let add: [(String, JSONValue)] = [("op", .string("add")), ("id", .int(task.id)), ("target", task.target.map(JSONValue.string) ?? .null), ("text", .string(task.text)), ("time_ms", .int(task.queuedAt))]
        var result = [JSONValue.object(add)]
        if task.state != .waiting {
            result.append(.object([("op", .string("state")), ("id", .int(task.id)), ("state", .string(task.state.rawValue)), ("agent", task.agent.map(JSONValue.string) ?? .null), ("time_ms", .int(task.queuedAt))]))
        }
        return result
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
