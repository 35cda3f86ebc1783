import Foundation
import Synchronization
import Testing

/// orch against the real CLIs (Codex 0.147 in window 5, Aider 0.86 in window 6), driven live
/// through the fake LLM server, whose log is the truth: what each request's user text was and
/// when each stream ended. Each test also appends its measurements to the conformance report
/// (`.build/real-agents/conformance.jsonl`), which `scripts/conformance-table.py` turns into
/// the README's table.
@Suite(.serialized, .enabled(if: RealAgentRig.shouldRun, "real agent CLIs not installed: run scripts/install-real-agents.sh"))
struct RealAgentConformanceTests {
    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// One measurement for the README's table.
    static func report(_ cli: String, _ metric: String, _ value: Double) {
        let folder = RealAgentRig.repoRoot.appendingPathComponent(".build/real-agents").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let line = "{\"cli\":\"\(cli)\",\"metric\":\"\(metric)\",\"value\":\(value)}\n"
        if let handle = FileHandle(forWritingAtPath: folder + "/conformance.jsonl") ?? {
            _ = FileManager.default.createFile(atPath: folder + "/conformance.jsonl", contents: nil)
            return FileHandle(forWritingAtPath: folder + "/conformance.jsonl")
        }() {
            handle.seekToEndOfFile()
            handle.write(Data(line.utf8))
            try? handle.close()
        }
    }

    /// The journal's `send` outcomes (phase, enters) for `agent`, oldest first.
    static func sends(_ rig: RealAgentRig, _ agent: String) throws -> [(phase: String, enters: Int)] {
        let log = try rig.orch(["log", "500", "--format", "json"])
        return log.out.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["event"] as? String == "send", object["agent"] as? String == agent,
                let phase = object["phase"] as? String, phase != "typing"
            else { return nil }
            return (phase, object["enters"] as? Int ?? 0)
        }
    }

    /// `orch send` then, in a separate process, `orch wait done`: it returns after the stream
    /// ended and within quiet + 0.5 s of it (plus orch's own start, measured here too).
    func sendThenSeparateWait(_ rig: RealAgentRig, agent: String, window: String, turns: Int, quiet: Double) throws {
        var latencies: [Double] = []
        for turn in 1...turns {
            let prompt = "conformance turn \(turn) for \(agent) [stream=1500ms][lines=6]"
            let sent = try rig.orch(["send", agent, prompt])
            #expect(sent.status == 0, "\(sent.err)")
            let waited = try rig.orch(["wait", "done", agent, "timeout", "60s"])
            let returned = Self.nowMs()
            #expect(waited.status == 0, "\(waited.err)")
            let request = try #require(rig.requests().last { $0.userText == prompt }, "the fake server never got turn \(turn)")
            let late = Double(returned - request.endWallMs) / 1000
            #expect(late >= 0, "wait returned \(-late) s before the stream ended (turn \(turn))")
            #expect(late <= quiet + 0.5 + 0.3, "wait returned \(late) s after the stream ended (turn \(turn))")
            latencies.append(late)
            if turn == 1 { try rig.saveScreen(window, as: "\(agent)-done-conformance") }
        }
        let sorted = latencies.sorted()
        Self.report(agent, "wait_p50_ms", sorted[sorted.count / 2] * 1000)
        Self.report(agent, "wait_max_ms", (sorted.last ?? 0) * 1000)
        Self.report(agent, "early", Double(latencies.filter { $0 < 0 }.count))
        // Never done before the stream ended: working while the text streamed; done after it.
        Self.reportState(agent, "working_while_streaming", latencies.allSatisfy { $0 >= 0 })
        Self.reportState(agent, "done_after_text", latencies.count == turns)
        let enters = try Self.sends(rig, agent)
        #expect(enters.allSatisfy { $0.phase == "submitted" && $0.enters == 1 }, "\(enters)")
        Self.report(agent, "enters_per_prompt", Double(enters.map(\.enters).reduce(0, +)) / Double(max(1, enters.count)))
    }

    // MARK: Codex

    @Test func codexSendThenSeparateWaitDoneEndsWithTheStream() throws {
        let rig = try RealAgentRig()
        defer { rig.stop() }
        try sendThenSeparateWait(rig, agent: "codex", window: "5", turns: 4, quiet: 1.0)
    }

    @Test func codexWaitAfterTheTurnEndedReturnsAtOnce() throws {
        let rig = try RealAgentRig()
        defer { rig.stop() }
        let prompt = "short turn for a late wait"
        #expect(try rig.orch(["send", "codex", prompt]).status == 0)
        let request = try #require(try rig.waitForRequests(1).first)
        #expect(request.userText == prompt)
        // Nobody watches while the turn ends: the wait comes later and still knows.
        try waitFor("the turn is over", timeout: .seconds(20)) { Self.nowMs() > request.endWallMs + 3000 }
        let started = Self.nowMs()
        let waited = try rig.orch(["wait", "done", "codex", "timeout", "10s"])
        #expect(waited.status == 0, "\(waited.err)")
        #expect(Self.nowMs() - started < 1500)
        #expect(waited.out.contains("since "), "\(waited.out)")
        let status = try rig.orch(["status", "codex"])
        #expect(status.out.contains("done"), "\(status.out)")
    }

    /// Tricky prompts reach the model byte-exact, once each, each with one Enter.
    func trickyPrompts(_ rig: RealAgentRig, agent: String) throws {
        let prompts = [
            "a; b", "-x leading dash", "quotes 'single' and \"double\" and `back`", "unicode héllo ✓ 日本語 🚀",
            "line one\nline two\nline three", "ten kilobytes " + String(repeating: "0123456789", count: 1000),
            // Codex opens its file-search popup at `@`: an Enter there would pick README.md.
            "look at @READ",
            // Numbered like an approval menu's row: text typed into the box all the same.
            "[1] fix the footnote",
        ] + (agent == "aider" ? ["1. fix the footnote\n2. run the tests"] : [])
        // (A numbered list in Codex's box still reads as a menu: send stops before its Enter.)
        for prompt in prompts {
            let sent = try rig.orch(["send", agent, prompt])
            #expect(sent.status == 0, "\(prompt.prefix(30)): \(sent.err)")
            // Text left in the box fails every later send: stop at the first failure, with its screen.
            guard sent.status == 0 else { Issue.record("screen:\n\(rig.capture(agent))"); return }
            #expect(try rig.orch(["wait", "done", agent, "timeout", "60s"]).status == 0)
        }
        let texts = rig.requests().filter { $0.api != "models" && $0.kind != "models" }.map(\.userText)
        #expect(texts == prompts, "\(texts.map { $0.prefix(40) })")
        let enters = try Self.sends(rig, agent)
        #expect(enters.count == prompts.count && enters.allSatisfy { $0.phase == "submitted" && $0.enters == 1 }, "\(enters)")
        Self.report(agent, "prompts_exact", Double(zip(texts, prompts).filter { $0 == $1 }.count) / Double(prompts.count))
    }

    /// 50 prompts in a row (a few hostile ones among them), each `send` then `wait done`: every
    /// one reaches the model once, byte-exact, with exactly one Enter. About a minute per CLI:
    /// in CI (`CI=true`), and by hand with `ORCH_SOAK=1 swift test --filter FiftyPrompts`.
    func fiftyPrompts(_ rig: RealAgentRig, agent: String) throws {
        let shapes = ["plain prompt", "a; b", "-x dash", "'q' \"d\" `b`", "unicode ✓ 日本語", "two\nlines", "look at @READ"]
        let prompts = (1...50).map { "soak \($0): \(shapes[$0 % shapes.count])" }
        for prompt in prompts {
            let sent = try rig.orch(["send", agent, prompt])
            #expect(sent.status == 0, "\(prompt): \(sent.err)")
            guard sent.status == 0 else { Issue.record("screen:\n\(rig.capture(agent))"); return }
            #expect(try rig.orch(["wait", "done", agent, "timeout", "60s"]).status == 0, "\(prompt)")
        }
        let texts = rig.requests().filter { $0.api != "models" && $0.kind != "models" }.map(\.userText)
        #expect(texts == prompts, "\(texts.count) requests: \(texts.map { $0.prefix(24) })")
        let enters = try Self.sends(rig, agent)
        let oneEnter = enters.filter { $0.phase == "submitted" && $0.enters == 1 }.count
        #expect(enters.count == prompts.count && oneEnter == prompts.count, "\(enters)")
        print("soak \(agent): \(prompts.count) prompts, \(zip(texts, prompts).filter { $0 == $1 }.count) exact, \(oneEnter) with one Enter")
    }

    static let soak = ProcessInfo.processInfo.environment["ORCH_SOAK"] == "1" || ProcessInfo.processInfo.environment["CI"] == "true"

    // A minute of blocking work each: on a thread of its own, not one of the two threads of
    // Swift's concurrency pool, where it starved other tests' in-process watchers past their
    // 30 s deadlines in CI.
    @Test(.enabled(if: soak)) func codexFiftyPromptsOneEnterEach() async throws {
        try await offThePool {
            let rig = try RealAgentRig()
            defer { rig.stop() }
            try self.fiftyPrompts(rig, agent: "codex")
        }
    }

    @Test(.enabled(if: soak)) func aiderFiftyPromptsOneEnterEach() async throws {
        try await offThePool {
            let rig = try RealAgentRig(.init(codex: false, aider: true))
            defer { rig.stop() }
            try self.fiftyPrompts(rig, agent: "aider")
        }
    }

    /// Six `orch send`s at once to one real CLI (an orchestrator and a dispatcher do this): each
    /// reaches the model once, whole and alone, with one Enter; every sender exits 0.
    func concurrentSenders(_ rig: RealAgentRig, agent: String) throws {
        let prompts = (1...6).map { "concurrent \($0): a; b -x 'q' ✓" }
        let results = Mutex<[(status: Int32, err: String)]>([])
        DispatchQueue.concurrentPerform(iterations: prompts.count) { index in
            let sent = try? rig.orch(["send", agent, prompts[index]])
            results.withLock { $0.append((sent?.status ?? -1, sent?.err ?? "")) }
        }
        let sent = results.withLock { $0 }
        #expect(sent.map(\.status) == Array(repeating: 0, count: prompts.count), "\(agent): \(sent.map(\.err))")
        #expect(try rig.orch(["wait", "done", agent, "timeout", "60s"]).status == 0)
        let texts = rig.requests().filter { $0.api != "models" && $0.kind != "models" }.map(\.userText)
        #expect(texts.count == prompts.count && Set(texts) == Set(prompts), "\(texts)")
        let enters = try Self.sends(rig, agent)
        #expect(enters.count == prompts.count && enters.allSatisfy { $0.phase == "submitted" && $0.enters == 1 }, "\(enters)")
    }

    @Test func codexConcurrentSendersEachSubmitOnePromptWhole() async throws {
        try await offThePool {
            let rig = try RealAgentRig()
            defer { rig.stop() }
            try self.concurrentSenders(rig, agent: "codex")
        }
    }

    @Test func aiderConcurrentSendersEachSubmitOnePromptWhole() async throws {
        try await offThePool {
            let rig = try RealAgentRig(.init(codex: false, aider: true))
            defer { rig.stop() }
            try self.concurrentSenders(rig, agent: "aider")
        }
    }

    @Test func codexTrickyPromptsArriveExactlyOnceWithOneEnter() throws {
        let rig = try RealAgentRig()
        defer { rig.stop() }
        try trickyPrompts(rig, agent: "codex")
    }

    @Test func aiderTrickyPromptsArriveExactlyOnceWithOneEnter() throws {
        let rig = try RealAgentRig(.init(codex: false, aider: true))
        defer { rig.stop() }
        try trickyPrompts(rig, agent: "aider")
    }

    /// The REPL (window 9) watches the real CLI: a turn another orch process starts ends with a
    /// notice above the prompt, the half-typed line intact; stream end → notice is measured.
    func noticeInTheREPL(_ rig: RealAgentRig, agent: String, window: String) throws {
        let target = rig.target("9")
        try rig.tmux([
            "new-window", "-d", "-t", target, "-n", "orch-proxy",
            "-e", "XDG_STATE_HOME=\(rig.stateHome)", "-e", "XDG_CONFIG_HOME=\(rig.stateHome)/config", "-e", "NO_COLOR=1", "-e", "EDITRC=/dev/null",
            TestServer.orchPath, "-L", rig.socketName, "-s", rig.session,
        ])
        do {
            try rig.waitForScreen("9", containing: "orch:\(rig.session)>")
        } catch {
            Issue.record("the REPL did not start: \(rig.capture("9"))")
            throw error
        }
        try rig.type("9", "peek \(agent)")
        try rig.press("9", "Left", "Left")
        var latencies: [Double] = []
        for turn in 1...3 {
            let prompt = "noticed turn \(turn) [stream=1s][lines=3]"
            #expect(try rig.orch(["send", agent, prompt]).status == 0)
            let marker = " \(agent) done after "
            let before = rig.capture("9").components(separatedBy: marker).count
            try waitFor("notice \(turn)", timeout: .seconds(60)) { rig.capture("9").components(separatedBy: marker).count > before }
            let seen = Self.nowMs()
            let request = try #require(rig.requests().last { $0.userText == prompt })
            latencies.append(Double(seen - request.endWallMs))
        }
        let screen = rig.capture("9")
        let lines = screen.split(separator: "\n").map(String.init)
        let notice = try #require(lines.lastIndex { $0.contains(" \(agent) done after ") })
        let prompt = try #require(lines.lastIndex { $0.contains("> peek \(agent)") }, "the half-typed line is gone:\n\(screen)")
        #expect(notice < prompt)
        try rig.type("9", "X")
        let typedAt = "> peek \(agent.dropLast(2))X\(agent.suffix(2))"
        try rig.waitForScreen("9", containing: typedAt)
        #expect(latencies.allSatisfy { $0 >= 0 }, "a notice before the stream ended: \(latencies)")
        let sorted = latencies.sorted()
        Self.report(agent, "notice_p50_ms", sorted[sorted.count / 2])
        Self.report(agent, "notice_max_ms", sorted.last ?? 0)
        try rig.saveScreen("9", as: "repl-notice-\(agent)")
    }

    @Test func codexTurnEndsWithANoticeInTheREPL() throws {
        let rig = try RealAgentRig()
        defer { rig.stop() }
        try noticeInTheREPL(rig, agent: "codex", window: "5")
    }

    @Test func aiderTurnEndsWithANoticeInTheREPL() throws {
        let rig = try RealAgentRig(.init(codex: false, aider: true))
        defer { rig.stop() }
        try noticeInTheREPL(rig, agent: "aider", window: "6")
    }

    @Test func codexApprovalIsInputAndSendNeverAnswersIt() throws {
        let rig = try RealAgentRig()
        defer { rig.stop() }
        #expect(try rig.orch(["send", "codex", "make a file [call=touch approved.txt]"]).status == 0)
        let waited = try rig.orch(["wait", "input", "codex", "timeout", "30s"])
        #expect(waited.status == 0, "\(waited.err)")
        try rig.saveScreen("5", as: "codex-input-conformance")
        let refused = try rig.orch(["send", "codex", "1"])
        #expect(refused.status == 1)
        #expect(refused.err.contains("waiting for an answer"), "\(refused.err)")
        #expect(!FileManager.default.fileExists(atPath: rig.workdir + "/approved.txt"))
        #expect(try rig.orch(["status", "codex"]).out.contains("input"))
    }

    /// With `orch hooks install codex`, Codex's own notify says when the turn ended and what it
    /// answered: a separate `wait done` returns within 200 ms of the stream's end, reply exact.
    @Test func codexHooksGiveExactDoneAndReply() throws {
        var options = RealAgentRig.Options()
        options.codex = false
        options.codexNotify = false
        let rig = try RealAgentRig(options)
        defer { rig.stop() }
        let install = try rig.orch(["hooks", "install", "codex"], environment: ["CODEX_HOME": rig.codexHome])
        #expect(install.status == 0, "\(install.err)")
        let config = try String(contentsOfFile: rig.codexHome + "/config.toml", encoding: .utf8)
        #expect(config.hasPrefix("notify = [\"\(TestServer.orchPath)\", \"hook\", \"codex\"]"), "\(config.prefix(200))")
        try rig.startCodex()
        try rig.waitForCodexIdle()
        var latencies: [Double] = []
        for turn in 1...10 {
            let prompt = "hooked turn \(turn) [stream=800ms][lines=3]"
            #expect(try rig.orch(["send", "codex", prompt]).status == 0)
            let waited = try rig.orch(["wait", "done", "codex", "timeout", "30s", "--format", "json"])
            let returned = Self.nowMs()
            #expect(waited.status == 0, "\(waited.err)")
            let request = try #require(rig.requests().last { $0.userText == prompt })
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(waited.out.utf8)) as? [[String: Any]])
            #expect(rows.first?["reply"] as? String == request.replyText)
            #expect(rows.first?["source"] as? String == "hook")
            latencies.append(Double(returned - request.endWallMs) / 1000)
            let reply = try rig.orch(["reply", "codex"])
            #expect(reply.out == request.replyText + "\n")
        }
        #expect(latencies.allSatisfy { $0 >= 0 && $0 <= 0.2 + 0.3 }, "\(latencies)")
        let sorted = latencies.sorted()
        Self.report("codex+hooks", "wait_p50_ms", sorted[sorted.count / 2] * 1000)
        Self.report("codex+hooks", "wait_max_ms", (sorted.last ?? 0) * 1000)
        // Uninstalled, the file is as it was.
        #expect(try rig.orch(["hooks", "uninstall", "codex"], environment: ["CODEX_HOME": rig.codexHome]).status == 0)
        #expect(!(try String(contentsOfFile: rig.codexHome + "/config.toml", encoding: .utf8)).contains("notify"))
    }

    /// The states the tests above do not reach, live: working before any text (the model server
    /// holds its first byte), typed but not submitted, interrupted mid-stream, exited.
    func everyOtherState(_ rig: RealAgentRig, agent: String, window: String, interrupt: [String], quit: [String]) throws {
        // Idle: started, nothing sent.
        let idle = try rig.orch(["status", agent])
        #expect(idle.out.contains("idle"), "\(idle.out)")
        Self.reportState(agent, "idle", idle.out.contains("idle"))
        // Working before any text: nothing on screen but the echo for 4 s.
        #expect(try rig.orch(["send", agent, "slow start [delay=4s][lines=2]"]).status == 0)
        let early = try rig.orch(["status", agent, "--format", "json"])
        let earlyState = (try JSONSerialization.jsonObject(with: Data(early.out.utf8)) as? [[String: Any]])?.first?["state"] as? String
        #expect(earlyState == "working", "before the first byte: \(early.out)")
        Self.reportState(agent, "working_before_text", earlyState == "working")
        try rig.saveScreen(window, as: "\(agent)-working-before-text")
        #expect(try rig.orch(["wait", "done", agent, "timeout", "60s"]).status == 0)
        // Typed, not submitted: the text sits in the box.
        #expect(try rig.orch(["send", "--no-submit", agent, "typed but not sent"]).status == 0)
        try rig.waitForScreen(window, containing: "typed but not sent")
        // Input once the pane is still (a one-shot status right after the typing still sees it print).
        let typed = try rig.orch(["wait", "input", agent, "timeout", "15s"])
        let typedStatus = try rig.orch(["status", agent]).out
        #expect(typed.status == 0, "typed, not submitted: \(typed.err) \(typedStatus)")
        Self.reportState(agent, "typed", typed.status == 0)
        try rig.saveScreen(window, as: "\(agent)-typed-conformance")
        #expect(rig.requests().allSatisfy { $0.userText != "typed but not sent" })
        try rig.press(window, "C-u")
        // Interrupted mid-stream: the turn ends (free) long before the stream would have.
        let started = Self.nowMs()
        #expect(try rig.orch(["send", agent, "a long answer [stream=12s][lines=60]"]).status == 0)
        #expect(try rig.orch(["wait", "working", agent, "timeout", "30s"]).status == 0)
        try rig.waitForScreen(window, containing: "reply 1 to: a long answer")
        for key in interrupt { try rig.press(window, key) }
        let freed = try rig.orch(["wait", "free", agent, "timeout", "30s"])
        #expect(freed.status == 0, "\(freed.err)")
        let interruptedFree = freed.status == 0 && Self.nowMs() - started < 12_000
        #expect(interruptedFree, "free only after the whole stream")
        Self.reportState(agent, "interrupted", interruptedFree)
        try rig.saveScreen(window, as: "\(agent)-interrupted-conformance")
        // Exited: orch says so, and a wait on it fails at once with what to do.
        for key in quit { try rig.press(window, key); Thread.sleep(forTimeInterval: 0.3) }
        try waitFor("\(agent)'s pane is dead", timeout: .seconds(20)) { rig.display(window, "#{pane_dead}") == "1" }
        let status = try rig.orch(["status", agent])
        #expect(status.out.contains("program exited"), "\(status.out)")
        let waited = try rig.orch(["wait", "done", agent, "timeout", "30s"])
        #expect(waited.status == 1 && waited.err.contains("has exited"), "\(waited.err)")
        let sent = try rig.orch(["send", agent, "anyone there?"])
        #expect(sent.status == 1 && sent.err.contains("has exited"), "\(sent.err)")
        Self.reportState(agent, "exited", status.out.contains("program exited") && waited.status == 1)
    }

    /// A tool turn: input (the CLI asks), answered through `orch key`, then done after the tool ran.
    func toolTurn(_ rig: RealAgentRig, agent: String, prompt: String, file: String, answer: [String]) throws {
        #expect(try rig.orch(["send", agent, prompt]).status == 0)
        let asked = try rig.orch(["wait", "input", agent, "timeout", "60s"])
        #expect(asked.status == 0, "\(asked.err)")
        Self.reportState(agent, "input", asked.status == 0)
        #expect(!FileManager.default.fileExists(atPath: rig.workdir + "/" + file))
        #expect(try rig.orch(["key", agent] + answer).status == 0)
        let done = try rig.orch(["wait", "done", agent, "timeout", "60s"])
        #expect(done.status == 0, "\(done.err)")
        // Done means back at its prompt: not while it still works after the answer.
        let window = agent == "codex" ? "5" : "6"
        let screen = rig.capture(window)
        let back = agent == "codex" ? RealAgentRig.codexIsIdle(screen) : RealAgentRig.aiderIsIdle(screen)
        #expect(back, "done before \(agent) was back at its prompt:\n\(screen.split(separator: "\n").suffix(6).joined(separator: "\n"))")
        try waitFor("\(file) made by the tool") { FileManager.default.fileExists(atPath: rig.workdir + "/" + file) }
        Self.reportState(agent, "done_after_tool", done.status == 0 && back)
        try rig.saveScreen(agent == "codex" ? "5" : "6", as: "\(agent)-done-after-tool-conformance")
    }

    /// One state check for the README's table (1: read right).
    static func reportState(_ cli: String, _ state: String, _ right: Bool) { report(cli, "state_" + state, right ? 1 : 0) }

    @Test func codexToolTurnIsInputThenDone() throws {
        let rig = try RealAgentRig()
        defer { rig.stop() }
        try toolTurn(rig, agent: "codex", prompt: "make a file [call=touch tool-made.txt]", file: "tool-made.txt", answer: ["y"])
    }

    @Test func aiderToolTurnIsInputThenDone() throws {
        let rig = try RealAgentRig(.init(codex: false, aider: true))
        defer { rig.stop() }
        try toolTurn(rig, agent: "aider", prompt: "add a file [edit=tool-made.txt]", file: "tool-made.txt", answer: ["y", "Enter"])
    }

    @Test func codexWorkingBeforeTextTypedInterruptedExited() throws {
        let rig = try RealAgentRig()
        defer { rig.stop() }
        // Codex 0.147: Ctrl-C interrupts the turn (Escape did not while the reply streamed).
        try everyOtherState(rig, agent: "codex", window: "5", interrupt: ["C-c"], quit: ["C-c", "C-c"])
    }

    // MARK: Aider

    @Test func aiderWorkingBeforeTextTypedInterruptedExited() throws {
        let rig = try RealAgentRig(.init(codex: false, aider: true))
        defer { rig.stop() }
        try everyOtherState(rig, agent: "aider", window: "6", interrupt: ["C-c"], quit: ["C-d"])
    }

    @Test func aiderSendThenSeparateWaitDoneWithOneEnterEach() throws {
        let rig = try RealAgentRig(.init(codex: false, aider: true))
        defer { rig.stop() }
        try sendThenSeparateWait(rig, agent: "aider", window: "6", turns: 4, quiet: 2.0)
    }

    /// Aider asks `Create new file? (Y)es/(N)o [Yes]:`; a stray Enter would answer Yes. orch
    /// reads it as input, refuses to type over it, and the file is never created by orch.
    @Test func aiderCreateFileQuestionIsNeverAnswered() throws {
        let rig = try RealAgentRig(.init(codex: false, aider: true))
        defer { rig.stop() }
        #expect(try rig.orch(["send", "aider", "add a file [edit=fresh.txt]"]).status == 0)
        let waited = try rig.orch(["wait", "input", "aider", "timeout", "60s"])
        #expect(waited.status == 0, "\(waited.err)")
        #expect(rig.capture("6").contains("Create new file?"))
        let refused = try rig.orch(["send", "aider", "another prompt"])
        #expect(refused.status == 1)
        #expect(!FileManager.default.fileExists(atPath: rig.workdir + "/fresh.txt"))
        let enters = try Self.sends(rig, "aider")
        #expect(enters.map(\.enters) == [1], "\(enters)")
    }
}
