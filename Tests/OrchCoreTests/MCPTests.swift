import Foundation
@testable import OrchCore
import Testing

/// JSON-RPC framing and tool arguments, without a server.
@Suite struct MCPMessageTests {
    func parse(_ text: String) -> JSONRPCMessage { JSONRPCMessage.parse(Array(text.utf8)) }

    @Test func requestsAndNotificationsAreTold() {
        #expect(parse(#"{"jsonrpc":"2.0","id":7,"method":"ping"}"#) == .request(id: .int(7), method: "ping", params: nil))
        #expect(parse(#"{"jsonrpc":"2.0","id":"a","method":"tools/list","params":{}}"#) == .request(id: .string("a"), method: "tools/list", params: .object([])))
        #expect(parse(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#) == .notification(method: "notifications/initialized", params: nil))
        #expect(parse(#"{"jsonrpc":"2.0","id":1,"result":{}}"#) == .response)
    }

    @Test(arguments: [
        ("not json", JSONRPCError.parseErrorCode, "null"),
        (#"{"jsonrpc":"2.0","id":1,"method":"x""#, JSONRPCError.parseErrorCode, "null"),
        ("[1,2]", JSONRPCError.invalidRequestCode, "null"),
        ("42", JSONRPCError.invalidRequestCode, "null"),
        (#"{"id":3,"method":"ping"}"#, JSONRPCError.invalidRequestCode, "3"),
        (#"{"jsonrpc":"2.0","id":{"x":1},"method":"ping"}"#, JSONRPCError.invalidRequestCode, "null"),
        (#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#, JSONRPCError.invalidRequestCode, "null"),
        (#"{"jsonrpc":"2.0","id":4,"method":5}"#, JSONRPCError.invalidRequestCode, "4"),
        (#"{"jsonrpc":"2.0","id":5,"method":"ping","params":"x"}"#, JSONRPCError.invalidParamsCode, "5"),
        (#"{"jsonrpc":"2.0","id":6}"#, JSONRPCError.invalidRequestCode, "6"),
        (String(repeating: "[", count: 1_000), JSONRPCError.parseErrorCode, "null"),
    ])
    func malformedMessagesGetAnErrorWithTheirID(text: String, code: Int, id: String) {
        guard case .invalid(let gotID, let error) = parse(text) else {
            Issue.record("\(text.prefix(40)) was accepted")
            return
        }
        #expect(error.code == code)
        #expect(gotID.serialized == id)
    }

    @Test func theIDOfALineTooLongToReadIsFoundAtItsStart() {
        func id(_ text: String) -> String? { JSONRPCMessage.leadingID(Array(text.utf8))?.serialized }
        #expect(id(#"{"jsonrpc":"2.0","id":99,"method":"tools/call","params":{"arguments":{"text":"xxxx"#) == "99")
        #expect(id(#"{"params":{"id":5,"x":"a\"id\":6"},"id":"seven","method"#) == #""seven""#)
        #expect(id(#"{"method":"tools/call","params":{"text":"#) == nil)
    }

    @Test func toolArgumentsAreCheckedAgainstTheSchema() throws {
        func words(_ tool: String, _ json: String) -> Result<[String], ToolArgumentError> {
            let tool = MCPToolCatalog.named(tool)!
            do throws(ToolArgumentError) {
                let arguments = try ToolArguments(tool: tool.name, JSONValue.parse(json), known: tool.properties.map(\.0))
                return .success(try tool.command(arguments))
            } catch {
                return .failure(error)
            }
        }
        // Text is one word, verbatim, after the agent: a leading dash or `;` stays text.
        #expect(try words("send", #"{"agent":"codex","text":"-x; Enter"}"#).get() == ["send", "codex", "-x; Enter"])
        #expect(try words("send", #"{"agent":"codex","text":"hi","submit":false}"#).get() == ["send", "--no-submit", "codex", "hi"])
        #expect(try words("wait", #"{"state":"done","target":"amp","timeout":2.5}"#).get() == ["wait", "done", "amp", "timeout", "2500ms"])
        #expect(try words("wait", #"{"state":"free"}"#).get() == ["wait", "free", "all", "timeout", "10m"])
        #expect(try words("queue", #"{"text":"clear the cache"}"#).get() == ["queue", "any", "clear the cache"])
        #expect(try words("status", #"{"agents":["a","b"]}"#).get() == ["status", "a", "b"])
        #expect(try words("peek", #"{"agent":"amp","lines":30.0}"#).get() == ["peek", "amp", "30"])
        let failures: [(String, String, String)] = [
            ("send", #"{"agent":"codex"}"#, "'text' is required"),
            ("send", #"{"agent":"codex","text":"x","agnet":1}"#, "unknown argument 'agnet'"),
            ("send", #"{"agent":7,"text":"x"}"#, "'agent' must be a string"),
            ("wait", #"{"state":"finished"}"#, "'state' must be one of"),
            ("wait", #"{"state":"done","timeout":-1}"#, "'timeout' must be seconds"),
            ("peek", #"{"agent":"amp","lines":0}"#, "'lines' must be a whole number above 0"),
            ("key", #"{"agent":"amp","keys":[]}"#, "'keys' is required"),
            ("status", #"[1]"#, "arguments must be an object"),
        ]
        for (tool, json, message) in failures {
            guard case .failure(let error) = words(tool, json) else {
                Issue.record("\(tool) \(json) was accepted")
                continue
            }
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func everyToolListsASchemaAndADescription() {
        for tool in MCPToolCatalog.all {
            let listing = tool.listing(structured: true)
            #expect(listing["inputSchema"]?["type"]?.stringValue == "object")
            #expect((listing["description"]?.stringValue ?? "").count > 40, "\(tool.name)")
            for name in tool.required { #expect(tool.properties.contains { $0.0 == name }, "\(tool.name).\(name)") }
        }
        #expect(MCPToolCatalog.all.map(\.name) == ["status", "agents", "send", "wait", "peek", "reply", "key", "queue", "log"])
    }
}

/// The real `orch mcp` fed raw lines: every bad message gets an error and the server lives on.
@Suite struct MCPRawStdioTests {
    func lines(_ output: String) -> [[String: Any]] {
        output.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func malformedAndOversizedMessagesGetErrorsThenItStillAnswers() throws {
        let server = try TestServer(agents: [("codex", "codex", [])])
        defer { server.stop() }
        let huge = #"{"jsonrpc":"2.0","id":99,"method":"ping","params":{"pad":""# + String(repeating: "x", count: 9 << 20) + #""}}"#
        let input = [
            "garbage", "[]", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\"}",
            String(repeating: "{\"a\":", count: 50_000), huge, "\u{1}\u{0}\u{7f}",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{}}",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"rm-rf\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"peek\",\"arguments\":{\"agent\":\"ghost\"}}}",
            "", "   ",
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}",
        ].joined(separator: "\n") + "\n"
        // The waits time out (1 s) well within the 3 s a call still running at end of input gets.
        let result = try TestServer.run(TestServer.orchPath, ["-L", server.socketName, "mcp"], stdin: input)
        #expect(result.status == 0, "\(result.err)")
        let replies = lines(result.out)
        let codes = replies.compactMap { ($0["error"] as? [String: Any])?["code"] as? Int }
        #expect(codes == [-32700, -32600, -32601, -32700, -32600, -32700, -32602, -32602], "\(result.out.prefix(2000))")
        let peek = try #require(replies.first { $0["id"] as? Int == 4 }?["result"] as? [String: Any])
        #expect(peek["isError"] as? Bool == true)
        let peekText = (peek["content"] as? [[String: Any]])?.first?["text"] as? String
        #expect(peekText?.contains("unknown agent 'ghost'") == true, "\(peekText ?? "")")
        #expect(replies.contains { $0["id"] as? Int == 5 && $0["result"] != nil }, "the ping after them was not answered")
        let oversized = replies.first { (($0["error"] as? [String: Any])?["message"] as? String)?.contains("over the limit") == true }
        #expect(oversized?["id"] as? Int == 99, "the oversized request's error did not carry its id")
    }

    @Test func aFloodOfCallsIsCappedAndEveryMessageAnswered() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        var input = ""
        for id in 0..<80 { input += #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"wait","arguments":{"state":"working","target":"amp","timeout":1}}}"# + "\n" }
        for id in 80..<2080 { input += #"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"# + "\n" }
        let result = try TestServer.run(TestServer.orchPath, ["-L", server.socketName, "mcp"], stdin: input)
        #expect(result.status == 0)
        let replies = lines(result.out)
        #expect(replies.count == 2080, "\(replies.count) replies to 2080 requests")
        let refused = replies.filter { (($0["error"] as? [String: Any])?["message"] as? String)?.contains("calls are running already") == true }
        #expect(refused.count == 16, "\(refused.count) refused of 80 waits (64 may run)")
    }

    /// Each revision the official SDKs speak is answered in kind; an unknown one gets the newest
    /// (the client then decides). Before 2025-06-18 a result has no structuredContent.
    @Test(arguments: [
        ("2025-11-25", "2025-11-25", true), ("2025-06-18", "2025-06-18", true),
        ("2025-03-26", "2025-03-26", false), ("2024-11-05", "2024-11-05", false),
        ("1999-01-01", "2025-11-25", true),
    ])
    func negotiatesTheProtocolVersion(asked: String, answered: String, structured: Bool) throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let input = [
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"\#(asked)","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"status","arguments":{}}}"#,
        ].joined(separator: "\n") + "\n"
        let result = try TestServer.run(TestServer.orchPath, ["-L", server.socketName, "mcp"], stdin: input)
        #expect(result.status == 0, "\(result.err)")
        let replies = lines(result.out)
        let initialized = try #require(replies.first { $0["id"] as? Int == 1 }?["result"] as? [String: Any])
        #expect(initialized["protocolVersion"] as? String == answered)
        let status = try #require(replies.first { $0["id"] as? Int == 2 }?["result"] as? [String: Any])
        #expect(status["isError"] as? Bool == false)
        #expect((status["structuredContent"] != nil) == structured, "\(status)")
    }

    @Test func withoutATmuxServerToolsFailWithTheCLIsMessage() throws {
        let input = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"status","arguments":{}}}"# + "\n"
        let result = try TestServer.run(TestServer.orchPath, ["-L", "orch-no-server-\(getpid())", "mcp"], stdin: input)
        #expect(result.status == 0)
        let reply = try #require(lines(result.out).first?["result"] as? [String: Any])
        #expect(reply["isError"] as? Bool == true)
        let cli = try TestServer.run(TestServer.orchPath, ["-L", "orch-no-server-\(getpid())", "status"])
        let text = (reply["content"] as? [[String: Any]])?.first?["text"] as? String ?? ""
        #expect(text == cli.err.trimmingCharacters(in: .whitespacesAndNewlines), "MCP: \(text)\nCLI: \(cli.err)")
    }
}

/// The official MCP Python SDK drives `orch mcp` against simulated agents on a private tmux
/// server: every tool, byte-exact delivery, tool errors, cancellation.
@Suite(.enabled(if: MCPClient.shouldRun, "MCP Python SDK not installed: run scripts/install-mcp-client.sh"))
struct MCPClientTests {
    static let tricky = [
        "a; b", "-x --help", #"quotes "double" and 'single' \ back"#, "unicode: café ✓ 日本 🚀",
        "data: rows=3, cols=4", "Enter", "--file", "line one\nline two\n  indented three",
        String(repeating: "0123456789abcdef", count: 640),
    ]

    @Test func listsTheToolsAndNegotiatesAVersion() throws {
        let server = try TestServer(agents: [("codex", "codex", [])])
        defer { server.stop() }
        let report = try MCPClient.run([["list_tools": true], ["ping": true]], orch: ["-L", server.socketName])
        #expect(report.protocolVersion == "2025-11-25")
        #expect(report.server == "orch" && report.hasInstructions)
        let tools = try #require(report.steps.first?["tools"] as? [[String: Any]])
        #expect(tools.compactMap { $0["name"] as? String } == ["status", "agents", "send", "wait", "peek", "reply", "key", "queue", "log"])
        #expect(tools.first { $0["name"] as? String == "peek" }?["readOnly"] as? Bool == true)
        #expect(tools.first { $0["name"] as? String == "send" }?["readOnly"] as? Bool == false)
        #expect(report.steps.last?["pong"] as? Bool == true)
    }

    @Test func sendsTrickyPromptsByteExactAndWaitsForEachTurn() throws {
        let server = try TestServer(agents: [("codex", "codex", ["--work", "300ms", "--swallow", "120ms"])])
        defer { server.stop() }
        var steps: [[String: Any]] = []
        for text in Self.tricky {
            steps.append(["call": "send", "arguments": ["agent": "codex", "text": text]])
            steps.append(["call": "wait", "arguments": ["state": "done", "target": "codex", "timeout": 30]])
        }
        steps.append(["call": "reply", "arguments": ["agent": "codex"]])
        let report = try MCPClient.run(steps, orch: ["-L", server.socketName], environment: ["XDG_STATE_HOME": server.directory + "/state"])
        for (index, step) in report.steps.enumerated() {
            #expect(step.isError == false, "step \(index): \(step.text)")
        }
        let received = try server.waitForReceived(Self.tricky.count).map(\.text)
        #expect(received == Self.tricky)
        let waited = try #require((report.steps[1].structured["agents"] as? [[String: Any]])?.first)
        #expect(waited["agent"] as? String == "codex" && waited["state"] as? String == "done")
        let reply = report.steps.last?.text ?? ""
        #expect(reply.contains("Finished:") && reply.contains("0123456789abcdef"), "\(reply.prefix(300))")
    }

    @Test func everyToolWorksAndFailuresAreToolErrors() throws {
        let server = try TestServer(agents: [("claude", "claude", ["--work", "300ms"]), ("amp", "amp", ["--work", "5s"])])
        defer { server.stop() }
        let steps: [[String: Any]] = [
            ["call": "agents"],
            ["call": "status", "arguments": ["agents": ["claude"]]],
            ["call": "send", "arguments": ["agent": "claude", "text": "please [ask] first"]],
            ["call": "wait", "arguments": ["state": "input", "target": "claude", "timeout": "20s"]],
            ["call": "peek", "arguments": ["agent": "claude", "lines": 8]],
            ["call": "key", "arguments": ["agent": "claude", "keys": ["1"]]],
            ["call": "wait", "arguments": ["state": "done", "target": "claude", "timeout": 20]],
            ["call": "queue", "arguments": ["text": "queued for claude", "agent": "claude"]],
            ["call": "log", "arguments": ["n": 50]],
            // Failures: each a tool result with isError and the CLI's message.
            ["call": "peek", "arguments": ["agent": "ghost"]],
            ["call": "send", "arguments": ["agent": "claude"]],
            ["call": "send", "arguments": ["agent": "amp", "text": "long one [work=5s]"]],
            ["call": "wait", "arguments": ["state": "idle", "target": "amp", "timeout": 0.3]],
            ["call": "no-such-tool"],
            // An agent named like a queue subcommand is an agent, not `queue rm 1`.
            ["call": "queue", "arguments": ["agent": "rm", "text": "1"]],
        ]
        let report = try MCPClient.run(steps, orch: ["-L", server.socketName], environment: ["XDG_STATE_HOME": server.directory + "/state"])
        let s = report.steps
        for index in 0..<9 { #expect(s[index].isError == false, "step \(index): \(s[index].text)") }
        #expect((s[0].structured["agents"] as? [[String: Any]])?.compactMap { $0["agent"] as? String } == ["claude", "amp"])
        #expect((s[1].structured["agents"] as? [[String: Any]])?.first?["state"] as? String == "idle")
        #expect(s[4].text.contains("Do you want to proceed?"), "\(s[4].text)")
        #expect(((s[4].structured["lines"] as? [String])?.count ?? 0) <= 8)
        #expect(((s[6].structured["agents"] as? [[String: Any]])?.first?["state"] as? String) == "done")
        #expect(s[7].structured["id"] as? Int != nil, "\(s[7].text)")
        let entries = try #require(s[8].structured["entries"] as? [[String: Any]])
        #expect(entries.contains { $0["event"] as? String == "send" && $0["phase"] as? String == "submitted" })
        let received = try server.waitForReceived(3).map(\.text)
        #expect(received.contains("queued for claude"), "the queued task was not dispatched: \(received)")
        #expect(s[9].isError == true && s[9].text.hasPrefix("orch: error: unknown agent 'ghost'"), "\(s[9].text)")
        #expect(s[10].isError == true && s[10].text.contains("'text' is required"), "\(s[10].text)")
        #expect(s[11].isError == false, "\(s[11].text)")
        #expect(s[12].isError == true && s[12].text.contains("timed out after"), "\(s[12].text)")
        #expect((s[13]["mcp_error"] as? [String: Any])?["code"] as? Int == -32602)
        #expect(s[14].isError == true && s[14].text.contains("unknown agent 'rm'"), "\(s[14].text)")
    }

    /// A prompt the agent never takes, and a tmux server that dies mid-session: tool errors with
    /// the command line's message, and the server answers on.
    @Test func aSendNotSubmittedAndTmuxDyingAreToolErrors() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--never-submit"])])
        defer { server.stop() }
        let steps: [[String: Any]] = [
            ["call": "status"],
            ["call": "send", "arguments": ["agent": "amp", "text": "never taken"]],
            ["run": ["tmux", "-L", server.socketName, "kill-server"]],
            ["call": "status"],
            ["call": "peek", "arguments": ["agent": "amp"]],
            ["ping": true],
        ]
        let report = try MCPClient.run(steps, orch: ["-L", server.socketName], environment: ["XDG_STATE_HOME": server.directory + "/state"])
        let s = report.steps
        #expect(s[0].isError == false, "\(s[0].text)")
        #expect(s[1].isError == true && s[1].text.hasPrefix("orch: error: send to amp: not submitted"), "\(s[1].text)")
        #expect(s[1].structured["submitted"] as? Bool != true)
        #expect(s[2]["status"] as? Int == 0)
        let cli = try TestServer.run(TestServer.orchPath, ["-L", server.socketName, "status"])
        #expect(cli.status != 0)
        #expect(s[3].isError == true && s[3].text == cli.err.trimmingCharacters(in: .whitespacesAndNewlines), "MCP: \(s[3].text)\nCLI: \(cli.err)")
        #expect(s[4].isError == true && !s[4].text.isEmpty, "\(s[4].text)")
        #expect(s[5]["pong"] as? Bool == true)
    }

    @Test func aCancelledWaitStopsAtOnceAndTheServerGoesOn() throws {
        let server = try TestServer(agents: [("claude", "claude", [])])
        defer { server.stop() }
        let steps: [[String: Any]] = [
            ["call": "wait", "arguments": ["state": "working", "target": "claude", "timeout": 600], "cancel_after": 0.5],
            ["parallel": [
                ["call": "wait", "arguments": ["state": "working", "target": "claude", "timeout": 600], "cancel_after": 0.5],
                ["call": "status"],
            ]],
            ["call": "status"],
        ]
        let report = try MCPClient.run(steps, orch: ["-L", server.socketName])
        #expect(report.steps[0]["cancelled"] as? Bool == true)
        let parallel = try #require(report.steps[1]["results"] as? [[String: Any]])
        #expect(parallel[1].isError == false && (parallel[1]["seconds"] as? Double ?? 9) < 0.5, "a status during a wait waited for it: \(parallel[1])")
        #expect(report.steps[2].isError == false)
        // The server says how long each cancellation took to stop its wait.
        let took = report.stderr.split(separator: "\n").filter { $0.contains("cancelled call") }.map { line in
            let words = line.split(separator: " ")
            return words.firstIndex { $0.hasPrefix("ms") }.flatMap { Int(words[$0 - 1]) } ?? -1
        }
        #expect(took.count == 2, "\(report.stderr)")
        #expect(took.allSatisfy { $0 >= 0 && $0 <= 100 }, "cancellation took \(took) ms")
    }
}

/// The Python SDK drives real Codex 0.147 (window 5, through the fake LLM) via `orch mcp`: the
/// prompt the model server got is the one sent, `wait` ends with the stream, `reply` is its text.
@Suite(.serialized, .enabled(if: MCPClient.shouldRun && RealAgentRig.shouldRun, "needs scripts/install-mcp-client.sh and scripts/install-real-agents.sh"))
struct MCPRealCodexTests {
    @Test func sendWaitReplyOnRealCodex() throws {
        let rig = try RealAgentRig()
        defer { rig.stop() }
        let prompts = [#"mcp turn one: "quotes", 'single'; -dash café [stream=800ms][lines=3]"#, "mcp turn two\nsecond line [lines=2]"]
        var steps: [[String: Any]] = [["call": "status", "arguments": ["agents": ["codex"]]]]
        for prompt in prompts {
            steps.append(["call": "send", "arguments": ["agent": "codex", "text": prompt]])
            steps.append(["call": "wait", "arguments": ["state": "done", "target": "codex", "timeout": 60]])
            steps.append(["call": "reply", "arguments": ["agent": "codex"]])
        }
        steps += [
            ["call": "peek", "arguments": ["agent": "codex", "lines": 40]],
            ["call": "agents"],
            ["call": "log", "arguments": ["n": 100]],
        ]
        let report = try MCPClient.run(steps, orch: ["-L", rig.socketName], environment: ["XDG_STATE_HOME": rig.stateHome])
        for (index, step) in report.steps.enumerated() { #expect(step.isError == false, "step \(index): \(step.text)") }
        #expect((report.steps[0].structured["agents"] as? [[String: Any]])?.first?["state"] as? String == "idle")
        let requests = try rig.waitForRequests(prompts.count)
        #expect(requests.map(\.userText) == prompts, "the model server got \(requests.map(\.userText))")
        for (turn, request) in requests.enumerated() {
            let waited = report.steps[2 + turn * 3]
            let who = (waited.structured["agents"] as? [[String: Any]])?.first
            #expect(who?["state"] as? String == "done")
            let reply = report.steps[3 + turn * 3].text
            #expect(reply.contains(request.replyText.split(separator: "\n").first.map(String.init) ?? "?"), "reply \(turn + 1): \(reply)\nmodel said: \(request.replyText)")
        }
        let tail = report.steps.suffix(3).map { $0 }
        // The screen shows the last turn's reply; agents lists the real CLIs; the journal has both sends.
        let lastReply = requests.last?.replyText.split(separator: "\n").first.map(String.init) ?? "?"
        #expect(tail[0].text.contains(lastReply), "peek: \(tail[0].text)")
        let names = (tail[1].structured["agents"] as? [[String: Any]])?.compactMap { $0["agent"] as? String } ?? []
        #expect(names.contains("codex"), "\(names)")
        let entries = (tail[2].structured["entries"] as? [[String: Any]]) ?? []
        let submitted = entries.filter { $0["event"] as? String == "send" && $0["phase"] as? String == "submitted" && $0["agent"] as? String == "codex" }
        #expect(submitted.count == prompts.count, "\(entries.suffix(10))")
        try rig.saveScreen("5", as: "codex-done-mcp")
    }
}

/// The seed's architecture end to end: real Codex is the orchestrator, with `orch mcp` as its
/// MCP server; the fake LLM scripts its tool calls (send, wait, reply), and a simulated agent in
/// window 2 does the work.
@Suite(.serialized, .enabled(if: RealAgentRig.shouldRun, "real agent CLIs not installed: run scripts/install-real-agents.sh"))
struct MCPCodexOrchestratorTests {
    @Test func realCodexSendsWaitsAndReadsAReplyThroughOrch() throws {
        var options = RealAgentRig.Options()
        options.codexMCP = true
        options.logBodies = true
        options.approvalPolicy = "never"
        let rig = try RealAgentRig(options)
        defer { rig.stop() }
        let workerLog = rig.directory + "/worker.jsonl"
        try rig.tmux(["respawn-pane", "-k", "-t", rig.target("2"), TestServer.orchPath, "__sim-agent", "--profile", "amp", "--work", "1s", "--log", workerLog])
        try rig.waitForScreen("2", containing: "simulated by orch")
        let task = #"write the "changelog"; then stop"#
        let prompt = #"orchestrate amp [mcp=send {"agent":"amp","text":"write the \"changelog\"; then stop"}][mcp=wait {"state":"done","target":"amp","timeout":60}][mcp=reply {"agent":"amp"}]"#
        try rig.submit("5", prompt)
        let requests = try rig.waitForRequests(4, timeout: .seconds(90))
        let last = try #require(requests.last)
        #expect(requests.first?.tools.contains { $0.hasSuffix("send") } == true, "orch's tools were not offered: \(requests.first?.tools ?? [])")
        #expect(last.kind == "followup" && last.toolOutputs.count == 3, "\(requests.map { ($0.kind, $0.toolOutputs) })")
        // The worker got the task once, byte-exact, and orch's answers reached the model.
        let worker = (try? String(contentsOfFile: workerLog, encoding: .utf8)) ?? ""
        let received = worker.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["text"] as? String
        }
        #expect(received == [task])
        let outputs = last.toolOutputs
        // Codex hands the model a tool's structuredContent (not its text): that is what it reads.
        #expect(outputs.first?.contains(#""submitted":true"#) == true, "send said: \(outputs.first ?? "")")
        #expect(outputs.dropFirst().first?.contains("\"state\":\"done\"") == true, "wait said: \(outputs.dropFirst().first ?? "")")
        #expect(outputs.last?.contains("changelog") == true, "reply said: \(outputs.last ?? "")")
        try rig.waitForScreen("5", containing: "reply said:")
        try rig.saveScreen("5", as: "codex-orchestrator-mcp")
    }
}

/// `orch mcp --config` with a `host` line: a host's agents are tool targets as `AGENT@HOST`,
/// the prompt crossing ssh byte-exact.
@Suite(.serialized, .enabled(if: MCPClient.shouldRun && SSHServer.isInstalled, "needs scripts/install-mcp-client.sh and openssh-server"))
struct MCPHostTests {
    @Test func aHostsAgentsAreToolTargets() throws {
        let rig = try HostRig(remote: [("amp", "amp", ["--work", "300ms"])])
        defer { rig.stop() }
        let config = rig.local.directory + "/init.orch"
        try (rig.hostLine + "\n").write(toFile: config, atomically: true, encoding: .utf8)
        let text = #"over ssh: $(id) "double" 'single'; café ✓"#
        let steps: [[String: Any]] = [
            ["call": "agents"],
            ["call": "send", "arguments": ["agent": "amp@gpu1", "text": text]],
            ["call": "wait", "arguments": ["state": "done", "target": "amp@gpu1", "timeout": 30]],
            ["call": "peek", "arguments": ["agent": "amp@gpu1", "lines": 20]],
            ["call": "status", "arguments": ["agents": ["amp@gpu1"]]],
        ]
        let report = try MCPClient.run(steps, orch: ["-L", rig.local.socketName, "--config", config], environment: ["XDG_STATE_HOME": rig.local.directory + "/state"])
        let s = report.steps
        for (index, step) in s.enumerated() { #expect(step.isError == false, "step \(index): \(step.text)") }
        let agents = (s[0].structured["agents"] as? [[String: Any]]) ?? []
        #expect(agents.contains { $0["agent"] as? String == "amp@gpu1" && $0["host"] as? String == "gpu1" }, "\(agents)")
        #expect(agents.contains { $0["agent"] as? String == "claude" })
        #expect(rig.remote.received().map(\.text) == [text])
        #expect(((s[2].structured["agents"] as? [[String: Any]])?.first?["state"] as? String) == "done", "\(s[2].text)")
        #expect(s[3].text.contains("over ssh"), "\(s[3].text)")
    }
}
