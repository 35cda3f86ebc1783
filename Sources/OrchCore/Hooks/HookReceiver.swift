#if canImport(Glibc)
import Glibc
#endif

/// `orch hook CLI [--then PROG ARGS…] [PAYLOAD]`: what an agent CLI's hook runs.
///
/// It finds the agent by `$TMUX` (the server's socket and process id) and `$TMUX_PANE`, and
/// records the event in the session's turn log, where every orch process sees it at once (the
/// REPL's watcher, a one-shot `wait`, the dispatcher follow the log by inotify). It runs inside
/// the agent's turn, so it is small (no Foundation, one tmux call), silent on success, and
/// always exits 0: a bad payload or a missing session is written to the journal (or, with no
/// session, to `hook.log` in orch's state folder), never back to the CLI.
public enum HookReceiver {
    /// Runs the hook; the exit status (always 0).
    public static func run(_ arguments: [String], stateDirectory: String = OrchPaths.stateDirectory) -> Int32 {
        var words = arguments
        guard let name = words.first else {
            note("orch hook: which CLI? (codex, claude, gemini, agy)", stateDirectory: stateDirectory)
            return 0
        }
        words.removeFirst()
        // The payload: Codex `notify` appends it as the last argument; the others send stdin.
        var payload: String?
        if let last = words.last, last.hasPrefix("{") {
            payload = last
            words.removeLast()
        }
        var chained: [String] = []
        if let then = words.firstIndex(of: "--then") {
            chained = Array(words[(then + 1)...])
            words.removeSubrange(then...)
        }
        if payload == nil { payload = readStandardInput(limit: 4 << 20, timeout: .seconds(2)) }
        defer {
            // The user's own notify program, kept by `hooks install --chain`: called on as before.
            if let program = chained.first {
                _ = try? Spawner.run(program, Array(chained.dropFirst()) + (payload.map { [$0] } ?? []), timeout: .seconds(30))
            }
        }
        guard let cli = HookCLI(rawValue: name) else {
            note("orch hook: unknown CLI '\(name)' (codex, claude, gemini, agy)", stateDirectory: stateDirectory)
            return 0
        }
        guard let pane = FileSystem.environment("TMUX_PANE"), let tmux = FileSystem.environment("TMUX") else {
            note("orch hook \(name): not inside tmux ($TMUX / $TMUX_PANE unset): the event cannot be matched to an agent", stateDirectory: stateDirectory)
            return 0
        }
        let fields = tmux.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count >= 2, let server = Int32(fields[1]) else {
            note("orch hook \(name): cannot read $TMUX ('\(tmux)')", stateDirectory: stateDirectory)
            return 0
        }
        let client = TmuxClient(endpoint: TmuxEndpoint(socketPath: String(fields[0])), timeout: .seconds(2))
        guard let line = try? client.run(["display-message", "-p", "-t", pane, "#{session_name}\t#{window_name}"]),
            let tab = line.firstIndex(of: "\t")
        else {
            note("orch hook \(name): tmux did not answer for pane \(pane)", stateDirectory: stateDirectory)
            return 0
        }
        let session = String(line[..<tab])
        let agent = String(line[line.index(after: tab)...]).trimmingNewline
        let journal = Journal(session: session, directory: stateDirectory)
        guard let payload, !payload.isEmpty else {
            journal.append(.hookError(agent: agent, cli: name, error: "no payload (neither an argument nor standard input)", payload: nil))
            return 0
        }
        let event: HookEvent
        switch HookEvent.parse(payload, cli: cli) {
        case .success(let parsed): event = parsed
        case .failure(let rejection):
            journal.append(.hookError(agent: agent, cli: name, error: rejection.description, payload: String(payload.prefix(300))))
            return 0
        }
        let log = TurnLog(session: session, server: server, directory: stateDirectory)
        var written: TurnRecord?
        let before = log.histories()[pane]
        if event.state == .working, before?.isTurnOpen != true {
            // A prompt orch did not send (typed by a person): the CLI says a turn started.
            written = try? log.openTurn(pane: pane, agent: agent, by: "hook \(name)", marker: nil).get()
        } else {
            written = log.record(pane: pane, agent: agent, state: event.state, source: "hook", evidence: event.evidence, reply: event.reply)
        }
        if written != nil {
            journal.append(JournalEvent(Transition(agent: agent, from: before?.state?.state ?? .unknown, to: event.state, wallTime: Int(time(nil)), evidence: event.evidence, source: "hook")))
        }
        return 0
    }

    /// A problem with no session to journal it in: `hook.log` in orch's state folder.
    static func note(_ message: String, stateDirectory: String) {
        FileSystem.makeDirectories(stateDirectory)
        let fd = open(stateDirectory + "/hook.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        FileSystem.writeAll(NoticeFormatter.clock(Int(time(nil))) + " " + message + "\n", to: fd)
        close(fd)
    }

    /// Standard input when it is not a terminal, at most `limit` bytes, waiting at most
    /// `timeout` for it to end.
    static func readStandardInput(limit: Int, timeout: Duration) -> String? {
        guard isatty(0) == 0 else { return nil }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        let deadline = ContinuousClock.now + timeout
        while bytes.count < limit {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { break }
            var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(max(1, left.milliseconds)))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { break }
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes.isEmpty ? nil : String(decoding: bytes.prefix(limit), as: UTF8.self)
    }
}

extension String {
    /// Without one trailing newline (tmux ends its replies with one).
    var trimmingNewline: String {
        hasSuffix("\n") ? String(dropLast()) : self
    }
}
