import Foundation
import Synchronization
import OrchCore
import Testing

/// Twenty `orch send`s to one agent at once (an orchestrating agent and a dispatcher do this):
/// each prompt arrives whole and alone, none glued to another, every sender told the truth.
@Suite(.serialized) struct ConcurrentSendTests {
    @Test func twentyConcurrentSendersEachSubmitOnePromptWhole() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "100ms", "--swallow", "120ms"])])
        defer { server.stop() }
        let state = server.directory + "/state"
        let statuses = Mutex<[Int32]>([])
        let prompts = (1...20).map { "concurrent prompt number \($0) with; some -tricky \"text\"" }
        DispatchQueue.concurrentPerform(iterations: prompts.count) { index in
            let result = try? server.orch(["send", "amp", prompts[index]], environment: ["XDG_STATE_HOME": state])
            statuses.withLock { $0.append(result?.status ?? -1) }
        }
        #expect(statuses.withLock { $0 } == Array(repeating: 0, count: 20))
        let received = try server.waitForReceived(20, timeout: .seconds(30)).map(\.text)
        #expect(received.count == 20)
        #expect(Set(received) == Set(prompts), "\(received)")
    }

    /// Senders that asked one after another, each while the one before still held the agent,
    /// are submitted in that order (the lock's line, not whichever polls first).
    @Test func sendersQueuedOneAfterAnotherAreSubmittedInThatOrder() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "400ms"])])
        defer { server.stop() }
        let state = server.directory + "/state"
        let folder = state + "/orch/" + server.session
        let prompts = (1...6).map { "queued prompt number \($0)" }
        var senders: [Process] = []
        for prompt in prompts {
            let sender = try server.startOrch(["send", "amp", prompt], stateHome: state)
            senders.append(sender)
            let pid = sender.processIdentifier
            // The next one starts only once this one holds the lock (its note), is in line (its
            // ticket), or is done.
            try waitFor("the sender of \(prompt) holding the lock or in line") {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
                let holding = names.filter { $0.hasPrefix("send-") && $0.hasSuffix(".lock") }.contains {
                    ((try? String(contentsOfFile: folder + "/" + $0, encoding: .utf8)) ?? "").hasPrefix("pid \(pid) ")
                }
                return holding || names.contains { $0.contains(".lock.wait-") && $0.hasSuffix("-\(pid)") } || !sender.isRunning
            }
        }
        for sender in senders {
            sender.waitUntilExit()
            #expect(sender.terminationStatus == 0)
        }
        let received = try server.waitForReceived(prompts.count, timeout: .seconds(30)).map(\.text)
        #expect(received == prompts)
    }

    /// A send that cannot get the agent within its ready-timeout says who holds it, and types nothing.
    @Test func aSendThatCannotGetTheLockNamesTheHolder() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "0ms"])])
        defer { server.stop() }
        let state = server.directory + "/state"
        let path = try server.sendLockPath(window: "amp", stateHome: state)
        let holder = try #require(FileLock(path: path, note: "pid 4242 since 10:00:00\nend x"))
        defer { holder.unlock() }
        let result = try server.orch(["-c", "set ready-timeout 1s\nsend amp 'never typed'"], environment: ["XDG_STATE_HOME": state])
        #expect(result.status != 0)
        #expect(result.err.contains("amp is being sent another prompt (pid 4242 since 10:00:00)"), "\(result.err)")
        #expect(!server.screen("1").contains("never typed"))
        #expect(server.received().isEmpty)
    }
}

/// Several orch processes watching one session record each state change once (the journal's
/// `state` lines used to be written by every watcher).
@Suite(.serialized) struct SharedStateTests {
    @Test func twoWatchersJournalTheEndOfATurnOnce() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "1500ms"])])
        defer { server.stop() }
        let env = ["XDG_STATE_HOME": server.directory + "/state"]
        #expect(try server.orch(["send", "amp", "a turn two processes watch"], environment: env).status == 0)
        let results = Mutex<[Int32]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let result = try? server.orch(["wait", "done", "amp", "timeout", "20s"], environment: env)
            results.withLock { $0.append(result?.status ?? -1) }
        }
        #expect(results.withLock { $0 } == [0, 0])
        let log = try server.orch(["log", "50", "--format", "json"], environment: env).out
        let ends = log.split(separator: "\n").filter { $0.contains(#""event":"state""#) && $0.contains(#""to":"done""#) }
        #expect(ends.count == 1, "\(ends)")
        // A third process started after the end knows it at once.
        let late = try server.orch(["wait", "done", "amp", "timeout", "2s"], environment: env)
        #expect(late.status == 0)
    }

    @Test func setQuietReachesTheRunningWatcher() async throws {
        let server = try TestServer(agents: [("py", "generic", ["--work", "0ms"])])
        defer { server.stop() }
        let interpreter = Interpreter(options: InterpreterOptions(endpoint: TmuxEndpoint(socketName: server.socketName), session: server.session), output: CapturedOutput())
        try await interpreter.startWatching()
        _ = try await interpreter.run(source: "set quiet 7s", file: "-c")
        let watcher = try #require(await interpreter.currentWatcher)
        #expect(await watcher.quietNow(for: "py") == .seconds(7))
        await interpreter.shutdown()
    }
}

@Suite(.serialized) struct BadEnvironmentTests {
    @Test func noUTF8LocaleStillFindsTheSession() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let status = try server.orch(["status"], environment: ["LANG": "C", "LC_ALL": "C", "LC_CTYPE": "C"])
        #expect(status.status == 0, "\(status.err)")
        #expect(status.out.contains("amp"))
    }

    @Test func aHomeThatDoesNotExistIsNotCreated() throws {
        let server = try TestServer(session: "orch-home-test-\(getpid())", agents: [("amp", "amp", [])])
        defer { server.stop() }
        let home = "/nonexistent-orch-\(getpid())"
        let result = try server.orch(["queue", "amp", "kept somewhere"], environment: ["HOME": home, "XDG_STATE_HOME": "", "XDG_CONFIG_HOME": ""])
        #expect(result.status == 0, "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: home), "orch created HOME=\(home)")
        try? FileManager.default.removeItem(atPath: home)
        // The password database's home instead (this session's folder only: removed after).
        let real = String(cString: getpwuid(getuid())!.pointee.pw_dir) + "/.local/state/orch/\(server.session)"
        #expect(FileManager.default.fileExists(atPath: real + "/queue.jsonl"))
        try? FileManager.default.removeItem(atPath: real)
    }

    @Test func aFullStandardOutputIsAnError() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestServer.orchPath)
        process.arguments = ["-L", server.socketName, "status"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(message.contains("cannot write standard output"), "\(message)")
    }
}

/// A program no profile reads — a Python REPL declared `profile generic` — is followed by
/// activity: its turn is working while it prints after the send, done after its quiet.
@Suite(.serialized) struct UnreadableProgramTests {
    @Test func aPythonREPLIsFollowedByActivity() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        try server.tmux.run(["new-window", "-d", "-t", "=\(server.session):7", "-n", "python", "python3", "-q", "-i"])
        try waitFor("python's prompt") { server.screen("7").contains(">>>") }
        let env = ["XDG_STATE_HOME": server.directory + "/state"]
        let script = """
            agent py window 7 profile generic
            wait free py timeout 5s
            send py "import time; print('start'); time.sleep(1); print('result', 6 * 7)"
            wait done py timeout 20s
            """
        let run = try server.orch(["-c", script], environment: env)
        #expect(run.status == 0, "\(run.err)")
        #expect(server.screen("7").contains("result 42"))
    }
}

/// Delivery cases found by a hostile newcomer (issue "Delivery you can trust").
@Suite(.serialized) struct HostileDeliveryTests {
    @Test func orchRefusesToTypeIntoItsOwnPane() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let pane = try server.tmux.run(["display-message", "-p", "-t", "=\(server.session):1", "#{pane_id}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let inside = "\(TmuxEndpoint(socketName: server.socketName).resolvedSocketPath),\(try server.serverPID()),0"
        let result = try server.orch(["send", "amp", "echo pwned"], environment: ["TMUX": inside, "TMUX_PANE": pane])
        #expect(result.status == 1)
        #expect(result.err.contains("this orch's own pane"), "\(result.err)")
        #expect(server.received().isEmpty)
    }

    @Test func aBigPromptFromAFileArrivesWholeAndNULAndEscapesDoNot() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "0ms"])])
        defer { server.stop() }
        let line = String(repeating: "0123456789", count: 10)
        let big = (1...2500).map { "\($0) \(line)" }.joined(separator: "\n")  // about 260 KB
        let path = server.directory + "/prompt.txt"
        try Data((big + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let sent = try server.orch(["send", "amp", "--file", path])
        #expect(sent.status == 0, "\(sent.err)")
        let received = try server.waitForReceived(1, timeout: .seconds(30))
        #expect(received.first?.text == big)
        // 1 MB from standard input (an argument that long is "Argument list too long"); the
        // agent takes a while to draw it, and the Enter must wait for that.
        let huge = (1...10_000).map { "\($0) \(line)" }.joined(separator: "\n")
        #expect(huge.utf8.count > 1_000_000)
        let piped = try server.orch(["send", "amp", "--file", "-"], stdin: huge + "\n")
        #expect(piped.status == 0, "\(piped.err)")
        let two = try server.waitForReceived(2, timeout: .seconds(60))
        #expect(two.count == 2 && two[1].text == huge, "\(two.count) prompts; the second \(two.last?.text.utf8.count ?? 0) bytes")
        // NUL and a key sequence in a file: removed, the rest arrives.
        try Data("nul:\u{0}after \u{1B}[Aup".utf8).write(to: URL(fileURLWithPath: path))
        let hostile = try server.orch(["send", "amp", "--file", path])
        #expect(hostile.status == 0, "\(hostile.err)")
        #expect(hostile.err.contains("removed 4 control characters"), "\(hostile.err)")
        #expect(try server.waitForReceived(3).last?.text == "nul:after up")
    }

    /// A 64 KB prompt into a pane whose screen shows nothing of it (no echo, never redrawn): no
    /// evidence it was taken, so not a success (agent-deck #1413: "typed but unsubmitted, exit 0").
    @Test func aPromptIntoAScreenThatShowsNothingIsUnverified() throws {
        let server = try TestServer(agents: [])
        defer { server.stop() }
        try server.tmux.newWindow(session: server.session, name: "mute", index: 1, command: ["sh", "-c", "stty -echo; echo ready; exec sleep 100000"])
        try waitFor("the mute pane ready") { server.screen("1").contains("ready") }
        let path = server.directory + "/64k.txt"
        try String(repeating: "x", count: 65536).write(toFile: path, atomically: true, encoding: .utf8)
        let sent = try server.orch(["send", "mute", "--file", path])
        #expect(sent.status == 1 && sent.err.contains("send to mute: unverified"), "\(sent.status) \(sent.err)")
    }

    /// A sender killed after typing, before its Enter, leaves its text in the box and its note
    /// in the send lock. The simulated Codex's box is not one its profile reads as "text typed"
    /// (the property test found the next send glued to it: "p12 C-cp13 "): the next sender finds
    /// the dead one's text at the cursor and refuses (once: the user has been told).
    @Test func aSendKilledBeforeItsEnterIsNotGluedToTheNext() throws {
        let server = try TestServer(agents: [("codex", "codex", ["--work", "0ms"])])
        defer { server.stop() }
        let state = server.directory + "/state"
        let env = ["XDG_STATE_HOME": state]
        let target = "\(server.tmux.exactSession(server.session)):1"
        let lock = try server.sendLockPath(window: "1", stateHome: state)
        try "pid 999999 since 12:00:00\nend left one".write(toFile: lock, atomically: false, encoding: .utf8)
        try server.tmux.typeLiteral("the text left one", into: target)
        try waitFor("the dead sender's text in the box") { server.screen("1").contains("the text left one") }
        let refused = try server.orch(["send", "codex", "next prompt"], environment: env)
        #expect(refused.status == 1 && refused.err.contains("still holds the text of a send that was killed before its Enter (pid 999999"), "\(refused.err)")
        #expect(try server.orch(["key", "codex", "C-u"], environment: env).status == 0)
        let sent = try server.orch(["send", "codex", "next prompt"], environment: env)
        #expect(sent.status == 0, "\(sent.err)")
        #expect(try server.waitForReceived(1).map(\.text) == ["next prompt"])
        #expect((try? String(contentsOfFile: lock, encoding: .utf8)) == "", "a clean release clears the note")
    }

    /// The dead sender's text is a line wider than the pane, and the wrap falls inside the end
    /// its note names: part of it on the cursor's row, the rest on the row above (the property
    /// test found the next prompt glued to such a 3 KB line). `k`: characters on the cursor's row.
    @Test(arguments: [1, 4, 7]) func aKilledSendersWrappedTextIsFoundAcrossTheWrap(k: Int) throws {
        let server = try TestServer(agents: [("codex", "codex", ["--work", "0ms"])])
        defer { server.stop() }
        let state = server.directory + "/state"
        let target = "\(server.tmux.exactSession(server.session)):1"
        let lock = try server.sendLockPath(window: "1", stateHome: state)
        try "pid 999999 since 12:00:00\nend wrapXend".write(toFile: lock, atomically: false, encoding: .utf8)
        // The box holds 114 characters a row after its `› ` (and its continuation indent); one
        // word longer than that is broken anywhere.
        try server.tmux.typeLiteral(String(repeating: "a", count: 228 + k - 8) + "wrapXend", into: target)
        try waitFor("the dead sender's text in the box, wrapped") {
            let rows = server.screen("1").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            return zip(rows, rows.dropFirst()).contains { $0.hasSuffix("wrapXend".dropLast(k)) && $1 == "wrapXend".suffix(k) }
        }
        let refused = try server.orch(["send", "codex", "next prompt"], environment: ["XDG_STATE_HOME": state])
        // Either refusal keeps the next prompt off it (this box, two rows and more, also reads as text typed).
        #expect(refused.status == 1 && (refused.err.contains("killed before its Enter (pid 999999") || refused.err.contains("already has unsubmitted text")), "\(refused.err)\n\(server.screen("1"))")
        #expect(server.received().isEmpty)
        #expect(!server.screen("1").contains("next prompt"))
    }

    /// A paste-end marker and a carriage return inside a multi-line prompt: the paste is not
    /// ended early, half the prompt is not submitted on its own, and the journal records the
    /// text as delivered (with the marker gone and the `\r` a newline).
    @Test func aPasteEndMarkerInsideAPromptDoesNotSplitIt() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "0ms"])])
        defer { server.stop() }
        let env = ["XDG_STATE_HOME": server.directory + "/state"]
        let sent = try server.orch(["send", "amp", "first line\n\u{1B}[201~second half\rthird"], environment: env)
        #expect(sent.status == 0, "\(sent.err)")
        #expect(sent.err.contains("removed 6 control characters"), "\(sent.err)")
        #expect(try server.waitForReceived(1).map(\.text) == ["first line\nsecond half\nthird"])
        let log = try server.orch(["log", "10", "--format", "json"], environment: env).out
        let typing = log.split(separator: "\n").first { $0.contains(#""phase":"typing""#) } ?? ""
        #expect(typing.contains(#""text":"first line\nsecond half\nthird""#), "\(log)")
        let submitted = log.split(separator: "\n").first { $0.contains(#""phase":"submitted""#) } ?? ""
        #expect(submitted.contains(#""enters":1"#), "\(log)")
        // Nothing more arrives: the second half was not a prompt of its own.
        #expect(try server.orch(["send", "amp", "a later prompt"], environment: env).status == 0)
        #expect(try server.waitForReceived(2).map(\.text) == ["first line\nsecond half\nthird", "a later prompt"])
    }

    /// Questions in shapes no profile lists (a real terminal agent's `→ [1] Approve once`, a
    /// line-based `(y/n)`, `Allow …?`): `send` types nothing, presses no Enter, and fails.
    @Test func aQuestionInAnyShapeIsNeverAnsweredBySend() throws {
        let server = try TestServer(agents: [])
        defer { server.stop() }
        let questions = [
            "requesting approval to run: rm -rf build\\n→ [1] Approve once\\n  [2] Deny\\n",
            "Delete 3 files in build/? (y/n) ",
            "The agent wants to edit ~/.bashrc\\nAllow write access to ~/.bashrc?\\n",
        ]
        for (index, question) in questions.enumerated() {
            let answered = server.directory + "/answered-\(index + 1)"
            try server.tmux.newWindow(
                session: server.session, name: "asker\(index + 1)", index: index + 1,
                command: ["sh", "-c", "printf '\(question)'; read answer; echo \"$answer\" > \(answered); exec sleep 100000"])
        }
        for index in questions.indices {
            let window = "\(index + 1)"
            try waitFor("question \(window) drawn") { server.screen(window).contains("?") || server.screen(window).contains("Approve") }
            let sent = try server.orch(["send", "asker\(window)", "hello there"])
            #expect(sent.status == 1 && sent.err.contains("waiting for an answer"), "\(window): \(sent.status) \(sent.err)")
            let forced = try server.orch(["send", "--force", "asker\(window)", "typed anyway"])
            #expect(forced.status == 1 && forced.err.contains("question"), "\(window) --force: \(forced.status) \(forced.err)")
            #expect(!FileManager.default.fileExists(atPath: server.directory + "/answered-\(window)"), "an Enter answered question \(window)")
        }
    }

    /// A question drawn after the text was typed (the program asks on its first key): the send
    /// stops before its Enter, reports the question, and nothing answers it.
    @Test func aQuestionThatAppearsAfterTypingStopsTheEnter() throws {
        let server = try TestServer(agents: [])
        defer { server.stop() }
        let answered = server.directory + "/answered"
        let program = """
            import os, sys, time, tty
            tty.setraw(0)
            os.write(1, b"> ")
            os.read(0, 1)
            os.write(1, b"\\r\\nAllow write access to notes.txt? (y/n) ")
            typed = b""
            while not typed.endswith((b"\\r", b"\\n")):
                typed += os.read(0, 1)
            open(sys.argv[1], "wb").write(typed)
            time.sleep(100000)
            """
        let path = server.directory + "/asks-late.py"
        try program.write(toFile: path, atomically: true, encoding: .utf8)
        try server.tmux.newWindow(session: server.session, name: "late", index: 1, command: ["python3", path, answered])
        try waitFor("the program's prompt") { server.screen("1").contains(">") }
        let sent = try server.orch(["send", "late", "hello there"])
        #expect(sent.status == 1 && sent.err.contains("Allow write access to notes.txt?"), "\(sent.status) \(sent.err)")
        #expect(!FileManager.default.fileExists(atPath: answered), "orch's Enter answered the question")
    }

    /// A pane in copy mode takes keys as tmux commands: nothing is typed, and the send says why.
    @Test func aPaneInCopyModeIsRefused() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "0ms"])])
        defer { server.stop() }
        try waitFor("amp's box") { server.screen("1").contains("╰") }
        try server.tmux.run(["copy-mode", "-t", "=\(server.session):1"])
        let sent = try server.orch(["send", "amp", "hello there"])
        #expect(sent.status == 1 && sent.err.contains("copy mode"), "\(sent.status) \(sent.err)")
        try server.tmux.run(["send-keys", "-t", "=\(server.session):1", "-X", "cancel"])
        #expect(server.received().isEmpty)
        #expect(try server.orch(["send", "amp", "after copy mode"]).status == 0)
        #expect(try server.waitForReceived(1).map(\.text) == ["after copy mode"])
    }

    /// A real `kill -9` while orch loads a 1 MB prompt into its paste buffer: tmux keeps the
    /// buffer (the prompt, for prefix-`]` to paste anywhere), and the next `orch send`, even a
    /// one-line one, deletes it.
    @Test func aBufferLeftByAnOrchKilledMidPasteIsDeletedByTheNextSend() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "0ms"])])
        defer { server.stop() }
        let state = server.directory + "/state"
        let path = server.directory + "/huge.txt"
        let line = String(repeating: "0123456789", count: 10)
        try (1...10_000).map { "\($0) \(line)" }.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        var left: [String] = []
        for _ in 1...10 where left.isEmpty {
            let orch = try server.startOrch(["send", "amp", "--file", path], stateHome: state)
            // Its `tmux load-buffer` child has read part of the text: the buffer is being loaded,
            // not yet pasted (killed before it read anything, it would load nothing).
            var loader: Int32?
            let deadline = ContinuousClock.now + .seconds(20)
            while orch.isRunning, ContinuousClock.now < deadline {
                if loader == nil { loader = Self.child(of: orch.processIdentifier, running: "load-buffer") }
                if let child = loader, Self.bytesRead(by: child) > 64 * 1024 { break }
                usleep(500)
            }
            kill(orch.processIdentifier, SIGKILL)
            orch.waitUntilExit()
            guard let loader else { continue }
            try waitFor("the load-buffer client to end") { kill(loader, 0) != 0 }
            left = try server.tmux.bufferNames().filter { $0.hasPrefix("orch-\(orch.processIdentifier)-") }
            _ = try? server.orch(["key", "amp", "C-u"])  // whatever of it reached the box
        }
        try #require(!left.isEmpty, "no kill landed between load-buffer and paste-buffer in 10 tries")
        _ = try server.orch(["send", "amp", "one line after the kill"], environment: ["XDG_STATE_HOME": state])
        #expect(try server.tmux.bufferNames().filter { $0.hasPrefix("orch-") }.isEmpty)
    }

    /// What process `pid` has read so far (`rchar` in /proc/PID/io), 0 once it is gone.
    static func bytesRead(by pid: Int32) -> Int {
        let io = (try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8)) ?? ""
        let line = io.split(separator: "\n").first { $0.hasPrefix("rchar:") }
        return line.flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) } ?? 0
    }

    /// The pid of a child of `parent` whose command line holds `word`, or nil.
    static func child(of parent: Int32, running word: String) -> Int32? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for entry in entries {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[1]) == parent,
                let cmdline = try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8), cmdline.contains(word)
            else { continue }
            return pid
        }
        return nil
    }

    @Test func aPasteBufferLeftByAKilledOrchIsDeleted() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "0ms"])])
        defer { server.stop() }
        // A pid that is not running: what a `kill -9`ed orch leaves.
        try server.tmux.run(["set-buffer", "-b", "orch-999999-1", "secret prompt text"])
        #expect(try server.orch(["send", "amp", "two\nlines"]).status == 0)
        _ = try server.waitForReceived(1)
        let buffers = try server.tmux.run(["list-buffers", "-F", "#{buffer_name}"])
        #expect(!buffers.contains("orch-"), "\(buffers)")
    }
}

@Suite(.serialized) struct ScriptTurnTests {
    /// The second send waits for the first turn (starting the watcher); the wait after it must
    /// wait for the second turn, not return on the first one's end.
    @Test func aWaitAfterASendThatWaitedIsForTheNewTurn() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let started = ContinuousClock.now
        let run = try server.orch(["-c", #"send amp "first [work=2s]"; send amp "second [work=2s]"; wait done amp timeout 20s"#], environment: ["XDG_STATE_HOME": server.directory + "/state"])
        #expect(run.status == 0, "\(run.err)")
        #expect(ContinuousClock.now - started >= .seconds(4))
        #expect(server.received().map(\.text) == ["first [work=2s]", "second [work=2s]"])
    }
}
