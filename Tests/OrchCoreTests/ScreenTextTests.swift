import OrchCore
import Testing

@Suite("ScreenText")
struct ScreenTextTests {
    // MARK: stripEscapes

    @Test("colours and attributes (SGR) are removed, text and Unicode kept")
    func stripsSGR() {
        let captured = "\u{1B}[1m\u{1B}[38;5;174m✻\u{1B}[39m Brewed for \u{1B}[2m1m 3s\u{1B}[0m"
        #expect(ScreenText.stripEscapes(captured) == "✻ Brewed for 1m 3s")
    }

    @Test("an SGR parameter of any length is read without overflow (found by the fuzzer)")
    func hugeSGRParameter() {
        let captured = "\u{1B}[" + String(repeating: "1", count: 400) + "mtext \u{1B}[2;99999999999999999999999mfaint"
        #expect(ScreenText.stripEscapes(captured) == "text faint")
        let reading = ScreenClassifier.classify(captured + "\n\u{1B}[38;5;" + String(repeating: "9", count: 40) + "m❯ ", profile: AgentProfile.named("claude")!)
        #expect(AgentState.allCases.contains(reading.state))
    }

    @Test("cursor movement, erase and private-mode CSI sequences are removed")
    func stripsCursorSequences() {
        let captured = "\u{1B}[?25l\u{1B}[2K\u{1B}[1G❯ \u{1B}[7m \u{1B}[27m\u{1B}[?25h\u{1B}[3;1H"
        #expect(ScreenText.stripEscapes(captured) == "❯  ")
    }

    @Test("OSC titles and hyperlinks are removed, with BEL or ST terminators")
    func stripsOSC() {
        let title = "\u{1B}]0;✳ Claude Code\u{07}ready"
        #expect(ScreenText.stripEscapes(title) == "ready")
        let link = "see \u{1B}]8;;https://example.com/a\u{1B}\\the docs\u{1B}]8;;\u{1B}\\ now"
        #expect(ScreenText.stripEscapes(link) == "see the docs now")
    }

    @Test("charset selects, two-byte escapes and DCS strings are removed")
    func stripsOtherEscapes() {
        let captured = "\u{1B}(B\u{1B})0\u{1B}7a\u{1B}8b\u{1B}=\u{1B}>c\u{1B}Ptmux;data\u{1B}\\d\u{1B}#8e"
        #expect(ScreenText.stripEscapes(captured) == "abcde")
    }

    @Test("8-bit C1 controls written as UTF-8 are removed")
    func stripsC1Controls() {
        let captured = "\u{9B}1mbold\u{9B}0m \u{9D}2;title\u{9C}x"
        #expect(ScreenText.stripEscapes(captured) == "bold x")
    }

    @Test("control characters other than newline and tab are dropped; CRLF becomes LF")
    func dropsControls() {
        #expect(ScreenText.stripEscapes("a\r\nb\u{07}\tc\u{08}\u{0E}d") == "a\nb\tcd")
    }

    @Test("a truncated escape at the end of a capture drops only the escape")
    func truncatedEscapes() {
        #expect(ScreenText.stripEscapes("done\u{1B}") == "done")
        #expect(ScreenText.stripEscapes("done\u{1B}[38;5") == "done")
        #expect(ScreenText.stripEscapes("done\u{1B}]0;never ends") == "done")
    }

    @Test("text without escapes is returned unchanged")
    func plainTextUnchanged() {
        let plain = "• Working (0s • esc to interrupt)\n\n› Ask Codex to do anything\n"
        #expect(ScreenText.stripEscapes(plain) == plain)
    }

    // MARK: lines

    @Test("lines lose trailing spaces, tabs and no-break spaces but keep indentation")
    func linesTrimTrailing() {
        let text = "  ? for shortcuts   \n❯\u{A0}\n\tindented\t\nAdd file? [Yes]: \n"
        #expect(ScreenText.lines(text) == ["  ? for shortcuts", "❯", "\tindented", "Add file? [Yes]:"])
    }

    @Test("a no-break space inside a line reads as a space")
    func noBreakSpaceInside() {
        #expect(ScreenText.lines("❯\u{A0}fix the tests") == ["❯ fix the tests"])
    }

    @Test("blank lines are kept; only the final newline does not add a line")
    func linesKeepBlanks() {
        #expect(ScreenText.lines("a\n\n  \nb\n") == ["a", "", "", "b"])
        #expect(ScreenText.lines("a\nb") == ["a", "b"])
        #expect(ScreenText.lines("") == [])
        #expect(ScreenText.lines("\n") == [""])
    }

    // MARK: liveRegion

    @Test("the live region is the last N non-blank lines, oldest first")
    func liveRegionLastNonBlank() {
        let lines = ["old ✻ Brewed for 3s", "", "a", "  ", "b", "", "c", ""]
        #expect(ScreenText.liveRegion(lines, count: 2) == ["b", "c"])
        #expect(ScreenText.liveRegion(lines, count: 3) == ["a", "b", "c"])
    }

    @Test("a live region larger than the screen is the whole screen without blanks")
    func liveRegionShortScreen() {
        #expect(ScreenText.liveRegion(["x", "", "y"], count: 15) == ["x", "y"])
        #expect(ScreenText.liveRegion(["x"], count: 0) == [])
        #expect(ScreenText.liveRegion([], count: 5) == [])
    }

    @Test("typed text's end at the cursor: on its row, or split by the wrap anywhere, even inside its last characters", arguments: [1, 3, 7, 20])
    func typedLineEndsAcrossAWrap(k: Int) {
        let end: Substring = "the end of it all: wrapXend"
        let rows: [Substring] = ["› " + String(repeating: "a", count: 30) + end.dropLast(k), "  " + end.suffix(k), "", "  ? for shortcuts"]
        #expect(ScreenText.typedLine(end, endsAtRow: 1, of: rows))
        #expect(ScreenText.typedLine(Substring(String(repeating: "a", count: 30)) + end, endsAtRow: 1, of: rows))
        // Not where the cursor is, or a different ending.
        #expect(!ScreenText.typedLine(end, endsAtRow: 3, of: rows))
        #expect(!ScreenText.typedLine("the end of it all: wrapYend", endsAtRow: 1, of: rows))
    }

    @Test("typed text's end on the cursor's row, without the box's border")
    func typedLineOnItsRow() {
        let rows: [Substring] = ["│ > please fix the tests │", "│                       │"]
        #expect(ScreenText.typedLine("please fix the tests", endsAtRow: 0, of: rows))
        #expect(!ScreenText.typedLine("please fix the tests", endsAtRow: 1, of: rows))
    }
}
