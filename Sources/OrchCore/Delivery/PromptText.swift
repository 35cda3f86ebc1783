/// What `send` may type into an agent: text, never keys.
///
/// A prompt is typed literally or pasted, but a terminal program still reads some bytes as keys
/// or as the end of a bracketed paste: ESC starts a key sequence (`\e[A` is Up, `\e[201~` ends a
/// paste, after which a `\r` submits half the prompt), C0 controls are Ctrl keys (`\x03` is
/// Ctrl-C, `\r` is Enter), and NUL ends tmux's argument. So they are removed before anything is
/// typed, and the journal records the text as delivered (README, "What send types").
public enum PromptText {
    /// `text` as it will be delivered, and how many characters were removed: every escape
    /// sequence (CSI, OSC, DCS/APC/PM/SOS strings, two-character escapes), the C0 controls but
    /// `\n` and `\t`, DEL and the C1 controls; `\r\n` and a lone `\r` become `\n`.
    public static func sanitize(_ text: String) -> (text: String, removed: Int) {
        var out = String.UnicodeScalarView()
        var removed = 0
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            let value = scalar.value
            switch value {
            case 0x0A, 0x09:
                out.append(scalar)
                i += 1
            case 0x0D:
                out.append("\n")
                i += (i + 1 < scalars.count && scalars[i + 1].value == 0x0A) ? 2 : 1
            case 0x1B:
                let end = escapeEnd(scalars, from: i)
                removed += end - i
                i = end
            case 0x00..<0x20, 0x7F, 0x80..<0xA0:
                removed += 1
                i += 1
            default:
                out.append(scalar)
                i += 1
            }
        }
        return (String(out), removed)
    }

    /// The index just past the escape sequence starting at `start` (an ESC).
    static func escapeEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var i = start + 1
        guard i < scalars.count else { return i }
        switch scalars[i] {
        case "[":  // CSI: parameters and intermediates, then one final byte
            i += 1
            while i < scalars.count, (0x20...0x3F).contains(scalars[i].value) { i += 1 }
            return i < scalars.count && (0x40...0x7E).contains(scalars[i].value) ? i + 1 : i
        case "]", "P", "X", "^", "_":  // a string, ended by BEL or ESC \ (or, unterminated, a line's end)
            i += 1
            while i < scalars.count {
                if scalars[i].value == 0x07 { return i + 1 }
                if scalars[i].value == 0x0A { return i }
                if scalars[i].value == 0x1B { return i + 1 < scalars.count && scalars[i + 1] == "\\" ? i + 2 : i + 1 }
                i += 1
            }
            return i
        default:  // ESC and one character (ESC O x is SS3: one more); never a newline
            if scalars[i].value == 0x0A { return i }
            if scalars[i] == "O", i + 1 < scalars.count { return i + 2 }
            return i + 1
        }
    }
}
