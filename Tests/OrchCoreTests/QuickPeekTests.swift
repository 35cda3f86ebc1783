import Foundation
import OrchCore
import Testing

/// `orch peek NAME` answers in one tmux call when it safely can, and its output is then exactly
/// the interpreter's; when it cannot (other session, config, `main`, an index), it steps aside.
@Suite(.serialized) struct QuickPeekTests {
    @Test func answersAloneOnlyWhenTheNameCannotMeanAnythingElse() throws {
        let server = try TestServer(agents: [("claude", "claude", []), ("amp", "amp", []), ("db-proxy", "generic", [])])
        defer { server.stop() }
        func quick(_ words: [String], session: String? = nil) -> (answered: Bool, lines: [String]) {
            let output = CapturedOutput()
            let answered = QuickPeek.run(words: words, endpoint: server.tmux.endpoint, session: session, output: output)
            return (answered, output.lines)
        }
        let amp = quick(["peek", "amp"])
        #expect(amp.answered)
        #expect(amp.lines.contains { $0.contains("amp profile") })
        #expect(quick(["peek", "claude", "2"]).lines.count == 2)
        #expect(quick(["peek", "amp"], session: server.session).answered)
        // Left to the full path, with nothing printed: indexes, non-agents, target syntax, unknown names.
        for words in [["peek", "2"], ["peek", "main"], ["peek", "db-proxy"], ["peek", "amp:0"], ["peek", "am"], ["peek", "nobody"], ["status"], ["peek", "amp", "x"]] {
            let result = quick(words)
            #expect(!result.answered && result.lines.isEmpty, "\(words)")
        }
        #expect(!quick(["peek", "amp"], session: "elsewhere").answered)
    }

    @Test func theBinaryGivesTheInterpretersOutputEitherWay() throws {
        let server = try TestServer(agents: [("claude", "claude", []), ("amp", "amp", [])])
        defer { server.stop() }
        for words in [["peek", "amp"], ["peek", "claude", "3"]] {
            let quick = try server.orch(words)
            let full = try server.orch(["-c", words.joined(separator: " ")])
            #expect(quick.status == 0 && quick.err.isEmpty, "\(quick.err)")
            #expect(quick.out == full.out)
        }
        // Errors come from the full path, unchanged.
        let unknown = try server.orch(["peek", "ampp"])
        #expect(unknown.status == 1 && unknown.err.contains("did you mean 'amp'?"))
        let noSession = try server.orch(["-s", "elsewhere", "peek", "amp"])
        #expect(noSession.status == 1 && noSession.err.contains("elsewhere"))
    }

    @Test func aSessionWithAnotherNameAndAConfigStillWork() throws {
        let server = try TestServer(session: "work", agents: [("claude", "claude", []), ("amp", "amp", [])])
        defer { server.stop() }
        // The only session, not the guide's name: the shortcut misses, the full path finds it.
        let peek = try server.orch(["peek", "amp"])
        #expect(peek.status == 0, "\(peek.err)")
        #expect(peek.out.contains("amp profile"))
        // A config may rename windows: `amp` is then `writer`, and the shortcut must not answer.
        let configHome = server.directory + "/config"
        try FileManager.default.createDirectory(atPath: configHome + "/orch", withIntermediateDirectories: true)
        try "agent writer window 2\n".write(toFile: configHome + "/orch/init.orch", atomically: true, encoding: .utf8)
        let renamed = try server.orch(["-s", "work", "peek", "amp"], environment: ["XDG_CONFIG_HOME": configHome])
        #expect(renamed.status == 1 && renamed.err.contains("unknown agent 'amp'"), "\(renamed.err)")
        let writer = try server.orch(["-s", "work", "peek", "writer"], environment: ["XDG_CONFIG_HOME": configHome])
        #expect(writer.out == peek.out)
    }
}
