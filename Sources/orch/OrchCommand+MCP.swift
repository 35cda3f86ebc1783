import OrchCore

#if canImport(Glibc)
import Glibc
#endif

extension OrchCommand {
    /// `orch [OPTIONS] mcp [OPTIONS]`: the MCP server on stdin/stdout until end of input. Options
    /// may also follow `mcp` (`claude mcp add orch -- orch mcp -L work`).
    func runMCP(_ rest: [String]) -> Int32 {
        var command = self
        if !rest.isEmpty {
            do {
                let trailing = try OrchCommand.parse(rest)
                guard trailing.words.isEmpty, trailing.commands == nil else {
                    FileSystem.writeAll("orch: error: mcp takes options only (-L, -S, -s, --config), not '\((trailing.words.first ?? "-c"))'\n", to: 2)
                    return 2
                }
                command.socketName = trailing.socketName ?? socketName
                command.socketPath = trailing.socketPath ?? socketPath
                command.session = trailing.session ?? session
                command.config = trailing.config ?? config
                if command.socketName != nil && command.socketPath != nil {
                    FileSystem.writeAll("orch: error: give -L/--socket-name or -S/--socket-path, not both\n", to: 2)
                    return 2
                }
            } catch {
                FileSystem.writeAll("orch: error: \(OrchCommand.message(for: error))\n", to: 2)
                return 2
            }
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
