/// Pure helpers that turn a captured pane into the plain lines a person would see.
///
/// Everything works on UTF-8 bytes: the classifier runs on every pane change, and byte loops over a
/// screen of 50 lines cost microseconds where `Character` iteration would cost far more.
public enum ScreenText {
    /// Removes terminal escape sequences and control characters, keeping newlines and tabs.
    ///
    /// `tmux capture-pane -e` keeps colours (SGR) and agent CLIs also write titles (OSC), hyperlinks
    /// (OSC 8), charset selects (`ESC ( B`) and cursor saves; none of it is text a person sees, so
    /// patterns must not have to step around it. Unterminated sequences are dropped to the end.
    public static func stripEscapes(_ text: String) -> String {
        var stripper = EscapeStripper(noBreakSpaceAsSpace: false, tracksFaint: false)
        stripper.strip(Array(text.utf8))
        return String(decoding: stripper.text, as: UTF8.self)
    }

    /// Splits text into lines with trailing whitespace dropped; a no-break space reads as a space.
    ///
    /// The final newline of a capture does not make an extra empty line. No-break spaces become plain
    /// spaces because some CLIs draw `❯\u{A0}` and a pattern written with a space must still match.
    public static func lines(_ text: String) -> [String] {
        let bytes = replacingNoBreakSpaces(Array(text.utf8))
        return lineSlices(bytes).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The live region: the last `count` non-blank lines, oldest first.
    ///
    /// Agents redraw only the bottom of the pane; what is higher up is scrollback, and an old
    /// `✻ Brewed for 3s` up there must not be read as the agent's present state.
    public static func liveRegion(_ lines: [String], count: Int) -> [String] {
        liveIndices(before: lines.count, count: count) { index in
            lines[index].unicodeScalars.allSatisfy { $0 == " " || $0 == "\t" }
        }.map { lines[$0] }
    }

    // MARK: - Byte level, shared with the classifier

    /// Indices of the last `count` non-blank lines before `end`, oldest first.
    static func liveIndices(before end: Int, count: Int, isBlank: (Int) -> Bool) -> [Int] {
        var picked: [Int] = []
        picked.reserveCapacity(max(0, count))
        var index = end - 1
        while index >= 0, picked.count < count {
            if !isBlank(index) { picked.append(index) }
            index -= 1
        }
        return picked.reversed()
    }

    /// Replaces each UTF-8 no-break space (C2 A0) by a plain space.
    static func replacingNoBreakSpaces(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0xA0 {
                out.append(0x20)
                index += 2
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }

    /// Splits bytes at newlines into slices without trailing whitespace (and without a final empty line).
    static func lineSlices(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var slices: [ArraySlice<UInt8>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            slices.append(trimmingTrailingWhitespace(bytes[start..<index]))
            start = index + 1
        }
        if start < bytes.count { slices.append(trimmingTrailingWhitespace(bytes[start...])) }
        return slices
    }

    static func trimmingTrailingWhitespace(_ slice: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var end = slice.endIndex
        while end > slice.startIndex {
            let byte = slice[end - 1]
            if byte == 0x20 || byte == 0x09 || byte == 0x0D {
                end -= 1
            } else if byte == 0xA0, end - 2 >= slice.startIndex, slice[end - 2] == 0xC2 {
                end -= 2
            } else {
                break
            }
        }
        return slice[slice.startIndex..<end]
    }

    /// Whether typed text whose last line is `line` ends on row `y` (the cursor's) of `rows`:
    /// the row, without a box's border and padding, ends with the line's last 24 characters; or,
    /// a line wider than the pane having wrapped, the row holds the line's tail and the row above
    /// ends with what comes before it (the wrap can fall anywhere, even inside the last few
    /// characters).
    public static func typedLine(_ line: Substring, endsAtRow y: Int, of rows: [Substring]) -> Bool {
        guard rows.indices.contains(y), line.count >= 4 else { return false }
        func border(_ c: Character) -> Bool { c.isWhitespace || c == "│" || c == "┃" }
        var row = rows[y]
        while let last = row.last, border(last) { row = row.dropLast() }
        if row.hasSuffix(line.suffix(24)) { return true }
        var body = row
        while let first = body.first, border(first) { body = body.dropFirst() }
        guard y > 0, !body.isEmpty, line.count > body.count, line.hasSuffix(body) else { return false }
        var above = rows[y - 1]
        while let last = above.last, border(last) { above = above.dropLast() }
        var before = line.dropLast(body.count)
        while let last = before.last, last.isWhitespace { before = before.dropLast() }
        return before.count >= 4 && above.hasSuffix(before.suffix(8))
    }
}
