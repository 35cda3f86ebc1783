/// The built-in profiles and where each of their patterns comes from.
///
/// Sources: "seed" is the orchestration guide's list of state indicators ("Indicateurs d'État");
/// a file name is a real capture under `Tests/OrchCoreTests/Fixtures/screens/`; "sim" is orch's own
/// simulated agent. Every profile is its CLI's own entries plus `base`, because an agent window may
/// be misnamed; `generic` knows every CLI's entries.
extension AgentProfile {
    /// All built-in profiles; `generic` last.
    public static let builtIn: [AgentProfile] = [claude, amp, codex, antigravity, agy, gemini, aider, generic]

    /// What every profile recognises: the seed's indicators and shapes all agent CLIs share.
    static let base: AgentProfile = {
        var profile = AgentProfile(name: "base")
        profile.working = [
            .contains("Running tools..."),  // seed
            .contains("Streaming response..."),  // seed
            .gerund,  // seed: `Thinking...`, `Burrowing...`, `Embellishing...` (any `Verbing...` alone)
            .elapsed(glyphs: "*"),  // seed: `* Brewed for Xs` (the ASCII star is the working form)
            // seed verbs as real Claude Code draws them: a spinner glyph and `…` (claude-working-1);
            // `*` replaces `✳` on some terminals; braille dots are the usual CLI spinner (Gemini CLI).
            .spinner(glyphs: "·✢✳✶✻✽*⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"),
            .contains("esc to interrupt"),  // Claude Code and Codex busy lines (claude-working-1, codex-working-1)
        ]
        profile.done = [
            .all(.prefix("✓ "), .contains(" changed")),  // seed: `✓ CLAUDE.md • X files changed +Y ~Z -W`
            .elapsed(glyphs: "✻✳✶✽✢·"),  // seed: `✻ Brewed for Xm Ys`; claude-done-1 (`✻ Worked for 3s` too)
            .contains("test result: ok."),  // seed: `test result: ok. X passed` (cargo test)
        ]
        profile.idle = [
            .shellPrompt.onLastLine  // a plain shell at its prompt: the agent exited or never started
        ]
        profile.input = [
            .all(.prefix("Do you want to "), .suffix("?")),  // Claude Code permission question (claude-input-1)
            .prefix("Esc to cancel"),  // Claude Code dialog footer (claude-input-1)
            // A selection cursor on a numbered choice: Claude `❯ 3.` (claude-input-1), Codex `› 1.`
            // (codex-input-1), Gemini CLI `● 1.` (gemini-input-1), sim `> 1.`.
            .menuRow(cursors: "❯›●>→▶▸➜"),
            // Shapes any terminal agent may ask with (issue 13: a real agent's `→ [1] Approve once`
            // was answered by an Enter orch pressed because no profile knew it).
            .contains("requesting approval"),
            .all(.prefix("Allow "), .suffix("?")),
            .yesNo.onLastLine,  // `Continue? [Y/n]`: a line-based question waits at the cursor
        ]
        profile.sendHints = [
            .contains("↵ send")  // seed: "`↵ send` visible" = typed text not submitted
        ]
        // Not an indicator on purpose: `⏵⏵ bypass permissions on` (seed) is a footer shown in every
        // state (fixtures README); the typed text in the box is what means input.
        profile.footers = [
            .contains("? for shortcuts"),  // Claude Code and Codex footers (claude-idle-1, codex-working-1)
            .contains("context left"),  // Codex and Gemini CLI footers (codex-working-1)
            .contains("bypass permissions on"),  // Claude Code footer (seed, fixtures README)
        ]
        profile.promptGlyphs = ["❯", "›"]  // seed: "Prompt `❯` ou `›` vide"
        return profile
    }()

    /// Claude Code (Anthropic).
    public static let claude: AgentProfile = {
        var profile = AgentProfile(name: "claude")
        profile.placeholders = [
            .prefix("Try \"")  // dimmed suggestion in the empty box: `❯ Try "edit mcp.rs to..."` (claude-idle-1)
        ]
        profile.turnStarts = [
            .prefix("❯ "),  // the submitted prompt echoed in the transcript (claude-working-1)
            .prefix("> "),  // the same echo in Claude Code 1.x
        ]
        profile.promptGlyphs = [
            ">",  // Claude Code 1.x drew `│ > │` in a bordered box
            "!",  // bash mode: the box's glyph becomes `!`
        ]
        return profile.adding(base)
    }()

    /// Amp (Sourcegraph). No trusted capture of its busy screen is known: the seed's lines are its table.
    public static let amp: AgentProfile = {
        var profile = AgentProfile(name: "amp")
        profile.glyphlessBoxes = true  // its prompt box is `╭─…╮ │ text │ ╰─…╯` with no glyph (fixtures README, sim)
        // Amp's current busy footer: `╰ … (thinking|streaming|running tools|waiting) ─` (docs/real-agents.md).
        profile.working = ["(thinking)", "(streaming)", "(running tools)", "(waiting)"].map { .all(.prefix("╰"), .contains($0)) }
        return profile.adding(base)
    }()

    /// OpenAI Codex CLI 0.147 (the Rust TUI; real captures in `Fixtures/real-screens/codex-*`).
    ///
    /// While the reply streams Codex shows no status line at all (codex-working-4): only the pane
    /// printing says it works, so a turn ends after `quiet` without output at its prompt.
    public static let codex: AgentProfile = {
        var profile = AgentProfile(name: "codex")
        // The echoed prompt `› text` starts a turn: a `─ Worked for` rule above it is an older
        // turn's (codex-working-5, codex-premature-done-1).
        profile.turnEchoes = [.prefix("› ")]
        profile.working = [
            .contains("Messages to be submitted after next tool call"),  // a prompt queued mid-turn (codex-working-6-queued)
            .prefix("• Running "),  // a command running (codex-working-8-running-cmd)
        ]
        // Measured (README, "Profiles"): its longest silence mid-turn is 0.2 s (the Working
        // spinner redraws), 0.11 s while text streams; its last output comes 5–32 ms after the
        // stream ends. One second leaves a wide margin and keeps `wait` close to the truth.
        profile.quiet = .milliseconds(1000)
        profile.done = [
            .prefix("─ Worked for ")  // the rule ending a turn that worked: `─ Worked for 1m 22s ───` (codex-done-1)
        ]
        profile.input = [
            .contains("Would you like to run the following command?"),  // exec approval (codex-input-1)
            .contains("Would you like to make the following edits?"),  // patch approval (codex-rs TUI)
            .contains("Would you like to grant these permissions?"),  // permission approval (codex-rs TUI)
            .contains("Press enter to confirm or esc to cancel"),  // approval footer (codex-input-1)
            .contains("Do you trust the contents of this directory?"),  // first start in a new folder (codex-onboarding-trust)
        ]
        // Popups drawn over the composer: an Enter there picks an entry instead of submitting.
        profile.popups = [
            .all(.contains("enter insert"), .contains("esc close"))  // `@` file search (codex-typed-3-filepopup)
        ]
        // Dimmed composer placeholders of the Codex TUI (codex-working-1; codex-rs EXAMPLE_PROMPTS).
        profile.placeholders = [
            .line("Ask Codex to do anything"),
            .line("Explain this codebase"),
            .line("Summarize recent commits"),
            .line("Implement {feature}"),
            .line("Find and fix a bug in @filename"),
            .line("Write tests for @filename"),
            .line("Improve documentation in @filename"),
            .line("Run /review on my current changes"),
            .line("Use /skills to list available skills"),
        ]
        return profile.adding(base)
    }()

    /// Antigravity through its proxy: a Claude Code-style screen (seed: `Burrowing...`, `❯`).
    public static let antigravity: AgentProfile = {
        var profile = AgentProfile(name: "antigravity")
        profile.input = [.contains("requesting permission for")]  // agy's permission question (docs/real-agents.md)
        profile.turnStarts = [.prefix("❯ "), .prefix("> ")]  // Claude-style prompt echo, as for claude
        profile.placeholders = [.prefix("Try \"")]  // Claude-style placeholder
        return profile.adding(base)
    }()

    /// Antigravity CLI `agy`: a braille spinner while busy (in `base`); `requesting permission
    /// for:` when it asks (docs/real-agents.md); otherwise the Claude-style screen of `antigravity`.
    public static let agy: AgentProfile = {
        var profile = antigravity
        profile.name = "agy"
        return profile
    }()

    /// Gemini CLI (Google), kept as legacy: Google's current CLI is Antigravity (`agy`).
    public static let gemini: AgentProfile = {
        var profile = AgentProfile(name: "gemini")
        profile.working = [
            .contains("(esc to cancel, ")  // busy line `⠏ Counting electrons... (esc to cancel, 12s)` (fixtures README)
        ]
        profile.input = [
            .line("Apply this change?"),  // edit confirmation (gemini-input-1)
            .contains("Allow once"),  // confirmation choice (gemini-input-1)
        ]
        profile.placeholders = [
            .line("Type your message or @path/to/file")  // empty input box of Gemini CLI
        ]
        profile.footers = [
            .contains("no sandbox")  // Gemini CLI footer: `~/src (main*)  no sandbox  gemini-2.5-pro`
        ]
        profile.promptGlyphs = [">"]  // `│ > Type your message… │`
        return profile.adding(base)
    }()

    /// Aider 0.86: a plain line-based REPL (real captures in `Fixtures/real-screens/aider-*`).
    public static let aider: AgentProfile = {
        var profile = AgentProfile(name: "aider")
        profile.input = [
            // `Add file to the chat? (Y)es/(N)o/(D)on't ask again [Yes]: ` (aider-input-1) and
            // `Create new file? (Y)es/(N)o [Yes]:` (real aider-input-1); only on the last line:
            // once answered, the question stays in the scrollback.
            .contains("(Y)es/(N)o").onLastLine
        ]
        profile.working = [
            .contains("Waiting for ")  // `░█  Waiting for openai/fake` before the reply (aider-working-waiting-1)
        ]
        profile.done = [
            .all(.prefix("Tokens: "), .contains(" sent, "))  // after every reply: `Tokens: 2.3k sent, 10 received.` (aider-done-1)
        ]
        // Its prompt echo `> text` stays in the transcript: lines above it are an older turn's.
        profile.turnEchoes = [.prefix("> ")]
        // Its idle prompt is `> `, or the edit format's or chat mode's name before it: `diff> `,
        // `whole> ` (aider-idle-diffprompt-1), `architect> `, `ask> ` (aider docs).
        profile.promptGlyphs = [
            ">", "diff>", "whole>", "udiff>", "diff-fenced>", "editor-diff>", "editor-whole>", "architect>", "ask>", "code>",
            "context>", "help>", "multi>",
        ]
        // Measured: up to 1.2 s of silence after Enter with `> prompt` still the last line, and
        // 0.6 s between frames of its `Waiting for` spinner.
        profile.quiet = .milliseconds(2000)
        profile.maxFooterLines = 0  // nothing is drawn below its prompt
        // It asks `(Y)es/(N)o`, never with a numbered menu (so it does not `drawsMenus`): `> 1. fix`
        // / `2. test` is a typed list (real Aider: orch took it for a menu and would not submit it).
        var merged = profile.adding(base)
        merged.input.removeAll { if case .menuRow = $0.shape { true } else { false } }
        return merged
    }()

    /// Any other window: every CLI's patterns, the sim's, and a shell.
    public static let generic: AgentProfile = {
        var profile = AgentProfile(name: "generic")
        profile.quiet = .milliseconds(2000)  // an unknown program: only its silence says it finished
        profile.done = [
            .line("Done.")  // sim: the generic simulated agent's done line
        ]
        profile.promptGlyphs = [">", "$"]  // sim `> `; a shell's `$ ` (brief: generic prompts `> `, `$ `, `❯`, `›`)
        for cli in [claude, amp, codex, antigravity, agy, gemini, aider] {
            // A misnamed window still reads right. What stays per CLI: turn starts (Codex echoes a
            // prompt below an older done rule, Claude above), Claude's bash-mode `!` (too common at
            // the start of other programs' output lines), and Aider's footer limit.
            var shared = cli
            shared.turnStarts = []
            shared.turnEchoes = []
            shared.working.removeAll { $0 == .contains("Waiting for ") }  // too common in other programs' output
            shared.promptGlyphs.removeAll { $0 == "!" }
            profile = profile.adding(shared)
        }
        return profile
    }()
}
