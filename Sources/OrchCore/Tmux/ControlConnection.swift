#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// A tmux control-mode client (`tmux -C attach -t SESSION`): notifications for every pane of the
/// session as they happen, and commands answered without starting a process each time.
///
/// Idle panes produce nothing, so watching idle agents this way costs nothing (docs/facts.md).
public final class ControlConnection: Sendable {
    /// Output and window notifications, then `.exit` once when the client ends.
    public let events: AsyncStream<ControlEvent>
    private let eventSink: AsyncStream<ControlEvent>.Continuation
    private let process: LaunchedProcess
    private let endpoint: TmuxEndpoint
    private let state = Mutex(State())
    /// Signalled when the client is attached, or has ended (whichever comes first).
    private let attachedOrEnded = DispatchSemaphore(value: 0)
    /// Signalled once the reader has reaped the client.
    private let reaped = DispatchSemaphore(value: 0)

    private struct State {
        var parser = ControlProtocol()
        var buffer: [UInt8] = []
        /// Who waits for each reply not read yet, in order (nil: a posted command's, dropped).
        var pending: [CheckedContinuation<ControlEvent, Never>?] = []
        /// No more commands are accepted (closed, or the client ended).
        var closed = false
        /// `close()` has run (or the start failed): nothing more to stop.
        var terminated = false
        /// The client has exited (about to be reaped): it must not be signalled any more.
        var exited = false
        var attached = false
        /// Commands written, and replies read (the n-th reply answers the n-th command).
        var sent = 0
        var answered = 0
    }

    /// A command not answered within this long means the client or its server is stuck: the
    /// connection is closed (its waiters get `.exit`, a watcher reconnects) rather than left
    /// waiting for good.
    static let replyPatience = DispatchTimeInterval.seconds(30)

    /// Attaches to `session` on `endpoint`'s server and returns once tmux says the client is
    /// attached: tmux reads a control client's commands before its attach is done (seen under
    /// load: "no current client"), and a client must not leave while another one attaches
    /// (`ControlClientGate`).
    public init(endpoint: TmuxEndpoint, session: String) throws(TmuxError) {
        let gate = ControlClientGate.enter(endpoint)
        defer { gate?.unlock() }
        do {
            // ignore-size: this invisible client must not shrink the agents' windows.
            let (program, arguments) = endpoint.invocation(["-C", "attach-session", "-f", "ignore-size", "-t", "=" + session])
            process = try Spawner.launch(program, arguments)
        } catch {
            throw .notInstalled
        }
        self.endpoint = endpoint
        (events, eventSink) = AsyncStream.makeStream(of: ControlEvent.self, bufferingPolicy: .unbounded)
        // A blocking reader of its own: it always sees end-of-file, also when the client dies
        // before printing anything (a Dispatch read source missed that hang-up, and a wait hung).
        // It alone closes the read end and reaps the client, so no descriptor is closed under it.
        DispatchQueue(label: "orch.control.reader").async { [self] in  // own thread: it blocks in read()
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(process.output, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                deliver(chunk[0..<n])
            }
            finish(reason: "the tmux client ended")
            _ = Glibc.close(process.output)
            // Marked exited while still a zombie, so a SIGTERM sent under the same lock can
            // never reach another process that got its pid after the reap.
            process.waitForExit()
            state.withLock { $0.exited = true }
            process.reap()
            reaped.signal()
        }
        let answered = attachedOrEnded.wait(timeout: .now() + .seconds(10)) == .success
        guard answered, state.withLock({ !$0.closed }) else {
            shutDown()
            throw .failed(command: "attach-session", message: "the control client \(answered ? "ended" : "did not attach within 10 s") before attaching to session '\(session)'")
        }
    }

    deinit { close() }

    /// `init` on a thread of its own: it blocks until the client is attached (milliseconds; up
    /// to 10 s for a stuck server), which must not hold up a Swift concurrency thread.
    public static func open(endpoint: TmuxEndpoint, session: String) async throws(TmuxError) -> ControlConnection {
        try await offThread { Result { () throws(TmuxError) in try ControlConnection(endpoint: endpoint, session: session) } }.get()
    }

    /// `close()` on a thread of its own, for the same reason.
    public func closeOffThread() async {
        await offThread { self.close() }
    }

    /// The tmux control client's process id (benchmarks count its CPU time).
    public var clientProcessID: Int32 { process.pid }

    /// Runs a tmux command through this client; its output lines.
    public func command(_ arguments: [String]) async throws(TmuxError) -> [String] {
        let reply = await withCheckedContinuation { (continuation: CheckedContinuation<ControlEvent, Never>) in
            guard let number = write(arguments, replyTo: continuation) else { return continuation.resume(returning: .exit(reason: "closed")) }
            DispatchQueue.global().asyncAfter(deadline: .now() + Self.replyPatience) { [weak self] in
                guard let self, state.withLock({ !$0.closed && $0.answered < number }) else { return }
                close()
            }
        }
        switch reply {
        case .reply(let lines, false): return lines
        case .reply(let lines, true): throw .failed(command: arguments.first ?? "", message: lines.joined(separator: " "))
        default: throw .failed(command: arguments.first ?? "", message: "the tmux control connection ended")
        }
    }

    /// Writes a command whose reply nobody waits for (flow control of busy panes). It is written
    /// before this returns, so posted commands reach tmux in the order they were posted.
    public func post(_ arguments: [String]) {
        _ = write(arguments, replyTo: nil)
    }

    /// Writes one command line, and who waits for its reply, under the lock: replies come in the
    /// order commands were written, so `pending` must be appended in that order. Its number, or
    /// nil when the connection is closed.
    private func write(_ arguments: [String], replyTo waiter: CheckedContinuation<ControlEvent, Never>?) -> Int? {
        let line = arguments.map(Self.quote).joined(separator: " ") + "\n"
        return state.withLock { state -> Int? in
            guard !state.closed else { return nil }
            state.pending.append(waiter)
            state.sent += 1
            FileSystem.writeAll(line, to: process.input)
            return state.sent
        }
    }

    /// Detaches: the tmux client is told to go (its reader then sees end-of-file, ends `events`,
    /// closes the pipe and reaps the client), and returns once the server has dropped it, so
    /// that no other client attaches meanwhile (`ControlClientGate`). Also fine after the
    /// client ended by itself.
    public func close() {
        guard !state.withLock({ $0.terminated }) else { return }
        let gate = ControlClientGate.enter(endpoint)
        defer { ControlClientGate.leave(gate, endpoint) }
        shutDown()
    }

    /// `close()` without the gate (held by the caller).
    private func shutDown() {
        let first = state.withLock { state -> Bool in
            defer { state.terminated = true }
            return !state.terminated
        }
        guard first else { return }
        finish(reason: nil)
        _ = Glibc.close(process.input)  // a control client leaves at the end of its input…
        if reaped.wait(timeout: .now() + .milliseconds(300)) == .timedOut {
            state.withLock { if !$0.exited { kill(process.pid, SIGTERM) } }  // …or, stuck, at SIGTERM
            guard reaped.wait(timeout: .now() + .seconds(2)) == .success else { return }
        }
        // The process is gone; the server drops the client when it reads the hang-up.
        let tmux = TmuxClient(endpoint: endpoint, timeout: .seconds(1))
        let pid = Substring(String(process.pid))
        let deadline = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < deadline,
            let clients = try? tmux.run(["list-clients", "-F", "#{client_pid}"]),
            clients.split(separator: "\n").contains(pid)
        {
            usleep(1000)
        }
    }

    private func deliver(_ chunk: ArraySlice<UInt8>) {
        let events = state.withLock { state -> [(ControlEvent, CheckedContinuation<ControlEvent, Never>?)] in
            state.buffer.append(contentsOf: chunk)
            var out: [(ControlEvent, CheckedContinuation<ControlEvent, Never>?)] = []
            var start = 0
            while let newline = state.buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(state.buffer[start..<newline])
                start = newline + 1
                guard let event = state.parser.feed(line) else { continue }
                if case .attached = event, !state.attached {
                    state.attached = true
                    attachedOrEnded.signal()
                }
                if case .reply = event {
                    state.answered += 1
                    out.append((event, state.pending.isEmpty ? nil : state.pending.removeFirst()))  // nil: posted
                } else {
                    out.append((event, nil))
                }
            }
            state.buffer.removeFirst(start)
            return out
        }
        for (event, waiter) in events {
            if case .reply = event {
                waiter?.resume(returning: event)
            } else {
                eventSink.yield(event)
            }
        }
    }

    private func finish(reason: String?) {
        let (waiters, already) = state.withLock { state -> ([CheckedContinuation<ControlEvent, Never>], Bool) in
            defer {
                state.closed = true
                state.pending.removeAll()
            }
            return (state.pending.compactMap { $0 }, state.closed)
        }
        if already && waiters.isEmpty { return }
        attachedOrEnded.signal()  // a start still waiting learns that the client ended
        for waiter in waiters { waiter.resume(returning: .exit(reason: reason)) }
        eventSink.yield(.exit(reason: reason))
        eventSink.finish()
    }

    /// An argument as tmux's command parser reads it: bare when safe, else single-quoted.
    static func quote(_ argument: String) -> String {
        var safe = argument.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "%@_-.,:=/".contains($0)) }
        // tmux's parser rejects a bare `%0:off` (seen: "parse error: syntax error"); `%0` is fine.
        if argument.hasPrefix("%"), !argument.dropFirst().allSatisfy(\.isNumber) { safe = false }
        if safe && !argument.isEmpty { return argument }
        return "'" + argument.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
