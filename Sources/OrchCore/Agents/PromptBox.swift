/// An agent's input box as found on a screen: where it is, and the text sitting in it.
///
/// Finding the box first splits the screen in two: above it the transcript, whose latest indicator
/// says what the agent does; inside it what a person (or a swallowed Enter) left unsubmitted.
struct PromptBox {
    enum Frame {
        /// A prompt line alone: `› text` (Codex), `> ` (Aider), `❯ text` (sim antigravity).
        case bare
        /// Between two rules: Claude Code's `───` / `❯ text` / `───`.
        case ruled
        /// In a rounded box: `╭─╮` / `│ text │` / `╰─╯` (Amp, Gemini CLI, Claude Code 1.x).
        case bordered
    }

    var frame: Frame
    /// The first screen line of the box (its top rule or border, or the prompt line).
    var top: Int
    /// The last screen line of the box.
    var bottom: Int
    /// The text lines inside, prompt glyph and borders removed, each with the screen line it is on.
    var content: [(line: Int, text: ScreenLine)]

    /// The screen line of the first typed text, or nil when the box is empty or shows a placeholder.
    func typedLine(profile: AgentProfile) -> Int? {
        for (position, entry) in content.enumerated() where !entry.text.isBlank {
            // Known placeholders fill the first line of an empty box; faint text (seen only in a
            // `capture-pane -e` capture) is a placeholder or a suggestion wherever it is.
            if position == 0, profile.isPlaceholder(entry.text) { continue }
            if entry.text.isFaintText { continue }
            return entry.line
        }
        return nil
    }

    /// Finds the input box at the bottom of the screen, reading upwards from the last line.
    ///
    /// Only footers may sit below the box: indented lines (every real CLI indents its footer) or
    /// lines a profile names as footers, at most `maxFooterLines` of them. A transcript line or an
    /// indicator below a prompt line means that prompt is an echo in the transcript, not the box
    /// (codex-done-1: `› asd` above `• No action taken.`), and a dialog means the box is hidden.
    static func find(in lines: [ScreenLine], lastLine: Int, profile: AgentProfile) -> PromptBox? {
        var index = lastLine
        var footerLines = 0
        while index >= 0 {
            let line = lines[index]
            if line.isBlank {
                index -= 1
                continue
            }
            if line.isRule, let box = ruled(bottom: index, lines: lines, profile: profile) { return box }
            if line.isBottomBorder, let box = bordered(bottom: index, lines: lines, profile: profile) { return box }
            if let text = profile.promptText(line, allowingNumbered: isTypedNumberedText(index, lines, profile: profile)) {
                return PromptBox(frame: .bare, top: index, bottom: index, content: [(index, text)])
            }
            // A rule or border that frames no box is decoration: step over it like a footer line.
            if !line.isRule && !line.isBottomBorder {
                if profile.match(line, isLastLine: index == lastLine) != nil { return nil }
                if line.indent == 0 && !profile.isFooter(line) { return nil }
            }
            footerLines += 1
            if footerLines > profile.maxFooterLines { return wrappedPrompt(above: index, lines: lines, lastLine: lastLine, profile: profile) }
            index -= 1
        }
        return nil
    }

    /// A numbered row after the glyph that is text typed into the box, not a menu's cursor row:
    /// alone (`› [1] fix the footnote`: a menu has two options at least), or the first row of a
    /// typed list (`› 1. fix` / `  2. test`) with the box's own footer under it. A menu's cursor
    /// may sit on any option (Claude's `❯ 3.` under `2.`), and under Codex's options comes its
    /// `Press enter to confirm` hint, never the box's footer.
    private static func isTypedNumberedText(_ index: Int, _ lines: [ScreenLine], profile: AgentProfile) -> Bool {
        guard lines[index].isNumberedOption, !(max(0, index - 3)..<index).contains(where: { lines[$0].isNumberedOption }) else { return false }
        var next = index + 1
        while next < lines.count, !lines[next].isBlank, lines[next].indent > 0, !profile.isFooter(lines[next]) { next += 1 }
        guard (index + 1..<next).contains(where: { lines[$0].isNumberedOption }) else { return true }
        while next < lines.count, lines[next].isBlank { next += 1 }
        return next < lines.count && profile.isFooter(lines[next])
    }

    /// More indented lines under the box than a footer has: text typed into a bare prompt that
    /// wraps over many rows (a 3 KB line fills 27 of them), each row indented to the column the
    /// text starts in after the glyph (`› zzz…` / `  zzz…`). The prompt line is looked for above
    /// `overflow` through such rows only: one that an indicator, a numbered option or other
    /// indentation, or a blank, is not typed text, and then there is no box (a dialog hides it).
    private static func wrappedPrompt(above overflow: Int, lines: [ScreenLine], lastLine: Int, profile: AgentProfile) -> PromptBox? {
        func continues(_ line: ScreenLine) -> Bool {
            !line.isBlank && line.indent > 0 && !line.isNumberedOption && !profile.isPopup(line) && profile.match(line, isLastLine: false) == nil
        }
        var row = overflow
        while row >= 0, overflow - row < 500 {
            let line = lines[row]
            if let text = profile.promptText(line) {
                let column = String(decoding: line.bytes[line.bytes.startIndex..<text.bytes.startIndex], as: UTF8.self).count + text.indent
                let below = (row + 1...lastLine).prefix { lines[$0].indent == column && continues(lines[$0]) && !profile.isFooter(lines[$0]) }
                guard let bottom = below.last, bottom >= overflow else { return nil }
                return PromptBox(frame: .bare, top: row, bottom: bottom, content: [(row, text)] + below.map { ($0, lines[$0]) })
            }
            guard continues(line) else { return nil }
            row -= 1
        }
        return nil
    }

    /// Claude Code's box: `bottom` is a rule; above it, up to the next rule, a prompt line and its
    /// continuation lines.
    private static func ruled(bottom: Int, lines: [ScreenLine], profile: AgentProfile) -> PromptBox? {
        var top = bottom - 1
        while top >= 0, !lines[top].isRule { top -= 1 }
        guard top >= 0,
            let first = (top + 1..<bottom).first(where: { !lines[$0].isBlank }),
            let text = profile.promptText(lines[first])
        else { return nil }
        var content = [(line: first, text: text)]
        for index in first + 1..<bottom { content.append((index, lines[index])) }
        return PromptBox(frame: .ruled, top: top, bottom: bottom, content: content)
    }

    /// A rounded box: `bottom` is `╰…╯`; above it `│ … │` lines up to `╭…╮`. The first inner line
    /// must start with a prompt glyph unless the profile draws glyphless boxes (Amp).
    private static func bordered(bottom: Int, lines: [ScreenLine], profile: AgentProfile) -> PromptBox? {
        var index = bottom - 1
        var content: [(line: Int, text: ScreenLine)] = []
        while index >= 0, let inside = lines[index].insideBorders {
            content.append((index, inside))
            index -= 1
        }
        guard index >= 0, lines[index].isTopBorder, !content.isEmpty else { return nil }
        content.reverse()
        if let text = profile.promptText(content[0].text) {
            content[0].text = text
        } else if !profile.glyphlessBoxes {
            return nil
        }
        return PromptBox(frame: .bordered, top: index, bottom: bottom, content: content)
    }
}
