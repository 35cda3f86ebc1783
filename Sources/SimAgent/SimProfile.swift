/// How a simulated agent looks: the screens of one agent CLI, reduced to the lines orch reads.
///
/// Each string comes from the seed guide's indicator list or from the real screens in
/// `shared/fixtures/screens/` (see that README).
struct SimProfile: Sendable {
    var name: String
    /// Lines shown (one at a time, in turn) while working; `{s}` becomes elapsed seconds.
    var workingLines: [String]
    /// The line(s) added to the transcript when a turn ends; `{s}` elapsed seconds, `{m}` minutes.
    var doneLines: [String]
    /// How the submitted prompt is echoed in the transcript.
    var echoPrefix: String
    var box: BoxStyle

    enum BoxStyle: Sendable {
        /// Claude Code: `─` rules around `❯ TEXT`, footer `? for shortcuts`.
        case claude
        /// Codex: `› TEXT` with a placeholder when empty, footer with context left.
        case codex
        /// Amp: a rounded box `╭─╮ │ │ ╰─╯`.
        case amp
        /// A bare prompt line such as `❯ ` or `> `.
        case bare(String)
    }

    static let all: [String: SimProfile] = [
        "claude": SimProfile(
            name: "claude",
            // claude-working-1: glyph + verb + `…` + `(esc to interrupt`.
            workingLines: ["✳ Thinking… (esc to interrupt)", "✶ Pollinating… (esc to interrupt · {s}s)", "✢ Running tools… (esc to interrupt · {s}s)"],
            // claude-done-1: `✻ Brewed for 1m 3s`.
            doneLines: ["✻ Brewed for {m}m {s}s"],
            echoPrefix: "❯ ", box: .claude),
        "codex": SimProfile(
            name: "codex",
            // codex-working-1 and codex-done-1.
            workingLines: ["• Working ({s}s • esc to interrupt)", "◦ Working ({s}s • esc to interrupt)"],
            doneLines: ["─ Worked for {s}s " + String(repeating: "─", count: 40)],
            echoPrefix: "› ", box: .codex),
        "amp": SimProfile(
            name: "amp",
            // The seed's working and done indicators.
            workingLines: ["Running tools...", "Streaming response..."],
            doneLines: ["✓ CLAUDE.md • 2 files changed +14 ~3 -1"],
            echoPrefix: "> ", box: .amp),
        "antigravity": SimProfile(
            name: "antigravity",
            workingLines: ["Burrowing...", "Embellishing...", "* Brewed for {s}s"],
            doneLines: ["test result: ok. 12 passed"],
            echoPrefix: "❯ ", box: .bare("❯ ")),
        "generic": SimProfile(
            name: "generic",
            workingLines: ["Thinking..."],
            doneLines: ["Done."],
            echoPrefix: "> ", box: .bare("> ")),
    ]
}
