/// Turns tokens into commands, checking each command's shape (see `CommandKind` for the grammar).
///
/// A command is a run of words up to a separator, a brace or the end; `loop` then takes a `{ … }`
/// body on the same line, and a `{ … }` where a command would start is a group. Keywords and
/// options are matched on the word's text whether or not it was quoted, so `"send"` is `send`;
/// braces and separators only come from the lexer, so a quoted `"{"` is plain text.
public struct Parser {
    /// One word of a command, as written.
    private struct Word {
        var text: String
        var location: SourceLocation
        var quoted: Bool
    }

    private static let durationExamples = "examples: 500ms, 30s, 5m, 1h"
    private static let stateList = "working, done, idle, input or free"
    private static let targetList = "an agent, a list like amp,codex, any or all"

    private let tokens: [Token]
    private var position = 0
    /// How many `{ … }` bodies (groups or loops) enclose the current command.
    private var blockDepth = 0
    /// How many loop bodies enclose the current command: `break` needs at least one.
    private var loopDepth = 0

    private init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// Parses a token list that ends with `.end`, as `Lexer.tokenize()` returns it.
    ///
    /// Throws a `Diagnostic` at the offending token; it is `isIncomplete` when a `{` is still open
    /// at the end, so the REPL can ask for more lines.
    public static func parse(_ tokens: [Token]) throws(Diagnostic) -> [Command] {
        var parser = Parser(tokens: tokens)
        return try parser.parseSequence(opening: nil, owner: nil)
    }

    /// Lexes and parses orch source text; `file` names it in locations and errors.
    public static func parse(source: String, file: String) throws(Diagnostic) -> [Command] {
        try parse(Lexer(source: source, file: file).tokenize())
    }

    /// Parses the words of a one-shot call (`orch send amp "-x; Enter"`) as exactly one command.
    ///
    /// Each argument is one word, verbatim: no separators, braces, quotes or comments are read in
    /// it. Locations are `<args>:1:N`, N being the argument's 1-based position.
    public static func parse(arguments: [String]) throws(Diagnostic) -> [Command] {
        func location(_ column: Int) -> SourceLocation {
            SourceLocation(file: "<args>", line: 1, column: column)
        }
        var tokens = arguments.enumerated().map { offset, argument in
            Token(.word(argument, quoted: true), at: location(offset + 1))
        }
        tokens.append(Token(.end, at: location(arguments.count + 1)))
        let commands = try parse(tokens)
        guard commands.count == 1 else {
            throw Diagnostic("expected a command (type 'help' for the list)", at: location(1))
        }
        return commands
    }

    // MARK: Structure

    private var current: Token {
        if position < tokens.count { return tokens[position] }
        return Token(.end, at: tokens.last?.location ?? SourceLocation(file: "<input>", line: 1, column: 1))
    }

    /// Commands up to the end, or up to the `}` matching `opening` when there is one.
    private mutating func parseSequence(opening: SourceLocation?, owner: String?) throws(Diagnostic) -> [Command] {
        var commands: [Command] = []
        while true {
            let token = current
            switch token.kind {
            case .separator:
                position += 1
            case .end:
                guard let opening else { return commands }
                let message = owner.map { "\($0): missing '}' to close the body" } ?? "missing '}' to close this '{'"
                throw Diagnostic(message, at: opening, isIncomplete: true)
            case .rightBrace:
                guard opening != nil else { throw Diagnostic("unexpected '}'", at: token.location) }
                position += 1
                return commands
            case .leftBrace:
                position += 1
                let body = try parseBody(opening: token.location, owner: nil)
                commands.append(Command(.block(body), at: token.location))
            case .word(let text, let quoted):
                position += 1
                commands.append(try parseCommand(Word(text: text, location: token.location, quoted: quoted)))
            }
        }
    }

    /// The commands of a `{ … }` whose `{` was just consumed, through its `}`, and what must follow it.
    private mutating func parseBody(opening: SourceLocation, owner: String?) throws(Diagnostic) -> [Command] {
        // Parsing, running and freeing a block all recurse: thousands of levels overflowed the
        // stack (SIGSEGV). No real script comes near this bound.
        guard blockDepth < Self.maxNesting else {
            throw Diagnostic("nesting deeper than \(Self.maxNesting) blocks", at: opening)
        }
        blockDepth += 1
        let body = try parseSequence(opening: opening, owner: owner)
        blockDepth -= 1
        let next = current
        switch next.kind {
        case .separator, .end, .rightBrace:
            return body
        case .word(let text, _):
            throw Diagnostic(
                Self.named(owner, "unexpected '\(text)' after '}' (end the command with ';' or a new line)"),
                at: next.location)
        case .leftBrace:
            throw Diagnostic(
                Self.named(owner, "unexpected '{' after '}' (end the command with ';' or a new line)"),
                at: next.location)
        }
    }

    /// How deep `{ }` blocks (and `loop` bodies) may nest.
    public static let maxNesting = 100

    private static func named(_ command: String?, _ message: String) -> String {
        command.map { "\($0): \(message)" } ?? message
    }

    /// One command whose first word was just consumed: its arguments, checked, and for `loop` its body.
    private mutating func parseCommand(_ name: Word) throws(Diagnostic) -> Command {
        var arguments: [Word] = []
        while case .word(let text, let quoted) = current.kind {
            arguments.append(Word(text: text, location: current.location, quoted: quoted))
            position += 1
        }
        guard let command = CommandCatalog.named(name.text)?.name else {
            let message =
                if let suggestion = CommandCatalog.suggestion(for: name.text) {
                    "unknown command '\(name.text)' — did you mean '\(suggestion)'?"
                } else {
                    "unknown command '\(name.text)' (type 'help' for the list)"
                }
            throw Diagnostic(message, at: name.location)
        }
        if command == "loop" {
            return Command(try parseLoop(arguments), at: name.location)
        }
        let end = current
        switch end.kind {
        case .leftBrace:
            throw Diagnostic("\(command): unexpected '{' (quote it to use it as text: \"{\")", at: end.location)
        case .rightBrace where blockDepth == 0:
            throw Diagnostic("\(command): unexpected '}'", at: end.location)
        default:
            break
        }
        let format = try takeFormat(&arguments, command, end: end.location)
        let kind = try parseArguments(of: command, name: name, arguments, end: end.location)
        return Command(kind, at: name.location, format: format)
    }

    /// The commands whose output `--format json` changes.
    static let formatted: Set<String> = ["status", "agents", "queue", "log", "wait"]

    /// `--format text|json` among a formatted command's words (unquoted): taken out of them.
    private func takeFormat(_ arguments: inout [Word], _ command: String, end: SourceLocation) throws(Diagnostic) -> OutputFormat? {
        // A queued task's text is free: only `queue list` takes --format.
        if command == "queue", arguments.first?.text != "list" { return nil }
        guard Self.formatted.contains(command), let index = arguments.firstIndex(where: { !$0.quoted && ($0.text == "--format" || $0.text.hasPrefix("--format=")) }) else { return nil }
        let word = arguments[index]
        var value: Word? = nil
        var count = 1
        if word.text.hasPrefix("--format=") {
            value = Word(text: String(word.text.dropFirst("--format=".count)), location: word.location, quoted: false)
        } else if arguments.indices.contains(index + 1) {
            value = arguments[index + 1]
            count = 2
        }
        guard let value, let format = OutputFormat(rawValue: value.text) else {
            throw Diagnostic("\(command): --format takes text or json", at: value?.location ?? end)
        }
        arguments.removeSubrange(index..<(index + count))
        return format
    }

    // MARK: Commands

    /// Checks the arguments of every command but `loop`; `end` is where a missing argument was expected.
    private func parseArguments(of command: String, name: Word, _ arguments: [Word], end: SourceLocation)
        throws(Diagnostic) -> CommandKind
    {
        switch command {
        case "session":
            let session = try required(arguments, 0, command, "expected a session name", end: end)
            try rejectExtra(arguments, from: 1, command)
            return .session(session.text)
        case "agent":
            return try parseAgent(arguments, end: end)
        case "agents":
            try rejectExtra(arguments, from: 0, command)
            return .agents
        case "host":
            return try parseHost(arguments, end: end)
        case "status":
            var refs: [AgentRef] = []
            for argument in arguments { refs += try agentList(argument, command) }
            return .status(refs)
        case "send":
            return try parseSend(arguments, end: end)
        case "enter":
            let agent = try singleAgent(required(arguments, 0, command, Self.expectedAgent, end: end), command)
            try rejectExtra(arguments, from: 1, command)
            return .enter(agent)
        case "key":
            let agent = try singleAgent(required(arguments, 0, command, Self.expectedAgent, end: end), command)
            guard arguments.count > 1 else {
                throw Diagnostic(
                    "key: expected at least one key name after '\(agent.name)' (e.g. Enter, Escape, C-c)", at: end)
            }
            return .key(agent, keys: arguments.dropFirst().map(\.text))
        case "peek":
            let agent = try singleAgent(required(arguments, 0, command, Self.expectedAgent, end: end), command)
            let lines = try arguments.count > 1 ? positive(arguments[1], command, "LINES") : nil
            try rejectExtra(arguments, from: 2, command)
            return .peek(agent, lines: lines)
        case "reply":
            let agent = try singleAgent(required(arguments, 0, command, Self.expectedAgent, end: end), command)
            try rejectExtra(arguments, from: 1, command)
            return .reply(agent)
        case "wait":
            return try parseWait(arguments, end: end)
        case "queue":
            return try parseQueue(arguments, end: end)
        case "dispatch":
            return .dispatch(try onOff(arguments, command, end: end))
        case "watch":
            return .watch(try onOff(arguments, command, end: end))
        case "set":
            let setting = try required(arguments, 0, command, "expected a setting name, as in: set bell on", end: end)
            guard arguments.count > 1 else {
                throw Diagnostic("set: expected a value after '\(setting.text)'", at: end)
            }
            return .set(name: setting.text, value: Self.joined(arguments.dropFirst()))
        case "pattern":
            return try parsePattern(arguments, end: end)
        case "log":
            try rejectExtra(arguments, from: 1, command)
            guard let count = arguments.first else { return .log(nil) }
            return .log(try positive(count, command, "N"))
        case "source":
            let file = try required(arguments, 0, command, "expected a file name", end: end)
            try rejectExtra(arguments, from: 1, command)
            return .source(file.text)
        case "help":
            try rejectExtra(arguments, from: 1, command)
            return .help(arguments.first?.text)
        case "exit":
            try rejectExtra(arguments, from: 0, name.text)
            return .exit
        case "echo":
            return .echo(Self.joined(arguments[...]))
        case "sleep":
            let word = try required(arguments, 0, command, "expected a duration (\(Self.durationExamples))", end: end)
            let duration = try duration(word, command)
            try rejectExtra(arguments, from: 1, command)
            return .sleep(duration)
        case "break":
            try rejectExtra(arguments, from: 0, command)
            guard loopDepth > 0 else { throw Diagnostic("break outside a loop", at: name.location) }
            return .breakLoop
        default:
            throw Diagnostic("unknown command '\(name.text)' (type 'help' for the list)", at: name.location)
        }
    }

    private static let expectedAgent = "expected an agent name or window index"

    /// `agent NAME window N [profile P]`
    private func parseAgent(_ arguments: [Word], end: SourceLocation) throws(Diagnostic) -> CommandKind {
        let name = try required(arguments, 0, "agent", "expected an agent name, as in: agent NAME window N", end: end)
        if name.text.isEmpty {
            throw Diagnostic("agent: NAME cannot be empty", at: name.location)
        } else if Self.isNumber(name.text) {
            throw Diagnostic(
                "agent: NAME cannot be a number ('\(name.text)' already means window \(name.text))", at: name.location)
        } else if name.text.contains(",") {
            throw Diagnostic("agent: NAME cannot contain ',' (commas separate agents in lists)", at: name.location)
        } else if name.text == "any" || name.text == "all" {
            throw Diagnostic(
                "agent: NAME cannot be '\(name.text)' (it means every agent in wait and loop until)", at: name.location)
        }
        let keyword = try required(arguments, 1, "agent", "expected 'window N' after '\(name.text)'", end: end)
        guard keyword.text == "window" else {
            throw Diagnostic(
                "agent: expected 'window' after '\(name.text)', not '\(keyword.text)'", at: keyword.location)
        }
        let index = try required(arguments, 2, "agent", "expected a window index after 'window'", end: end)
        guard Self.isNumber(index.text), let window = Int(index.text) else {
            throw Diagnostic(
                "agent: the window index must be a number (0 or more), not '\(index.text)'", at: index.location)
        }
        guard arguments.count > 3 else { return .agent(name: name.text, window: window, profile: nil) }
        let option = arguments[3]
        guard option.text == "profile" else {
            throw Diagnostic(
                "agent: expected 'profile P' or the end of the command, not '\(option.text)'", at: option.location)
        }
        let profile = try required(arguments, 4, "agent", "expected a profile name after 'profile'", end: end)
        guard !profile.text.isEmpty else {
            throw Diagnostic("agent: the profile name cannot be empty", at: profile.location)
        }
        try rejectExtra(arguments, from: 5, "agent")
        return .agent(name: name.text, window: window, profile: profile.text)
    }

    /// `host NAME [socket S | socket-path P] [session S] ssh SSH-ARGS...`
    private func parseHost(_ arguments: [Word], end: SourceLocation) throws(Diagnostic) -> CommandKind {
        let usage = "as in: host gpu1 ssh me@gpu1"
        let name = try required(arguments, 0, "host", "expected a host name, \(usage)", end: end)
        guard !name.text.isEmpty, !name.text.contains(where: { ",@:/ \t".contains($0) }), !Self.isNumber(name.text) else {
            throw Diagnostic("host: NAME must be a word without ',', '@', ':' or '/', and not a number ('\(name.text)')", at: name.location)
        }
        var host = HostDeclaration(name: name.text, sshArguments: [])
        var index = 1
        while index < arguments.count, arguments[index].text != "ssh" {
            let option = arguments[index]
            let value = try required(arguments, index + 1, "host", "expected a value after '\(option.text)'", end: end)
            switch option.text {
            case "socket" where host.socketName == nil && host.socketPath == nil: host.socketName = value.text
            case "socket-path" where host.socketName == nil && host.socketPath == nil: host.socketPath = value.text
            case "session" where host.session == nil: host.session = value.text
            case "socket", "socket-path", "session":
                throw Diagnostic("host: '\(option.text)' given twice (or both socket and socket-path)", at: option.location)
            default:
                throw Diagnostic("host: expected socket S, socket-path P, session S or ssh …, not '\(option.text)' (\(usage))", at: option.location)
            }
            index += 2
        }
        guard index < arguments.count else { throw Diagnostic("host: expected 'ssh' and ssh's arguments, \(usage)", at: end) }
        host.sshArguments = arguments[(index + 1)...].map(\.text)
        guard let destination = host.sshArguments.last, !destination.hasPrefix("-") else {
            throw Diagnostic("host: expected ssh's destination last, \(usage)", at: arguments.last?.location ?? end)
        }
        return .host(host)
    }

    /// `send [--no-submit] [--no-wait] [--force] AGENT[,AGENT...] TEXT...`
    private func parseSend(_ arguments: [Word], end: SourceLocation) throws(Diagnostic) -> CommandKind {
        var options = SendOptions()
        var index = 0
        options: while index < arguments.count, arguments[index].text.hasPrefix("-") {
            switch arguments[index].text {
            case "--":  // the options end: an agent whose name starts with '-' can follow
                index += 1
                break options
            case "--no-submit": options.submit = false
            case "--no-wait": options.waitForReady = false
            case "--force": options.force = true
            default:
                throw Diagnostic(
                    "send: unknown option '\(arguments[index].text)' (valid options: --no-submit, --no-wait, --force)",
                    at: arguments[index].location)
            }
            index += 1
        }
        let agents = try required(arguments, index, "send", Self.expectedAgent, end: end)
        let targets = try agentList(agents, "send")
        if arguments.count > index + 1, arguments[index + 1].text == "--file" {
            guard arguments.count == index + 3 else {
                throw Diagnostic("send: --file takes one PATH (or - for standard input) and no TEXT", at: arguments[index + 1].location)
            }
            options.file = arguments[index + 2].text
            return .send(options, targets: targets, text: "")
        }
        guard arguments.count > index + 1 else {
            throw Diagnostic("send: expected the TEXT to send after '\(agents.text)'", at: end)
        }
        return .send(options, targets: targets, text: Self.joined(arguments[(index + 1)...]))
    }

    /// `wait STATE TARGET [timeout D]`
    private func parseWait(_ arguments: [Word], end: SourceLocation) throws(Diagnostic) -> CommandKind {
        let stateWord = try required(arguments, 0, "wait", "expected a state (\(Self.stateList))", end: end)
        let state = try stateCondition(stateWord, "wait")
        let targetWord = try required(
            arguments, 1, "wait", "expected a target after '\(stateWord.text)' (\(Self.targetList))", end: end)
        let selection = try self.selection(targetWord, "wait")
        guard arguments.count > 2 else { return .wait(state, selection, timeout: nil) }
        let option = arguments[2]
        guard option.text == "timeout" else {
            throw Diagnostic(
                "wait: expected 'timeout D' or the end of the command, not '\(option.text)'", at: option.location)
        }
        let durationWord = try required(
            arguments, 3, "wait", "expected a duration after 'timeout' (\(Self.durationExamples))", end: end)
        let timeout = try duration(durationWord, "wait")
        try rejectExtra(arguments, from: 4, "wait")
        return .wait(state, selection, timeout: timeout)
    }

    /// `queue list|clear`, `queue rm|retry ID`, `queue [AGENT|any] TEXT...`
    private func parseQueue(_ arguments: [Word], end: SourceLocation) throws(Diagnostic) -> CommandKind {
        guard let first = arguments.first else {
            throw Diagnostic("queue: expected a task TEXT, or one of list, rm ID, retry ID, clear", at: end)
        }
        switch first.text {
        case "list", "clear":
            let subcommand = "queue \(first.text)"
            if arguments.count > 1 {
                throw Diagnostic(
                    "\(subcommand): unexpected argument '\(arguments[1].text)' (to queue a text starting with "
                        + "'\(first.text)', name the target: queue any \"\(first.text) …\")",
                    at: arguments[1].location)
            }
            return first.text == "list" ? .queueList : .queueClear
        case "rm", "retry":
            let subcommand = "queue \(first.text)"
            let idWord = try required(arguments, 1, subcommand, "expected a task ID (see queue list)", end: end)
            let id = try positive(idWord, subcommand, "ID")
            try rejectExtra(arguments, from: 2, subcommand)
            return first.text == "rm" ? .queueRemove(id) : .queueRetry(id)
        default:
            break
        }
        guard arguments.count > 1 else {
            if first.text == "any" {
                throw Diagnostic("queue: expected the TEXT of the task after 'any'", at: end)
            }
            return .queueAdd(.any, text: first.text)
        }
        let target: QueueTarget = first.text == "any" ? .any : .agent(try singleAgent(first, "queue"))
        return .queueAdd(target, text: Self.joined(arguments.dropFirst()))
    }

    /// `pattern PROFILE STATE TEXT`
    private func parsePattern(_ arguments: [Word], end: SourceLocation) throws(Diagnostic) -> CommandKind {
        let profile = try required(
            arguments, 0, "pattern", "expected a profile name, as in: pattern amp working \"Pondering\"", end: end)
        let stateWord = try required(
            arguments, 1, "pattern", "expected a state after '\(profile.text)' (working, done, idle or input)", end: end
        )
        guard let state = AgentState(rawValue: stateWord.text), state != .unknown else {
            throw Diagnostic(
                "pattern: unknown state '\(stateWord.text)' (expected working, done, idle or input)",
                at: stateWord.location)
        }
        let text = try required(arguments, 2, "pattern", "expected the TEXT to look for on the screen", end: end)
        guard !text.text.isEmpty else { throw Diagnostic("pattern: TEXT cannot be empty", at: text.location) }
        if arguments.count > 3 {
            throw Diagnostic(
                "pattern: unexpected argument '\(arguments[3].text)' (quote a TEXT that has spaces: "
                    + "pattern \(profile.text) \(stateWord.text) \"…\")",
                at: arguments[3].location)
        }
        return .pattern(profile: profile.text, state: state, text: text.text)
    }

    /// `loop N { … }`, `loop every D { … }`, `loop until COND { … }`, with its body.
    private mutating func parseLoop(_ arguments: [Word]) throws(Diagnostic) -> CommandKind {
        let headerEnd = current.location
        guard let first = arguments.first else {
            throw Diagnostic("loop: expected a count, 'every D' or 'until COND' before '{'", at: headerEnd)
        }
        // How many words the header took, and how to make the loop once its body is read.
        let consumed: Int
        let makeLoop: ([Command]) -> CommandKind
        switch first.text {
        case "every":
            let word = try required(
                arguments, 1, "loop every", "expected a duration (\(Self.durationExamples))", end: headerEnd)
            let interval = try duration(word, "loop every")
            guard interval > .zero else {
                throw Diagnostic("loop every: the interval must be more than 0, not '\(word.text)'", at: word.location)
            }
            consumed = 2
            makeLoop = { .loopEvery(interval, body: $0) }
        case "until":
            let condition = try loopCondition(arguments, end: headerEnd)
            consumed = 3
            makeLoop = { .loopUntil(condition, body: $0) }
        default:
            guard Self.isNumber(first.text) else {
                throw Diagnostic(
                    "loop: expected a count, 'every D' or 'until COND', not '\(first.text)'", at: first.location)
            }
            guard let value = Int(first.text), value > 0 else {
                throw Diagnostic("loop: the count must be a positive number, not '\(first.text)'", at: first.location)
            }
            consumed = 1
            makeLoop = { .loopTimes(value, body: $0) }
        }
        let opening = current
        guard arguments.count == consumed, case .leftBrace = opening.kind else {
            let written = (["loop"] + arguments.prefix(consumed).map(\.text)).joined(separator: " ")
            if arguments.count > consumed {
                let extra = arguments[consumed]
                if extra.text == "{" {
                    throw Diagnostic(
                        "loop: this '{' is text, not a brace (it was quoted, or given as a one-shot argument; "
                            + "run loops with orch -c '…' or in a script)",
                        at: extra.location)
                }
                throw Diagnostic("loop: expected '{' after '\(written)', not '\(extra.text)'", at: extra.location)
            }
            throw Diagnostic("loop: expected '{' after '\(written)' on the same line", at: opening.location)
        }
        position += 1
        loopDepth += 1
        let body = try parseBody(opening: opening.location, owner: "loop")
        loopDepth -= 1
        return makeLoop(body)
    }

    /// The COND of `loop until COND`: the two words after `until`.
    private func loopCondition(_ arguments: [Word], end: SourceLocation) throws(Diagnostic) -> LoopCondition {
        let command = "loop until"
        let first = try required(
            arguments, 1, command, "expected a condition: queue empty, or a state and a target such as free any",
            end: end)
        if first.text == "queue" {
            let empty = try required(arguments, 2, command, "expected 'empty' after 'queue'", end: end)
            guard empty.text == "empty" else {
                throw Diagnostic("loop until: expected 'queue empty', not 'queue \(empty.text)'", at: empty.location)
            }
            return .queueEmpty
        }
        guard let state = StateCondition(rawValue: first.text) else {
            throw Diagnostic(
                "loop until: unknown condition '\(first.text)' (expected queue empty, or a state: \(Self.stateList))",
                at: first.location)
        }
        let target = try required(
            arguments, 2, command, "expected a target after '\(first.text)' (\(Self.targetList))", end: end)
        return .state(state, try selection(target, command))
    }

    // MARK: Arguments

    /// The argument at `index`, or an error at `end` saying what was expected.
    private func required(_ arguments: [Word], _ index: Int, _ command: String, _ expected: String, end: SourceLocation)
        throws(Diagnostic) -> Word
    {
        guard index < arguments.count else { throw Diagnostic("\(command): \(expected)", at: end) }
        return arguments[index]
    }

    private func rejectExtra(_ arguments: [Word], from index: Int, _ command: String) throws(Diagnostic) {
        guard index < arguments.count else { return }
        let extra = arguments[index]
        throw Diagnostic("\(command): unexpected argument '\(extra.text)'", at: extra.location)
    }

    /// `amp`, `2` or `amp,codex` as agent references, each located where it is written.
    private func agentList(_ word: Word, _ command: String) throws(Diagnostic) -> [AgentRef] {
        var refs: [AgentRef] = []
        var offset = 0
        for part in word.text.split(separator: ",", omittingEmptySubsequences: false) {
            var location = word.location
            // A bare word's characters are its columns; in a quoted word they are not, so all its
            // parts point at the word.
            if !word.quoted { location.column += offset }
            if part.isEmpty {
                let what = word.text.isEmpty ? "an agent name cannot be empty" : "empty agent name in '\(word.text)'"
                throw Diagnostic("\(command): \(what)", at: location)
            }
            if part == "any" || part == "all" {
                let hint = word.text == part ? "" : " and cannot be part of a list"
                throw Diagnostic("\(command): '\(part)' is not an agent name here\(hint) (a window named \(part) is window:N, its index)", at: location)
            }
            refs.append(AgentRef(String(part), at: location))
            offset += part.count + 1
        }
        return refs
    }

    private func singleAgent(_ word: Word, _ command: String) throws(Diagnostic) -> AgentRef {
        let refs = try agentList(word, command)
        guard refs.count == 1, let ref = refs.first else {
            throw Diagnostic("\(command): expected one agent, not the list '\(word.text)'", at: word.location)
        }
        return ref
    }

    /// A TARGET of `wait` and `loop until`: `any`, `all`, or agents.
    private func selection(_ word: Word, _ command: String) throws(Diagnostic) -> AgentSelection {
        switch word.text {
        case "any": .any
        case "all": .all
        default: .agents(try agentList(word, command))
        }
    }

    private func stateCondition(_ word: Word, _ command: String) throws(Diagnostic) -> StateCondition {
        guard let state = StateCondition(rawValue: word.text) else {
            throw Diagnostic("\(command): unknown state '\(word.text)' (expected \(Self.stateList))", at: word.location)
        }
        return state
    }

    private func duration(_ word: Word, _ command: String) throws(Diagnostic) -> Duration {
        guard let duration = Duration.parse(word.text) else {
            if Duration.isTooLong(word.text) {
                throw Diagnostic("\(command): '\(word.text)' is too long (at most 10 years)", at: word.location)
            }
            throw Diagnostic(
                "\(command): '\(word.text)' is not a duration (\(Self.durationExamples))", at: word.location)
        }
        return duration
    }

    private func positive(_ word: Word, _ command: String, _ what: String) throws(Diagnostic) -> Int {
        guard Self.isNumber(word.text), let value = Int(word.text), value > 0 else {
            throw Diagnostic("\(command): \(what) must be a positive number, not '\(word.text)'", at: word.location)
        }
        return value
    }

    private func onOff(_ arguments: [Word], _ command: String, end: SourceLocation) throws(Diagnostic) -> Bool {
        let word = try required(arguments, 0, command, "expected on or off", end: end)
        try rejectExtra(arguments, from: 1, command)
        switch word.text {
        case "on": return true
        case "off": return false
        default: throw Diagnostic("\(command): expected on or off, not '\(word.text)'", at: word.location)
        }
    }

    private static func isNumber(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func joined(_ words: ArraySlice<Word>) -> String {
        words.map(\.text).joined(separator: " ")
    }
}
