import Foundation
import OrchCore
import Testing

/// A private tmux server (`tmux -L <unique>`) with simulated agents, killed by `stop()`.
///
/// Tests use real tmux and the real `orch` binary (built next to the test bundle).
final class TestServer: Sendable {
    let socketName: String
    let session: String
    let tmux: TmuxClient
    let logPath: String
    let directory: String

    /// Starts a server whose session has `main` plus one window per `(name, profile, options)`.
    init(session: String = "moana-orchestration", agents: [(String, String, [String])] = TestServer.seedLayout, width: Int = 120) throws {
        // Journals and history of in-process interpreters stay out of the developer's home.
        // Set once: setenv while another thread starts a process can crash Process.run (it
        // copies environ as setenv reallocates it); from the second server on nothing changes.
        let stateHome = NSTemporaryDirectory() + "orch-test-state-\(getpid())"
        if getenv("XDG_STATE_HOME").map({ String(cString: $0) }) != stateHome { setenv("XDG_STATE_HOME", stateHome, 1) }
        socketName = "orch-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        self.session = session
        tmux = TmuxClient(endpoint: TmuxEndpoint(socketName: socketName))
        directory = NSTemporaryDirectory() + socketName
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        logPath = directory + "/received.jsonl"
        try tmux.newSession(session, window: "main", command: ["sleep", "100000"], width: width, height: 40)
        try tmux.run(["set-option", "-g", "allow-rename", "off"])
        for (offset, agent) in agents.enumerated() {
            try tmux.newWindow(
                session: session, name: agent.0, index: offset + 1,
                command: [TestServer.orchPath, "__sim-agent", "--profile", agent.1, "--log", logPath] + agent.2)
        }
        for (offset, _) in agents.enumerated() where !agents[offset].0.hasSuffix("-proxy") {
            try waitFor("window \(offset + 1) shows its prompt") {
                (try? tmux.capturePane("\(tmux.exactSession(session)):\(offset + 1)"))?.contains("simulated by orch") == true
            }
        }
    }

    /// The seed's windows: 1 claude, 2 amp, 3 antigravity-proxy, 4 antigravity, 5 codex.
    static let seedLayout: [(String, String, [String])] = [
        ("claude", "claude", ["--work", "300ms"]),
        ("amp", "amp", ["--work", "300ms"]),
        ("antigravity-proxy", "generic", []),
        ("antigravity", "antigravity", ["--work", "300ms"]),
        ("codex", "codex", ["--work", "300ms", "--swallow", "120ms"]),
    ]

    func stop() {
        tmux.killServer()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The prompts the simulated agents received, in order: (profile, text).
    func received() -> [(profile: String, text: String)] {
        guard let data = FileManager.default.contents(atPath: logPath) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: String],
                let profile = object["profile"], let text = object["text"]
            else { return nil }
            return (profile, text)
        }
    }

    /// Waits (with a deadline) until `count` prompts have arrived.
    func waitForReceived(_ count: Int, timeout: Duration = .seconds(10)) throws -> [(profile: String, text: String)] {
        try waitFor("\(count) prompts received", timeout: timeout) { received().count >= count }
        return received()
    }

    /// The send lock of the agent in `window` (its state folder made), as orch names it:
    /// `send-SERVERPID-PANE.lock` in the session's folder under `stateHome`.
    func sendLockPath(window: String, stateHome: String) throws -> String {
        let pane = try tmux.run(["display-message", "-p", "-t", "\(tmux.exactSession(session)):\(window)", "#{pane_id}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        return OrchPaths.sessionFile("send-\(try serverPID())-\(pane.dropFirst()).lock", session: session, directory: stateHome + "/orch")
    }

    /// The tmux server's process id (the turn log's file is named after it).
    func serverPID() throws -> Int32 {
        try #require(Int32(try tmux.run(["display-message", "-p", "#{pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    func screen(_ window: String) -> String {
        (try? tmux.capturePane("\(tmux.exactSession(session)):\(window)")) ?? ""
    }

    /// Runs the real `orch` binary against this server; returns status, stdout, stderr.
    func orch(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        try TestServer.run(TestServer.orchPath, ["-L", socketName] + arguments, stdin: stdin, environment: environment)
    }

    /// Starts the real `orch` against this server in the background (to kill it, or race two).
    func startOrch(_ arguments: [String], stateHome: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestServer.orchPath)
        process.arguments = ["-L", socketName] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = stateHome
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `program` to its end: status, stdout, stderr. Both outputs are read at once (one
    /// could fill its pipe while the other is read), and a program still running after
    /// `timeout` is killed and the test fails naming it: a hang is a failure, never a stuck run.
    static func run(_ program: String, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], timeout: Duration = .seconds(240)) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.removeValue(forKey: "ORCH_SESSION")
        env["XDG_CONFIG_HOME"] = NSTemporaryDirectory() + "orch-test-no-config"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        let outData = DrainedPipe(out), errData = DrainedPipe(err)
        if let stdin { try? input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        if exited.wait(timeout: .now() + timeout.timeInterval) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
            Issue.record("\(([program] + arguments).joined(separator: " ")) was still running after \(timeout): killed")
        }
        // A child it left behind may hold the pipes open: what came by then is enough.
        return (process.terminationStatus, outData.text(within: .seconds(10)), errData.text(within: .seconds(10)))
    }

    /// Starts the `orch` REPL in window 9 of this server, named `orch-proxy` (so it is not taken
    /// for an agent), watching `agents` (default: this server); returns the window's target.
    func startREPL(state: String, watching agents: TestServer? = nil) throws -> String {
        let watched = agents ?? self
        let target = "\(tmux.exactSession(session)):9"
        try tmux.run([
            "new-window", "-d", "-t", target, "-n", "orch-proxy",
            "-e", "XDG_STATE_HOME=\(state)", "-e", "XDG_CONFIG_HOME=\(state)/config", "-e", "NO_COLOR=1", "-e", "EDITRC=/dev/null",
            TestServer.orchPath, "-L", watched.socketName, "-s", watched.session,
        ])
        try waitFor("the REPL prompt") { screen("9").contains("orch:\(watched.session)> ") }
        return target
    }

    /// The `orch` executable SwiftPM built beside this test bundle.
    static let orchPath: String = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = bundle.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("orch").path) {
            folder = Bundle.main.bundleURL.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("orch").path
    }()
}

/// Reads a pipe to its end on a thread of its own.
final class DrainedPipe: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var data = Data()

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while case let chunk = handle.availableData, !chunk.isEmpty {
                lock.withLock { data.append(chunk) }
            }
            done.signal()
        }
    }

    /// What was read, once the pipe ended or `wait` passed (then what came so far).
    func text(within wait: Duration) -> String {
        _ = done.wait(timeout: .now() + wait.timeInterval)
        return lock.withLock { String(decoding: data, as: UTF8.self) }
    }
}

extension Duration {
    var timeInterval: TimeInterval { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for: \(what)" }
}

/// Polls `condition` until it holds or `timeout` passes (a deadline, not a fixed sleep).
/// The error a script gets from `source` in `orch`, or nil when it succeeds.
func failure(_ orch: Interpreter, _ source: String) async -> String? {
    do {
        _ = try await orch.run(source: source, file: "<test>")
        return nil
    } catch {
        return error.message
    }
}

/// Runs a test's blocking body on a thread of its own and awaits it: a synchronous test holds
/// one of the concurrency pool's threads (two on this machine) for as long as it runs.
func offThePool(_ body: @escaping @Sendable () throws -> Void) async throws {
    try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
        Thread.detachNewThread {
            do {
                try body()
                done.resume()
            } catch {
                done.resume(throwing: error)
            }
        }
    }
}

func waitFor(_ what: String, timeout: Duration = .seconds(10), _ condition: () throws -> Bool) throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return }
        usleep(20_000)
    }
    if try condition() { return }
    throw TimedOut(what: what)
}
