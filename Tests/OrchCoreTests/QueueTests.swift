import Foundation
import OrchCore
import Testing

/// The queue and the dispatcher against simulated agents, through the real orch binary.
@Suite(.serialized) struct QueueTests {
    static let drain = "dispatch on; loop until queue empty { sleep 100ms }; wait free all timeout 60s"

    @Test func nineTasksOverThreeAgentsRunInParallelExactlyOnce() throws {
        let server = try TestServer(agents: [("claude", "claude", []), ("amp", "amp", []), ("codex", "codex", [])])
        defer { server.stop() }
        let env = ["XDG_STATE_HOME": server.directory + "/state"]
        let queueing = (1...9).map { "queue any 'task \($0) [work=1s]'" }.joined(separator: "\n")
        #expect(try server.orch(["-c", queueing], environment: env).status == 0)
        let listed = try server.orch(["queue", "list"], environment: env)
        #expect(listed.out.split(separator: "\n").count == 10, "\(listed.out)")  // header + 9 waiting
        let start = ContinuousClock.now
        let run = try server.orch(["-c", Self.drain], environment: env)
        let elapsed = ContinuousClock.now - start
        #expect(run.status == 0, "\(run.err)")
        let received = try server.waitForReceived(9)
        #expect(received.map(\.text).sorted() == (1...9).map { "task \($0) [work=1s]" }.sorted())
        #expect(received.count == 9)
        // Served at once: every agent worked, and far faster than one after another (9 s of work).
        #expect(Set(received.map(\.profile)) == ["claude", "amp", "codex"])
        #expect(elapsed < .seconds(9), "took \(elapsed)")
        let json = try server.orch(["queue", "list", "--format", "json"], environment: env)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]])
        #expect(rows.count == 9)
        #expect(rows.allSatisfy { ($0["state"] as? String) == "done" || ($0["state"] as? String) == "sent" })
    }

    @Test func aTaskForANamedAgentWaitsForThatAgent() throws {
        let server = try TestServer(agents: [("amp", "amp", []), ("codex", "codex", [])])
        defer { server.stop() }
        let env = ["XDG_STATE_HOME": server.directory + "/state"]
        #expect(try server.orch(["-c", "queue codex 'only codex [work=300ms]'; queue codex 'codex again [work=300ms]'; \(Self.drain)"], environment: env).status == 0)
        let received = try server.waitForReceived(2)
        #expect(received.map(\.profile) == ["codex", "codex"])
        #expect(received.map(\.text) == ["only codex [work=300ms]", "codex again [work=300ms]"])
    }

    @Test func killedMidDispatchThenRestartedDeliversEveryTaskExactlyOnce() throws {
        let server = try TestServer(agents: [("amp", "amp", []), ("codex", "codex", [])])
        defer { server.stop() }
        let state = server.directory + "/state"
        let env = ["XDG_STATE_HOME": state]
        let texts = (1...6).map { "job \($0) [work=400ms]" }
        #expect(try server.orch(["-c", texts.map { "queue any '\($0)'" }.joined(separator: "; ")], environment: env).status == 0)
        // Start dispatching, and kill -9 it as soon as the first task has been claimed.
        let process = try server.startOrch(["-c", Self.drain], stateHome: state)
        let queueFile = state + "/orch/\(server.session)/queue.jsonl"
        try waitFor("a task being sent") {
            (try? String(contentsOfFile: queueFile, encoding: .utf8))?.contains("\"state\":\"sending\"") == true
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let restart = try server.orch(["-c", Self.drain], environment: env)
        #expect(restart.status == 0, "\(restart.err)")
        let received = try server.waitForReceived(texts.count)
        #expect(received.map(\.text).sorted() == texts.sorted(), "\(received.map(\.text))")
    }

    @Test func aTaskQueuedByAnotherProcessIsHandedOutAtOnce() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let state = server.directory + "/state"
        let env = ["XDG_STATE_HOME": state]
        // The other orch says when it dispatches (asking it with a second `dispatch on` could
        // take the lock first and make it fail).
        let ready = server.directory + "/dispatcher.out"
        _ = FileManager.default.createFile(atPath: ready, contents: nil)
        let dispatcher = Process()
        dispatcher.executableURL = URL(fileURLWithPath: TestServer.orchPath)
        dispatcher.arguments = ["-L", server.socketName, "-c", "dispatch on; echo dispatching; sleep 60s"]
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = state
        dispatcher.environment = environment
        dispatcher.standardOutput = FileHandle(forWritingAtPath: ready)
        dispatcher.standardError = FileHandle.nullDevice
        try dispatcher.run()
        defer { kill(dispatcher.processIdentifier, SIGKILL); dispatcher.waitUntilExit() }
        try waitFor("the other orch dispatching", timeout: .seconds(30)) {
            (try? String(contentsOfFile: ready, encoding: .utf8))?.contains("dispatching") == true
        }
        // amp sits idle: no state change will come to wake the dispatcher; the queue file must.
        let queued = try server.orch(["queue", "amp", "from a shell"], environment: env)
        #expect(queued.status == 0, "\(queued.err)")
        let received = try server.waitForReceived(1, timeout: .seconds(5))
        #expect(received.map(\.text) == ["from a shell"])
    }

    /// A 100-line task an orch had typed (its first lines long scrolled out of the box) when it
    /// was killed, before its Enter: the next dispatcher recognises it by its end and the cursor
    /// on it, presses Enter, and it is submitted once, not typed a second time.
    @Test func aHundredLineTaskTypedButNotSubmittedIsSubmittedOnce() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "300ms"])])
        defer { server.stop() }
        let state = server.directory + "/state"
        let env = ["XDG_STATE_HOME": state]
        let text = (1...100).map { "line \($0) of the task" }.joined(separator: "\n")
        #expect(try server.orch(["queue", "amp", text], environment: env).status == 0)
        // What the killed orch left: the task `sending`, its text in amp's box, no Enter.
        let store = TaskStore(session: server.session, directory: state + "/orch")
        let id = try #require(store.tasks().first?.id)
        _ = store.update { _ in ([TaskStore.stateRecord(id, .sending, agent: "amp")], ()) }
        try server.tmux.paste(text, into: "\(server.tmux.exactSession(server.session)):1", bufferName: "orch-test-typed")
        try waitFor("the task's end in amp's box") { server.screen("1").contains("line 100 of the task") }
        #expect(!server.screen("1").contains("line 1 of the task"))  // its start has scrolled off
        let run = try server.orch(["-c", Self.drain], environment: env)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.err.contains("typed but not submitted: pressed Enter"), "\(run.err)")
        let received = try server.waitForReceived(1)
        #expect(received.map(\.text) == [text])
        #expect([.sent, .done].contains(store.tasks().first { $0.id == id }?.state))
    }

    /// The task's end is on the screen, but not at the cursor: an earlier prompt with the same
    /// ending is in the transcript, and the box holds the user's own draft. Recovery must not
    /// press Enter (it would submit the draft), and the task waits again.
    @Test func aTaskEndOnScreenButNotAtTheCursorIsNotSubmitted() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "0ms"])])
        defer { server.stop() }
        let state = server.directory + "/state"
        let env = ["XDG_STATE_HOME": state]
        let text = (1...100).map { "line \($0) of the task" }.joined(separator: "\n")
        // The same ending submitted earlier by hand: its echo stays in amp's transcript.
        #expect(try server.orch(["send", "amp", "an earlier line 100 of the task"], environment: env).status == 0)
        _ = try server.waitForReceived(1)
        #expect(try server.orch(["queue", "amp", text], environment: env).status == 0)
        let store = TaskStore(session: server.session, directory: state + "/orch")
        let id = try #require(store.tasks().first?.id)
        _ = store.update { _ in ([TaskStore.stateRecord(id, .sending, agent: "amp")], ()) }
        let target = "\(server.tmux.exactSession(server.session)):1"
        try server.tmux.typeLiteral("my own draft", into: target)
        try waitFor("the draft in amp's box") { server.screen("1").contains("my own draft") }
        #expect(server.screen("1").contains("line 100 of the task"))
        let run = try server.orch(["-c", "dispatch on; dispatch off"], environment: env)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.err.contains("its end is not at amp's cursor: waiting again"), "\(run.err)")
        #expect(server.received().count == 1, "\(server.received())")
        #expect(server.screen("1").contains("my own draft"))
        #expect(store.tasks().first { $0.id == id }?.state == .waiting)
    }

    /// Recovery finds the task's text at the cursor, but another sender holds the agent's send
    /// lock: nothing is pressed without it (an Enter then could land in that sender's text).
    @Test func recoveryPressesNothingWhileAnotherSenderHoldsTheAgent() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "0ms"])])
        defer { server.stop() }
        let state = server.directory + "/state"
        let env = ["XDG_STATE_HOME": state]
        let text = "a task typed when orch was killed"
        #expect(try server.orch(["queue", "amp", text], environment: env).status == 0)
        let store = TaskStore(session: server.session, directory: state + "/orch")
        let id = try #require(store.tasks().first?.id)
        _ = store.update { _ in ([TaskStore.stateRecord(id, .sending, agent: "amp")], ()) }
        let target = "\(server.tmux.exactSession(server.session)):1"
        try server.tmux.typeLiteral(text, into: target)
        try waitFor("the task in amp's box") { server.screen("1").contains(text) }
        let path = try server.sendLockPath(window: "1", stateHome: state)
        let holder = try #require(FileLock(path: path, note: "pid 4242 since 10:00:00\nend another"))
        defer { holder.unlock() }
        let run = try server.orch(["-c", "set ready-timeout 1s; dispatch on; dispatch off"], environment: env)
        #expect(run.err.contains("amp is being sent another prompt, so nothing was pressed: waiting again"), "\(run.err)")
        #expect(server.received().isEmpty, "\(server.received())")
        #expect(server.screen("1").contains(text))
    }

    @Test func twoDispatchersOnOneSessionNeverDuplicate() throws {
        let server = try TestServer(agents: [("amp", "amp", []), ("codex", "codex", [])])
        defer { server.stop() }
        let env = ["XDG_STATE_HOME": server.directory + "/state"]
        let texts = (1...4).map { "two \($0) [work=300ms]" }
        #expect(try server.orch(["-c", texts.map { "queue any '\($0)'" }.joined(separator: "; ")], environment: env).status == 0)
        let results = try [0, 1].map { _ in try server.startOrch(["-c", Self.drain], stateHome: server.directory + "/state") }
        for process in results { process.waitUntilExit() }
        // One dispatched; the other was told another orch dispatches this queue (exit 1).
        #expect(results.map(\.terminationStatus).sorted() == [0, 1])
        let received = try server.waitForReceived(texts.count)
        #expect(received.map(\.text).sorted() == texts.sorted())
    }

    @Test func rmRetryAndClear() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let env = ["XDG_STATE_HOME": server.directory + "/state"]
        #expect(try server.orch(["-c", "queue a; queue b; queue c; queue rm 2"], environment: env).status == 0)
        #expect(try server.orch(["queue", "list"], environment: env).out.contains("b") == false)
        let missing = try server.orch(["queue", "rm", "42"], environment: env)
        #expect(missing.status == 1)
        #expect(missing.err.contains("no task #42"))
        #expect(try server.orch(["queue", "retry", "1"], environment: env).status == 1)  // already waiting
        #expect(try server.orch(["queue", "clear"], environment: env).out.contains("removed 2 waiting tasks"))
        #expect(try server.orch(["queue", "list"], environment: env).out.contains("the queue is empty"))
    }
}
