#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CPosix
import Synchronization

/// What a finished child process left: its exit status and everything it wrote.
public struct SpawnResult: Sendable {
    /// The exit status, or 128 + the signal number when a signal ended it.
    public var status: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Why a process could not be run to completion.
public enum SpawnError: Error, Sendable, Equatable {
    /// The program could not be started (not installed, not executable).
    case cannotStart(program: String, errno: Int32)
    /// It ran longer than allowed and was killed.
    case timedOut(program: String, after: Duration)
    /// A pipe or poll call failed.
    case io(String, errno: Int32)
}

/// The one place orch starts a process: `posix_spawnp` with an argument vector, never a shell.
///
/// docs/facts.md: Foundation `Process` costs ~60 ms per tmux call against ~6 ms for `posix_spawn`, so
/// this stays a thin layer over the C calls.
public enum Spawner {
    /// Runs `program` (searched in PATH) with `arguments`, feeding it `input` on stdin, and waits
    /// for it to exit, at most `timeout`; a non-zero exit status is a normal result.
    public static func run(
        _ program: String, _ arguments: [String], input: [UInt8]? = nil,
        timeout: Duration = .seconds(15)
    ) throws(SpawnError) -> SpawnResult {
        ignoreSIGPIPE
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        var inPipe: [Int32] = [-1, -1]
        defer { for fd in outPipe + errPipe + inPipe where fd >= 0 { close(fd) } }
        guard orch_pipe_cloexec(&outPipe, 0) == 0, orch_pipe_cloexec(&errPipe, 0) == 0 else {
            throw .io("pipe", errno: errno)
        }
        if input != nil, orch_pipe_cloexec(&inPipe, 0) != 0 { throw .io("pipe", errno: errno) }

        let pid = try spawn(program, arguments, stdin: input == nil ? nil : inPipe[0], stdout: outPipe[1], stderr: errPipe[1])

        // Close the child's ends so EOF arrives when it exits.
        close(outPipe[1]); outPipe[1] = -1
        close(errPipe[1]); errPipe[1] = -1
        if input != nil { close(inPipe[0]); inPipe[0] = -1 }

        // From here PipeSet owns the parent's ends and closes each exactly once.
        var io = PipeSet(stdout: outPipe[0], stderr: errPipe[0], stdin: input == nil ? -1 : inPipe[1], input: input ?? [])
        outPipe[0] = -1
        errPipe[0] = -1
        inPipe[1] = -1
        defer { io.closeAll() }
        let deadline = ContinuousClock.now.advanced(by: timeout)
        do {
            try io.pump(until: deadline)
        } catch {
            kill(pid, SIGKILL)
            _ = reap(pid)
            if case .timedOut = error { throw .timedOut(program: program, after: timeout) }
            throw error
        }
        return SpawnResult(status: reap(pid), stdout: io.out, stderr: io.err)
    }

    /// Starts `program` with its standard streams on the given descriptors (`stdin` nil:
    /// /dev/null), in its own process group; the caller reaps it (`waitpid`).
    public static func spawn(_ program: String, _ arguments: [String], stdin: Int32?, stdout: Int32, stderr: Int32) throws(SpawnError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdin {
            posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        // Nothing else: a pipe another thread opened without close-on-exec would otherwise be
        // held by the child (a tmux server it starts keeps it for good), and whoever reads that
        // pipe to its end would wait as long.
        orch_spawn_close_from(&actions, 3)

        // The child gets default signal handling even if orch ignores SIGINT/SIGPIPE itself.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGQUIT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        // Its own process group: the terminal's Ctrl-C is for orch (which cancels the command),
        // not for a tmux call half-way through (a load-buffer without its paste-buffer).
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, program, &actions, &attributes, argv, processEnvironment())
        guard rc == 0 else { throw .cannotStart(program: program, errno: rc) }
        return pid
    }

    /// Starts a long-running `program` whose stdin and stdout orch keeps (the tmux control
    /// client); stderr goes to /dev/null.
    public static func launch(_ program: String, _ arguments: [String]) throws(SpawnError) -> LaunchedProcess {
        ignoreSIGPIPE
        var inPipe: [Int32] = [-1, -1]
        var outPipe: [Int32] = [-1, -1]
        guard orch_pipe_cloexec(&inPipe, 0) == 0 else { throw .io("pipe", errno: errno) }
        guard orch_pipe_cloexec(&outPipe, 0) == 0 else {
            close(inPipe[0]); close(inPipe[1])
            throw .io("pipe", errno: errno)
        }
        let devNull = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer {
            close(inPipe[0])
            close(outPipe[1])
            if devNull >= 0 { close(devNull) }
        }
        do {
            let pid = try spawn(program, arguments, stdin: inPipe[0], stdout: outPipe[1], stderr: devNull >= 0 ? devNull : outPipe[1])
            launched.withLock { _ = $0.insert(pid) }
            return LaunchedProcess(pid: pid, input: inPipe[1], output: outPipe[0])
        } catch {
            close(inPipe[1])
            close(outPipe[0])
            throw error
        }
    }

    /// Stops every long-running child still alive (the demo's emergency exit on SIGTERM/SIGHUP:
    /// a control client left attached keeps a killed tmux server alive).
    public static func terminateLaunched() {
        for pid in launched.withLock({ $0 }) { kill(pid, SIGTERM) }
    }

    /// Waits for `pid` to exit; its status, or 128 + the signal that ended it.
    static func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let low = status & 0x7f
        if low == 0 { return (status >> 8) & 0xff }  // exited normally
        return 128 + low  // killed by a signal
    }
}

/// A child started by `Spawner.launch`: write to `input`, read from `output`.
public struct LaunchedProcess: Sendable {
    public let pid: pid_t
    public let input: Int32
    public let output: Int32

    /// Waits for the child to exit without reaping it: its pid stays its own until `reap()`.
    public func waitForExit() {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
    }

    /// Waits for the child to exit (after its output ended) so no zombie is left.
    public func reap() {
        _ = Spawner.reap(pid)
        launched.withLock { _ = $0.remove(pid) }
    }
}

/// Long-running children (tmux control clients) not yet reaped.
let launched = Mutex<Set<pid_t>>([])

/// Ignoring SIGPIPE once per process: a child that exits before reading its stdin must not kill orch.
private let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN); return () }()

/// The environment to hand to children, read at call time so `setenv` changes are seen.
func processEnvironment() -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    environ
}

/// The parent's ends of a child's pipes, drained and fed with `poll` until both outputs close.
private struct PipeSet {
    var stdout: Int32
    var stderr: Int32
    var stdin: Int32
    var input: [UInt8]
    var written = 0
    var out: [UInt8] = []
    var err: [UInt8] = []

    init(stdout: Int32, stderr: Int32, stdin: Int32, input: [UInt8]) {
        self.stdout = stdout
        self.stderr = stderr
        self.stdin = stdin
        self.input = input
        if stdin >= 0 {
            _ = fcntl(stdin, F_SETFL, fcntl(stdin, F_GETFL) | O_NONBLOCK)
            if input.isEmpty { closeStdin() }
        }
    }

    mutating func closeStdin() {
        if stdin >= 0 { close(stdin); stdin = -1 }
    }

    mutating func closeAll() {
        closeStdin()
        if stdout >= 0 { close(stdout); stdout = -1 }
        if stderr >= 0 { close(stderr); stderr = -1 }
    }

    mutating func pump(until deadline: ContinuousClock.Instant) throws(SpawnError) {
        defer { closeStdin() }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while stdout >= 0 || stderr >= 0 {
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { throw .timedOut(program: "", after: .zero) }
            var fds = [
                pollfd(fd: stdout, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stderr, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stdin, events: Int16(POLLOUT), revents: 0),
            ]
            let ms = Int32(clamping: remaining.components.seconds * 1000 + 1)
            let ready = poll(&fds, 3, ms)
            if ready < 0 {
                if errno == EINTR { continue }
                throw .io("poll", errno: errno)
            }
            if fds[2].revents != 0 { feedStdin() }
            if fds[0].revents != 0 { Self.drain(&stdout, into: &out, buffer: &buffer) }
            if fds[1].revents != 0 { Self.drain(&stderr, into: &err, buffer: &buffer) }
        }
    }

    private mutating func feedStdin() {
        let n = input[written...].withUnsafeBytes { write(stdin, $0.baseAddress, $0.count) }
        if n > 0 { written += n }
        if n < 0 && errno != EAGAIN && errno != EINTR { closeStdin(); return }
        if written >= input.count { closeStdin() }
    }

    private static func drain(_ fd: inout Int32, into sink: inout [UInt8], buffer: inout [UInt8]) {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0 {
            sink.append(contentsOf: buffer[0..<n])
        } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
            close(fd)
            fd = -1
        }
    }
}
