/// The tools `orch mcp` serves: each one orch command, run with `--format json` where the
/// command has it. Descriptions are written for the orchestrating model that reads them.
enum MCPToolCatalog {
    static let stateNames = ["working", "done", "idle", "input", "free"]

    static let all: [MCPTool] = [status, agents, send, wait, peek, reply, key, queue, log]

    static func named(_ name: String) -> MCPTool? { all.first { $0.name == name } }

    static let agentProperty = JSONValue.schema("string", "An agent's name, as `agents` lists them (its tmux window name, e.g. \"codex\").")

    static let status = MCPTool(
        name: "status", title: "Agent states",
        description: """
            Each agent's state right now, with the screen line that decided it. States: working (busy \
            on a prompt), done (finished its turn; its reply is ready), idle (at its prompt, nothing \
            new), input (asking a question or an approval: answer it with `key`), unknown. Cheap: call \
            it instead of reading screens.
            """,
        properties: [("agents", .schema("array", "Only these agents (default: all).", extra: [("items", .object([("type", .string("string"))]))]))],
        required: [], readOnly: true,
        command: { arguments throws(ToolArgumentError) in ["status"] + (try arguments.names("agents") ?? []) },
        result: { output, _ in jsonList(output, key: "agents") })

    static let agents = MCPTool(
        name: "agents", title: "List agents",
        description: "The agents of the session: name, tmux window, pane, profile, state and last screen line. Call it first to learn the names.",
        properties: [], required: [], readOnly: true,
        command: { _ in ["agents"] },
        result: { output, _ in jsonList(output, key: "agents") })

    static let send = MCPTool(
        name: "send", title: "Send a prompt",
        description: """
            Types `text` into an agent's input and submits it, verified: waits until the agent is free \
            (up to 2 minutes), types the text exactly (quotes, newlines, unicode; multi-line text is \
            pasted), presses Enter and checks on its screen that the prompt was taken. Never presses \
            Enter into a question the agent is asking: then it fails and says so. Returns when the \
            prompt is submitted, not when the agent is done: call `wait` with state "done" next, then \
            `reply`. A failure means the prompt was NOT submitted; its message says what to do.
            """,
        properties: [
            ("agent", .schema("string", "The agent, or several separated by commas (\"codex,claude\") to send the same prompt to each.")),
            ("text", .schema("string", "The prompt, sent byte for byte.")),
            ("submit", .schema("boolean", "false: type the text but do not press Enter (default true).")),
            ("force", .schema("boolean", "true: send even while the agent is asking a question (default false).")),
        ],
        required: ["agent", "text"], readOnly: false,
        command: { arguments throws(ToolArgumentError) in
            let agent = try arguments.requiredString("agent", "the agent to send to")
            guard let text = try arguments.string("text") else { throw ToolArgumentError("send: 'text' is required: the prompt to send") }
            var words = ["send"]
            if try arguments.bool("submit") == false { words.append("--no-submit") }
            if try arguments.bool("force") == true { words.append("--force") }
            return words + [agent, text]
        },
        result: { _, arguments in
            let agents = (try? arguments.names("agent")) ?? []
            let submitted = (try? arguments.bool("submit")) != false
            let text = "\(submitted ? "submitted to" : "typed (not submitted) into") \(agents.joined(separator: ", "))"
            return ToolResult(text: text, structured: .object([
                ("agents", .array(agents.map(JSONValue.string))), ("submitted", .bool(submitted)),
            ]))
        },
        direct: { arguments throws(ToolArgumentError) in
            let names = try arguments.names("agent") ?? []
            guard !names.isEmpty else { throw ToolArgumentError("send: 'agent' is required: the agent to send to") }
            guard let text = try arguments.string("text") else { throw ToolArgumentError("send: 'text' is required: the prompt to send") }
            let options = SendOptions(submit: try arguments.bool("submit") != false, force: try arguments.bool("force") == true)
            return Command(.send(options, targets: names.map { AgentRef($0, at: toolLocation) }, text: text), at: toolLocation)
        })

    static let wait = MCPTool(
        name: "wait", title: "Wait for agents",
        description: """
            Blocks until agents reach a state, then returns who did, the line that decided, and (for \
            done) their reply. `wait` done right after `send` waits for the turn that send started. \
            target: one agent, "a,b" (all of them), "any" (the first to get there) or "all". State \
            free means done or idle: `wait` free any names an agent to give work to. Fails after \
            `timeout` (default 10 minutes) with every agent's state. Cancelling the call stops the wait.
            """,
        properties: [
            ("state", .schema("string", "The state to wait for.", extra: [("enum", .array(stateNames.map(JSONValue.string)))])),
            ("target", .schema("string", "An agent, \"a,b\", \"any\" or \"all\" (default \"all\").")),
            ("timeout", .object([("type", .array([.string("number"), .string("string")])), ("description", .string("Seconds, or a duration such as \"90s\" or \"10m\" (default 10m)."))])),
        ],
        required: ["state"], readOnly: true,
        command: { arguments throws(ToolArgumentError) in
            let state = try arguments.requiredString("state", "one of \(stateNames.joined(separator: ", "))")
            guard stateNames.contains(state) else { throw ToolArgumentError("wait: 'state' must be one of \(stateNames.joined(separator: ", ")), not '\(state)'") }
            let target = try arguments.string("target").flatMap { $0.isEmpty ? nil : $0 } ?? "all"
            return ["wait", state, target, "timeout", try arguments.duration("timeout") ?? "10m"]
        },
        result: { output, _ in jsonList(output, key: "agents") })

    static let peek = MCPTool(
        name: "peek", title: "Read an agent's screen",
        description: "The last non-empty lines of an agent's screen (default 15), as the user would see them. Use `status` for the state and `reply` for its answer; peek when those are not enough (a question's options, an error).",
        properties: [
            ("agent", agentProperty),
            ("lines", .schema("integer", "How many lines (default 15).", extra: [("minimum", .int(1))])),
        ],
        required: ["agent"], readOnly: true,
        command: { arguments throws(ToolArgumentError) in
            let agent = try arguments.requiredString("agent", "the agent whose screen to read")
            return ["peek", agent] + (try arguments.positiveInt("lines").map { [String($0)] } ?? [])
        },
        result: { output, arguments in
            ToolResult(text: output.joined(separator: "\n"), structured: .object([
                ("agent", .string((try? arguments.string("agent")) ?? "")), ("lines", .array(output.map(JSONValue.string))),
            ]))
        })

    static let reply = MCPTool(
        name: "reply", title: "Read an agent's reply",
        description: "The answer to the last prompt sent to an agent: exact from its hook when `orch hooks install` was run for it, else read from its screen. Fails while the agent is still working: `wait` done first.",
        properties: [("agent", agentProperty)],
        required: ["agent"], readOnly: true,
        command: { arguments throws(ToolArgumentError) in ["reply", try arguments.requiredString("agent", "the agent whose reply to read")] },
        result: { output, arguments in
            let text = output.joined(separator: "\n")
            return ToolResult(text: text, structured: .object([("agent", .string((try? arguments.string("agent")) ?? "")), ("reply", .string(text))]))
        })

    static let key = MCPTool(
        name: "key", title: "Press keys",
        description: "Presses keys in an agent's window, to answer a question or an approval it shows (state input): e.g. [\"1\"], [\"y\"], [\"Enter\"], [\"Escape\"], [\"Down\", \"Enter\"]. Key names are tmux's (Enter, Escape, Up, Down, Tab, C-c); other words are typed as they are. `peek` first to see the options.",
        properties: [
            ("agent", agentProperty),
            ("keys", .schema("array", "The keys, in order.", extra: [("items", .object([("type", .string("string"))])), ("minItems", .int(1))])),
        ],
        required: ["agent", "keys"], readOnly: false,
        command: { arguments throws(ToolArgumentError) in
            let agent = try arguments.requiredString("agent", "the agent to press keys in")
            guard let keys = try arguments.names("keys"), !keys.isEmpty else { throw ToolArgumentError("key: 'keys' is required: a list such as [\"Enter\"]") }
            return ["key", agent] + keys
        },
        result: { _, arguments in
            let keys = ((try? arguments.names("keys")) ?? []).joined(separator: " ")
            return ToolResult(text: "pressed \(keys)", structured: .object([("agent", .string((try? arguments.string("agent")) ?? "")), ("keys", .string(keys))]))
        })

    static let queue = MCPTool(
        name: "queue", title: "Queue a task",
        description: "Queues a prompt for the next free agent (or for the named one): orch sends it, verified, as soon as that agent is free, so you need not wait yourself. Returns the task's id; `log` shows when it was sent.",
        properties: [
            ("text", .schema("string", "The prompt.")),
            ("agent", .schema("string", "Only this agent (default: any free agent).")),
        ],
        required: ["text"], readOnly: false,
        command: { arguments throws(ToolArgumentError) in
            guard let text = try arguments.string("text"), !text.isEmpty else { throw ToolArgumentError("queue: 'text' is required: the prompt to queue") }
            return ["queue", try arguments.string("agent").flatMap { $0.isEmpty ? nil : $0 } ?? "any", text]
        },
        result: { output, _ in
            let line = output.joined(separator: "\n")
            let id = line.split(separator: "#").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) }
            return ToolResult(text: line, structured: .object([("id", id.map(JSONValue.int) ?? .null), ("message", .string(line))]))
        },
        direct: { arguments throws(ToolArgumentError) in
            guard let text = try arguments.string("text"), !text.isEmpty else { throw ToolArgumentError("queue: 'text' is required: the prompt to queue") }
            let target = try arguments.string("agent").flatMap { $0.isEmpty || $0 == "any" ? nil : $0 }.map { QueueTarget.agent(AgentRef($0, at: toolLocation)) } ?? .any
            return Command(.queueAdd(target, text: text), at: toolLocation)
        })

    /// Where a tool's command is said to come from, in messages that give a position (none).
    static let toolLocation = SourceLocation(file: "<mcp>", line: 1, column: 1)

    static let log = MCPTool(
        name: "log", title: "Recent events",
        description: "The last n entries of the session's journal (default 20): prompts sent and whether each was submitted, state changes, queued tasks handed out.",
        properties: [("n", .schema("integer", "How many entries (default 20).", extra: [("minimum", .int(1))]))],
        required: [], readOnly: true,
        command: { arguments throws(ToolArgumentError) in ["log"] + (try arguments.positiveInt("n").map { [String($0)] } ?? []) },
        result: { output, _ in
            let entries = output.map { JSONValue.parse($0) ?? .string($0) }
            return ToolResult(text: JSONValue.array(entries).serialized, structured: .object([("entries", .array(entries))]))
        })

    /// A command that printed one JSON array: `{key: [...]}`, and the array as text.
    static func jsonList(_ output: [String], key: String) -> ToolResult {
        let text = output.joined(separator: "\n")
        let value = JSONValue.parse(text) ?? .array(output.map(JSONValue.string))
        return ToolResult(text: value.serialized, structured: .object([(key, value)]))
    }
}
