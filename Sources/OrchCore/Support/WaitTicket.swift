#if canImport(Glibc)
import Glibc
#endif

/// A waiter's place in line for a `FileLock`, across processes: a file beside the lock,
/// `LOCK.wait-<monotonic ns>-<pid>`, that its waiter holds an `flock` on while it waits. Names
/// sort by arrival; a ticket whose `flock` anyone else can take belongs to a waiter that died
/// (kill -9) and is removed by whoever finds it, so a dead waiter never blocks the line.
struct WaitTicket {
    private let fd: Int32
    private let path: String
    private let directory: String
    private let prefix: String
    private let name: String

    /// Joins the line for the lock at `lockPath`; nil when no ticket can be written there (the
    /// caller then waits unordered).
    init?(lockPath: String) {
        directory = FileSystem.parent(of: lockPath)
        prefix = String(lockPath.split(separator: "/").last ?? "") + ".wait-"
        let stamp = String(MonotonicClock.nanoseconds())  // one clock for every process on this machine
        name = prefix + String(repeating: "0", count: max(0, 20 - stamp.count)) + stamp + "-\(getpid())"
        path = directory + "/" + name
        // Locked before it gets its name, so no one ever sees it unlocked while its waiter lives.
        let draft = path + ".new"
        let fd = open(draft, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX) == 0, rename(draft, path) == 0 else {
            unlink(draft)
            close(fd)
            return nil
        }
        self.fd = fd
    }

    /// Whether a waiter that asked earlier is still waiting. Tickets of dead waiters are removed
    /// on the way; the nearest one ahead is looked at first, so a long line costs one check.
    func hasLiveWaiterAhead() -> Bool {
        let ahead = FileSystem.list(directory).filter { $0.hasPrefix(prefix) && !$0.hasSuffix(".new") && $0 < name }  // sorted by list
        for other in ahead.reversed() {
            let otherPath = directory + "/" + other
            let otherFD = open(otherPath, O_RDWR | O_CLOEXEC)
            guard otherFD >= 0 else { continue }  // gone: that waiter got the lock or gave up
            defer { close(otherFD) }
            if flock(otherFD, LOCK_EX | LOCK_NB) != 0 { return true }
            unlink(otherPath)
        }
        return false
    }

    /// Leaves the line (the lock was taken, or waiting gave up).
    func withdraw() {
        unlink(path)
        close(fd)
    }
}
