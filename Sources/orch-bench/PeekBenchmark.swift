#if canImport(Glibc)
import Glibc
#endif
import OrchCore

/// One-shot `orch peek` against the plain tmux ways of looking at a pane: `capture-pane -p`
/// alone, and `capture-pane -p` then `tail -15` (the guide's pipeline, minus the shell that would
/// run it). Calls alternate so that noise hits every column alike.
struct PeekBenchmark {
    let server: BenchServer
    let calls: Int

    func run() throws(BenchError) -> String {
        let orch = BenchServer.siblingExecutable("orch")
        guard FileSystem.exists(orch) else {
            return "(one-shot peek skipped: build orch too, `swift build -c release --static-swift-stdlib`)\n"
        }
        let name = server.names[0]
        let capture = server.tmux.endpoint.arguments + ["capture-pane", "-p", "-t", server.pane(name)]
        let peek = server.tmux.endpoint.arguments + ["-s", server.session, "peek", name]
        // The answer must be right before its time means anything.
        let expected = try Self.call("tmux", capture).split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.suffix(15)
        let answered = try Self.call(orch, peek).split(separator: "\n")
        guard answered.map({ $0.trimmingTrailingSpaces }) == expected.map({ $0.trimmingTrailingSpaces }) else {
            throw BenchError(message: "orch peek printed something else than the pane's last lines")
        }
        var times: (orch: [Double], tmux: [Double], pipeline: [Double]) = ([], [], [])
        for _ in 0..<calls {
            var start = MonotonicClock.nanoseconds()
            _ = try Self.call(orch, peek)
            times.orch.append(Self.milliseconds(since: start))
            start = MonotonicClock.nanoseconds()
            _ = try Self.call("tmux", capture)
            times.tmux.append(Self.milliseconds(since: start))
            start = MonotonicClock.nanoseconds()
            _ = try Self.call("tail", ["-15"], input: Self.call("tmux", capture))
            times.pipeline.append(Self.milliseconds(since: start))
        }
        func row(_ label: String, _ values: [Double]) -> String {
            let median = Stats.percentile(values, 0.5)
            return "| \(label) | \(Stats.ms(median)) | \(Stats.ms(Stats.percentile(values, 0.9))) | \(Stats.ratio(Stats.percentile(times.orch, 0.5), median, decimals: 1)) |\n"
        }
        return """
            One-shot look at a pane, \(calls) calls each, alternating (wall time from spawn to exit):

            | command | median | p90 | orch peek / this, medians |
            |---|---|---|---|

            """ + row("`orch -s \(server.session) peek \(name)`", times.orch) + row("`tmux capture-pane -p` then `tail -15`", times.pipeline)
            + row("`tmux capture-pane -p` alone", times.tmux)
    }

    /// Runs `program`, which must succeed; its standard output.
    static func call(_ program: String, _ arguments: [String], input: String? = nil) throws(BenchError) -> String {
        let result: SpawnResult
        do { result = try Spawner.run(program, arguments, input: input.map { Array($0.utf8) }) } catch { throw BenchError(message: "\(program): \(error)") }
        guard result.status == 0 else { throw BenchError(message: "\(program) \(arguments.joined(separator: " ")): \(result.stderrText)") }
        return result.stdoutText
    }

    static func milliseconds(since start: Int) -> Double {
        Double(MonotonicClock.nanoseconds() - start) / 1_000_000
    }
}

extension Substring {
    var trimmingTrailingSpaces: Substring {
        var text = self
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return text
    }
}
