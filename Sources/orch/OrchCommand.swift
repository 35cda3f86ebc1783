import ArgumentParser
import OrchCore

#if canImport(Glibc)
import Glibc
#endif

/// The `orch` command line: options as in docs/language.md, then the words of one command, a script
/// file, `demo`, or nothing (REPL on a terminal, a script on stdin otherwise).
struct OrchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orch",
        abstract: "Drive several AI coding agents in tmux windows from one shell.",
        usage: """
            orch [OPTIONS]                     REPL (or a script piped to stdin)
              orch [OPTIONS] FILE.orch           run a script
              orch [OPTIONS] -c 'CMDS'           run commands given as text
              orch [OPTIONS] COMMAND ARGS...     one command, e.g. orch peek amp 30
              orch demo [--script FILE]          simulated agents on a private tmux server
              orch [OPTIONS] mcp                 orch's tools for an agent CLI, over MCP (stdio)
            """,
        discussion: """
            EXAMPLES
              orch demo                         try it with simulated agents
              orch status                       each agent's state and evidence
              orch send amp "fix the tests"     type a prompt and submit it
              orch send codex,claude 'review'   the same prompt to two agents
              orch peek codex 40                the last 40 non-empty lines
              orch -c 'send amp "go"; sleep 5s; peek amp'

            The words after the options are one command of the language, each
            word verbatim: orch send amp "-x; Enter" sends exactly that text.
            In the REPL, `help` lists the commands and `help CMD` explains one.

            EXIT STATUS
              0 success, 1 runtime failure (tmux gone, unknown agent, ...),
              2 usage or syntax error.

            """ + "\n" + OrchCommand.languageCommands,
        version: OrchVersion.current
    )

    /// The language's commands, one entry each (from the catalog `help` reads): in `--help`
    /// and in the manual page generated from it.
    static let languageCommands: String = {
        var text = "COMMANDS (in the REPL, a script, -c or as words after the options)\n"
        for command in CommandCatalog.all {
            for form in command.syntax.split(separator: "\n") { text += "  \(form)\n" }
            var line = "     "
            for word in command.summary.split(separator: " ") {  // wrapped here: under 80 columns, kept as is
                if line.count + word.count >= 72 { text += line + "\n"; line = "     " }
                line += " " + word
            }
            text += line + "\n"
        }
        return text
    }()

    @Option(name: [.customShort("L"), .customLong("socket-name")], help: "tmux socket name, as tmux -L.")
    var socketName: String?

    @Option(name: [.customShort("S"), .customLong("socket-path")], help: "tmux socket path, as tmux -S.")
    var socketPath: String?

    @Option(name: [.short, .customLong("session")], help: "tmux session (default: $ORCH_SESSION, the config's, moana-orchestration, or the only one).")
    var session: String?

    @Flag(name: .customLong("no-watch"), help: "Do not watch agents for notices.")
    var noWatch = false

    @Flag(name: .customLong("no-color"), help: "No colours (NO_COLOR is honoured too).")
    var noColor = false

    @Option(name: .customLong("config"), help: "Run this file at start instead of ~/.config/orch/init.orch.")
    var config: String?

    @Option(name: .customLong("format"), help: "Output of status, agents, queue list and log: text or json.")
    var format: String = "text"

    @Option(name: .customShort("c"), help: "Run these commands (separated by ; or newlines) and exit.")
    var commands: String?

    @Argument(parsing: .captureForPassthrough, help: "A command and its words, a script file, or demo.")
    var words: [String] = []

    func validate() throws {
        guard OutputFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be text or json, not '\(format)'")
        }
        if socketName != nil && socketPath != nil {
            throw ValidationError("give -L/--socket-name or -S/--socket-path, not both")
        }
    }

    /// Parses `arguments` and runs; exits with docs/language.md's statuses (2 for usage errors,
    /// where ArgumentParser alone would use 64).
    static func start(_ arguments: [String]) -> Never {
        let command: OrchCommand
        do {
            command = try parse(arguments)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }  // --help, --version
            // The message alone: ArgumentParser's full message repeats the whole usage block.
            FileSystem.writeAll("orch: error: \(message(for: error))\nSee orch --help.\n", to: 2)
            Glibc.exit(2)
        }
        Glibc.exit(command.execute())
    }

    var interpreterOptions: InterpreterOptions {
        InterpreterOptions(
            endpoint: TmuxEndpoint(socketName: socketName, socketPath: socketPath),
            session: session ?? FileSystem.environment("ORCH_SESSION").flatMap { $0.isEmpty ? nil : $0 },
            format: OutputFormat(rawValue: format) ?? .text,
            color: !noColor && FileSystem.environment("NO_COLOR").map(\.isEmpty) ?? true && FileSystem.environment("TERM") != "dumb" && isatty(1) != 0)
    }

    /// Chooses the mode and runs it; returns the exit status.
    func execute() -> Int32 {
        if let commands { return runScript(commands, file: "-c") }
        // Passthrough capture keeps --help/--version that come first in `words`: answer them here.
        if let first = words.first, first == "--help" || first == "-h" {
            FileSystem.writeAll(Self.helpMessage() + "\n", to: 1)
            return 0
        }
        if words == ["--experimental-dump-help"] {  // what swift-argument-parser's generate-manual reads
            FileSystem.writeAll(Self._dumpHelp() + "\n", to: 1)
            return 0
        }
        if words == ["--version"] {
            FileSystem.writeAll(OrchVersion.current + "\n", to: 1)
            return 0
        }
        guard let first = words.first else {
            if isatty(0) != 0 { return runREPL() }
            return runScript(readStandardInput(), file: "<stdin>")
        }
        if first == "mcp" { return runMCP(Array(words.dropFirst())) }
        if first == "demo" { return Demo(arguments: Array(words.dropFirst()), base: self).run() }
        if first.hasPrefix("-") {
            FileSystem.writeAll("orch: error: unknown option '\(first)'\nSee orch --help.\n", to: 2)
            return 2
        }
        if first == "__complete" {
            let rest = words.dropFirst()
            if rest.first == "--unquoted" { return complete(rest.dropFirst().joined(separator: " "), quoted: false) }
            return complete(rest.joined(separator: " "))
        }
        if CommandCatalog.named(first) == nil, first.hasSuffix(".orch") || FileSystem.exists(first) {
            // Options after the file: a shebang script run as `./fan-out.orch -L work`.
            let command: OrchCommand
            switch withOptions(Array(words.dropFirst()), after: first) {
            case .success(let merged): command = merged
            case .failure(let refused): return refused.status
            }
            switch FileSystem.readText(first) {
            case .success(let text): return command.runScript(text, file: first)
            case .failure(let error):
                FileSystem.writeAll("orch: error: \(error)\n", to: 2)
                return 1
            }
        }
        return runOneShot(words)
    }
}
