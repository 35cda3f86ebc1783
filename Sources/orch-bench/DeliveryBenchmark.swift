#if canImport(Glibc)
import Glibc
#endif
import OrchCore

/// Prompts into an agent that swallows an Enter arriving within 120 ms of text (as Codex does,
/// docs/facts.md): orch's verified `send` against Python libtmux's `Pane.send_keys(text, enter=True)`.
struct DeliveryBenchmark {
    let prompts: Int

    struct Outcome {
        var seconds: Double
        var received: Int
    }

    func run() async throws(BenchError) -> String {
        let orch = try await measureOrch()
        let libtmux = try measureLibtmux()
        func rate(_ o: Outcome) -> String { "\(Double(Int(Double(o.received) / o.seconds * 10)) / 10) prompts/s" }
        var table = """
            | delivering \(prompts) prompts to an agent that swallows an early Enter | submitted | swallowed | time | rate |
            |---|---|---|---|---|
            | orch send (verified) | \(orch.received) | \(prompts - orch.received) | \(Double(Int(orch.seconds * 10)) / 10) s | \(rate(orch)) |

            """
        if let libtmux {
            table = table.replacingLast("\n", with: "\n| libtmux \(libtmuxVersion ?? "") Pane.send_keys(enter=True) | \(libtmux.received) | \(prompts - libtmux.received) | \(Double(Int(libtmux.seconds * 1000)) / 1000) s | \(libtmux.received == 0 ? "0 submitted" : rate(libtmux)) |\n")
        } else {
            table += "(libtmux not installed: pip install libtmux, to compare)\n"
        }
        return table
    }

    private func measureOrch() async throws(BenchError) -> Outcome {
        let server = try BenchServer(count: 1, prefix: "orchsend", profiles: ["codex"], options: ["--work", "0ms", "--swallow", "120ms"])
        defer { server.stop() }
        try await waitUntil("the agent starts", timeout: .seconds(10)) { (try? server.tmux.capturePane(server.pane(server.names[0])))?.contains("simulated by orch") == true }
        let windows: [TmuxWindow]
        do { windows = try server.tmux.listWindows(session: server.session) } catch { throw BenchError(message: "\(error)") }
        guard let window = windows.first(where: { $0.name == server.names[0] }) else { throw BenchError(message: "no agent window") }
        let agent = Agent(name: window.name, windowIndex: window.index, paneID: window.paneID, profile: AgentProfile.named("codex")!)
        let sender = Sender(tmux: server.tmux)
        let start = ContinuousClock.now
        for i in 0..<prompts {
            do { _ = try await sender.send("orch prompt \(i)", to: agent, submit: true) } catch { throw BenchError(message: "send: \(error)") }
        }
        let seconds = Stats.seconds(ContinuousClock.now - start)
        try? await Task.sleep(for: .milliseconds(500))
        return Outcome(seconds: seconds, received: server.prompts(agent.name).count)
    }

    private var libtmuxVersion: String? {
        (try? Spawner.run("python3", ["-c", "import libtmux; print(libtmux.__version__)"]))?.stdoutText.filter { !$0.isNewline }
    }

    private func measureLibtmux() throws(BenchError) -> Outcome? {
        guard let version = libtmuxVersion, !version.isEmpty else { return nil }
        let server = try BenchServer(count: 1, prefix: "libtmux", profiles: ["codex"], options: ["--work", "0ms", "--swallow", "120ms"])
        defer { server.stop() }
        let script = """
            import sys, time, libtmux
            server = libtmux.Server(socket_name=sys.argv[1])
            pane = server.sessions.get(session_name=sys.argv[2]).windows.get(window_name=sys.argv[3]).active_pane
            start = time.monotonic()
            for i in range(int(sys.argv[4])):
                pane.send_keys(f"libtmux prompt {i}", enter=True)
            print(time.monotonic() - start)
            """
        guard let socket = server.tmux.endpoint.socketName else { throw BenchError(message: "no socket") }
        var ready = false
        for _ in 0..<200 where !ready {
            ready = (try? server.tmux.capturePane(server.pane(server.names[0])))?.contains("simulated by orch") == true
            usleep(20_000)
        }
        let result: SpawnResult
        do {
            result = try Spawner.run("python3", ["-c", script, socket, server.session, server.names[0], String(prompts)], timeout: .seconds(120))
        } catch {
            throw BenchError(message: "libtmux: \(error)")
        }
        guard result.status == 0, let seconds = Double(result.stdoutText.filter { !$0.isNewline }) else {
            throw BenchError(message: "libtmux failed: \(result.stderrText)")
        }
        usleep(500_000)
        // Swallowed Enters leave prompts glued together in the input box: only the logged ones ran.
        return Outcome(seconds: seconds, received: server.prompts(server.names[0]).count)
    }

}

extension String {
    /// The string with its last `target` replaced (for appending a row before the final newline).
    func replacingLast(_ target: String, with replacement: String) -> String {
        guard let range = ranges(of: target).last else { return self + replacement }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }
}
