import OrchCore

#if canImport(Glibc)
import Glibc
#endif

extension OrchCommand {
    /// This command line with `options` (words given after a mode word: `orch mcp -L work`,
    /// `./script.orch -L work` from a shebang) applied on top; prints why and gives the exit
    /// status when they are not options only.
    func withOptions(_ options: [String], after mode: String) -> Result<OrchCommand, RefusedOptions> {
        guard !options.isEmpty else { return .success(self) }
        var command = self
        do {
            let trailing = try OrchCommand.parse(options)
            guard trailing.words.isEmpty, trailing.commands == nil else {
                FileSystem.writeAll("orch: error: \(mode) takes options only (-L, -S, -s, --config, --no-color), not '\(trailing.words.first ?? "-c")'\n", to: 2)
                return .failure(RefusedOptions())
            }
            command.socketName = trailing.socketName ?? socketName
            command.socketPath = trailing.socketPath ?? socketPath
            command.session = trailing.session ?? session
            command.config = trailing.config ?? config
            command.noColor = trailing.noColor || noColor
            command.noWatch = trailing.noWatch || noWatch
            if trailing.format != "text" { command.format = trailing.format }
        } catch {
            FileSystem.writeAll("orch: error: \(OrchCommand.message(for: error))\n", to: 2)
            return .failure(RefusedOptions())
        }
        if command.socketName != nil && command.socketPath != nil {
            FileSystem.writeAll("orch: error: give -L/--socket-name or -S/--socket-path, not both\n", to: 2)
            return .failure(RefusedOptions())
        }
        return .success(command)
    }

    /// `orch [OPTIONS] mcp [OPTIONS]`: the MCP server on stdin/stdout until end of input. Options
    /// may also follow `mcp` (`claude mcp add orch -- orch mcp -L work`).
    func runMCP(_ rest: [String]) -> Int32 {
        let command: OrchCommand
        switch withOptions(rest, after: "mcp") {
        case .success(let merged): command = merged
        case .failure(let refused): return refused.status
        }
        if isatty(0) != 0 {
            FileSystem.writeAll("orch mcp: serving the Model Context Protocol on stdin/stdout, for an agent CLI to start (see the README's MCP section); Ctrl-D ends it\n", to: 2)
        }
        var options = command.interpreterOptions
        options.format = .json
        options.color = false
        let interpreter = command.makeInterpreter(RoutedOutput(), options: options)
        let server = MCPServer(interpreter: interpreter, version: OrchVersion.current)
        return runBlocking { await server.run() }
    }
}

/// Words after a mode word that are not options only (already told): exit status 2.
struct RefusedOptions: Error {
    var status: Int32 = 2
}
