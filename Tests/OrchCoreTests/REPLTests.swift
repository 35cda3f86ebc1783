import Foundation
import OrchCore
import Testing

/// The REPL driven as a person would: in a tmux pane, typing keys and reading the screen.
@Suite(.serialized) struct REPLTests {
    func startREPL(_ server: TestServer, state: String) throws -> String {
        try server.startREPL(state: state)
    }

    func type(_ server: TestServer, _ target: String, _ text: String) throws {
        try server.tmux.typeLiteral(text, into: target)
    }

    func press(_ server: TestServer, _ target: String, _ keys: String...) throws {
        try server.tmux.sendKeys(keys, to: target)
    }

    /// Tab inside quoted text and in a heredoc's lines is a tab (tab-indented text keeps its
    /// tabs); a name with a space completes quoted, and the line runs.
    @Test func tabIsTextInQuotesAndHeredocsAndNamesCompleteQuoted() throws {
        let server = try TestServer(agents: [("my agent", "amp", ["--work", "0ms"])])
        defer { server.stop() }
        let repl = try startREPL(server, state: server.directory + "/state")
        try type(server, repl, "send my")
        try press(server, repl, "Tab")
        try waitFor("the name completed quoted") { server.screen("9").contains("> send 'my agent' ") }
        try type(server, repl, "\"one")
        try press(server, repl, "Tab")
        try type(server, repl, "two\"")
        try press(server, repl, "Enter")
        try waitFor("the quoted prompt received") { server.received().count == 1 }
        #expect(server.received().first?.text == "one\ttwo")
        try type(server, repl, "send 'my agent' <<EOF")
        try press(server, repl, "Enter")
        try waitFor("the heredoc's continuation prompt") { server.screen("9").contains("...> ") }
        try press(server, repl, "Tab")
        try type(server, repl, "indented")
        try press(server, repl, "Enter")
        try type(server, repl, "EOF")
        try press(server, repl, "Enter")
        try waitFor("the heredoc received") { server.received().count == 2 }
        #expect(server.received().last?.text == "\tindented")
    }

    @Test func completionHistoryContinuationAndCtrlC() throws {
        let server = try TestServer(agents: [("claude", "claude", []), ("amp", "amp", [])])
        defer { server.stop() }
        let state = server.directory + "/state"
        var repl = try startREPL(server, state: state)
        #expect(server.screen("9").contains("agents: claude, amp"))

        // Tab completes a command word, then an agent name.
        try type(server, repl, "pe")
        try press(server, repl, "Tab")
        try waitFor("command completed") { server.screen("9").contains("> peek ") }
        try type(server, repl, "am")
        try press(server, repl, "Tab")
        try waitFor("agent completed") { server.screen("9").contains("> peek amp ") }
        try press(server, repl, "Enter")
        try waitFor("peek output") { server.screen("9").contains("amp profile") }

        // Ctrl-C abandons the half-typed line; the REPL stays.
        try type(server, repl, "echo abandoned")
        try press(server, repl, "C-c")
        // As a person would, type on once the line is seen abandoned: the terminal's SIGINT
        // reaches the editor asynchronously, and keys typed in the same instant may still land
        // in the abandoned line.
        // A generous deadline: the whole suite runs in parallel, real agent CLIs included, and
        // on 2 cores the signal's delivery was once seen to take longer than 10 s.
        try waitFor("the line abandoned", timeout: .seconds(60)) { server.screen("9").contains("> echo abandoned^C\n") }
        try type(server, repl, "echo kept")
        try press(server, repl, "Enter")
        try waitFor("echo output") { server.screen("9").contains("\nkept") }
        #expect(!server.screen("9").contains("abandonedecho"))
        #expect(server.screen("9").contains("> echo abandoned^C\n"))
        #expect(!server.screen("9").contains("echo abandonedorch:"), "the line drawn twice")
        // With the cursor inside the line, ^C still lands after all of it, drawn once.
        try type(server, repl, "echo moved")
        try press(server, repl, "Left", "Left", "Left")
        try press(server, repl, "C-c")
        try waitFor("the moved line abandoned") { server.screen("9").contains("> echo moved^C\n") }
        #expect(!server.screen("9").contains("echo movedorch:"), "the line drawn twice")

        // An open block asks for more lines with a continuation prompt.
        try type(server, repl, "loop 2 {")
        try press(server, repl, "Enter")
        try waitFor("continuation prompt") { server.screen("9").contains("...> ") }
        try type(server, repl, "echo in-loop")
        try press(server, repl, "Enter")
        try type(server, repl, "}")
        try press(server, repl, "Enter")
        try waitFor("loop output") { server.screen("9").components(separatedBy: "\nin-loop").count == 3 }

        // Errors keep the REPL alive.
        try type(server, repl, "peek nobody")
        try press(server, repl, "Enter")
        try waitFor("error shown") { server.screen("9").contains("error: unknown agent 'nobody'") }

        try type(server, repl, "exit")
        try press(server, repl, "Enter")
        try waitFor("REPL exited") { !((try? server.tmux.listWindows(session: server.session)) ?? []).contains { $0.index == 9 } }

        let history = state + "/orch/history"
        let attributes = try FileManager.default.attributesOfItem(atPath: history)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        // A new REPL recalls the previous run's entries.
        repl = try startREPL(server, state: state)
        try press(server, repl, "Up")
        try waitFor("last entry recalled") { server.screen("9").contains("> exit") }
        try press(server, repl, "Up")
        try waitFor("older entry recalled") { server.screen("9").contains("> peek nobody") }
        try press(server, repl, "C-u", "C-d")
        try waitFor("Ctrl-D exits") { !((try? server.tmux.listWindows(session: server.session)) ?? []).contains { $0.index == 9 } }
    }

    @Test func aREPLStartedBeforeItsTmuxServerWatchesOnceItAppears() throws {
        let host = try TestServer(agents: [])
        defer { host.stop() }
        let later = "orch-test-later-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let laterTmux = TmuxClient(endpoint: TmuxEndpoint(socketName: later))
        defer { laterTmux.killServer() }
        let state = host.directory + "/state"
        let target = "\(host.tmux.exactSession(host.session)):9"
        try host.tmux.run([
            "new-window", "-d", "-t", target, "-n", "orch-proxy",
            "-e", "XDG_STATE_HOME=\(state)", "-e", "XDG_CONFIG_HOME=\(state)/config", "-e", "NO_COLOR=1", "-e", "EDITRC=/dev/null",
            TestServer.orchPath, "-L", later, "-s", "moana-orchestration",
        ])
        try waitFor("the REPL prompt, with no server yet") { host.screen("9").contains("watching starts when it appears") }
        // Now the server and the session appear; a prompt sent to its agent ends with a notice.
        try laterTmux.newSession("moana-orchestration", window: "main", command: ["sleep", "100000"], width: 120, height: 40)
        try laterTmux.newWindow(session: "moana-orchestration", name: "amp", index: 1, command: [TestServer.orchPath, "__sim-agent", "--profile", "amp"])
        try waitFor("the REPL says it watches", timeout: .seconds(15)) { host.screen("9").contains("is up: watching amp") }
        let sent = try TestServer.run(TestServer.orchPath, ["-L", later, "send", "amp", "[work=300ms] hello"], environment: ["XDG_STATE_HOME": state])
        #expect(sent.status == 0, "\(sent.err)")
        try waitFor("the done notice", timeout: .seconds(15)) { host.screen("9").contains(" amp done after ") }
        try host.tmux.sendKeys(["exit", "Enter"], to: target)
    }

    @Test func ctrlDInAnUnfinishedCommandSaysWhatItDropped() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let repl = try startREPL(server, state: server.directory + "/state")
        try type(server, repl, "echo \"an open quote")
        try press(server, repl, "Enter")
        try waitFor("the continuation prompt") { server.screen("9").contains("...>") }
        try type(server, repl, "second line")
        try press(server, repl, "Enter")
        try press(server, repl, "C-d")
        try waitFor("the notice") { server.screen("9").contains("dropped the unfinished command (2 lines, Ctrl-D)") }
        try press(server, repl, "Up")
        do {
            try waitFor("Up brings it back") { server.screen("9").split(separator: "\n").last { $0.contains(">") }?.contains("an open quote") == true }
        } catch {
            Issue.record("\(server.screen("9"))")
        }
        try press(server, repl, "C-u")
        try type(server, repl, "exit")
        try press(server, repl, "Enter")
    }

    /// Pasted text (the terminal brackets it, as tmux's `paste-buffer -p` does) keeps its tabs:
    /// none of them completes; a Tab typed after the paste completes again.
    @Test func aPastedTabIsTextNeverACompletion() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let repl = try startREPL(server, state: server.directory + "/state")
        try server.tmux.run(["set-buffer", "-b", "pasted", "--", "echo am\tzz"])
        try server.tmux.run(["paste-buffer", "-p", "-d", "-b", "pasted", "-t", repl])
        try waitFor("the paste drawn") { server.screen("9").contains("zz") }
        try press(server, repl, "Enter")
        try waitFor("the pasted line ran:\n\(server.screen("9"))") { server.screen("9").split(separator: "\n").contains("am zz") }
        #expect(!server.screen("9").contains("amp zz"))
        try type(server, repl, "peek am")
        try press(server, repl, "Tab")
        try waitFor("a typed Tab completes") { server.screen("9").contains("> peek amp ") }
        try press(server, repl, "C-u")
        try type(server, repl, "exit")
        try press(server, repl, "Enter")
    }

    /// A line three rows long at 80 columns, the cursor on its middle row: a notice prints
    /// above the whole line, and no row of it stays behind above the notice; widening and
    /// shrinking the terminal redraws it once, at the new width.
    @Test func aNoticeAboveAWrappedLineOrAResizeLeavesNoStaleRows() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let repl = try startREPL(server, state: server.directory + "/state")
        try server.tmux.run(["resize-window", "-t", repl, "-x", "80", "-y", "30"])
        let words = (1...36).map { String(format: "w%03d", $0) }.joined(separator: " ")
        try type(server, repl, "echo " + words)
        try waitFor("the long line drawn") { server.screen("9").contains("w036") }
        try press(server, repl, "C-a")
        for _ in 0..<20 { try press(server, repl, "M-f") }  // the cursor to the middle row
        #expect(try server.orch(["send", "amp", "[work=300ms] build"]).status == 0)
        try waitFor("the done notice") { server.screen("9").contains(" amp done after ") }
        // The screen below the notice shows the line once; nothing of it is left above.
        func checkDrawnOnce(_ what: String, belowTheNotice: Bool = false) throws {
            let lines = server.screen("9").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let start = try #require(lines.lastIndex { $0.contains("> echo w001") }, "\(what): \(lines)")
            if belowTheNotice {
                let notice = try #require(lines.lastIndex { $0.contains(" amp done after ") }, "\(what): \(lines.joined(separator: "\n"))")
                #expect(notice < start, "\(what)")
            }
            #expect(!lines[..<start].contains { $0.contains("w0") && !$0.contains("> echo w001") }, "\(what): stale rows\n\(lines.joined(separator: "\n"))")
            #expect(lines.filter { $0.contains("> echo w001") }.count == 1, "\(what): \(lines.joined(separator: "\n"))")
            #expect(lines[start...].joined().replacingOccurrences(of: " ", with: "").contains(("echo " + words).replacingOccurrences(of: " ", with: "")), "\(what)")
        }
        try checkDrawnOnce("after the notice", belowTheNotice: true)
        // Wider first: shrinking makes tmux 3.3a itself keep a copy of the old rows in the
        // history, which widening would bring back on screen.
        for width in [110, 50] {
            try server.tmux.run(["resize-window", "-t", repl, "-x", "\(width)", "-y", "30"])
            try waitFor("the window \(width) columns wide") {
                try server.tmux.run(["display-message", "-p", "-t", repl, "#{pane_width}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "\(width)"
            }
            try type(server, repl, "X")
            try waitFor("the typed key lands") { server.screen("9").replacingOccurrences(of: "\n", with: "").contains("w019X") }
            try press(server, repl, "BSpace")
            try waitFor("the key erased") { !server.screen("9").contains("w019X") }
            try checkDrawnOnce("at \(width) columns")
        }
        try press(server, repl, "C-u")
        try type(server, repl, "exit")
        try press(server, repl, "Enter")
    }

    @Test func noticeAppearsAboveTheLineBeingTyped() throws {
        let server = try TestServer(agents: [("codex", "codex", []), ("amp", "amp", [])])
        defer { server.stop() }
        let repl = try startREPL(server, state: server.directory + "/state")
        try type(server, repl, "peek codex")
        try press(server, repl, "Left", "Left", "Left")
        // Another orch (an orchestrating agent, say) gives amp work; the REPL's watcher sees it end.
        #expect(try server.orch(["send", "amp", "[work=300ms] build"]).status == 0)
        try waitFor("the done notice") { server.screen("9").contains(" amp done after ") }
        try type(server, repl, "X")
        try waitFor("the typed key lands where the cursor was") { server.screen("9").contains("> peek coXdex") }
        let lines = server.screen("9").split(separator: "\n").map(String.init)
        let notice = try #require(lines.firstIndex { $0.contains(" amp done after ") })
        let prompt = try #require(lines.lastIndex { $0.contains("> peek coXdex") })
        #expect(notice < prompt)
        #expect(lines[notice].contains("✓ CLAUDE.md"))
        // No transient `input` notice while the other orch was typing the prompt.
        #expect(!lines.contains { $0.contains(" amp input") })
        try press(server, repl, "C-u")
        try type(server, repl, "exit")
        try press(server, repl, "Enter")
    }
}
