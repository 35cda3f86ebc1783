import Foundation
import OrchCore
import Testing

/// A small seeded generator, so a failing prompt can be reproduced from the seed in the message.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite(.serialized) struct DeliveryTests {
    static let pieces = [
        "'single'", "\"double\"", ";", "a;", "\\;", "-x", "--help", "Enter", "C-c", "Escape", "$(rm -rf ~)",
        "`uname`", "🎉", "👩‍💻", "漢字", "ünïcödé", "\t", "\n", "line\nbreak", "<<EOF", "EOF", "{", "}", "#", "%",
        "\\n", "~", "!", "&&", "|", ">", "plain words",
    ]

    static func prompts(count: Int, seed: UInt64) -> [String] {
        var rng = SplitMix64(state: seed)
        return (0..<count).map { i in
            let parts = (0..<Int.random(in: 1...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
            return "p\(i) " + parts.joined(separator: Bool.random(using: &rng) ? " " : "")
        }
    }

    /// What the agent must receive: a trailing newline is not part of the prompt (it would submit it).
    static func expected(_ text: String) -> String {
        var body = Substring(text)
        while body.hasSuffix("\n") { body = body.dropLast() }
        return String(body)
    }

    @Test func hostilePromptsArriveExactlyOnceInOrderDespiteSwallowedEnters() async throws {
        let names = ["a1", "a2", "a3", "a4"]
        let server = try TestServer(agents: names.enumerated().map { ($1, ["claude", "codex", "amp", "antigravity"][$0], ["--work", "0ms", "--swallow", "150ms"]) })
        defer { server.stop() }
        let seed = UInt64.random(in: 0...UInt64.max)
        let all = Self.prompts(count: 200, seed: seed)
        let perAgent = Dictionary(uniqueKeysWithValues: names.enumerated().map { i, name in
            (name, stride(from: i, to: all.count, by: names.count).map { all[$0] })
        })
        let big = "64k " + String(repeating: "0123456789abcdef; 'quoted' \"x\"\n", count: 2100)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in names {
                group.addTask {
                    let orch = Interpreter(options: InterpreterOptions(endpoint: server.tmux.endpoint), output: CapturedOutput())
                    for text in perAgent[name]! {
                        _ = try await orch.run(try Parser.parse(arguments: ["send", name, text]))
                    }
                    if name == "a1" { _ = try await orch.run(try Parser.parse(arguments: ["send", name, big])) }
                    await orch.shutdown()
                }
            }
            try await group.waitForAll()
        }
        let received = try server.waitForReceived(all.count + 1, timeout: .seconds(30))
        #expect(received.count == all.count + 1, "seed \(seed)")
        for (i, name) in names.enumerated() {
            let profile = ["claude", "codex", "amp", "antigravity"][i]
            var want = perAgent[name]!.map(Self.expected)
            if name == "a1" { want.append(Self.expected(big)) }
            let got = received.filter { $0.profile == profile }.map(\.text)
            #expect(got.count == want.count, "seed \(seed), agent \(name): \(got.count) received, \(want.count) sent")
            if let i = (0..<min(got.count, want.count)).first(where: { got[$0] != want[$0] }) {
                let a = Array(got[i].unicodeScalars), b = Array(want[i].unicodeScalars)
                let at = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
                func around(_ s: [Unicode.Scalar]) -> String { String(String.UnicodeScalarView(s[max(0, at - 30)..<min(s.count, at + 30)])).debugDescription }
                Issue.record("seed \(seed), agent \(name), prompt \(i) (\(a.count) vs \(b.count) scalars) differs at \(at): received \(around(a)) for \(around(b))")
            }
        }
    }

    @Test func anAgentThatNeverTakesEnterIsAFailureNotAHang() throws {
        let server = try TestServer(agents: [("stuck", "claude", ["--never-submit"])])
        defer { server.stop() }
        let start = ContinuousClock.now
        let result = try server.orch(["send", "stuck", "please run"])
        #expect(result.status == 1)
        #expect(result.err.contains("not submitted after 5 Enter presses"), "\(result.err)")
        #expect(ContinuousClock.now - start < .seconds(20))
        #expect(server.received().isEmpty)
        // The text was typed once: the box holds it once, followed by the newlines of the Enters.
        #expect(server.screen("1").components(separatedBy: "please run").count == 2)
    }

    /// Codex's `@` popup takes the first Enter (it picks a file). Under CI load real Codex drew
    /// its Escape more than 500 ms late, and send gave up with the popup "still open"; then every
    /// later send found the text in the box. The sim draws the Escape 1.2 s late.
    @Test func aFilePopupThatClosesLateIsWaitedForAndTheTextSubmittedUnchanged() throws {
        let server = try TestServer(agents: [("codex", "codex", ["--work", "0ms", "--file-popup", "1200ms"])])
        defer { server.stop() }
        let sent = try server.orch(["send", "codex", "look at @READ"])
        #expect(sent.status == 0, "\(sent.err)")
        #expect(try server.waitForReceived(1).map(\.text) == ["look at @READ"])
        #expect(try server.orch(["send", "codex", "next"]).status == 0)
        #expect(try server.waitForReceived(2).map(\.text) == ["look at @READ", "next"])
    }

    @Test func anOpenQuestionIsNotTypedIntoUnlessForced() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "600ms"])])
        defer { server.stop() }
        #expect(try server.orch(["-c", "send amp '[ask] change a file'; wait input amp timeout 10s"]).status == 0)
        let refused = try server.orch(["send", "amp", "next task"])
        #expect(refused.status == 1)
        #expect(refused.err.contains("amp is waiting for an answer"), "\(refused.err)")
        #expect(server.received().map(\.text) == ["[ask] change a file"])
        // Forced, the keys go to the question — here the `n` of "no thanks" answers it.
        let forced = try server.orch(["send", "--force", "--no-submit", "amp", "no thanks"])
        #expect(forced.status == 0, "\(forced.err)")
        try waitFor("the question answered by the typed text") { server.screen("1").contains("Denied by user") }
    }

    @Test func sendWaitsForAWorkingAgentThenDeliversAndJournals() throws {
        let server = try TestServer(agents: [("codex", "codex", ["--work", "1s"])])
        defer { server.stop() }
        let state = server.directory + "/state"
        let env = ["XDG_STATE_HOME": state]
        #expect(try server.orch(["send", "codex", "first"], environment: env).status == 0)
        let start = ContinuousClock.now
        #expect(try server.orch(["send", "codex", "second"], environment: env).status == 0)
        #expect(ContinuousClock.now - start >= .milliseconds(500))  // it waited for the first turn
        #expect(try server.waitForReceived(2).map(\.text) == ["first", "second"])
        let log = try server.orch(["log", "10"], environment: env)
        #expect(log.status == 0)
        #expect(log.out.contains("codex       send typing · first"), "\(log.out)")
        #expect(log.out.contains("send submitted (1 Enter)"))
        #expect(try server.orch(["queue", "codex", "review it"], environment: env).status == 0)
        #expect(try server.orch(["log", "1"], environment: env).out.contains("queue #1 for codex · review it"))
        let journal = state + "/orch/\(server.session)/journal.jsonl"
        let attributes = try FileManager.default.attributesOfItem(atPath: journal)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let json = try server.orch(["log", "2", "--format", "json"], environment: env)
        #expect(json.out.split(separator: "\n").allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
    }
}

@Suite(.serialized) struct RobustnessTests {
    /// A CR would act as Enter: CRLF (and a lone CR) arrive as LF, in one prompt (README, "What send types").
    @Test func crlfTextIsOnePrompt() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "0ms"])])
        defer { server.stop() }
        #expect(try server.orch(["send", "amp", "first line\r\nsecond line\r\n"]).status == 0)
        let received = try server.waitForReceived(1)
        #expect(received.map(\.text) == ["first line\nsecond line"])
        // Nothing else arrived: the CR did not submit half of it.
        #expect(try server.orch(["send", "amp", "marker"]).status == 0)
        #expect(try server.waitForReceived(2).map(\.text) == ["first line\nsecond line", "marker"])
    }

    @Test func aRecreatedWindowGetsThePromptNotAStalePane() async throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "0ms"]), ("codex", "codex", ["--work", "0ms"])])
        defer { server.stop() }
        let orch = Interpreter(options: InterpreterOptions(endpoint: server.tmux.endpoint), output: CapturedOutput())
        _ = try await orch.run(source: "peek amp", file: "<test>")  // the windows are known now
        try server.tmux.run(["kill-window", "-t", "=\(server.session):1"])
        try server.tmux.newWindow(session: server.session, name: "amp", index: 1, command: [TestServer.orchPath, "__sim-agent", "--profile", "amp", "--work", "0ms", "--log", server.logPath])
        try waitFor("the new amp") { server.screen("1").contains("simulated by orch") }
        _ = try await orch.run(source: "send amp 'to the new amp'", file: "<test>")
        #expect(try server.waitForReceived(1).map { "\($0.profile): \($0.text)" } == ["amp: to the new amp"])
        await orch.shutdown()
    }

    @Test func waitingOnAnAgentWhoseWindowClosesFails() async throws {
        let server = try TestServer(agents: [("amp", "amp", []), ("codex", "codex", [])])
        defer { server.stop() }
        let orch = Interpreter(options: InterpreterOptions(endpoint: server.tmux.endpoint), output: CapturedOutput())
        try await orch.startWatching()
        let waiting = Task { () -> OrchError? in
            do throws(OrchError) {
                _ = try await orch.run(source: "wait working codex timeout 30s", file: "<test>")
                return nil
            } catch {
                return error
            }
        }
        try server.tmux.run(["kill-window", "-t", "=\(server.session):2"])
        // Whether the window closes before or after `wait` resolved the name, it must end with a
        // clear error, never hang.
        let message = await waiting.value?.message ?? "no error"
        #expect(message == "wait working: codex's window closed (state unknown)" || message.hasPrefix("unknown agent 'codex'"), "\(message)")
        await orch.shutdown()
    }
}
