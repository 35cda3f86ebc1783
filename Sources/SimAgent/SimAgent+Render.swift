extension SimAgent {
    /// Redraws the whole screen: transcript tail, live line, question, input box, footer.
    mutating func render() {
        let (rows, columns) = RawTerminal.size()
        let profile = options.profile
        var live: [String] = []
        switch mode {
        case .idle:
            break
        case .working(let start, _, _, _):
            let seconds = Int((clock.now - start).components.seconds)
            let template = profile.workingLines[(seconds / 2) % profile.workingLines.count]
            live = [Self.fill(template, seconds: seconds, minutesSplit: false), ""]
        case .asking:
            live = ["⏺ Bash(touch simulated-change.txt)", "", " Do you want to proceed?", "   1. Yes", "   2. No", "", " Esc to cancel", ""]
        }
        let (box, cursorLine, cursorColumn) = inputBox(columns: columns)
        let room = max(0, rows - live.count - box.count)
        var screen = Array(transcript.suffix(room))
        screen += Array(repeating: "", count: max(0, room - screen.count))
        screen += live + box
        // A box taller than the screen shows its end, where the cursor is (as editors do).
        let text = screen.suffix(rows).map { Self.clip($0, to: columns) }.joined(separator: "\r\n")
        // The cursor sits after the typed text, as in a real prompt.
        let cursorRow = min(rows, screen.count) - box.count + cursorLine + 1
        RawTerminal.write("\u{1B}[H\u{1B}[2J" + text + "\u{1B}[\(max(1, cursorRow));\(min(columns, cursorColumn + 1))H")
    }

    /// The input area's lines, and where the cursor goes in them (line, column; 0-based).
    private func inputBox(columns: Int) -> (lines: [String], cursorLine: Int, cursorColumn: Int) {
        let text = String(decoding: input, as: UTF8.self)
        let typedLines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        let unsubmitted = typedLines.count > 1
        // Long lines wrap inside the box, as real input boxes do.
        let lines = typedLines.flatMap { Self.wrap($0, width: max(10, columns - 6)) }
        let rule = String(repeating: "─", count: max(10, columns - 1))
        switch options.profile.box {
        case .claude:
            var box = [rule]
            box += lines.enumerated().map { ($0.offset == 0 ? "❯ " : "  ") + $0.element }
            box.append(rule)
            box.append(unsubmitted ? "  ↵ send" : "  ? for shortcuts")
            return (box, lines.count, 2 + (lines.last?.count ?? 0))
        case .codex:
            var box: [String] = []
            if text.isEmpty {
                box.append("› Ask Codex to do anything")
            } else {
                box += lines.enumerated().map { ($0.offset == 0 ? "› " : "  ") + $0.element }
            }
            box.append("")
            if popupWord != nil {
                box += ["> README.md  ./" + String(repeating: " ", count: 40) + "File", "  Package.swift  ./" + String(repeating: " ", count: 36) + "File", ""]
                box.append("  enter insert · esc close · ←/→ switch search modes" + String(repeating: " ", count: 20) + "[All Results]   Filesystem Only")
            } else {
                box.append(unsubmitted ? "  ↵ send" : "  ? for shortcuts" + String(repeating: " ", count: 40) + "100% context left")
            }
            return (box, lines.count - 1, text.isEmpty ? 2 : 2 + (lines.last?.count ?? 0))
        case .amp:
            let inner = max(10, columns - 4)
            var box = ["╭" + String(repeating: "─", count: inner + 2) + "╮"]
            box += lines.map { "│ " + $0 + String(repeating: " ", count: max(0, inner - $0.count)) + " │" }
            box.append("╰" + String(repeating: "─", count: inner + 2) + "╯")
            if unsubmitted { box.append("  ↵ send") }
            return (box, lines.count, 2 + (lines.last?.count ?? 0))
        case .bare(let prompt):
            var box = lines.enumerated().map { ($0.offset == 0 ? prompt : "  ") + $0.element }
            if unsubmitted { box.append("  ↵ send") }
            return (box, lines.count - 1, (lines.count == 1 ? prompt.count : 2) + (lines.last?.count ?? 0))
        }
    }

    static func wrap(_ line: String, width: Int) -> [String] {
        guard line.count > width else { return [line] }
        var chunks: [String] = []
        var rest = Substring(line)
        while !rest.isEmpty {
            chunks.append(String(rest.prefix(width)))
            rest = rest.dropFirst(width)
        }
        return chunks
    }

    static func clip(_ line: String, to columns: Int) -> String {
        line.count <= columns ? line : String(line.prefix(columns))
    }
}
