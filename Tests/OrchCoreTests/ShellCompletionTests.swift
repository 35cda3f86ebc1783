import Foundation
import OrchCore
import Testing

/// The completion scripts under completions/ parse, and bash and fish really complete with them.
@Suite(.serialized) struct ShellCompletionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let binFolder = (TestServer.orchPath as NSString).deletingLastPathComponent

    static func available(_ shell: String) -> Bool {
        ["/usr/bin/", "/bin/"].contains { FileManager.default.isExecutableFile(atPath: $0 + shell) }
    }

    @Test(arguments: [("bash", "orch.bash"), ("zsh", "orch.zsh"), ("fish", "orch.fish")])
    func scriptParses(shell: String, file: String) throws {
        try #require(Self.available(shell), "\(shell) is not installed (.ci/run installs it)")
        let result = try TestServer.run("/usr/bin/env", [shell, "-n", Self.root + "/completions/" + file])
        #expect(result.status == 0, "\(result.err)")
    }

    @Test func bashCompletesCommandsAgentsAndStates() throws {
        let server = try TestServer(agents: [("amp", "amp", []), ("antigravity", "antigravity", [])])
        defer { server.stop() }
        func complete(_ words: [String]) throws -> [String] {
            let quoted = words.map { "'\($0)'" }.joined(separator: " ")
            let script = "source '\(Self.root)/completions/orch.bash'; COMP_WORDS=(orch -L \(server.socketName) \(quoted)); COMP_CWORD=\(words.count + 2); _orch; printf '%s\\n' \"${COMPREPLY[@]}\""
            let result = try TestServer.run("/bin/bash", ["-c", script], environment: ["PATH": Self.binFolder + ":/usr/bin:/bin"])
            return result.out.split(separator: "\n").map(String.init)
        }
        #expect(try complete(["pe"]) == ["peek"])
        #expect(try complete(["peek", "a"]) == ["amp", "antigravity"])
        #expect(try complete(["wait", "f"]) == ["free"])
        #expect(try complete(["send", "amp,an"]) == ["amp,antigravity"])
        #expect(try complete(["--no-c"]) == ["--no-color"])
    }

    @Test func fishCompletesWithTheLiveAgents() throws {
        try #require(Self.available("fish"), "fish is not installed (.ci/run installs it)")
        let server = try TestServer(agents: [("amp", "amp", []), ("codex", "codex", [])])
        defer { server.stop() }
        let script = "source '\(Self.root)/completions/orch.fish'; complete -C 'orch -L \(server.socketName) peek c'"
        let result = try TestServer.run("/usr/bin/env", ["fish", "-c", script], environment: ["PATH": Self.binFolder + ":/usr/bin:/bin"])
        #expect(result.out.split(separator: "\n").map { String($0.split(separator: "\t")[0]) } == ["codex"], "\(result.out) \(result.err)")
    }
}
