#if canImport(Glibc)
import Glibc
#endif

/// The session's append-only record of sends, keys and state changes:
/// `$XDG_STATE_HOME/orch/<session>/journal.jsonl`, one JSON object per line, fsync'd.
public struct Journal: Sendable {
    public let path: String

    /// The journal of `session` (its folder is created 0700, the file 0600).
    /// Past this size the journal becomes `journal.1.jsonl` (the one before that is dropped)
    /// and a new one starts: `log` reads from the end, and the files stay bounded.
    public let rotationSize: Int

    public init(session: String, directory: String = OrchPaths.stateDirectory, rotationSize: Int = 4 << 20) {
        path = OrchPaths.sessionFile("journal.jsonl", session: session, directory: directory)
        self.rotationSize = rotationSize
    }

    /// Appends one entry with the time first (after a torn last line, on a line of its own); the
    /// error when it could not be written (disk full, unwritable state folder) — the caller
    /// decides whether to warn.
    @discardableResult
    public func append(_ event: JournalEvent) -> FileError? {
        let millis = WallClock.milliseconds()
        let line = JSONValue.object([("time_ms", .int(millis)), ("event", .string(event.name))] + event.fields).serialized + "\n"
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)  // read too: appendLines checks the last byte
        guard fd >= 0 else { return FileError(path: path, errno: errno, operation: "write") }
        defer { close(fd) }
        guard FileSystem.appendLines(line, to: fd) else {
            return FileError(path: path, errno: errno, operation: "write")
        }
        var info = stat()
        if fstat(fd, &info) == 0, Int(info.st_size) > rotationSize { rotate() }
        return nil
    }

    var previousPath: String { FileSystem.parent(of: path) + "/journal.1.jsonl" }

    private func rotate() {
        // Under a lock beside it: two processes rotating at once must not both rename.
        let lock = FileLock(path: path + ".lock", patience: .seconds(1))
        defer { lock?.unlock() }
        var info = stat()
        guard stat(path, &info) == 0, Int(info.st_size) > rotationSize else { return }  // another one did
        _ = rename(path, previousPath)
    }

    /// The last `count` entries' lines, oldest first (a torn last line is skipped): read from
    /// the end, so `log 20` costs the same after a million entries; from the rotated file too
    /// when the current one holds fewer.
    public func tail(_ count: Int) -> [String] {
        var lines = Self.lastLines(of: path, count)
        if lines.count < count { lines = Self.lastLines(of: previousPath, count - lines.count) + lines }
        return lines
    }

    /// The last `count` complete entry lines of the file at `path`, reading backwards in blocks
    /// (4 KB first: 20 entries fit) and turning only those lines into text.
    static func lastLines(of path: String, _ count: Int) -> [String] {
        guard count > 0 else { return [] }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var end = Int(lseek(fd, 0, SEEK_END))
        var tail: [UInt8] = []
        var block = 4 << 10
        var lines: [ArraySlice<UInt8>] = []
        while true {
            // The complete lines in `tail`: after its first newline unless it starts the file.
            lines = []
            var lineEnd = tail.endIndex
            var index = tail.endIndex
            while index > tail.startIndex, lines.count < count {
                index -= 1
                guard tail[index] == 0x0A else { continue }
                let line = tail[(index + 1)..<lineEnd]
                if Self.isEntry(line) { lines.append(line) }
                lineEnd = index
            }
            if lines.count < count, end == 0, lineEnd > tail.startIndex {
                let first = tail[tail.startIndex..<lineEnd]  // the file's first line
                if Self.isEntry(first) { lines.append(first) }
            }
            guard lines.count < count, end > 0 else { break }
            let start = max(0, end - block)
            var chunk = [UInt8](repeating: 0, count: end - start)
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
            guard n == end - start else { break }
            tail = chunk + tail
            end = start
            block = min(block * 4, 8 << 20)
        }
        return lines.reversed().map { String(decoding: $0, as: UTF8.self) }
    }

    /// A whole entry: `{…}` (a torn line is not).
    static func isEntry(_ line: ArraySlice<UInt8>) -> Bool {
        line.first == UInt8(ascii: "{") && line.last == UInt8(ascii: "}")
    }
}
