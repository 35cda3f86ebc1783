/// How to read one kind of agent CLI's screen: tables of patterns per state, and the shape of its
/// input box.
///
/// The tables are data (see `AgentProfile+BuiltIn.swift` for where each entry comes from); the
/// classifier holds the only logic. Users extend a profile with `pattern PROFILE STATE "TEXT"`.
public struct AgentProfile: Sendable, Hashable {
    /// A pattern added by the user, with the state it stands for.
    public struct UserPattern: Sendable, Hashable {
        public var pattern: ScreenPattern
        public var state: AgentState

        public init(pattern: ScreenPattern, state: AgentState) {
            self.pattern = pattern
            self.state = state
        }
    }

    /// The profile's name as the language spells it (`claude`, `amp`, …, `generic`).
    public var name: String
    /// Busy lines: spinners and progress lines.
    public var working: [ScreenPattern] = []
    /// Lines that end a finished turn.
    public var done: [ScreenPattern] = []
    /// Lines that mean the pane sits at a prompt (a shell prompt, for instance).
    public var idle: [ScreenPattern] = []
    /// Questions and approval dialogs waiting for a person.
    public var input: [ScreenPattern] = []
    /// Footer hints that typed text waits to be sent (`↵ send`).
    public var sendHints: [ScreenPattern] = []
    /// Dimmed suggestions shown in an empty input box; they are not typed text.
    public var placeholders: [ScreenPattern] = []
    /// Footer lines recognised even when not indented (real CLIs indent theirs).
    public var footers: [ScreenPattern] = []
    /// Transcript lines that echo a submitted prompt: indicators above one belong to an older turn.
    public var turnStarts: [ScreenPattern] = []
    /// Lines that echo a submitted prompt, for CLIs that keep older turns' done lines on screen
    /// under later turns (Codex's `─ Worked for`): while a turn is open, indicators above one
    /// belong to an older turn. With no turn open an old done line is still the latest news.
    public var turnEchoes: [ScreenPattern] = []
    /// Menus drawn over the input box (file completion, slash commands): an Enter picks an entry.
    public var popups: [ScreenPattern] = []
    /// How long the pane must be silent after a turn's output, back at its prompt, before the
    /// turn counts as ended when no done line says so. `set quiet` overrides it for every agent.
    ///
    /// From the real CLIs (README, "Profiles"): Codex draws nothing while it waits between parts
    /// of a streamed reply, so it gets the longest; Aider's spinner redraws while it waits.
    public var quiet: Duration = .milliseconds(1500)
    /// What starts the input line, longest first: `❯`, `›`, `>`.
    public var promptGlyphs: [String] = []
    /// Whether a bordered box with no prompt glyph inside is the input box (Amp draws one).
    public var glyphlessBoxes = false
    /// How many non-blank lines above the input box are read; older lines are scrollback.
    public var liveLines = 15
    /// How many non-blank lines may sit below the input box (footers, typed continuation lines).
    public var maxFooterLines = 12
    /// Patterns added with `pattern PROFILE STATE "TEXT"`; on a line they win over built-in ones.
    public private(set) var userPatterns: [UserPattern] = []

    /// An empty profile named `name`; fill the tables or start from `generic`.
    public init(name: String) {
        self.name = name
    }

    /// Adds a user pattern: lines containing `text` mean `state`, before any built-in pattern.
    ///
    /// An empty text is ignored: it would match every line.
    public mutating func addPattern(_ text: String, for state: AgentState) {
        guard !text.isEmpty else { return }
        userPatterns.append(UserPattern(pattern: .contains(text), state: state))
    }

    /// The built-in profile called `name` (case-insensitive), or nil.
    public static func named(_ name: String) -> AgentProfile? {
        let wanted = name.lowercased()
        return builtIn.first { $0.name == wanted }
    }

    /// The profile for a tmux window name: the profile whose name is the window's name or a word of it
    /// (`claude`, `claude-2`, `my_codex`, `ampcode`), otherwise `generic`.
    ///
    /// Words are runs of letters; a word matches when it starts or ends with the profile name, so
    /// `amp2` and `ampcode` are Amp but `example` is not.
    public static func forWindowName(_ name: String) -> AgentProfile {
        let lowered = name.lowercased()
        if let exact = named(lowered) { return exact }
        let words = lowered.split { !$0.isLetter }
        for profile in builtIn where profile.name != generic.name {
            if words.contains(where: { $0.hasPrefix(profile.name) || $0.hasSuffix(profile.name) }) {
                return profile
            }
        }
        return generic
    }

    // MARK: - Reading lines (used by the classifier)

    /// The state a line stands for, user patterns first, then input, working, done, idle.
    func match(_ line: ScreenLine, isLastLine: Bool) -> (state: AgentState, byUser: Bool)? {
        for user in userPatterns where user.pattern.matches(line, isLastLine: isLastLine) {
            return (user.state, true)
        }
        // Checked one table at a time, without building a list of tables: this runs for every line.
        if Self.any(input, line, isLastLine) { return (.input, false) }
        if Self.any(working, line, isLastLine) { return (.working, false) }
        if Self.any(done, line, isLastLine) { return (.done, false) }
        if Self.any(idle, line, isLastLine) { return (.idle, false) }
        return nil
    }

    private static func any(_ table: [ScreenPattern], _ line: ScreenLine, _ isLastLine: Bool) -> Bool {
        for pattern in table where pattern.matches(line, isLastLine: isLastLine) { return true }
        return false
    }

    func isInput(_ line: ScreenLine) -> Bool {
        input.contains { $0.matches(line, isLastLine: false) }
    }

    func isSendHint(_ line: ScreenLine) -> Bool {
        sendHints.contains { $0.matches(line, isLastLine: false) }
    }

    func isFooter(_ line: ScreenLine) -> Bool {
        footers.contains { $0.matches(line, isLastLine: false) } || isSendHint(line)
    }

    func isPlaceholder(_ text: ScreenLine) -> Bool {
        placeholders.contains { $0.matches(text, isLastLine: false) }
    }

    func startsTurn(_ line: ScreenLine) -> Bool {
        turnStarts.contains { $0.matches(line, isLastLine: false) }
    }

    func echoesTurn(_ line: ScreenLine) -> Bool {
        turnEchoes.contains { $0.matches(line, isLastLine: false) }
    }

    func isPopup(_ line: ScreenLine) -> Bool {
        popups.contains { $0.matches(line, isLastLine: false) }
    }

    /// The text after the prompt glyph when `line` is an input line; nil for other lines and for
    /// numbered menu rows (`❯ 1. Yes` is a dialog, not the input box).
    ///
    /// The glyph must start the line (one space allowed, as after a `│` border): footers and help
    /// lines are indented, and Claude's shortcut help lists `! for bash mode` and `> …` lines.
    /// Whether the CLI asks with numbered menus (`› 1. Yes`): its input patterns read menu rows.
    /// One that never does (Aider asks `(Y)es/(N)o`) reads `> 1. fix it` as text typed after
    /// its prompt.
    var drawsMenus: Bool {
        input.contains { if case .menuRow = $0.shape { true } else { false } }
    }

    /// `allowingNumbered`: text such as `1. fix it` or `[1] fix it` after the glyph counts too
    /// (the caller found no other option next to it: a lone numbered row is typed text, not a menu).
    func promptText(_ line: ScreenLine, allowingNumbered: Bool = false) -> ScreenLine? {
        guard line.indent <= 1 else { return nil }
        let body = line.trimmed
        for glyph in promptGlyphs {
            let glyphBytes = glyph.utf8
            guard body.starts(with: glyphBytes) else { continue }
            let rest = body.dropFirst(glyphBytes.count)
            if rest.isEmpty { return line.part(rest) }
            guard rest.first == 0x20 else { continue }
            let text = line.part(rest)
            return text.isNumberedOption && !allowingNumbered && drawsMenus ? nil : text
        }
        return nil
    }

    // MARK: - Building the built-in tables

    /// This profile with `other`'s tables appended (duplicates skipped) and its prompt glyphs added.
    func adding(_ other: AgentProfile) -> AgentProfile {
        func union(_ mine: [ScreenPattern], _ theirs: [ScreenPattern]) -> [ScreenPattern] {
            mine + theirs.filter { !mine.contains($0) }
        }
        var merged = self
        merged.working = union(working, other.working)
        merged.done = union(done, other.done)
        merged.idle = union(idle, other.idle)
        merged.input = union(input, other.input)
        merged.sendHints = union(sendHints, other.sendHints)
        merged.placeholders = union(placeholders, other.placeholders)
        merged.footers = union(footers, other.footers)
        merged.turnStarts = union(turnStarts, other.turnStarts)
        merged.popups = union(popups, other.popups)
        merged.turnEchoes = union(turnEchoes, other.turnEchoes)
        let glyphs = promptGlyphs + other.promptGlyphs.filter { !promptGlyphs.contains($0) }
        // Longest first, so `architect>` is tried before `>`.
        merged.promptGlyphs = glyphs.sorted { $0.utf8.count > $1.utf8.count }
        merged.glyphlessBoxes = glyphlessBoxes || other.glyphlessBoxes
        return merged
    }
}
