/// The agent's answer to a turn's prompt as its screen shows it: the transcript lines between
/// the prompt's echo and the input box (`reply AGENT` when no hook reported the answer).
public enum ReplyText {
    /// The lines below the last echo of the turn's prompt (a line holding `marker`, else the
    /// profile's echo shape) and above the input box; nil when no echo is on screen.
    public static func from(screen: String, profile: AgentProfile, marker: String?) -> String? {
        let lines = ScreenLine.lines(of: screen)
        guard let lastLine = lines.lastIndex(where: { !$0.isBlank }) else { return nil }
        let box = PromptBox.find(in: lines, lastLine: lastLine, profile: profile)
        let end = box?.top ?? (lastLine + 1)
        let markerBytes = marker.map { Array($0.utf8) }
        guard let echo = (0..<end).reversed().first(where: { index in
            if let markerBytes, lines[index].bytes.containsBytes(markerBytes) { return true }
            return markerBytes == nil && (profile.echoesTurn(lines[index]) || profile.startsTurn(lines[index]))
        }) else { return nil }
        var body = lines[(echo + 1)..<end].map { ScreenText.stripEscapes($0.text) }
        // Drop the rules and blank lines that frame the answer, and a done line under it.
        while let last = body.last, last.allSatisfy({ $0 == " " || $0 == "─" || $0 == "━" }) { body.removeLast() }
        while let first = body.first, first.allSatisfy({ $0 == " " }) { body.removeFirst() }
        return body.map { line in
            var text = Substring(line)
            while let tail = text.last, tail == " " { text = text.dropLast() }
            return String(text)
        }.joined(separator: "\n")
    }
}
