/// Reads an agent's state from the text of its pane.
///
/// Pure: text and profile in, reading out; no clock, no tmux. The caller turns `idle` into `done`
/// when the agent worked since the last `send`; this type only reads the screen.
///
/// Precedence, from the real screens (fixtures README):
/// 1. A question or approval dialog that is not older than a done line: `input`. Dialogs replace the
///    input box in Claude Code, Codex and Gemini CLI, so above a visible box a dialog only counts
///    with its numbered options under it (prose asking "Do you want to …?" is not a dialog).
/// 2. The latest indicator above the box is a spinner or progress line: `working`. The empty box is
///    on screen while Claude works, so the box alone never means done.
/// 3. Real text in the box (not a placeholder), or `↵ send`: `input`. A footer such as
///    `⏵⏵ bypass permissions on` means nothing by itself.
/// 4. The latest indicator is a done line: `done`; an idle pattern (a shell prompt): `idle`.
/// 5. An input box with nothing above it that decides: `idle`; nothing recognisable: `unknown`.
///
/// "Latest" means the lowest line of the live region (the last `liveLines` non-blank lines above
/// the box); a done line stops the search upwards, and so does a prompt echo for profiles with
/// `turnStarts`, because whatever is above belongs to an older turn.
public enum ScreenClassifier {
    /// Classifies one captured screen (escape sequences allowed) with `profile`'s patterns.
    public static func classify(_ screen: String, profile: AgentProfile) -> ScreenReading {
        let lines = ScreenLine.lines(of: screen)
        guard let lastLine = lines.lastIndex(where: { !$0.isBlank }) else {
            return ScreenReading(state: .unknown)
        }
        let box = PromptBox.find(in: lines, lastLine: lastLine, profile: profile)
        let region = ScreenText.liveIndices(before: box?.top ?? lines.count, count: profile.liveLines) {
            lines[$0].isBlank
        }

        var latest: (state: AgentState, line: Int)?
        var dialog: Int?
        var sendHint: Int?
        var optionsBelow = false

        scan: for index in region.reversed() {
            let line = lines[index]
            if let hit = profile.match(line, isLastLine: index == lastLine) {
                switch hit.state {
                case .input:
                    if hit.byUser || box == nil || optionsBelow || line.isNumberedOption { dialog = index }
                case .working:
                    // Keep looking: a dialog may sit above a busy line (Gemini CLI shows
                    // `⠏ Waiting for user confirmation...` under its question).
                    if latest == nil { latest = (.working, index) }
                case .done, .idle, .unknown:
                    if latest == nil { latest = (hit.state, index) }
                    break scan
                }
            } else if profile.startsTurn(line) {
                break scan
            } else if box == nil, sendHint == nil, profile.isSendHint(line) {
                sendHint = index
            }
            if line.isNumberedOption { optionsBelow = true }
        }

        if let box {
            // An old-style bordered dialog (`│ Do you want to proceed? │`) is drawn where the box is.
            if dialog == nil, box.frame == .bordered,
                let row = box.content.first(where: { profile.isInput($0.text) })
            {
                dialog = row.line
            }
            if sendHint == nil, box.bottom < lastLine {
                sendHint = (box.bottom + 1...lastLine).first { profile.isSendHint(lines[$0]) }
            }
        }

        func reading(_ state: AgentState, _ line: Int?) -> ScreenReading {
            ScreenReading(state: state, evidence: line.map { lines[$0].evidence })
        }
        if let dialog { return reading(.input, dialog) }
        if let latest, latest.state == .working { return reading(.working, latest.line) }
        // Text in the box is also what every prompt looks like for a moment while it is typed.
        if let typed = box?.typedLine(profile: profile) { return reading(.input, typed).unsubmitted() }
        if let sendHint { return reading(.input, sendHint).unsubmitted() }
        if let latest { return reading(latest.state, latest.line) }
        return reading(box == nil ? .unknown : .idle, nil)
    }
}
