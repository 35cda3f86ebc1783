import Foundation
import OrchCore
import Testing

/// The watcher, `wait`, `status` and notices against simulated agents on a real tmux server.
@Suite(.serialized) struct WatchTests {
    func interpreter(_ server: TestServer, _ output: CapturedOutput) -> Interpreter {
        Interpreter(options: InterpreterOptions(endpoint: server.tmux.endpoint), output: output)
    }

    func run(_ interpreter: Interpreter, _ source: String) async throws {
        _ = try await interpreter.run(source: source, file: "<test>")
    }

    @Test func waitDoneRightAfterSendWaitsForThatTurn() async throws {
        let server = try TestServer(agents: [("amp", "amp", []), ("codex", "codex", [])])
        defer { server.stop() }
        let output = CapturedOutput()
        let orch = interpreter(server, output)
        try await run(orch, "wait free all timeout 5s")  // both idle at start
        let start = ContinuousClock.now
        try await run(orch, "send amp,codex \"[work=700ms] build it\"; wait done amp,codex timeout 10s")
        #expect(ContinuousClock.now - start >= .milliseconds(700))
        #expect(output.lines.contains { $0.hasPrefix("amp") && $0.contains("done") && $0.contains("✓ CLAUDE.md") })
        #expect(output.lines.contains { $0.hasPrefix("codex") && $0.contains("done") && $0.contains("Worked for") })
        await orch.shutdown()
    }

    @Test func waitForAnyAllWorkingAndInput() async throws {
        let server = try TestServer(agents: [("amp", "amp", []), ("claude", "claude", [])])
        defer { server.stop() }
        let output = CapturedOutput()
        let orch = interpreter(server, output)
        // Long enough that a loaded machine cannot end the turn before the wait looks (a 3 s
        // turn once did, under the full suite: "timed out after 5s (claude done)").
        try await run(orch, "send claude \"[work=20s] long\"; wait working claude timeout 15s")
        try await run(orch, "wait free any timeout 5s")
        #expect(output.lines.last?.hasPrefix("amp") == true)
        try await run(orch, "send amp \"[work=2s] [ask] may I?\"; wait input amp timeout 30s")
        #expect(output.lines.last?.contains("input") == true)
        try await run(orch, "key amp 1; wait done all timeout 40s")
        await orch.shutdown()
    }

    @Test func waitTimesOutWithAnErrorThatSaysWhy() async throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let orch = interpreter(server, CapturedOutput())
        let start = ContinuousClock.now
        await #expect {
            try await run(orch, "wait working amp timeout 300ms")
        } throws: { error in
            let message = (error as? OrchError)?.message ?? ""
            return message.contains("timed out after 300ms") && message.contains("amp idle")
        }
        #expect(ContinuousClock.now - start < .seconds(30))  // it ends (not a timing measure: seen 5.8 s under the full suite)
        await orch.shutdown()
        // In a script, a timeout is exit status 1.
        let script = try server.orch(["-c", "wait working amp timeout 200ms"])
        #expect(script.status == 1)
        #expect(script.err.contains("-c:1:1: error: wait working: timed out"))
    }

    @Test func statusShowsStatesAndWindowsComeAndGo() async throws {
        let server = try TestServer(agents: [("amp", "amp", []), ("codex", "codex", [])])
        defer { server.stop() }
        let output = CapturedOutput()
        let orch = interpreter(server, output)
        try await orch.startWatching()
        let events = try #require(await orch.watcherEvents())
        try server.tmux.newWindow(session: server.session, name: "claude", index: 3, command: [TestServer.orchPath, "__sim-agent", "--profile", "claude"])
        try await run(orch, "wait idle claude timeout 10s")
        try server.tmux.run(["kill-window", "-t", "\(server.tmux.exactSession(server.session)):2"])
        var sawClosed = false
        for await event in events {
            if case .transition(let change) = event, change.agent == "codex", change.to == .unknown {
                #expect(change.evidence == "window closed")
                sawClosed = true
                break
            }
        }
        #expect(sawClosed)
        try await run(orch, "status")
        #expect(output.lines.suffix(2).map { String($0.prefix(6)) } == ["amp   ", "claude"])
        await orch.shutdown()
    }
}

@Suite(.serialized) struct FaultTests {
    @Test func aScriptWaitingWhenTmuxDiesFailsInsteadOfHanging() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let process = try server.startOrch(["-c", "wait working amp"], stateHome: server.directory + "/state")
        // The wait is running once its control client is attached.
        try waitFor("orch attached") { (try? server.tmux.run(["list-clients", "-F", "#{client_control_mode}"]))?.contains("1") == true }
        server.tmux.killServer()
        try waitFor("orch ends", timeout: .seconds(10)) { !process.isRunning }
        #expect(process.terminationStatus == 1)
    }
}

@Suite(.serialized) struct MoreFaultTests {
    @Test func anUnwritableStateFolderIsAClearErrorAndSendStillWorks() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "0ms"])])
        defer { server.stop() }
        let blocked = server.directory + "/not-a-folder"
        try "a file where the state folder should be".write(toFile: blocked, atomically: true, encoding: .utf8)
        let env = ["XDG_STATE_HOME": blocked]
        let queued = try server.orch(["queue", "a task"], environment: env)
        #expect(queued.status == 1)
        #expect(queued.err.contains("queue: cannot write '\(blocked)/orch/\(server.session)/queue.jsonl'"), "\(queued.err)")
        // The journal cannot be written either: a prompt still gets delivered, with a warning.
        let sent = try server.orch(["send", "amp", "still delivered"], environment: env)
        #expect(sent.status == 0)
        #expect(sent.err.contains("warning: cannot write '\(blocked)/orch/\(server.session)/journal.jsonl'"), "\(sent.err)")
        #expect(try server.waitForReceived(1).map(\.text) == ["still delivered"])
    }

    /// A full disk under the state folder (a small tmpfs, filled): adding a task fails and says
    /// why, the task already queued stays, `send` still delivers and warns once that it is not
    /// journalled, and once there is room again the queue takes tasks as before. The texts are
    /// 8 KiB so that they need pages the full disk does not have. Mounting needs root (CI is).
    @Test(.enabled(if: canMountTmpfs(), "mounting a small tmpfs needs root with CAP_SYS_ADMIN"))
    func aFullDiskIsAClearErrorAndLosesNoQueuedTask() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "0ms"])])
        defer { server.stop() }
        let state = server.directory + "/full"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let mount = try TestServer.run("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "orch-test-full", state])
        try #require(mount.status == 0, "\(mount.err)")
        defer { _ = try? TestServer.run("/bin/umount", ["-l", state]) }
        let env = ["XDG_STATE_HOME": state]
        #expect(try server.orch(["queue", "queued before the disk filled"], environment: env).status == 0)
        let filled = try TestServer.run("/bin/dd", ["if=/dev/zero", "of=\(state)/filler", "bs=4096"])
        #expect(filled.err.contains("No space left on device"), "\(filled.err)")

        let long = String(repeating: "a long task, ", count: 630)  // 8 KiB
        let queued = try server.orch(["queue", long], environment: env)
        #expect(queued.status == 1)
        #expect(queued.err.contains("queue: cannot write '\(state)/orch/\(server.session)/queue.jsonl': No space left on device"), "\(queued.err)")
        let sent = try server.orch(["send", "amp", long], environment: env)
        #expect(sent.status == 0, "\(sent.err)")
        #expect(sent.err.contains("warning: cannot write '\(state)/orch/\(server.session)/journal.jsonl': No space left on device"), "\(sent.err)")
        #expect(sent.err.components(separatedBy: "warning:").count == 2, "warned once: \(sent.err)")
        #expect(try server.waitForReceived(1).map(\.text) == [long])

        // Room again: what was queued is there, what failed is not (its torn line is skipped).
        try FileManager.default.removeItem(atPath: state + "/filler")
        #expect(try server.orch(["queue", "queued after"], environment: env).status == 0)
        let listed = try server.orch(["queue", "list", "--format", "json"], environment: env)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.out.utf8)) as? [[String: Any]], "\(listed.out)")
        #expect(rows.compactMap { $0["text"] as? String } == ["queued before the disk filled", "queued after"])
        #expect(rows.compactMap { $0["state"] as? String } == ["waiting", "waiting"])
    }

    @Test func aTenMegabyteLineInAWatchedPaneDoesNotStopTheWatcher() async throws {
        let server = try TestServer(agents: [("amp", "amp", []), ("noisy", "generic", [])])
        defer { server.stop() }
        let orch = Interpreter(options: InterpreterOptions(endpoint: server.tmux.endpoint), output: CapturedOutput())
        try await orch.startWatching()
        // 10 MB without a newline, straight into the noisy agent's terminal.
        try server.tmux.run(["respawn-pane", "-k", "-t", "=\(server.session):2", "python3", "-c", "import sys, time; sys.stdout.write('x' * 10_000_000); sys.stdout.flush(); time.sleep(600)"])
        try waitFor("the flood on screen", timeout: .seconds(60)) { server.screen("2").contains(String(repeating: "x", count: 100)) }
        _ = try await orch.run(source: "send amp '[work=300ms] after the flood'; wait done amp timeout 60s", file: "<test>")
        #expect(try server.waitForReceived(1).map(\.text) == ["[work=300ms] after the flood"])
        await orch.shutdown()
    }
}

/// Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN, as on CI): tried once.
func canMountTmpfs() -> Bool {
    guard getuid() == 0 else { return false }
    let probe = NSTemporaryDirectory() + "orch-mount-probe-\(getpid())"
    guard (try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)) != nil else { return false }
    defer { try? FileManager.default.removeItem(atPath: probe) }
    guard (try? TestServer.run("/bin/mount", ["-t", "tmpfs", "-o", "size=16k", "orch-probe", probe]))?.status == 0 else { return false }
    _ = try? TestServer.run("/bin/umount", [probe])
    return true
}
