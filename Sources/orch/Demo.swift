import OrchCore

#if canImport(Glibc)
import Glibc
#endif

/// `orch demo [--script FILE]`: the seed's layout on a private tmux server, with simulated agents.
struct Demo {
    var arguments: [String]
    var base: OrchCommand

    func run() -> Int32 {
        var script: String?
        var rest = arguments[...]
        while let word = rest.popFirst() {
            if word == "--script", let file = rest.popFirst() {
                script = file
            } else {
                FileSystem.writeAll("orch demo: unexpected '\(word)' (usage: orch demo [--script FILE])\n", to: 2)
                return 2
            }
        }
        let layout = DemoLayout(socketName: "orch-demo-\(getpid())", executable: Self.executablePath())
        DemoLayout.removeStaleServers()
        do {
            try layout.start()
        } catch {
            FileSystem.writeAll("orch demo: could not start the tmux server: \(error)\n", to: 2)
            layout.stop()
            return 1
        }
        defer { layout.stop() }

        var command = base
        command.socketName = layout.socketName
        command.socketPath = nil
        command.session = DemoLayout.session
        if let script {
            switch FileSystem.readText(script) {
            case .success(let text): return command.runScript(text, file: script)
            case .failure(let error):
                FileSystem.writeAll("orch demo: \(error)\n", to: 2)
                return 1
            }
        }
        guard isatty(0) != 0 else { return command.runScript(command.readStandardInput(), file: "<stdin>") }
        let interpreter = Interpreter(options: command.interpreterOptions, output: StandardOutput())
        _ = runBlocking { try? await interpreter.discoverAgents() }
        return OrchCommand.runREPL(interpreter, greeting: layout.greeting, style: Style(enabled: command.interpreterOptions.color), watch: !command.noWatch)
    }

    /// This program's own path, to start simulated agents as `orch __sim-agent`.
    static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    }
}
