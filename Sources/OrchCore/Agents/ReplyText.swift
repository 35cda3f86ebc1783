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
        let echoes = { (index: Int) in profile.echoesTurn(lines[index]) || profile.startsTurn(lines[index]) }
        // The echo is the line in the profile's echo shape holding the marker: an answer that
        // quotes the prompt ("Finished: fix the tests") holds the marker too, below the echo.
        let holdsMarker = { (index: Int) in markerBytes.map { lines[index].bytes.containsBytes($0) } ?? false }
        guard var echo = (0..<end).reversed().first(where: { holdsMarker($0) && echoes($0) })
            ?? (0..<end).reversed().first(where: { markerBytes == nil ? echoes($0) : holdsMarker($0) })
        else { return nil }
        // Without an echo shape, an answer that starts by quoting the prompt sits right under
        // the echo: the echo is the top of that run of lines holding the marker.
        if markerBytes != nil, !echoes(echo) {
            while let above = (0..<echo).reversed().first(where: { !lines[$0].isBlank }), holdsMarker(above) { echo = above }
        }
        var framed = Array(lines[(echo + 1)..<end])
        // Drop the rules and blank lines that frame the answer, and a done line under it
        // (Codex's `─ Worked for 12s ─`, Aider's `Tokens: …`): a status, not the answer.
        func isFrame(_ line: ScreenLine) -> Bool {
            ScreenText.stripEscapes(line.text).allSatisfy { $0 == " " || $0 == "─" || $0 == "━" } || profile.match(line, isLastLine: false)?.state == .done
        }
        while let last = framed.last, isFrame(last) { framed.removeLast() }
        var body = framed.map { ScreenText.stripEscapes($0.text) }
        while let first = body.first, first.allSatisfy({ $0 == " " }) { body.removeFirst() }
        return body.map { line in
            var text = Substring(line)
            while let tail = text.last, tail == " " { text = text.dropLast() }
            return String(text)
        }.joined(separator: "\n")
    }
}
