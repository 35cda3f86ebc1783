import Dispatch
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
        let layout = DemoLayout(socketName: "orch-demo-\(getpid())", executable: FileSystem.executablePath())
        DemoLayout.removeStaleServers()
        // Journal and queue of the demo stay out of any real session's files, and go with it.
        let state = "/tmp/\(layout.socketName)-state"
        let cleanUp: @Sendable () -> Void = {
            layout.stop()
            FileSystem.removeTree(state)
        }
        let terminal = TerminalModes.current()
        // A closed terminal or a kill must not leave the private server and its agents behind;
        // the handlers are in place before the server exists.
        let signals = [SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                // The watcher's control client first: attached, it keeps a killed server alive.
                Spawner.terminateLaunched()
                terminal.restore()
                cleanUp()
                exit(128 + number)
            }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        defer { cleanUp() }
        do {
            try layout.start()
        } catch {
            FileSystem.writeAll("orch demo: could not start the tmux server: \(error)\n", to: 2)
            return 1
        }

        var command = base
        command.socketName = layout.socketName
        command.socketPath = nil
        command.session = DemoLayout.session
        var options = command.interpreterOptions
        options.stateDirectory = state
        if let script {
            switch FileSystem.readText(script) {
            case .success(let text): return command.runScript(text, file: script, options: options)
            case .failure(let error):
                FileSystem.writeAll("orch demo: \(error)\n", to: 2)
                return 1
            }
        }
        guard isatty(0) != 0 else { return command.runScript(command.readStandardInput(), file: "<stdin>", options: options) }
        let interpreter = Interpreter(options: options, output: StandardOutput())
        _ = runBlocking { try? await interpreter.discoverAgents() }
        // Its own history too: the demo's made-up commands stay out of the user's history file.
        return OrchCommand.runREPL(interpreter, greeting: layout.greeting, style: Style(enabled: command.interpreterOptions.color), watch: !command.noWatch, historyPath: state + "/history")
    }
}

/// The terminal's settings at start, to put back if the demo is killed while libedit has the
/// terminal in raw mode.
struct TerminalModes: Sendable {
    let saved: termios?

    static func current() -> TerminalModes {
        var modes = termios()
        return TerminalModes(saved: isatty(0) != 0 && tcgetattr(0, &modes) == 0 ? modes : nil)
    }

    func restore() {
        guard var modes = saved else { return }
        tcsetattr(0, TCSANOW, &modes)
    }
}
