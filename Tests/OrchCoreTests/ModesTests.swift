import Foundation
import OrchCore
import Testing

/// The `orch` binary's modes (script file, stdin, -c, one-shot) and their exit statuses.
@Suite(.serialized) struct ModesTests {
    @Test func peekByNameAndIndex() throws {
        let server = try TestServer(agents: [("claude", "claude", []), ("amp", "amp", [])])
        defer { server.stop() }
        let byName = try server.orch(["peek", "amp"])
        let byIndex = try server.orch(["peek", "2"])
        #expect(byName.status == 0)
        #expect(byName.out == byIndex.out)
        #expect(byName.out.contains("amp profile"))
        #expect(byName.out.contains("╰"))
        #expect(!byName.out.contains("\n\n"))  // empty lines are dropped
        let two = try server.orch(["peek", "claude", "2"])
        #expect(two.out.split(separator: "\n").count == 2)
        #expect(two.out.hasSuffix("? for shortcuts\n"))
    }

    @Test func scriptFileStdinAndDashCRunTheSameLanguage() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "50ms"])])
        defer { server.stop() }
        let file = server.directory + "/fan-out.orch"
        try "#!/usr/bin/env orch\necho from file # a comment\nsend amp 'via file'\n".write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try server.orch([file])
        #expect(fromFile.status == 0, "\(fromFile.err)")
        #expect(fromFile.out == "from file\n")
        let fromStdin = try server.orch([], stdin: "echo from stdin; send amp \"via stdin\"\n")
        #expect(fromStdin.status == 0, "\(fromStdin.err)")
        #expect(fromStdin.out == "from stdin\n")
        let fromC = try server.orch(["-c", "echo one; loop 2 { echo again }"])
        #expect(fromC.out == "one\nagain\nagain\n")
        #expect(try server.waitForReceived(2).map(\.text) == ["via file", "via stdin"])
    }

    @Test func syntaxErrorReportsPositionRunsNothingAndExits2() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let file = server.directory + "/broken.orch"
        try "send amp 'first'\necho ok\npeek amp lots\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try server.orch([file])
        #expect(result.status == 2)
        #expect(result.err.hasPrefix("\(file):3:10: error: "), "\(result.err)")
        #expect(result.out.isEmpty)
        let unknown = try server.orch(["-c", "echo a\npeak amp"])
        #expect(unknown.status == 2)
        #expect(unknown.err.contains("-c:2:1: error: unknown command 'peak'"), "\(unknown.err)")
        #expect(unknown.err.contains("peek"))
        #expect(server.received().isEmpty)
    }

    @Test func runtimeErrorStopsTheScriptWithStatus1() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let result = try server.orch(["-c", "echo before\npeek nobody\necho after"])
        #expect(result.status == 1)
        #expect(result.out == "before\n")
        #expect(result.err.contains("-c:2:6: error: unknown agent 'nobody'"), "\(result.err)")
    }

    @Test func missingSessionAndServerAreExplained() throws {
        let server = try TestServer(session: "other", agents: [("amp", "amp", [])])
        defer { server.stop() }
        let wrong = try server.orch(["-s", "moana", "status"])
        #expect(wrong.status == 1)
        #expect(wrong.err.contains("no tmux session named 'moana' (sessions: other)"), "\(wrong.err)")
        // With one session and nothing chosen, that session is used.
        #expect(try server.orch(["peek", "amp"]).status == 0)
        // ORCH_SESSION is honoured.
        let env = try server.orch(["status"], environment: ["ORCH_SESSION": "nope"])
        #expect(env.err.contains("no tmux session named 'nope'"))
        let noServer = try TestServer.run(TestServer.orchPath, ["-L", "orch-test-none-\(getpid())", "status"])
        #expect(noServer.status == 1)
        #expect(noServer.err.contains("no tmux server is running"))
    }

    @Test func usageErrorsExit2() throws {
        let badFormat = try TestServer.run(TestServer.orchPath, ["--format", "xml", "status"])
        #expect(badFormat.status == 2)
        #expect(badFormat.err.contains("--format must be text or json"))
        let version = try TestServer.run(TestServer.orchPath, ["--version"])
        #expect(version.status == 0)
        #expect(version.out.hasPrefix("0."))
        let help = try TestServer.run(TestServer.orchPath, ["--help"])
        #expect(help.status == 0)
        #expect(help.out.contains("orch demo"))
    }

    @Test func configDeclaresAgentsAndReportsItsErrors() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let config = server.directory + "/init.orch"
        try "agent boss window 0 profile claude\npattern amp working \"Pondering\"\nbogus here\n".write(toFile: config, atomically: true, encoding: .utf8)
        let result = try server.orch(["--config", config, "-c", "agents"])
        #expect(result.status == 0)
        #expect(result.err.contains("\(config):3:1: error: unknown command 'bogus'"), "\(result.err)")
        let good = server.directory + "/good.orch"
        try "agent boss window 0 profile claude\n".write(toFile: good, atomically: true, encoding: .utf8)
        let agents = try server.orch(["--config", good, "agents"])
        #expect(agents.out.contains("boss"), "\(agents.out)")
        #expect(agents.out.contains("amp"))
    }

    @Test func statusAsJSON() throws {
        let server = try TestServer(agents: [("amp", "amp", []), ("codex", "codex", [])])
        defer { server.stop() }
        let result = try server.orch(["status", "--format", "json"])
        #expect(result.status == 0, "\(result.err)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["agent"] as? String } == ["amp", "codex"])
        #expect(rows.allSatisfy { $0["state"] is String })
    }
}

@Suite(.serialized) struct OneShotOptionTests {
    @Test func formatAfterTheCommandIsAnOption() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let bad = try server.orch(["status", "--format", "xml"])
        #expect(bad.status == 2)
        #expect(bad.err.contains("--format must be text or json, not 'xml'"))
        let equals = try server.orch(["agents", "--format=json"])
        #expect(equals.status == 0)
        #expect(equals.out.hasPrefix("[{\"agent\":\"amp\""), "\(equals.out)")
        let extra = try server.orch(["agents", "--format", "json", "extra"])
        #expect(extra.err.contains("unexpected argument 'extra'"), "\(extra.err)")
        // After send, the same words are text.
        #expect(try server.orch(["send", "--no-submit", "amp", "--format", "xml"]).status == 0)
    }

    @Test func unknownAgentsGetASuggestionOrAReason() throws {
        let server = try TestServer(agents: [("amp", "amp", []), ("codex", "codex", [])])
        defer { server.stop() }
        #expect(try server.orch(["peek", "ampp"]).err.contains("did you mean 'amp'?"))
        #expect(try server.orch(["peek", "main"]).err.contains("not agents unless declared"))
    }

    @Test func aKilledDemoRemovesItsServer() throws {
        let script = NSTemporaryDirectory() + "orch-demo-wait-\(getpid()).orch"
        try "echo started\nsleep 60s\n".write(toFile: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestServer.orchPath)
        process.arguments = ["demo", "--script", script]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let socket = TmuxEndpoint(socketName: "orch-demo-\(process.processIdentifier)")
        try waitFor("the demo's six windows", timeout: .seconds(20)) {
            (try? TmuxClient(endpoint: socket).listWindows(session: "moana-orchestration"))?.count == 6
        }
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + SIGTERM)
        #expect(throws: TmuxError.noServer(socket)) { try TmuxClient(endpoint: socket).listSessions() }
        #expect(!FileManager.default.fileExists(atPath: socket.socketFile!))
    }
}

@Suite struct HelpOutputTests {
    @Test func helpListsEveryCommandAndExplainsOne() throws {
        let list = try TestServer.run(TestServer.orchPath, ["help"])
        #expect(list.status == 0)
        for command in CommandCatalog.all { #expect(list.out.contains("  \(command.name) "), "\(command.name) missing from help") }
        let send = try TestServer.run(TestServer.orchPath, ["help", "send"])
        #expect(send.out.hasPrefix("send [--no-submit] [--no-wait] [--force] AGENT[,AGENT...] TEXT | --file PATH\n"))
        #expect(send.out.contains("Example:"))
        let typo = try TestServer.run(TestServer.orchPath, ["help", "peak"])
        #expect(typo.status == 2)
        #expect(typo.err.contains("did you mean 'peek'?"))
    }
}
