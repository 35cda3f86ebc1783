import Foundation
import OrchCore
import Testing

/// Random hostile prompts, several `orch send`s at once to each agent, some killed with
/// SIGKILL at a random moment: every prompt ends exactly one of three ways.
/// - submitted whole, once (the sender exited 0);
/// - refused with a reason, or reported not submitted (non-zero, a message, nothing of it
///   submitted — its own text may be left in the box, nothing else typed);
/// - reported `unverified` (orch could not tell, a loaded machine starving the agent): at most once;
/// - its sender was killed: submitted whole at most once.
/// And whatever reached an agent is one whole prompt: never two glued, never a part.
/// The seed is in every failure; `ORCH_PROPERTY_SEED=N` replays one.
@Suite struct DeliveryPropertyTests {
    static let pieces: [String] = [
        "a; b", "-x", "--", "'single'", "\"double\"", "`back`", "$(echo no)", "Enter", "C-c", "\\",
        "%s", "#{pane_id}", "héllo ✓ 日本語 🚀", "\n", "line\nbreak", "\t", "\u{1B}[A", "\u{1B}[201~",
        "\u{0}", "\u{7}", "\r\n", String(repeating: "z", count: 3000),
    ]

    struct Sent {
        var agent: String
        var expected: String
        var killed = false
        var status: Int32 = 0
        var err = ""
    }

    @Test func everyPromptIsSubmittedOnceOrRefusedOrReportedNotSubmitted() throws {
        let seed = ProcessInfo.processInfo.environment["ORCH_PROPERTY_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...999_999)
        var random = SplitMix64(state: seed)  // DeliveryTests.swift
        let agents = ["amp", "codex", "claude"]
        let server = try TestServer(agents: [
            ("amp", "amp", ["--work", "200ms"]), ("codex", "codex", ["--work", "200ms", "--swallow", "120ms"]),
            ("claude", "claude", ["--work", "200ms"]),
        ])
        defer { server.stop() }
        let state = server.directory + "/state"
        var sent: [Sent] = []
        for round in 0..<3 {
            var running: [(index: Int, process: Process, err: DrainedPipe, killAfter: Duration?)] = []
            for agent in agents {
                for _ in 0..<3 {
                    let count = Int.random(in: 1...4, using: &random)
                    let body = (0..<count).map { _ in Self.pieces.randomElement(using: &random)! }.joined(separator: " ")
                    let text = "p\(sent.count) \(body)"
                    let file = server.directory + "/prompt-\(sent.count)"
                    try Data(text.utf8).write(to: URL(fileURLWithPath: file))
                    var expected = PromptText.sanitize(text).text
                    while let last = expected.unicodeScalars.last, last == "\n" || last == "\r" { expected.unicodeScalars.removeLast() }
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: TestServer.orchPath)
                    process.arguments = ["-L", server.socketName, "send", agent, "--file", file]
                    process.environment = ProcessInfo.processInfo.environment.merging(["XDG_STATE_HOME": state, "NO_COLOR": "1"]) { $1 }
                    process.standardOutput = FileHandle.nullDevice
                    let err = Pipe()
                    process.standardError = err
                    let kill: Duration? = Int.random(in: 0..<4, using: &random) == 0 ? .milliseconds(Int.random(in: 0...900, using: &random)) : nil
                    sent.append(Sent(agent: agent, expected: expected, killed: kill != nil))
                    try process.run()
                    running.append((sent.count - 1, process, DrainedPipe(err), kill))
                }
            }
            let start = ContinuousClock.now
            for entry in running.sorted(by: { ($0.killAfter ?? .zero) < ($1.killAfter ?? .zero) }) {
                guard let after = entry.killAfter else { continue }
                let now = ContinuousClock.now
                if start + after > now { usleep(UInt32((start + after - now).timeInterval * 1_000_000)) }
                kill(entry.process.processIdentifier, SIGKILL)
            }
            for entry in running {
                try waitFor("sender \(entry.index) (seed \(seed))", timeout: .seconds(120)) { !entry.process.isRunning }
                sent[entry.index].status = entry.process.terminationStatus
                sent[entry.index].err = entry.err.text(within: .seconds(5))
                if entry.process.terminationReason == .uncaughtSignal && entry.process.terminationStatus == SIGKILL {
                    sent[entry.index].killed = true
                } else if entry.killAfter != nil {
                    sent[entry.index].killed = false  // it ended before the signal: its status counts
                }
            }
            // What a killed sender left typed is cleared before the next round (it was not submitted).
            for (offset, _) in agents.enumerated() { try server.tmux.sendKeys(["C-u"], to: "\(server.tmux.exactSession(server.session)):\(offset + 1)") }
            let free = try server.orch(["wait", "free", "all", "timeout", "60s"], environment: ["XDG_STATE_HOME": state])
            #expect(free.status == 0, "round \(round), seed \(seed): \(free.err)")
        }
        _ = try server.orch(["wait", "free", "all", "timeout", "60s"], environment: ["XDG_STATE_HOME": state])
        // No paste buffer is left behind: the next send deletes those of killed senders.
        let last = try server.orch(["send", "amp", "p\(sent.count) last"], environment: ["XDG_STATE_HOME": state])
        sent.append(Sent(agent: "amp", expected: "p\(sent.count) last", status: last.status, err: last.err))
        #expect(try server.tmux.bufferNames().filter { $0.hasPrefix("orch-") } == [], "seed \(seed)")
        _ = try server.orch(["wait", "free", "all", "timeout", "60s"], environment: ["XDG_STATE_HOME": state])
        let profileOf = ["amp": "amp", "codex": "codex", "claude": "claude"]
        let received = server.received()
        var outcomes = ["submitted": 0, "refused or not submitted": 0, "killed, submitted": 0, "killed, not submitted": 0]
        for (index, prompt) in sent.enumerated() {
            let copies = received.filter { $0.profile == profileOf[prompt.agent] && $0.text == prompt.expected }.count
            let what = "seed \(seed), prompt \(index) to \(prompt.agent) (\(prompt.expected.prefix(40).debugDescription)): status \(prompt.status), received \(copies)×, \(prompt.err)"
            if prompt.killed {
                #expect(copies <= 1, "\(what)")
                outcomes[copies == 1 ? "killed, submitted" : "killed, not submitted", default: 0] += 1
            } else if prompt.status == 0 {
                #expect(copies == 1, "\(what)")
                outcomes["submitted", default: 0] += 1
            } else if prompt.err.contains(": unverified:") {
                // orch said it could not tell (a starved agent drew nothing in time): never twice.
                #expect(copies <= 1, "\(what)")
                outcomes["unverified", default: 0] += 1
            } else {
                #expect(copies == 0 && prompt.err.contains("error: send"), "\(what)")
                outcomes["refused or not submitted", default: 0] += 1
            }
        }
        // Nothing glued, nothing partial: each prompt received is one that was sent, whole.
        for prompt in received {
            let agent = profileOf.first { $0.value == prompt.profile }?.key
            #expect(sent.contains { $0.agent == agent && $0.expected == prompt.text }, "seed \(seed): \(prompt.profile) received \(prompt.text.prefix(80).debugDescription)…\(prompt.text.suffix(80).debugDescription) (\(prompt.text.utf8.count) bytes), which no one sent whole")
        }
        print("delivery property, seed \(seed): \(outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
    }
}
