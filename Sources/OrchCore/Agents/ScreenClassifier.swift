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
/// 4. The latest indicator is a done line: `done`; an idle pattern (a shell prompt): `idle`. With
///    no prompt back, a question answered below it means the turn went on: `working`.
/// 5. An input box with nothing above it that decides: `idle`; nothing recognisable: `unknown`.
///
/// "Latest" means the lowest line of the live region (the last `liveLines` non-blank lines above
/// the box); a done line stops the search upwards, and so does a prompt echo (a profile's
/// `turnStarts`, or a line holding the current turn's `marker`), because whatever is above
/// belongs to an older turn.
public enum ScreenClassifier {
    /// Classifies one captured screen (escape sequences allowed) with `profile`'s patterns.
    /// `turnOpen`: a turn is in progress (a prompt was submitted and has not ended): indicators
    /// above a prompt echo (the profile's `turnEchoes`, or a line holding `marker`, the start
    /// of the turn's prompt) belong to older turns.
    public static func classify(_ screen: String, profile: AgentProfile, turnOpen: Bool = false, marker: String? = nil) -> ScreenReading {
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

        let markerBytes = turnOpen ? marker.flatMap { $0.isEmpty ? nil : Array($0.utf8) } : nil
        scan: for index in region.reversed() {
            let line = lines[index]
            if let markerBytes, line.bytes.containsBytes(markerBytes) { break scan }  // this turn's prompt echo
            // A numbered row with no other next to it is no menu (a menu has two options at
            // least): a prompt's echo such as Codex's `› [1] fix the footnote` in the transcript.
            if let hit = profile.match(line, isLastLine: index == lastLine),
                !(hit.state == .input && !hit.byUser && line.isNumberedOption && !ScreenLine.hasOtherOption(near: index, in: lines))
            {
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
            } else if box == nil, latest == nil, index != lastLine, profile.match(line, isLastLine: true)?.state == .input {
                // A line-based CLI's question, answered (no longer the last line) and no prompt
                // back yet: the turn went on after the answer (Aider applies the edit, then asks
                // the model for a commit message); a done line above it is from before.
                latest = (.working, index)
            } else if profile.startsTurn(line) || (turnOpen && profile.echoesTurn(line)) {
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

        let popup = profile.popups.isEmpty ? nil : (max(0, lastLine - 24)...lastLine).first { profile.isPopup(lines[$0]) }
        func reading(_ state: AgentState, _ line: Int?) -> ScreenReading {
            ScreenReading(state: state, evidence: line.map { lines[$0].evidence }, popup: popup.map { lines[$0].evidence })
        }
        if let dialog { return reading(.input, dialog) }
        if let latest, latest.state == .working { return reading(.working, latest.line) }
        // A popup drawn where the footer was hides the box from `PromptBox`: the prompt line
        // above it holds the text being completed (codex-typed-3-filepopup).
        if box == nil, let popup, let typed = (max(0, popup - 12)..<popup).reversed().first(where: { index in
            profile.promptText(lines[index]).map { !$0.isBlank } ?? false
        }) {
            var typedReading = reading(.input, typed).unsubmitted()
            typedReading.typedLines = typed...typed
            return typedReading
        }
        // Text in the box is also what every prompt looks like for a moment while it is typed.
        if let box, let typed = box.typedLine(profile: profile) {
            // A line-based REPL (Aider) leaves the submitted prompt as its last line for a while:
            // during the turn that line is the turn's own echo, not text waiting to be sent.
            if turnOpen, profile.maxFooterLines == 0, let markerBytes, lines[typed].bytes.containsBytes(markerBytes) {
                return reading(.unknown, nil)
            }
            var typedReading = reading(.input, typed).unsubmitted()
            typedReading.typedLines = typed...max(typed, box.content.last?.line ?? typed)
            return typedReading
        }
        if let sendHint { return reading(.input, sendHint).unsubmitted() }
        if let latest { return reading(latest.state, latest.line) }
        return reading(box == nil ? .unknown : .idle, nil)
    }
}
