import Foundation
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

    /// Foundation's `Pipe` is not close-on-exec. A child started through the seam while some
    /// other thread held one used to keep its write end; a tmux server started so kept it for as
    /// long as it ran, and the other thread's read-to-the-end waited as long (a CI run hung until
    /// its 90-minute limit: two tests, each reading a pipe the other's server held).
    @Test func aChildKeepsNoDescriptorItWasNotGiven() throws {
        let pipe = Pipe()
        let writeEnd = pipe.fileHandleForWriting.fileDescriptor
        let listing = try Spawner.run("ls", ["-l", "/proc/self/fd"]).stdoutText
        let descriptors = listing.split(separator: "\n").compactMap { line in line.split(separator: " ").dropLast(2).last.flatMap { Int32($0) } }
        #expect(!descriptors.isEmpty && !descriptors.contains(writeEnd) && descriptors.allSatisfy { $0 <= 3 }, "\(listing)")
        // And a tmux server started meanwhile holds none of this process's pipes.
        let server = try TestServer(agents: [])
        defer { server.stop() }
        let ours = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(writeEnd)")
        let held = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(try server.serverPID())/fd").compactMap {
            try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(try server.serverPID())/fd/\($0)")
        }
        #expect(!held.isEmpty && !held.contains(ours), "\(ours) in \(held)")
        try pipe.fileHandleForWriting.close()
    }
}
