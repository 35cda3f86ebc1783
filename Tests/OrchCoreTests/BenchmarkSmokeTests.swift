import Foundation
import Testing

/// orch-bench is built with the tests and run briefly: every measure it reports must still work
/// (its numbers are not asserted on; timing belongs to the benchmark, not to the tests).
@Suite struct BenchmarkSmokeTests {
    @Test func runsEveryMeasureBriefly() throws {
        let bench = URL(fileURLWithPath: TestServer.orchPath).deletingLastPathComponent().appendingPathComponent("orch-bench").path
        try #require(FileManager.default.fileExists(atPath: bench), "orch-bench was not built beside orch")
        let result = try TestServer.run(bench, ["--agents", "1,2", "--rounds", "1", "--idle", "500ms", "--prompts", "1", "--peeks", "3", "--starts", "2", "--busy", "2", "--busy-window", "2s", "--history", "200"])
        #expect(result.status == 0, "\(result.err)")
        for heading in ["| agents | orch p50", "| agents idle for", "`orch -s bench peek claude01`", "start-up to prompt, median", "memory of its tmux control client", "orch send (verified) | 1 | 0", "| streaming agents | orch: own + control client", "| `orch log 20` |"] {
            #expect(result.out.contains(heading), "missing \(heading)")
        }
        // Two rows per table, one per agent count, and no measure left empty.
        #expect(result.out.contains("\n| 1 | ") && result.out.contains("\n| 2 | "))
        #expect(!result.out.contains("| - |"))
        #expect(!result.out.contains(" 0.0 MB"))
    }
}
