#if canImport(Glibc)
import Glibc
#endif

/// The session's append-only record of sends, keys and state changes:
/// `$XDG_STATE_HOME/orch/<session>/journal.jsonl`, one JSON object per line, fsync'd.
public struct Journal: Sendable {
    public let path: String

    /// The journal of `session` (its folder is created 0700, the file 0600).
    public init(session: String, directory: String = OrchPaths.stateDirectory) {
        path = OrchPaths.sessionFile("journal.jsonl", session: session, directory: directory)
    }

    /// Appends one entry with the time first (after a torn last line, on a line of its own); the
    /// error when it could not be written (disk full, unwritable state folder) — the caller
    /// decides whether to warn.
    @discardableResult
    public func append(_ event: String, _ fields: [(String, JSONValue)]) -> FileError? {
        let millis = WallClock.milliseconds()
        let line = JSONValue.object([("time_ms", .int(millis)), ("event", .string(event))] + fields).serialized + "\n"
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)  // read too: appendLines checks the last byte
        guard fd >= 0 else { return FileError(path: path, errno: errno, operation: "write") }
        defer { close(fd) }
        guard FileSystem.appendLines(line, to: fd) else {
            return FileError(path: path, errno: errno, operation: "write")
        }
        return nil
    }

    /// A `state` entry: who, from, to, what decided (`source`) and the line that showed it.
    @discardableResult
    public func appendState(_ change: Transition) -> FileError? {
        append("state", [
            ("agent", .string(change.agent)), ("from", .string(change.from.rawValue)), ("to", .string(change.to.rawValue)),
            ("source", .string(change.source)), ("evidence", change.evidence.map(JSONValue.string) ?? .null),
        ])
    }

    /// The last `count` entries' lines, oldest first (a torn last line is skipped).
    public func tail(_ count: Int) -> [String] {
        guard case .success(let text) = FileSystem.readText(path) else { return [] }
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }
        return lines.suffix(count).map(String.init)
    }
}
