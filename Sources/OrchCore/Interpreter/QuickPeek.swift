/// `orch peek NAME [N]` in one tmux call, without starting the interpreter.
///
/// A quick look is the most frequent one-shot call, so its cost is mostly start-up: the full path
/// reads the session's windows, then captures. When nothing can change what NAME means — no
/// config file (which may declare agents), a plain window name that is not `main` or `*-proxy`,
/// and a known session (chosen, or the guide's `moana-orchestration`) — the pane is captured
/// directly by exact name. Anything else, including every failure, is left to the full path,
/// which then gives the usual errors: this is only ever a shortcut to the same output.
public enum QuickPeek {
    /// Prints the peek and returns true, or returns false having printed nothing.
    public static func run(words: [String], endpoint: TmuxEndpoint, session: String?, output: some OutputSink) -> Bool {
        guard words.first == "peek", let commands = try? Parser.parse(arguments: words), commands.count == 1,
            case .peek(let ref, let lines) = commands[0].kind, isPlainWindowName(ref.name)
        else { return false }
        let tmux = TmuxClient(endpoint: endpoint)
        let target = "=\(session ?? Interpreter.conventionalSession):=\(ref.name)"
        let count = lines ?? Interpreter.defaultPeekLines
        guard let screen = try? tmux.capturePane(target, scrollback: Interpreter.scrollback(for: count)) else { return false }
        for line in Interpreter.nonEmptyLines(screen).suffix(count) { output.print(line) }
        return true
    }

    /// A name tmux reads the same way the registry does: no target syntax (`:` `.` `%` `@` …), not
    /// a window index, and a window that is an agent without a declaration.
    static func isPlainWindowName(_ name: String) -> Bool {
        !name.isEmpty && Int(name) == nil && !AgentRegistry.isNeverAnAgent(name)
            && name.utf8.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }
}
