#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// `orch mcp`: orch's commands as Model Context Protocol tools over stdio (JSON-RPC 2.0, one
/// message per line), for an orchestrating agent CLI that starts it.
///
/// One interpreter serves every call, with its watcher running, so `wait` is event-driven and
/// shares turn records with every other orch on the session. Calls run concurrently (a `peek`
/// during a long `wait`); `notifications/cancelled` cancels one. End of input ends the server.
public actor MCPServer {
    /// Protocol revisions served through the initialize handshake, newest first.
    public static let protocolVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]

    let interpreter: Interpreter
    let reader: LineReader
    let writer = LineWriter()
    /// The tool calls running, by their request id (serialized).
    var calls: [String: Task<Void, Never>] = [:]
    var negotiated = MCPServer.protocolVersions[0]
    /// The watcher and dispatcher run; until then each tool call tries again (the tmux server
    /// or session may appear after `orch mcp` started).
    var watching = false
    var toldNotWatching = false
    var starting: Task<Void, Never>?
    let version: String

    public init(interpreter: Interpreter, version: String, input fd: Int32 = 0, messageLimit: Int = 8 << 20) {
        self.interpreter = interpreter
        self.version = version
        self.reader = LineReader(fd: fd, limit: messageLimit)
    }

    /// Serves until end of input, then until the calls still running end (cancelled after 3 s).
    public func run() async -> Int32 {
        await startWatching()
        for await event in reader.lines() {
            defer { reader.consumed() }
            switch event {
            case .line(let bytes):
                handle(JSONRPCMessage.parse(bytes))
            case .oversized(let bytes, let head):
                // Answered with the request's id when its start shows one, so its caller is not
                // left waiting for an answer that never comes.
                writer.write(JSONRPCMessage.error(id: JSONRPCMessage.leadingID(head) ?? .null, JSONRPCError(code: JSONRPCError.invalidRequestCode, message: "Invalid Request: a message of \(bytes) bytes is over the limit of \(reader.limit) bytes; it was not read")))
            }
        }
        // End of input: calls still running get a moment to answer (a piped `printf … | orch
        // mcp`), then are cancelled, so a long `wait` does not keep the server alive.
        let running = Array(calls.values)
        let grace = Task {
            try? await Task.sleep(for: .seconds(3))
            for call in running { call.cancel() }
        }
        for call in running { await call.value }
        grace.cancel()
        await interpreter.shutdown()
        return 0
    }

    /// The watcher (for `wait`, and turn records) and the dispatcher (for `queue`), as in the
    /// REPL but without notices. Without a tmux server yet, each tool call says so itself.
    /// One attempt at a time: concurrent first calls wait for the same one.
    func startWatching() async {
        guard !watching else { return }
        if let starting { return await starting.value }
        let attempt = Task { await self.tryToStartWatching() }
        starting = attempt
        await attempt.value
        starting = nil
    }

    func tryToStartWatching() async {
        guard !watching else { return }
        do throws(OrchError) {
            try await interpreter.startWatching()
            try await interpreter.setDispatch(true)
            watching = true
        } catch {
            if !toldNotWatching { Self.log("not watching yet: \(error.message)") }
            toldNotWatching = true
        }
    }

    func handle(_ message: JSONRPCMessage) {
        switch message {
        case .invalid(let id, let error):
            writer.write(JSONRPCMessage.error(id: id, error))
        case .response:
            break
        case .notification(let method, let params):
            if method == "notifications/cancelled", let id = params?["requestId"] { cancel(id, reason: params?["reason"]?.stringValue) }
        case .request(let id, let method, let params):
            switch method {
            case "initialize": writer.write(JSONRPCMessage.result(id: id, initialize(params)))
            case "ping": writer.write(JSONRPCMessage.result(id: id, .object([])))
            case "tools/list":
                let structured = negotiated >= "2025-06-18"
                writer.write(JSONRPCMessage.result(id: id, .object([("tools", .array(MCPToolCatalog.all.map { $0.listing(structured: structured) }))])))
            case "tools/call": call(id: id, params)
            default: writer.write(JSONRPCMessage.error(id: id, .methodNotFound(method)))
            }
        }
    }

    func initialize(_ params: JSONValue?) -> JSONValue {
        let asked = params?["protocolVersion"]?.stringValue ?? ""
        negotiated = Self.protocolVersions.contains(asked) ? asked : Self.protocolVersions[0]
        return .object([
            ("protocolVersion", .string(negotiated)),
            ("capabilities", .object([("tools", .object([("listChanged", .bool(false))]))])),
            ("serverInfo", .object([("name", .string("orch")), ("title", .string("orch: drive AI coding agents in tmux")), ("version", .string(version))])),
            ("instructions", .string(Self.instructions)),
        ])
    }

    func call(id: JSONValue, _ params: JSONValue?) {
        let key = id.serialized
        guard calls[key] == nil else {
            writer.write(JSONRPCMessage.error(id: id, JSONRPCError(code: JSONRPCError.invalidRequestCode, message: "Invalid Request: id \(key) is already in use by a running call")))
            return
        }
        guard calls.count < Self.maxCalls else {
            writer.write(JSONRPCMessage.error(id: id, JSONRPCError(code: JSONRPCError.invalidRequestCode, message: "Invalid Request: \(Self.maxCalls) calls are running already; wait for one to end")))
            return
        }
        guard let name = params?["name"]?.stringValue else {
            writer.write(JSONRPCMessage.error(id: id, .invalidParams("tools/call needs \"name\", the tool to call")))
            return
        }
        guard let tool = MCPToolCatalog.named(name) else {
            let names = MCPToolCatalog.all.map(\.name).joined(separator: ", ")
            writer.write(JSONRPCMessage.error(id: id, .invalidParams("unknown tool '\(name)' (tools: \(names))")))
            return
        }
        let structured = negotiated >= "2025-06-18"
        let interpreter = self.interpreter
        let writer = self.writer
        calls[key] = Task {
            await self.startWatching()
            let result = await Self.run(tool, arguments: params?["arguments"], on: interpreter)
            // A cancelled call gets no response (the client stopped waiting for it).
            if !Task.isCancelled { writer.write(JSONRPCMessage.result(id: id, result.encoded(structured: structured))) }
            self.finished(key)
        }
    }

    func finished(_ key: String) { calls[key] = nil }

    /// Calls running at once at most (a flooding client gets errors, not unbounded tasks).
    static let maxCalls = 64

    /// `notifications/cancelled`: stops the call; says on standard error how long that took.
    func cancel(_ id: JSONValue, reason: String?) {
        guard let task = calls[id.serialized] else { return }
        let started = ContinuousClock.now
        task.cancel()
        Task {
            await task.value
            let took = ContinuousClock.now - started
            Self.log("cancelled call \(id.serialized) in \(took.components.attoseconds / 1_000_000_000_000_000 + took.components.seconds * 1000) ms" + (reason.map { ": \($0)" } ?? ""))
        }
    }

    /// Runs one tool call as the orch command it stands for, capturing what that prints.
    static func run(_ tool: MCPTool, arguments value: JSONValue?, on interpreter: Interpreter) async -> ToolResult {
        let arguments: ToolArguments
        let words: [String]
        var built: Command?
        do throws(ToolArgumentError) {
            arguments = try ToolArguments(tool: tool.name, value, known: tool.properties.map(\.0))
            words = try tool.command(arguments)
            built = try tool.direct?(arguments)
        } catch {
            return .failure("orch: error: \(error.message)")
        }
        let capture = CapturedOutput()
        let direct = built
        let failure = await RoutedOutput.$current.withValue(capture) { () async -> OrchError? in
            do throws(OrchError) {
                var commands: [Command]
                if let direct {
                    commands = [direct]
                } else {
                    do throws(Diagnostic) { commands = try Parser.parse(arguments: words) } catch { throw OrchError(error) }
                }
                _ = try await interpreter.run(commands)
                return nil
            } catch {
                return error
            }
        }
        let notes = capture.errorLines
        var result = failure.map { ToolResult.failure("orch: \($0)") } ?? tool.result(capture.lines, arguments)
        if !notes.isEmpty {
            result.text += (result.text.isEmpty ? "" : "\n") + notes.map { "note: " + $0 }.joined(separator: "\n")
            if case .object(var pairs) = result.structured {
                pairs.append(("notes", .array(notes.map(JSONValue.string))))
                result.structured = .object(pairs)
            }
        }
        return result
    }

    static func log(_ text: String) { FileSystem.writeAll("orch mcp: \(text)\n", to: 2) }

    /// Sent at initialize; clients may put it in the model's context. The README has the same.
    public static let instructions = """
        orch drives AI coding agents that run in tmux windows (one agent per window). To hand \
        an agent work: `send` {agent, text} types and submits the prompt, verified; then `wait` \
        {state: "done", target: agent} blocks until its turn is over and returns its reply (or \
        call `reply`). `wait` {state: "free", target: "any"} names an agent with nothing to do; \
        `queue` {text} hands a task to the next free agent for you. `status` is cheap: prefer it to \
        reading screens with `peek`. An agent in state input is asking a question or an approval: \
        `peek` it, then answer with `key`. A failed send was not submitted: read its message.
        """
}

/// Writes whole protocol lines to standard output, one at a time (calls finish concurrently).
final class LineWriter: Sendable {
    private let lock = Mutex(())

    func write(_ line: String) {
        lock.withLock { _ in _ = FileSystem.writeAll(line + "\n", to: 1) }
    }
}
