#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Where commands print: results to standard output, errors and notices to standard error.
public protocol OutputSink: Sendable {
    func print(_ line: String)
    func printError(_ line: String)
}

/// The process's own stdout/stderr, written whole-line at a time so threads do not interleave.
public final class StandardOutput: OutputSink {
    private let lock = Mutex(())

    public init() {}

    /// The errno of the first write to standard output that failed (`orch status > /dev/full`):
    /// the command then exits 1 instead of pretending it printed.
    public static let outputFailure = Mutex<Int32?>(nil)

    public func print(_ line: String) { write(line + "\n", to: 1) }
    public func printError(_ line: String) { write(line + "\n", to: 2) }

    /// Writes raw text to a file descriptor, whole, without interleaving with other threads.
    public func write(_ text: String, to fd: Int32) {
        lock.withLock { _ in
            if !FileSystem.writeAll(text, to: fd), fd == 1 { Self.outputFailure.withLock { $0 = $0 ?? errno } }
        }
    }
}

/// Collects output in memory (tests, and commands whose output is post-processed).
public final class CapturedOutput: OutputSink {
    private let state = Mutex<(out: [String], err: [String])>(([], []))

    public init() {}

    public func print(_ line: String) { state.withLock { $0.out.append(line) } }
    public func printError(_ line: String) { state.withLock { $0.err.append(line) } }

    public var lines: [String] { state.withLock { $0.out } }
    public var errorLines: [String] { state.withLock { $0.err } }
}
