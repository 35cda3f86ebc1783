import OrchCore
import Testing

@Suite struct SpawnerTests {
    @Test func capturesOutputAndStatus() throws {
        let result = try Spawner.run("sh", ["-c", "printf out; printf err >&2; exit 3"])
        #expect(result.status == 3)
        #expect(result.stdoutText == "out")
        #expect(result.stderrText == "err")
    }

    @Test func argumentsArriveVerbatimWithoutAShell() throws {
        let tricky = ["a b", "$(echo no)", "`x`", "; ls", "'\"", "-n", "é🎉"]
        let result = try Spawner.run("printf", ["%s\\n"] + tricky)
        #expect(result.stdoutText == tricky.map { $0 + "\n" }.joined())
    }

    @Test func feedsLargeInputWhileReadingOutput() throws {
        // More than a pipe buffer both ways: a naive write-then-read would deadlock.
        let input = Array(String(repeating: "0123456789abcdef", count: 40_000).utf8)
        let result = try Spawner.run("cat", [], input: input)
        #expect(result.stdout == input)
    }

    @Test func killsAProcessThatOutlivesItsTimeout() throws {
        let start = ContinuousClock.now
        #expect(throws: SpawnError.timedOut(program: "sleep", after: .milliseconds(200))) {
            try Spawner.run("sleep", ["30"], timeout: .milliseconds(200))
        }
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func reportsAMissingProgram() {
        #expect(throws: SpawnError.self) { try Spawner.run("orch-no-such-program-xyz", []) }
    }
}
