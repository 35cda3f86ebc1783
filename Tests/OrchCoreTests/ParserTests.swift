import OrchCore
import Testing

@Suite("Parser")
struct ParserTests {
    // MARK: Helpers

    private func at(_ line: Int, _ column: Int) -> OrchCore.SourceLocation {
        OrchCore.SourceLocation(file: "<test>", line: line, column: column)
    }

    private func ref(_ name: String, _ line: Int, _ column: Int) -> AgentRef {
        AgentRef(name, at: at(line, column))
    }

    private func parse(_ source: String) throws(Diagnostic) -> [Command] {
        try Parser.parse(source: source, file: "<test>")
    }

    private func kinds(_ source: String) throws(Diagnostic) -> [CommandKind] {
        try parse(source).map(\.kind)
    }

    /// The single command of `source`.
    private func kind(_ source: String) throws -> CommandKind {
        let all = try kinds(source)
        try #require(all.count == 1, "expected one command, got \(all)")
        return all[0]
    }

    private func parseError(_ source: String) -> Diagnostic? {
        do {
            _ = try parse(source)
            return nil
        } catch {
            return error
        }
    }

    private func argumentsError(_ arguments: [String]) -> Diagnostic? {
        do {
            _ = try Parser.parse(arguments: arguments)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Commands

    @Test func sessionAgentAgents() throws {
        #expect(try kind("session moana-orchestration") == .session("moana-orchestration"))
        #expect(try kind("agent amp window 2") == .agent(name: "amp", window: 2, profile: nil))
        #expect(
            try kind("agent reviewer window 0 profile claude") == .agent(name: "reviewer", window: 0, profile: "claude")
        )
        #expect(try kind("agents") == .agents)
    }

    @Test func status() throws {
        #expect(try kind("status") == .status([]))
        #expect(try kind("status amp 2") == .status([ref("amp", 1, 8), ref("2", 1, 12)]))
        // Each part of a comma list points at its own column.
        #expect(try kind("status amp,codex 3") == .status([ref("amp", 1, 8), ref("codex", 1, 12), ref("3", 1, 18)]))
        // In a quoted word, columns do not match characters: every part points at the word.
        #expect(try kind("status \"amp,codex\"") == .status([ref("amp", 1, 8), ref("codex", 1, 8)]))
    }

    @Test func send() throws {
        #expect(
            try kind("send amp \"fix the tests\"")
                == .send(SendOptions(), targets: [ref("amp", 1, 6)], text: "fix the tests"))
        #expect(
            try kind("send amp fix  the\ttests")
                == .send(SendOptions(), targets: [ref("amp", 1, 6)], text: "fix the tests"))
        #expect(try kind("send 2 -x") == .send(SendOptions(), targets: [ref("2", 1, 6)], text: "-x"))
        #expect(
            try kind("send amp,codex --force hi")
                == .send(SendOptions(), targets: [ref("amp", 1, 6), ref("codex", 1, 10)], text: "--force hi"))
        #expect(try kind("send amp \"\"") == .send(SendOptions(), targets: [ref("amp", 1, 6)], text: ""))
    }

    @Test(arguments: [
        ("send --no-submit amp x", SendOptions(submit: false)),
        ("send --no-wait amp x", SendOptions(waitForReady: false)),
        ("send --force amp x", SendOptions(force: true)),
        ("send --force --no-wait --no-submit amp x", SendOptions(submit: false, waitForReady: false, force: true)),
        ("send \"--force\" amp x", SendOptions(force: true)),
    ])
    func sendOptions(source: String, options: SendOptions) throws {
        guard case .send(let parsed, let targets, let text) = try kind(source) else {
            Issue.record("not a send")
            return
        }
        #expect(parsed == options)
        #expect(targets.map(\.name) == ["amp"])
        #expect(text == "x")
    }

    @Test func sendHeredocKeepsTextExact() throws {
        let source = "send amp <<EOF\nImplement the parser.\n  Run the tests;  before you stop.\nEOF\n"
        #expect(
            try kind(source)
                == .send(
                    SendOptions(), targets: [ref("amp", 1, 6)],
                    text: "Implement the parser.\n  Run the tests;  before you stop."))
    }

    @Test func keywordsIgnoreQuoting() throws {
        #expect(try kind("\"send\" 'amp' hi") == .send(SendOptions(), targets: [ref("amp", 1, 8)], text: "hi"))
        #expect(try kind("se\"nd\" amp hi") == .send(SendOptions(), targets: [ref("amp", 1, 8)], text: "hi"))
        #expect(try kind("wait 'done' \"any\"") == .wait(.done, .any, timeout: nil))
    }

    @Test func enterKeyPeek() throws {
        #expect(try kind("enter amp") == .enter(ref("amp", 1, 7)))
        #expect(try kind("key codex Escape C-c") == .key(ref("codex", 1, 5), keys: ["Escape", "C-c"]))
        #expect(try kind("peek amp") == .peek(ref("amp", 1, 6), lines: nil))
        #expect(try kind("peek 3 40") == .peek(ref("3", 1, 6), lines: 40))
    }

    @Test(arguments: [
        (
            "wait done amp",
            CommandKind.wait(
                .done, .agents([AgentRef("amp", at: OrchCore.SourceLocation(file: "<test>", line: 1, column: 11))]),
                timeout: nil)
        ),
        ("wait free any", .wait(.free, .any, timeout: nil)),
        ("wait idle all timeout 90s", .wait(.idle, .all, timeout: .seconds(90))),
        (
            "wait working 2 timeout 1h30m",
            .wait(
                .working, .agents([AgentRef("2", at: OrchCore.SourceLocation(file: "<test>", line: 1, column: 14))]),
                timeout: .seconds(5400))
        ),
        (
            "wait input amp,codex timeout 500ms",
            .wait(
                .input,
                .agents([
                    AgentRef("amp", at: OrchCore.SourceLocation(file: "<test>", line: 1, column: 12)),
                    AgentRef("codex", at: OrchCore.SourceLocation(file: "<test>", line: 1, column: 16)),
                ]), timeout: .milliseconds(500))
        ),
    ])
    func wait(source: String, expected: CommandKind) throws {
        #expect(try kind(source) == expected)
    }

    @Test(arguments: [
        ("queue list", CommandKind.queueList),
        ("queue clear", .queueClear),
        ("queue rm 3", .queueRemove(3)),
        ("queue retry 12", .queueRetry(12)),
        ("queue \"Write the lexer tests.\"", .queueAdd(.any, text: "Write the lexer tests.")),
        ("queue amp", .queueAdd(.any, text: "amp")),
        ("queue any fix the build", .queueAdd(.any, text: "fix the build")),
        ("queue any clear the cache", .queueAdd(.any, text: "clear the cache")),
        ("queue \"clear the cache\"", .queueAdd(.any, text: "clear the cache")),
        (
            "queue codex \"Review the parser.\"",
            .queueAdd(
                .agent(AgentRef("codex", at: OrchCore.SourceLocation(file: "<test>", line: 1, column: 7))),
                text: "Review the parser.")
        ),
        (
            "queue fix the build",
            .queueAdd(
                .agent(AgentRef("fix", at: OrchCore.SourceLocation(file: "<test>", line: 1, column: 7))),
                text: "the build")
        ),
    ])
    func queue(source: String, expected: CommandKind) throws {
        #expect(try kind(source) == expected)
    }

    @Test func switchesAndSettings() throws {
        #expect(
            try kinds("dispatch on; dispatch off; watch on; watch off") == [
                .dispatch(true), .dispatch(false), .watch(true), .watch(false),
            ])
        #expect(try kind("set quiet 3s") == .set(name: "quiet", value: "3s"))
        #expect(try kind("set greeting hello   world") == .set(name: "greeting", value: "hello world"))
        #expect(
            try kind("pattern amp working \"Pondering…\"")
                == .pattern(profile: "amp", state: .working, text: "Pondering…"))
        #expect(try kind("pattern codex input '↵ send'") == .pattern(profile: "codex", state: .input, text: "↵ send"))
    }

    @Test func smallCommands() throws {
        #expect(try kind("log") == .log(nil))
        #expect(try kind("log 20") == .log(20))
        #expect(try kind("source ~/team.orch") == .source("~/team.orch"))
        #expect(try kind("help") == .help(nil))
        #expect(try kind("help wait") == .help("wait"))
        #expect(try kinds("exit; quit") == [.exit, .exit])
        #expect(try kind("echo") == .echo(""))
        #expect(try kind("echo hello   there \"a  b\"") == .echo("hello there a  b"))
        #expect(try kind("sleep 1.5s") == .sleep(.milliseconds(1500)))
        #expect(try kind("sleep 4m12s") == .sleep(.seconds(252)))
    }

    // MARK: Structure

    @Test func emptyCommandsProduceNothing() throws {
        #expect(try kinds("") == [])
        #expect(try kinds(";;\n\n  # only a comment\n;") == [])
        #expect(try kinds("\n;agents;;\n\nagents\n# end") == [.agents, .agents])
    }

    @Test func commandLocations() throws {
        let commands = try parse("agents\n\n  status; echo x\n{ agents }")
        #expect(commands.map(\.location) == [at(1, 1), at(3, 3), at(3, 11), at(4, 1)])
        guard case .block(let body) = commands[3].kind else {
            Issue.record("not a block")
            return
        }
        #expect(body.map(\.location) == [at(4, 3)])
    }

    @Test func loops() throws {
        #expect(try kind("loop 3 { echo hi }") == .loopTimes(3, body: [.init(.echo("hi"), at: at(1, 10))]))
        #expect(try kind("loop 2 {echo hi}") == .loopTimes(2, body: [.init(.echo("hi"), at: at(1, 9))]))
        #expect(
            try kind("loop every 30s {\n  status amp\n  sleep 1s\n}")
                == .loopEvery(
                    .seconds(30),
                    body: [.init(.status([ref("amp", 2, 10)]), at: at(2, 3)), .init(.sleep(.seconds(1)), at: at(3, 3))])
        )
        #expect(
            try kind("loop until queue empty { sleep 5s }")
                == .loopUntil(.queueEmpty, body: [.init(.sleep(.seconds(5)), at: at(1, 26))]))
        #expect(try kind("loop until free any {}") == .loopUntil(.state(.free, .any), body: []))
        #expect(try kind("loop until free all {\n}") == .loopUntil(.state(.free, .all), body: []))
        #expect(
            try kind("loop until done amp,codex { }")
                == .loopUntil(.state(.done, .agents([ref("amp", 1, 17), ref("codex", 1, 21)])), body: []))
    }

    @Test func loopBodyWithSeparatorsAndFollowingCommands() throws {
        let source = """
            loop 2 { ; echo a;; echo b
            }; echo after
            loop 1 { echo c } # done
            """
        #expect(
            try kinds(source) == [
                .loopTimes(2, body: [.init(.echo("a"), at: at(1, 12)), .init(.echo("b"), at: at(1, 21))]),
                .echo("after"),
                .loopTimes(1, body: [.init(.echo("c"), at: at(3, 10))]),
            ])
    }

    @Test func blocks() throws {
        #expect(
            try kind("{ agents; echo x }") == .block([.init(.agents, at: at(1, 3)), .init(.echo("x"), at: at(1, 11))]))
        #expect(try kind("{\n{ }\n}") == .block([.init(.block([]), at: at(2, 1))]))
    }

    @Test func nestedLoopsWithBreak() throws {
        let source = """
            loop 3 {
                loop every 1s {
                    { break }
                }
                break
            }
            """
        let inner = CommandKind.loopEvery(
            .seconds(1), body: [.init(.block([.init(.breakLoop, at: at(3, 11))]), at: at(3, 9))])
        #expect(try kind(source) == .loopTimes(3, body: [.init(inner, at: at(2, 5)), .init(.breakLoop, at: at(5, 5))]))
    }

    @Test func parsesTokensDirectly() throws {
        let location = OrchCore.SourceLocation(file: "t", line: 1, column: 1)
        let tokens = [
            Token(.word("peek", quoted: false), at: location), Token(.word("amp", quoted: true), at: location),
            Token(.end, at: location),
        ]
        #expect(try Parser.parse(tokens) == [Command(.peek(AgentRef("amp", at: location), lines: nil), at: location)])
        // A list missing its `.end` still parses.
        #expect(try Parser.parse(Array(tokens.prefix(2))).count == 1)
    }

    // MARK: One-shot arguments

    @Test func oneShotWordsAreVerbatim() throws {
        func args(_ column: Int) -> OrchCore.SourceLocation {
            OrchCore.SourceLocation(file: "<args>", line: 1, column: column)
        }
        #expect(
            try Parser.parse(arguments: ["send", "amp", "-x; Enter"])
                == [
                    Command(
                        .send(SendOptions(), targets: [AgentRef("amp", at: args(2))], text: "-x; Enter"), at: args(1))
                ])
        #expect(
            try Parser.parse(arguments: ["send", "amp", "{"]).map(\.kind) == [
                .send(SendOptions(), targets: [AgentRef("amp", at: args(2))], text: "{")
            ])
        #expect(
            try Parser.parse(arguments: ["send", "--no-submit", "amp", "# not a comment", "\"q\""]).map(\.kind)
                == [
                    .send(
                        SendOptions(submit: false), targets: [AgentRef("amp", at: args(3))],
                        text: "# not a comment \"q\"")
                ])
        #expect(
            try Parser.parse(arguments: ["wait", "done", "amp,codex", "timeout", "10m"]).map(\.kind)
                == [
                    .wait(
                        .done, .agents([AgentRef("amp", at: args(3)), AgentRef("codex", at: args(3))]),
                        timeout: .seconds(600))
                ])
        #expect(
            try Parser.parse(arguments: ["peek", "codex", "40"]).map(\.kind) == [
                .peek(AgentRef("codex", at: args(2)), lines: 40)
            ])
        #expect(try Parser.parse(arguments: ["echo", "a\nb", "}"]).map(\.kind) == [.echo("a\nb }")])
        #expect(try Parser.parse(arguments: ["status"]).map(\.kind) == [.status([])])
    }

    @Test(arguments: [
        ([], "<args>:1:1", "expected a command (type 'help' for the list)"),
        (["peek"], "<args>:1:2", "peek: expected an agent name or window index"),
        (["send", "amp"], "<args>:1:3", "send: expected the TEXT to send after 'amp'"),
        (["sned", "amp", "x"], "<args>:1:1", "unknown command 'sned' — did you mean 'send'?"),
        (
            ["wait", "done", "amp", "timeout", "soon"], "<args>:1:5",
            "wait: 'soon' is not a duration (examples: 500ms, 30s, 5m, 1h)"
        ),
        (["break"], "<args>:1:1", "break outside a loop"),
        (
            ["loop", "3", "{", "echo", "}"], "<args>:1:3",
            "loop: this '{' is text, not a brace (it was quoted, or given as a one-shot argument; run loops with orch -c '…' or in a script)"
        ),
        (["echo; status"], "<args>:1:1", "unknown command 'echo; status' (type 'help' for the list)"),
    ])
    func oneShotErrors(arguments: [String], location: String, message: String) throws {
        let diagnostic = try #require(argumentsError(arguments))
        #expect(diagnostic.location.description == location)
        #expect(diagnostic.message == message)
        #expect(!diagnostic.isIncomplete)
    }

    // MARK: Errors

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var source: String
        var location: String
        var message: String
        var testDescription: String { source.debugDescription }
        init(_ source: String, _ location: String, _ message: String) {
            self.source = source
            self.location = location
            self.message = message
        }
    }

    static let durationHint = "(examples: 500ms, 30s, 5m, 1h)"
    static let targetHint = "(an agent, a list like amp,codex, any or all)"

    @Test(arguments: [
        // Unknown commands and stray braces.
        ErrorCase("peak amp", "1:1", "unknown command 'peak' — did you mean 'peek'?"),
        ErrorCase("echo ok\n  Status", "2:3", "unknown command 'Status' — did you mean 'status'?"),
        ErrorCase("frobnicate", "1:1", "unknown command 'frobnicate' (type 'help' for the list)"),
        ErrorCase("x", "1:1", "unknown command 'x' (type 'help' for the list)"),
        ErrorCase("}", "1:1", "unexpected '}'"),
        ErrorCase("agents\n  }", "2:3", "unexpected '}'"),
        ErrorCase("{ agents } }", "1:12", "unexpected '}'"),
        ErrorCase("status }", "1:8", "status: unexpected '}'"),
        ErrorCase("status amp}", "1:11", "status: unexpected '}'"),
        ErrorCase("echo {", "1:6", "echo: unexpected '{' (quote it to use it as text: \"{\")"),
        ErrorCase("send amp {}", "1:10", "send: unexpected '{' (quote it to use it as text: \"{\")"),
        ErrorCase("{ agents } echo", "1:12", "unexpected 'echo' after '}' (end the command with ';' or a new line)"),
        ErrorCase("{ agents } { }", "1:12", "unexpected '{' after '}' (end the command with ';' or a new line)"),
        // Arguments.
        ErrorCase("agents x", "1:8", "agents: unexpected argument 'x'"),
        ErrorCase("session", "1:8", "session: expected a session name"),
        ErrorCase("session a b", "1:11", "session: unexpected argument 'b'"),
        ErrorCase("agent", "1:6", "agent: expected an agent name, as in: agent NAME window N"),
        ErrorCase("agent 2 window 3", "1:7", "agent: NAME cannot be a number ('2' already means window 2)"),
        ErrorCase("agent a,b window 3", "1:7", "agent: NAME cannot contain ',' (commas separate agents in lists)"),
        ErrorCase(
            "agent any window 3", "1:7", "agent: NAME cannot be 'any' (it means every agent in wait and loop until)"),
        ErrorCase("agent amp", "1:10", "agent: expected 'window N' after 'amp'"),
        ErrorCase("agent amp win 3", "1:11", "agent: expected 'window' after 'amp', not 'win'"),
        ErrorCase("agent amp window", "1:17", "agent: expected a window index after 'window'"),
        ErrorCase("agent amp window -1", "1:18", "agent: the window index must be a number (0 or more), not '-1'"),
        ErrorCase(
            "agent amp window 1 prof x", "1:20", "agent: expected 'profile P' or the end of the command, not 'prof'"),
        ErrorCase("agent amp window 1 profile", "1:27", "agent: expected a profile name after 'profile'"),
        ErrorCase("agent amp window 1 profile x y", "1:30", "agent: unexpected argument 'y'"),
        ErrorCase("status amp,,codex", "1:12", "status: empty agent name in 'amp,,codex'"),
        ErrorCase("status amp,", "1:12", "status: empty agent name in 'amp,'"),
        ErrorCase("status ''", "1:8", "status: an agent name cannot be empty"),
        ErrorCase("status all", "1:8", "status: 'all' is not an agent name here (a window named all is window:N, its index)"),
        ErrorCase("send", "1:5", "send: expected an agent name or window index"),
        ErrorCase("send --force", "1:13", "send: expected an agent name or window index"),
        ErrorCase("send amp", "1:9", "send: expected the TEXT to send after 'amp'"),
        ErrorCase(
            "send --fast amp hi", "1:6",
            "send: unknown option '--fast' (valid options: --no-submit, --no-wait, --force)"),
        ErrorCase(
            "send -f amp hi", "1:6", "send: unknown option '-f' (valid options: --no-submit, --no-wait, --force)"),
        ErrorCase("send any hi", "1:6", "send: 'any' is not an agent name here (a window named any is window:N, its index)"),
        ErrorCase("send amp,any hi", "1:10", "send: 'any' is not an agent name here and cannot be part of a list (a window named any is window:N, its index)"),
        ErrorCase("enter", "1:6", "enter: expected an agent name or window index"),
        ErrorCase("enter amp,codex", "1:7", "enter: expected one agent, not the list 'amp,codex'"),
        ErrorCase("enter amp now", "1:11", "enter: unexpected argument 'now'"),
        ErrorCase("key amp", "1:8", "key: expected at least one key name after 'amp' (e.g. Enter, Escape, C-c)"),
        ErrorCase("peek", "1:5", "peek: expected an agent name or window index"),
        ErrorCase("peek amp x", "1:10", "peek: LINES must be a positive number, not 'x'"),
        ErrorCase("peek amp 0", "1:10", "peek: LINES must be a positive number, not '0'"),
        ErrorCase("peek amp +5", "1:10", "peek: LINES must be a positive number, not '+5'"),
        ErrorCase("peek amp 5 6", "1:12", "peek: unexpected argument '6'"),
        ErrorCase("wait", "1:5", "wait: expected a state (working, done, idle, input or free)"),
        ErrorCase(
            "wait finished amp", "1:6", "wait: unknown state 'finished' (expected working, done, idle, input or free)"),
        ErrorCase(
            "wait unknown amp", "1:6", "wait: unknown state 'unknown' (expected working, done, idle, input or free)"),
        ErrorCase("wait done", "1:10", "wait: expected a target after 'done' \(targetHint)"),
        ErrorCase(
            "wait done amp after 5m", "1:15", "wait: expected 'timeout D' or the end of the command, not 'after'"),
        ErrorCase("wait done amp timeout", "1:22", "wait: expected a duration after 'timeout' \(durationHint)"),
        ErrorCase("wait done amp timeout 5", "1:23", "wait: '5' is not a duration \(durationHint)"),
        ErrorCase("wait done amp timeout 5m x", "1:26", "wait: unexpected argument 'x'"),
        ErrorCase("wait done amp,any", "1:15", "wait: 'any' is not an agent name here and cannot be part of a list (a window named any is window:N, its index)"),
        ErrorCase("queue", "1:6", "queue: expected a task TEXT, or one of list, rm ID, retry ID, clear"),
        ErrorCase("queue any", "1:10", "queue: expected the TEXT of the task after 'any'"),
        ErrorCase(
            "queue clear the cache", "1:13",
            "queue clear: unexpected argument 'the' (to queue a text starting with 'clear', name the target: queue any \"clear …\")"
        ),
        ErrorCase("queue rm", "1:9", "queue rm: expected a task ID (see queue list)"),
        ErrorCase("queue retry x", "1:13", "queue retry: ID must be a positive number, not 'x'"),
        ErrorCase("queue rm 1 2", "1:12", "queue rm: unexpected argument '2'"),
        ErrorCase("queue amp,codex fix it", "1:7", "queue: expected one agent, not the list 'amp,codex'"),
        ErrorCase("dispatch", "1:9", "dispatch: expected on or off"),
        ErrorCase("dispatch maybe", "1:10", "dispatch: expected on or off, not 'maybe'"),
        ErrorCase("watch on off", "1:10", "watch: unexpected argument 'off'"),
        ErrorCase("set", "1:4", "set: expected a setting name, as in: set bell on"),
        ErrorCase("set bell", "1:9", "set: expected a value after 'bell'"),
        ErrorCase("pattern", "1:8", "pattern: expected a profile name, as in: pattern amp working \"Pondering\""),
        ErrorCase("pattern amp", "1:12", "pattern: expected a state after 'amp' (working, done, idle or input)"),
        ErrorCase(
            "pattern amp unknown x", "1:13", "pattern: unknown state 'unknown' (expected working, done, idle or input)"),
        ErrorCase(
            "pattern amp free x", "1:13", "pattern: unknown state 'free' (expected working, done, idle or input)"),
        ErrorCase("pattern amp working", "1:20", "pattern: expected the TEXT to look for on the screen"),
        ErrorCase("pattern amp working ''", "1:21", "pattern: TEXT cannot be empty"),
        ErrorCase(
            "pattern amp working Deep thought", "1:26",
            "pattern: unexpected argument 'thought' (quote a TEXT that has spaces: pattern amp working \"…\")"),
        ErrorCase("log 0", "1:5", "log: N must be a positive number, not '0'"),
        ErrorCase("log 5 6", "1:7", "log: unexpected argument '6'"),
        ErrorCase("source", "1:7", "source: expected a file name"),
        ErrorCase("help wait send", "1:11", "help: unexpected argument 'send'"),
        ErrorCase("exit 1", "1:6", "exit: unexpected argument '1'"),
        ErrorCase("quit now", "1:6", "quit: unexpected argument 'now'"),
        ErrorCase("sleep", "1:6", "sleep: expected a duration \(durationHint)"),
        ErrorCase("sleep 5x", "1:7", "sleep: '5x' is not a duration \(durationHint)"),
        ErrorCase("sleep 5", "1:7", "sleep: '5' is not a duration \(durationHint)"),
        // Found by the fuzzer: this once trapped converting to whole milliseconds.
        ErrorCase("wait done amp timeout 1h30444444444444444444444m", "1:23", "wait: '1h30444444444444444444444m' is too long (at most 10 years)"),
        ErrorCase("sleep 99999999999999999999999999999999999999999999999999999999s", "1:7", "sleep: '99999999999999999999999999999999999999999999999999999999s' is too long (at most 10 years)"),
        ErrorCase("sleep 1s 2s", "1:10", "sleep: unexpected argument '2s'"),
        // break
        ErrorCase("break", "1:1", "break outside a loop"),
        ErrorCase("{ { break } }", "1:5", "break outside a loop"),
        ErrorCase("loop 2 { echo }\n  break", "2:3", "break outside a loop"),
        ErrorCase("loop 2 { break now }", "1:16", "break: unexpected argument 'now'"),
        // loop headers
        ErrorCase("loop", "1:5", "loop: expected a count, 'every D' or 'until COND' before '{'"),
        ErrorCase("loop {", "1:6", "loop: expected a count, 'every D' or 'until COND' before '{'"),
        ErrorCase("loop forever {", "1:6", "loop: expected a count, 'every D' or 'until COND', not 'forever'"),
        ErrorCase("loop 0 { }", "1:6", "loop: the count must be a positive number, not '0'"),
        ErrorCase("loop every {", "1:12", "loop every: expected a duration \(durationHint)"),
        ErrorCase("loop every 5 {", "1:12", "loop every: '5' is not a duration \(durationHint)"),
        ErrorCase("loop every 0s {", "1:12", "loop every: the interval must be more than 0, not '0s'"),
        ErrorCase(
            "loop until {", "1:12",
            "loop until: expected a condition: queue empty, or a state and a target such as free any"),
        ErrorCase("loop until queue {", "1:18", "loop until: expected 'empty' after 'queue'"),
        ErrorCase("loop until queue full {", "1:18", "loop until: expected 'queue empty', not 'queue full'"),
        ErrorCase(
            "loop until finished amp {", "1:12",
            "loop until: unknown condition 'finished' (expected queue empty, or a state: working, done, idle, input or free)"
        ),
        ErrorCase("loop until done {", "1:17", "loop until: expected a target after 'done' \(targetHint)"),
        ErrorCase("loop until done amp, {", "1:21", "loop until: empty agent name in 'amp,'"),
        ErrorCase("loop 3\n{ echo }", "1:7", "loop: expected '{' after 'loop 3' on the same line"),
        ErrorCase("loop 3", "1:7", "loop: expected '{' after 'loop 3' on the same line"),
        ErrorCase("loop until free any echo {", "1:21", "loop: expected '{' after 'loop until free any', not 'echo'"),
        ErrorCase(
            "loop 3 { echo } echo", "1:17", "loop: unexpected 'echo' after '}' (end the command with ';' or a new line)"
        ),
        // Errors inside bodies are reported where they are.
        ErrorCase("loop 2 {\n  echo ok\n  peek amp x\n}", "3:12", "peek: LINES must be a positive number, not 'x'"),
    ])
    func errors(_ error: ErrorCase) throws {
        let diagnostic = try #require(parseError(error.source))
        #expect(diagnostic.location.description == "<test>:" + error.location)
        #expect(diagnostic.message == error.message)
        #expect(!diagnostic.isIncomplete)
    }

    // MARK: Incomplete input

    @Test(arguments: [
        ("loop 3 {\necho hi\n", "1:8", "loop: missing '}' to close the body"),
        ("loop 3 { loop 2 {\n}", "1:8", "loop: missing '}' to close the body"),
        ("loop 3 { loop 2 {\n", "1:17", "loop: missing '}' to close the body"),
        ("{ echo", "1:1", "missing '}' to close this '{'"),
        ("echo a\n  {\n  { }", "2:3", "missing '}' to close this '{'"),
        ("send amp \"fix", "1:10", "unterminated string: missing closing \""),
        ("send amp <<EOF\nfix\n", "1:10", "unterminated heredoc: missing a line EOF to end it"),
    ])
    func incomplete(source: String, location: String, message: String) throws {
        let diagnostic = try #require(parseError(source))
        #expect(diagnostic.isIncomplete)
        #expect(diagnostic.location.description == "<test>:" + location)
        #expect(diagnostic.message == message)
    }

    @Test func earlierErrorBeatsIncompleteBlock() throws {
        let diagnostic = try #require(parseError("loop 3 {\n  peak amp\n"))
        #expect(!diagnostic.isIncomplete)
        #expect(diagnostic.location.description == "<test>:2:3")
    }

    @Test func completingTheInputParses() throws {
        // What the REPL does: keep appending lines until the source is no longer incomplete.
        var source = "loop 2 {"
        #expect(parseError(source)?.isIncomplete == true)
        source += "\n  send amp <<EOF"
        #expect(parseError(source)?.isIncomplete == true)
        source += "\nhello\nEOF"
        #expect(parseError(source)?.isIncomplete == true)
        source += "\n}"
        #expect(
            try kind(source)
                == .loopTimes(
                    2, body: [.init(.send(SendOptions(), targets: [ref("amp", 2, 8)], text: "hello"), at: at(2, 3))]))
    }
}

@Suite struct NestingLimitTests {
    @Test func deepNestingIsAnErrorNotACrash() {
        for source in [String(repeating: "{ ", count: 13_000) + String(repeating: "} ", count: 13_000), String(repeating: "loop 1 { ", count: 5_000), String(repeating: "{", count: 20_000)] {
            #expect {
                _ = try Parser.parse(source: source, file: "deep.orch")
            } throws: { error in
                "\(error)".contains("nesting deeper than \(Parser.maxNesting)")
            }
        }
        #expect(throws: Never.self) { _ = try Parser.parse(source: String(repeating: "{ ", count: 50) + "echo hi" + String(repeating: " }", count: 50), file: "ok.orch") }
    }
}
