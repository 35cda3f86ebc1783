import OrchCore
import Testing

/// Prompts typed into simulated agents must arrive byte-exact, whatever they contain.
@Suite(.serialized) struct SendTests {
    static let hostile: [String] = [
        "it's a \"quoted\" text",
        "a; b",
        "ends with;",
        "ends with \\;",
        "-x; Enter",
        "--help",
        "Enter",
        "C-c",
        "unicode: é ü 漢字 🎉 ❯",
        "tab\there",
        "$(rm -rf /) and `backticks` and $HOME",
        "line one\nline two\n  indented third",
        String(repeating: "long prompt ", count: 300),
    ]

    @Test func hostileTextArrivesByteExactThroughTheInterpreter() async throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "50ms"]), ("codex", "codex", ["--work", "50ms", "--swallow", "120ms"])])
        defer { server.stop() }
        let interpreter = Interpreter(options: InterpreterOptions(endpoint: server.tmux.endpoint), output: CapturedOutput())
        for text in Self.hostile {
            _ = try await interpreter.run(try Parser.parse(arguments: ["send", "amp,codex", text]))
        }
        let received = try server.waitForReceived(Self.hostile.count * 2)
        #expect(received.filter { $0.profile == "amp" }.map(\.text) == Self.hostile)
        // codex swallows an Enter that follows text within 120 ms: the separate Enter must still submit.
        #expect(received.filter { $0.profile == "codex" }.map(\.text) == Self.hostile)
    }

    @Test func oneShotWordsAreVerbatim() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "50ms"])])
        defer { server.stop() }
        let texts = ["-x; Enter", "{ not a block }", "# not a comment", "'single' \"double\""]
        for text in texts {
            let result = try server.orch(["send", "amp", text])
            #expect(result.status == 0, "\(result.err)")
        }
        // Several words after the agent are one text, joined by spaces.
        #expect(try server.orch(["send", "amp", "fix", "the", "tests"]).status == 0)
        let received = try server.waitForReceived(texts.count + 1)
        #expect(received.map(\.text) == texts + ["fix the tests"])
    }

    @Test func heredocInAScriptIsOnePrompt() throws {
        let server = try TestServer(agents: [("claude", "claude", ["--work", "50ms"])])
        defer { server.stop() }
        let script = """
            send claude <<EOF
            Implement the parser in Sources/Parser.swift.
            Run the tests before you stop.
            EOF
            """
        let result = try server.orch(["-c", script])
        #expect(result.status == 0, "\(result.err)")
        let received = try server.waitForReceived(1)
        #expect(received.first?.text == "Implement the parser in Sources/Parser.swift.\nRun the tests before you stop.")
    }

    @Test func unknownAgentSendsNothingToAnyone() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let result = try server.orch(["send", "amp,gpt", "hello"])
        #expect(result.status == 1)
        #expect(result.err.contains("unknown agent 'gpt'"))
        #expect(result.err.contains("amp (1)"))
        // The valid target got nothing either; prove it by a later send arriving first.
        _ = try server.orch(["send", "amp", "marker"])
        #expect(try server.waitForReceived(1).map(\.text) == ["marker"])
    }

    @Test func keysAndEnterAreCheckedAndSent() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "50ms"])])
        defer { server.stop() }
        #expect(try server.orch(["send", "--no-submit", "amp", "typed only"]).status == 0)
        try waitFor("text typed") { server.screen("amp").contains("typed only") }
        #expect(server.received().isEmpty)
        #expect(try server.orch(["enter", "amp"]).status == 0)
        #expect(try server.waitForReceived(1).map(\.text) == ["typed only"])
        let bad = try server.orch(["key", "amp", "Entr"])
        #expect(bad.status == 2)
        #expect(bad.err.contains("not a tmux key name"))
        #expect(try server.orch(["key", "amp", "x", "C-u"]).status == 0)
    }
}
