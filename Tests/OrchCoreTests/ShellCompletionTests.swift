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

    /// zsh (compinit) and fish at a real prompt, Tab pressed: what each inserts is a word that
    /// shell reads back as the name, a name with a space quoted by the shell's own rules.
    @Test(arguments: ["zsh", "fish"])
    func tabInsertsNamesTheShellQuotes(shell: String) throws {
        try #require(Self.available(shell), "\(shell) is not installed (.ci/run installs it)")
        let server = try TestServer(agents: [("my agent", "amp", []), ("amp", "amp", [])])
        defer { server.stop() }
        let home = server.directory + "/home-\(shell)"
        try FileManager.default.createDirectory(atPath: home + "/fn", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.root + "/completions/orch.zsh", toPath: home + "/fn/_orch")
        let program = shell == "zsh"
            ? ["zsh", "-f"]
            : ["fish", "--no-config", "-C", "source '\(Self.root)/completions/orch.fish'; function fish_prompt; echo '$ '; end"]
        let window = "\(server.tmux.exactSession(server.session)):8"
        try server.tmux.run(["new-window", "-d", "-t", window, "/usr/bin/env", "PATH=\(Self.binFolder):/usr/bin:/bin", "HOME=\(home)"] + program)
        // zsh -f reads no startup file: compinit is typed at its prompt.
        if shell == "zsh" {
            try server.tmux.typeLiteral("fpath=(\(home)/fn $fpath); autoload -U compinit; compinit -u -d \(home)/zcompdump; PS1='$ '", into: window)
            try server.tmux.sendKeys(["Enter"], to: window)
        }
        try waitFor("the \(shell) prompt") { server.screen("8").split(separator: "\n").last?.hasPrefix("$") == true }
        let cases = [
            ("send my", #"send my\ agent"#),
            ("send 'my", "send 'my agent'"),
            ("peek a", "peek amp"),
            ("wait d", "wait done"),
        ]
        for (typed, expected) in cases {
            try server.tmux.sendKeys(["C-u", "C-l"], to: window)
            try waitFor("a clear line") { server.screen("8").split(separator: "\n").last.map { $0.trimmingCharacters(in: .whitespaces) } == "$" }
            try server.tmux.typeLiteral("orch -L \(server.socketName) \(typed)", into: window)
            try waitFor("\(typed) typed") { server.screen("8").contains(typed) }
            try server.tmux.sendKeys(["Tab"], to: window)
            try waitFor("\(shell) completes '\(typed)' as '\(expected)':\n\(server.screen("8"))", timeout: .seconds(15)) {
                server.screen("8").split(separator: "\n").last?.trimmingCharacters(in: .whitespaces).hasSuffix(expected) == true
            }
        }
        try server.tmux.sendKeys(["C-u"], to: window)
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
