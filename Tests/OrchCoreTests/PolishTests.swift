import Foundation
import OrchCore
import Testing

/// What a hostile newcomer found (robustness issue): each error says what is wrong once, global
/// options work after the command, and help says what the commands do.
@Suite(.serialized) struct PolishTests {
    @Test func sessionNamesTmuxCannotHaveAreExplained() throws {
        let server = try TestServer(session: "my_sess", agents: [("amp", "amp", [])])
        defer { server.stop() }
        let dotted = try server.orch(["-s", "my.sess", "status"])
        #expect(dotted.status == 1)
        #expect(dotted.err.contains("no tmux session named 'my.sess'") && dotted.err.contains("did you mean 'my_sess'?"), "\(dotted.err)")
        let colon = try server.orch(["-s", "a:b", "status"])
        #expect(colon.err.contains("no tmux session named 'a:b'") && colon.err.contains("(sessions: my_sess)"), "\(colon.err)")
    }

    @Test func badOptionsAreOneClearErrorWithoutTheUsageBlock() throws {
        let bogus = try TestServer.run(TestServer.orchPath, ["--bogus"])
        #expect(bogus.status == 2)
        #expect(bogus.err == "orch: error: unknown option '--bogus'\nSee orch --help.\n", "\(bogus.err)")
        let format = try TestServer.run(TestServer.orchPath, ["--format", "xml", "status"])
        #expect(format.status == 2)
        #expect(format.err == "orch: error: --format must be text or json, not 'xml'\nSee orch --help.\n", "\(format.err)")
    }

    @Test func globalOptionsAfterACommandThatTakesNoText() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        // No -L before the command: it comes after, with the others.
        let status = try TestServer.run(TestServer.orchPath, ["status", "--no-color", "-L", server.socketName, "-s", server.session, "--format", "json"])
        #expect(status.status == 0, "\(status.err)")
        #expect(status.out.hasPrefix("[{\"agent\":\"amp\""), "\(status.out)")
        let missing = try TestServer.run(TestServer.orchPath, ["status", "-L"])
        #expect(missing.status == 2 && missing.err.contains("-L needs a value"), "\(missing.err)")
        let flagValue = try TestServer.run(TestServer.orchPath, ["status", "--no-color=yes"])
        #expect(flagValue.status == 2 && flagValue.err.contains("--no-color takes no value"), "\(flagValue.err)")
        let both = try TestServer.run(TestServer.orchPath, ["-L", "a", "mcp", "-S", "/tmp/b"])
        #expect(both.status == 2 && both.err.contains("not both"), "\(both.err)")
        // After send the words are text, options or not.
        #expect(try server.orch(["send", "--no-submit", "amp", "--no-color"]).status == 0)
        try waitFor("the text '--no-color' typed into amp's box") { server.screen("1").contains("│ > --no-color") || server.screen("1").contains("--no-color") }
    }

    @Test func waitFreeAnyNamesOneAgent() throws {
        let server = try TestServer(agents: [("amp", "amp", []), ("claude", "claude", [])])
        defer { server.stop() }
        let result = try server.orch(["wait", "free", "any", "--format", "json"])
        #expect(result.status == 0, "\(result.err)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [[String: Any]])
        #expect(rows.count == 1, "\(result.out)")
    }

    @Test func queueChangesAreJournalled() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let state = ["XDG_STATE_HOME": server.directory + "/state"]
        #expect(try server.orch(["-c", "queue amp 'one'; queue amp 'two'; queue rm 1; queue clear; queue retry 1"], environment: state).status == 0)
        let log = try server.orch(["log", "10", "--format", "json"], environment: state)
        let events = log.out.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["event"] as? String
        }
        #expect(events == ["queue", "queue", "queue-rm", "queue-clear", "queue-retry"], "\(log.out)")
        let text = try server.orch(["log", "3"], environment: state)
        #expect(text.out.contains("queue rm #1") && text.out.contains("queue clear · 1 removed") && text.out.contains("queue retry #1"), "\(text.out)")
    }

    @Test func peekReadsTheScrollbackWhenAskedForMoreThanTheScreen() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        try server.tmux.run(["new-window", "-d", "-t", "\(server.tmux.exactSession(server.session)):7", "-n", "lister", "sh", "-c", "seq 1 200; exec sleep 1000"])
        try waitFor("the list is drawn") { server.screen("7").contains("200") }
        for arguments in [["peek", "lister", "100"], ["-c", "peek lister 100"]] {
            let result = try server.orch(arguments)
            let lines = result.out.split(separator: "\n")
            #expect(lines.count == 100 && lines.first == "101" && lines.last == "200", "\(arguments): \(lines.prefix(3))…\(lines.suffix(2))")
        }
    }

    @Test func theControlClientLockGoesWithItsServer() async throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let watcher = Watcher(endpoint: server.tmux.endpoint, session: server.session)
        try await watcher.start()
        let lock = server.tmux.endpoint.resolvedSocketPath + ".orch-lock"
        #expect(FileManager.default.fileExists(atPath: lock))
        // The server goes (as a user's `tmux kill-server` does it); the watcher then leaves.
        _ = try? server.tmux.run(["kill-server"])
        try await Task.sleep(for: .milliseconds(Int.random(in: 0...300)))  // before or after it notices
        await watcher.stop()
        #expect(!FileManager.default.fileExists(atPath: lock), "the lock of a stopped server was left behind")
    }

    @Test func namesThatCouldMeanTwoWindowsAreErrorsWithAWayToSayWhich() throws {
        let server = try TestServer(agents: [("dup", "amp", []), ("dup", "amp", []), ("2", "amp", []), ("all", "amp", []), ("-dash", "amp", [])])
        defer { server.stop() }
        let dup = try server.orch(["peek", "dup"])
        #expect(dup.status == 1 && dup.err.contains("2 windows are named 'dup'") && dup.err.contains("window:1 or window:2"), "\(dup.err)")
        let number = try server.orch(["peek", "2"])
        #expect(number.status == 1 && number.err.contains("'2' is both the window named '2' (window:3) and window index 2"), "\(number.err)")
        #expect(try server.orch(["peek", "window:3"]).out == (try server.orch(["peek", "#3"])).out)
        let all = try server.orch(["-c", "send --no-submit window:4 'to the window named all'"])
        #expect(all.status == 0, "\(all.err)")
        try waitFor("the text in the window named all") { server.screen("4").contains("to the window named all") }
        let dash = try server.orch(["-c", "send --no-submit -- -dash 'to -dash'"])
        #expect(dash.status == 0, "\(dash.err)")
        try waitFor("the text in the window named -dash") { server.screen("5").contains("to -dash") }
    }

    @Test func controlCharactersInWindowNamesAreShownEscapedAndAnswerSo() throws {
        let server = try TestServer(agents: [("red\u{1B}[31mX", "amp", [])])
        defer { server.stop() }
        let agents = try server.orch(["agents"])
        #expect(!agents.out.contains("\u{1B}") && agents.out.contains(#"red\e[31mX"#), "\(agents.out.debugDescription)")
        let peek = try server.orch(["peek", #"red\e[31mX"#, "1"])
        #expect(peek.status == 0 && peek.out.contains("╰"), "\(peek.err)")
    }

    @Test func aServerWithNoSessionOrNoAgentsSaysSo() throws {
        let socket = "orch-test-empty-\(getpid())"
        let tmux = TmuxClient(endpoint: TmuxEndpoint(socketName: socket))
        defer { tmux.killServer() }
        _ = try? tmux.run(["-f", "/dev/null", "start-server", ";", "set-option", "-g", "exit-empty", "off"])
        let empty = try TestServer.run(TestServer.orchPath, ["-L", socket, "status"])
        #expect(empty.status == 1 && empty.err.contains("the tmux server has no session"), "\(empty.err)")
        let server = try TestServer(agents: [("helper-proxy", "generic", [])])
        defer { server.stop() }
        let status = try server.orch(["status"])
        #expect(status.status == 0 && status.out.contains("no agents in session 'moana-orchestration'"), "\(status.out)")
    }

    /// `--format json` is a word of the language too (the REPL refused it: "unknown agent"),
    /// for that command only.
    @Test func formatJSONInTheLanguageIsForThatCommand() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let run = try server.orch(["-c", "status --format json; status; agents --format=json"])
        #expect(run.status == 0, "\(run.err)")
        let lines = run.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 3 && lines[0].hasPrefix("[{\"agent\":\"amp\"") && lines[1].hasPrefix("amp ") && lines[2].contains("\"profile\":\"amp\""), "\(run.out)")
        // A queued task's text keeps the words: only `queue list` takes --format.
        let task = try Parser.parse(source: "queue amp fix the --format json bug", file: "t")
        #expect(task.first?.format == nil && "\(task)".contains("fix the --format json bug"), "\(task)")
        #expect(try Parser.parse(source: "queue list --format json", file: "t").first?.format == .json)
        let bad = try server.orch(["-c", "status --format xml"])
        #expect(bad.status == 2 && bad.err.contains("-c:1:17: error: status: --format takes text or json"), "\(bad.err)")
    }

    @Test func aShebangScriptTakesOptionsAfterItsName() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let script = server.directory + "/look.orch"
        try "#!/usr/bin/env orch\nstatus\n".write(toFile: script, atomically: true, encoding: .utf8)
        let run = try TestServer.run(TestServer.orchPath, [script, "-L", server.socketName, "--no-color"])
        #expect(run.status == 0 && run.out.hasPrefix("amp"), "\(run.err)")
        let bad = try TestServer.run(TestServer.orchPath, [script, "stray"])
        #expect(bad.status == 2 && bad.err.contains("takes options only"), "\(bad.err)")
    }

    @Test func wideNamesLineUpByDisplayWidth() throws {
        let server = try TestServer(agents: [("🚀ship", "amp", []), ("日本", "amp", []), ("antigravity", "amp", [])])
        defer { server.stop() }
        for arguments in [["status"], ["agents"], ["wait", "free", "all"]] {
            let out = try server.orch(arguments).out
            let rows = out.split(separator: "\n").filter { $0.contains("idle") }
            let columns = rows.map { row in String(row[..<row.range(of: "idle")!.lowerBound]).displayWidthForTest }
            #expect(rows.count == 3 && Set(columns).count == 1, "\(arguments): \(columns)\n\(out)")
        }
    }

    @Test func switchingSessionSaysWhereToStandardErrorNotAnEcho() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        try server.tmux.run(["new-session", "-d", "-s", "second", "-n", "main", "sleep", "100000", ";", "new-window", "-d", "-t", "=second", "-n", "codex", "sleep", "100000"])
        let run = try server.orch(["-c", "session second; status"])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.hasPrefix("codex") && !run.out.contains("session"), "\(run.out)")
        #expect(run.err.contains("now on session 'second' (agents: codex)"), "\(run.err)")
    }

    @Test func helpSaysWhatTheCommandsDo() throws {
        func unwrapped(_ text: String) -> String { text.replacingOccurrences(of: "\n  ", with: " ") }
        let agents = try TestServer.run(TestServer.orchPath, ["-c", "help agents"])
        #expect(unwrapped(agents.out).contains("one JSON array"), "\(agents.out)")
        let queue = try TestServer.run(TestServer.orchPath, ["-c", "help queue"])
        #expect(unwrapped(queue.out).contains("queues one again (sent, done or removed"), "\(queue.out)")
        // Wrapped to the terminal ($COLUMNS when not a terminal): no detail line is wider.
        let send = try TestServer.run(TestServer.orchPath, ["-c", "help send"], environment: ["COLUMNS": "60"])
        let details = send.out.split(separator: "\n").dropFirst(2).prefix { !$0.isEmpty }
        #expect(details.count > 5 && details.allSatisfy { $0.count < 60 }, "\(send.out)")
    }
}

extension String {
    /// Terminal columns, counted independently of orch's own code: two for CJK and emoji.
    var displayWidthForTest: Int {
        reduce(0) { total, character in
            let wide = character.unicodeScalars.contains { $0.properties.isEmojiPresentation || (0x3040...0x9FFF).contains($0.value) }
            return total + (wide ? 2 : 1)
        }
    }
}
