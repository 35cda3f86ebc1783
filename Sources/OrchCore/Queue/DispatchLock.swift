#if canImport(Glibc)
import Glibc
#endif

/// The right to dispatch a session's queue: an exclusive `flock` held while dispatching, so two
/// orch processes on one session never both hand out tasks (the kernel drops it if orch dies).
public final class DispatchLock: Sendable {
    private let fd: Int32

    /// Takes the lock next to `store`'s file, or nil when another process holds it.
    public init?(for store: TaskStore) {
        let fd = open(store.path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
