#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// An exclusive `flock` on a file (created 0600 if missing), released by `unlock()` or when
/// this object goes, and by the kernel if the process dies.
public final class FileLock: Sendable {
    private let fd: Mutex<Int32>
    /// The note the last holder left (empty when it let go with `unlock(clearingNote:)`): a
    /// holder killed while holding the lock leaves its note behind.
    public let previousNote: String
    /// The note this holder wrote.
    public let currentNote: String

    /// Takes the lock on `path`: at once or nil when `patience` is nil; otherwise waiting at
    /// most `patience` for another holder to let go. Nil when the file cannot be opened.
    /// `note`: written into the file once the lock is held (who holds it, for a waiter's message).
    /// `inArrivalOrder`: waiters, in every process, get the lock in the order they asked for it
    /// (see `WaitTicket`); otherwise whichever polls first after a release.
    public init?(path: String, patience: Duration? = nil, note: String? = nil, inArrivalOrder: Bool = false) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        let deadline = ContinuousClock.now + (patience ?? .zero)
        // In line before even a free lock is tried: a newcomer must not pass those waiting.
        let ticket = inArrivalOrder && patience != nil ? WaitTicket(lockPath: path) : nil
        var firstInLine = ticket == nil
        while true {
            // Only the first waiter in line tries the lock, and stays first: later tickets sort after.
            firstInLine = firstInLine || !(ticket?.hasLiveWaiterAhead() ?? false)
            if firstInLine, flock(fd, LOCK_EX | LOCK_NB) == 0 { break }
            guard !firstInLine || errno == EWOULDBLOCK || errno == EINTR, ContinuousClock.now < deadline else {
                ticket?.withdraw()
                close(fd)
                return nil
            }
            usleep(firstInLine ? 500 : 2000)
        }
        ticket?.withdraw()
        var previous = ""
        if let note {
            var buffer = [UInt8](repeating: 0, count: 512)
            let n = pread(fd, &buffer, buffer.count, 0)
            if n > 0 { previous = String(decoding: buffer[0..<n], as: UTF8.self) }
            Self.write(note + "\n", to: fd)
        }
        previousNote = previous
        currentNote = note.map { $0 + "\n" } ?? ""
        self.fd = Mutex(fd)
    }

    /// Replaces the note (the lock is held).
    public func setNote(_ note: String) {
        fd.withLock { fd in
            if fd >= 0 { Self.write(note, to: fd) }
        }
    }

    /// The file's whole content becomes `note`.
    private static func write(_ note: String, to fd: Int32) {
        _ = ftruncate(fd, 0)
        _ = lseek(fd, 0, SEEK_SET)
        _ = FileSystem.writeAll(note, to: fd)
    }

    /// Lets go (closing the file releases the lock); later calls do nothing. `clearingNote`:
    /// empties the note first, so the next holder can tell a clean release from a death.
    public func unlock(clearingNote: Bool = false) {
        fd.withLock { fd in
            if fd >= 0, clearingNote { _ = ftruncate(fd, 0) }
            if fd >= 0 { close(fd) }
            fd = -1
        }
    }

    deinit { unlock() }
}
