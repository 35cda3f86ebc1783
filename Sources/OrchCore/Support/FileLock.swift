#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// An exclusive `flock` on a file (created 0600 if missing), released by `unlock()` or when
/// this object goes, and by the kernel if the process dies.
public final class FileLock: Sendable {
    private let fd: Mutex<Int32>

    /// Takes the lock on `path`: at once or nil when `patience` is nil; otherwise waiting at
    /// most `patience` for another holder to let go. Nil when the file cannot be opened.
    /// `note`: written into the file once the lock is held (who holds it, for a waiter's message).
    public init?(path: String, patience: Duration? = nil, note: String? = nil) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        let deadline = ContinuousClock.now + (patience ?? .zero)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, ContinuousClock.now < deadline else {
                close(fd)
                return nil
            }
            usleep(500)
        }
        if let note {
            _ = ftruncate(fd, 0)
            _ = FileSystem.writeAll(note + "\n", to: fd)
        }
        self.fd = Mutex(fd)
    }

    /// Lets go (closing the file releases the lock); later calls do nothing.
    public func unlock() {
        fd.withLock { fd in
            if fd >= 0 { close(fd) }
            fd = -1
        }
    }

    deinit { unlock() }
}
