import Foundation
import OrchCore
import Testing

/// Hook payloads to events, and installing into a CLI's config and back.
@Suite struct HookTests {
    @Test func codexNotifyIsDoneWithTheReply() throws {
        let payload = #"{"type":"agent-turn-complete","thread-id":"t","turn-id":"1","cwd":"/w","client":"codex-tui","input-messages":["fix it"],"last-assistant-message":"Fixed.\nAll green."}"#
        let event = try HookEvent.parse(payload, cli: .codex).get()
        #expect(event == HookEvent(state: .done, name: "agent-turn-complete", reply: "Fixed.\nAll green."))
    }

    @Test(arguments: [
        (#"{"hook_event_name":"UserPromptSubmit","prompt":"x","session_id":"s"}"#, AgentState.working),
        (#"{"hook_event_name":"Stop","stop_hook_active":false,"last_assistant_message":"done"}"#, .done),
        (#"{"hook_event_name":"StopFailure","error_type":"overloaded","error_message":"try later"}"#, .done),
        (#"{"hook_event_name":"Notification","notification_type":"permission_prompt","message":"Allow Bash?"}"#, .input),
        (#"{"hook_event_name":"Notification","notification_type":"elicitation_dialog"}"#, .input),
        (#"{"hook_event_name":"Notification","notification_type":"idle_prompt"}"#, .idle),
    ])
    func claudeEvents(payload: String, state: AgentState) throws {
        #expect(try HookEvent.parse(payload, cli: .claude).get().state == state)
    }

    @Test func badPayloadsAreRejectedNotFatal() {
        for payload in ["", "not json", "[1,2]", #"{"type":"something-else"}"#, String(repeating: "[", count: 100_000)] {
            #expect(throws: HookEvent.Rejection.self) { try HookEvent.parse(payload, cli: .codex).get() }
        }
        #expect(throws: HookEvent.Rejection.self) { try HookEvent.parse(#"{"hook_event_name":"Nope"}"#, cli: .claude).get() }
    }

    @Test func geminiAndAgy() throws {
        #expect(try HookEvent.parse(#"{"hook_event_name":"AfterAgent","prompt_response":"ok"}"#, cli: .gemini).get().reply == "ok")
        #expect(try HookEvent.parse(#"{"hookEventName":"Stop","terminationReason":"end"}"#, cli: .agy).get().state == .done)
    }

    func installer(_ cli: HookCLI, home: String) -> HookInstaller {
        HookInstaller(cli: cli, orchPath: "/opt/orch/bin/orch") { name in
            ["HOME": home, "CODEX_HOME": home + "/codex", "CLAUDE_CONFIG_DIR": home + "/claude"][name]
        }
    }

    @Test func codexInstallIsAtTheTopIdempotentAndUndoneExactly() throws {
        let original = "# mine\nmodel = \"o4\"\n\n[tui]\nnotify_sound = true\n"
        let codex = installer(.codex, home: "/nowhere")
        let installed = try codex.installed(into: original).get()
        #expect(installed.hasPrefix(#"notify = ["/opt/orch/bin/orch", "hook", "codex"]"#))
        #expect(try codex.installed(into: installed).get() == installed)
        #expect(codex.isInstalled(in: installed))
        #expect(try codex.uninstalled(from: installed).get() == original)
    }

    @Test func aDifferentNotifyIsRefusedOrChained() throws {
        let original = "notify = [\"/usr/bin/notify-send\", \"Codex\"]\nmodel = \"o4\"\n"
        let codex = installer(.codex, home: "/nowhere")
        #expect(throws: HookInstaller.Failure.self) { try codex.installed(into: original).get() }
        let chained = try codex.installed(into: original, chain: true).get()
        #expect(chained.hasPrefix(#"notify = ["/opt/orch/bin/orch", "hook", "codex", "--then", "/usr/bin/notify-send", "Codex"]"#))
        #expect(try codex.uninstalled(from: chained).get() == original)
    }

    @Test func claudeSettingsAreMergedAndRoundTripByteIdentical() throws {
        let home = NSTemporaryDirectory() + "orch-hooks-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.createDirectory(atPath: home + "/claude", withIntermediateDirectories: true)
        let original = "{\n    \"model\": \"opus\",\n    \"env\": {\"A\": \"1\"},\n    \"hooks\": {\"Stop\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"say done\"}]}]},\n    \"ratio\": 0.5\n}\n"
        let path = home + "/claude/settings.json"
        try original.write(toFile: path, atomically: true, encoding: .utf8)
        let claude = installer(.claude, home: home)
        #expect(claude.configPath == path)
        _ = try claude.install().get()
        let installed = try String(contentsOfFile: path, encoding: .utf8)
        #expect(installed.contains("say done") && installed.contains("\"ratio\": 0.5") && installed.contains("/opt/orch/bin/orch hook claude"))
        #expect(try claude.install().get().contains("already installed"))
        _ = try claude.uninstall().get()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == original)
    }
}

/// What `send` types: text, never keys (README, "What send types").
@Suite struct PromptTextTests {
    @Test(arguments: [
        ("plain text", "plain text", 0),
        ("line\nnext\ttab", "line\nnext\ttab", 0),
        ("crlf\r\nlone\rcr", "crlf\nlone\ncr", 0),
        ("nul:\u{0}after", "nul:after", 1),
        ("up\u{1B}[Akey", "upkey", 3),
        ("paste\u{1B}[201~end", "pasteend", 6),
        ("title\u{1B}]0;x\u{07}done", "titledone", 6),
        ("ctrl-c\u{03}", "ctrl-c", 1),
        ("unicode ✓ 日本 🚀", "unicode ✓ 日本 🚀", 0),
        ("esc\u{1B}\nnext", "esc\nnext", 1),
        ("osc\u{1B}]open\nrest", "osc\nrest", 6),
    ])
    func sanitize(input: String, expected: String, removed: Int) {
        let result = PromptText.sanitize(input)
        #expect(result.text == expected)
        #expect(result.removed == removed)
    }
}

/// Claude Code cannot be installed here: its hook command is run as Claude would run it, with
/// the documented payload on stdin and the pane's `$TMUX`/`$TMUX_PANE`, beside a simulated claude.
@Suite(.serialized) struct ClaudeHookLiveTests {
    @Test func aStopHookEndsTheTurnForAWaitInAnotherProcessWithItsReply() throws {
        let server = try TestServer(agents: [("claude", "claude", ["--work", "300ms"])])
        defer { server.stop() }
        let state = server.directory + "/state"
        let env = ["XDG_STATE_HOME": state]
        #expect(try server.orch(["send", "claude", "a long task [work=60s]"], environment: env).status == 0)
        let pane = try server.tmux.run(["display-message", "-p", "-t", "=\(server.session):1", "#{pane_id}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let tmuxVariable = "\(TmuxEndpoint(socketName: server.socketName).resolvedSocketPath),\(try server.serverPID()),0"
        let waiter = Process()
        waiter.executableURL = URL(fileURLWithPath: TestServer.orchPath)
        waiter.arguments = ["-L", server.socketName, "wait", "done", "claude", "timeout", "20s", "--format", "json"]
        waiter.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let output = Pipe()
        waiter.standardOutput = output
        try waiter.run()
        try waitFor("the wait is watching") { (try? server.orch(["status", "claude"], environment: env).out.contains("working")) == true }
        let hook = try TestServer.run(
            TestServer.orchPath, ["hook", "claude"],
            stdin: #"{"session_id":"s1","transcript_path":"/tmp/t","cwd":"/w","hook_event_name":"Stop","stop_hook_active":false,"last_assistant_message":"All tests pass."}"#,
            environment: env.merging(["TMUX": tmuxVariable, "TMUX_PANE": pane]) { $1 })
        #expect(hook.status == 0)
        #expect(hook.out.isEmpty && hook.err.isEmpty)
        let json = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        waiter.waitUntilExit()
        #expect(waiter.terminationStatus == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows.first?["reply"] as? String == "All tests pass.")
        #expect(rows.first?["source"] as? String == "hook")
        #expect(try server.orch(["reply", "claude"], environment: env).out == "All tests pass.\n")
        // A payload orch cannot read is journaled, and the CLI still sees exit 0, silence.
        let bad = try TestServer.run(TestServer.orchPath, ["hook", "claude"], stdin: "not json", environment: env.merging(["TMUX": tmuxVariable, "TMUX_PANE": pane]) { $1 })
        #expect(bad.status == 0 && bad.err.isEmpty)
        #expect(try server.orch(["log", "5", "--format", "json"], environment: env).out.contains("hook-error"))
    }
}

@Suite struct HooksCommandTests {
    @Test func dryRunChangesNothingAndStatusSaysWhere() throws {
        let home = NSTemporaryDirectory() + "orch-hookscmd-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: home) }
        // Not setenv: changing the environment while other tests start processes crashed
        // Foundation's Process.run (it copies environ as another thread reallocates it).
        let environment: @Sendable (String) -> String? = { $0 == "CODEX_HOME" ? home + "/codex" : FileSystem.environment($0) }
        var out: [String] = []
        var err: [String] = []
        let dry = HooksCommand.run(["install", "codex", "--dry-run"], orchPath: "/opt/orch", stateDirectory: home + "/state", environment: environment, print: { out.append($0) }, printError: { err.append($0) })
        #expect(dry == 0)
        #expect(out.joined().contains(#"+ notify = ["/opt/orch", "hook", "codex"]"#))
        #expect(!FileManager.default.fileExists(atPath: home + "/codex/config.toml"))
        out = []
        #expect(HooksCommand.run(["install", "codex"], orchPath: "/opt/orch", stateDirectory: home + "/state", environment: environment, print: { out.append($0) }, printError: { err.append($0) }) == 0)
        out = []
        #expect(HooksCommand.run(["status", "codex"], orchPath: "/opt/orch", stateDirectory: home + "/state", environment: environment, print: { out.append($0) }, printError: { err.append($0) }) == 0)
        #expect(out.first?.contains("installed  \(home)/codex/config.toml") == true, "\(out)")
        #expect(HooksCommand.run(["install", "vim"], orchPath: "/opt/orch", stateDirectory: home, print: { out.append($0) }, printError: { err.append($0) }) == 2)
    }
}
