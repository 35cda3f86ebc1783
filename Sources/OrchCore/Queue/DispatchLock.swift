/// The right to dispatch a session's queue: an exclusive `flock` held while dispatching, so two
/// orch processes on one session never both hand out tasks (the kernel drops it if orch dies).
public final class DispatchLock: Sendable {
    private let lock: FileLock

    /// Takes the lock next to `store`'s file, or nil when another process holds it.
    public init?(for store: TaskStore) {
        guard let lock = FileLock(path: store.path + ".lock") else { return nil }
        self.lock = lock
    }
}
