import Dispatch
import Synchronization

/// Runs async work from synchronous code on a thread that is not part of Swift's concurrency
/// pool (the main thread, the line editor's thread) and waits for its result.
///
/// `onStart` receives the task, so a signal handler can cancel it (Ctrl-C in the REPL).
public func runBlocking<T: Sendable>(
    onStart: (Task<Void, Never>) -> Void = { _ in },
    _ operation: @escaping @Sendable () async -> T
) -> T {
    let result = Mutex<T?>(nil)
    let done = DispatchSemaphore(value: 0)
    let task = Task {
        let value = await operation()
        result.withLock { $0 = value }
        done.signal()
    }
    onStart(task)
    done.wait()
    return result.withLock { $0! }
}

/// The other way round: runs blocking synchronous work on a Dispatch thread and awaits its
/// result, so it does not hold up one of Swift's few concurrency threads meanwhile.
public func offThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (done: CheckedContinuation<T, Never>) in
        DispatchQueue.global().async { done.resume(returning: work()) }
    }
}
