/// One line of a screen as the classifier reads it: UTF-8 bytes without trailing whitespace.
///
/// Lines share the storage of the whole screen (slices), so preparing a 50-line screen allocates
/// once, not once per line.
struct ScreenLine {
    /// The line, trailing whitespace dropped.
    let bytes: ArraySlice<UInt8>
    /// How many spaces or tabs start the line; footers of real CLIs are indented, transcripts not.
    let indent: Int
    /// Per byte of the whole screen (same indices as `bytes`), whether it was drawn faint; empty
    /// when the capture had no such text or no escapes at all.
    let faint: ArraySlice<Bool>

    init(_ bytes: ArraySlice<UInt8>, faint: ArraySlice<Bool> = []) {
        let trimmed = ScreenText.trimmingTrailingWhitespace(bytes)
        var indent = 0
        var index = trimmed.startIndex
        while index < trimmed.endIndex, trimmed[index] == 0x20 || trimmed[index] == 0x09 {
            indent += 1
            index += 1
        }
        self.bytes = trimmed
        self.indent = indent
        self.faint = faint
    }

    /// A part of this line (from the same screen), read as a line of its own.
    func part(_ bytes: ArraySlice<UInt8>) -> ScreenLine {
        ScreenLine(bytes, faint: faint)
    }

    /// Whether the text was drawn faint: a placeholder or suggestion, not typed text.
    ///
    /// The first character is not looked at: Ink-based CLIs draw their cursor on it in inverse video.
    var isFaintText: Bool {
        let body = trimmed
        guard !faint.isEmpty, let first = body.first else { return false }
        let firstLength = first < 0x80 ? 1 : first < 0xE0 ? 2 : first < 0xF0 ? 3 : 4
        var sawFaint = false
        var index = body.startIndex + firstLength
        while index < body.endIndex {
            if body[index] != 0x20 {
                guard faint.indices.contains(index), faint[index] else { return false }
                sawFaint = true
            }
            index += 1
        }
        return sawFaint
    }

    /// The line without its indentation.
    var trimmed: ArraySlice<UInt8> { bytes.dropFirst(indent) }

    var isBlank: Bool { indent == bytes.count }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The line as a notice quotes it: whitespace and box-drawing decoration trimmed at both ends,
    /// so `─ Worked for 1m 22s ─────` reads `Worked for 1m 22s` and `│ fix it │` reads `fix it`.
    var evidence: String {
        let scalars = text.unicodeScalars
        let isDecoration: (Unicode.Scalar) -> Bool = { scalar in
            scalar == " " || scalar == "\t" || ScreenLine.decoration.contains(scalar)
        }
        guard let first = scalars.firstIndex(where: { !isDecoration($0) }),
            let last = scalars.lastIndex(where: { !isDecoration($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    private static let decoration: Set<Unicode.Scalar> = [
        "─", "━", "═", "│", "┃", "╭", "╮", "╰", "╯", "┌", "┐", "└", "┘",
    ]

    /// A horizontal rule drawn with box-drawing characters, e.g. the lines around Claude's input box.
    var isRule: Bool {
        let body = trimmed
        guard body.count >= 3 * 3, body.count % 3 == 0 else { return false }
        var index = body.startIndex
        while index < body.endIndex {
            // ─ E2 94 80, ━ E2 94 81, ═ E2 95 90
            guard body[index] == 0xE2 else { return false }
            let second = body[index + 1]
            let third = body[index + 2]
            let isRuleCharacter =
                (second == 0x94 && (third == 0x80 || third == 0x81)) || (second == 0x95 && third == 0x90)
            guard isRuleCharacter else { return false }
            index += 3
        }
        return true
    }

    /// `╭` or `┌`: the top of a bordered box (Amp, Gemini CLI, older Claude Code).
    var isTopBorder: Bool { trimmed.hasBytePrefix(Self.roundTopLeft) || trimmed.hasBytePrefix(Self.squareTopLeft) }

    /// `╰` or `└`: the bottom of a bordered box.
    var isBottomBorder: Bool {
        trimmed.hasBytePrefix(Self.roundBottomLeft) || trimmed.hasBytePrefix(Self.squareBottomLeft)
    }

    /// The inside of a `│ … │` line, or nil when the line is not a box side.
    var insideBorders: ScreenLine? {
        var body = trimmed
        guard body.hasBytePrefix(Self.verticalBar) || body.hasBytePrefix(Self.heavyVerticalBar) else { return nil }
        body = body.dropFirst(3)
        if body.hasByteSuffix(Self.verticalBar) || body.hasByteSuffix(Self.heavyVerticalBar) { body = body.dropLast(3) }
        return part(body)
    }

    /// A numbered choice such as `1. Yes` or `❯ 3. No`, optionally behind a selection cursor.
    ///
    /// Approval dialogs of Claude Code, Codex and Gemini CLI are numbered menus; a prompt line whose
    /// text is one is a menu row, not the input box.
    var isNumberedOption: Bool {
        var body = trimmed
        for cursor in Self.menuCursors where body.hasBytePrefix(cursor) {
            body = body.dropFirst(cursor.count)
            guard let space = body.first, space == 0x20 else { return false }
            while body.first == 0x20 { body = body.dropFirst() }
            break
        }
        // `[1] Approve once`: the bracketed form of a terminal agent's approval menu.
        let bracketed = body.first == UInt8(ascii: "[")
        if bracketed { body = body.dropFirst() }
        var digits = 0
        while let byte = body.first, (0x30...0x39).contains(byte) {
            digits += 1
            body = body.dropFirst()
        }
        guard digits > 0 && digits <= 2 else { return false }
        return body.hasBytePrefix(bracketed ? [UInt8(ascii: "]"), 0x20] : [UInt8(ascii: "."), 0x20])
    }

    /// Whether another numbered option is within 3 lines of `index` (menus put a description
    /// line or two between options: Codex's sign-in menu): a menu has two options at least.
    static func hasOtherOption(near index: Int, in lines: [ScreenLine]) -> Bool {
        (max(0, index - 3)...min(lines.count - 1, index + 3)).contains { $0 != index && lines[$0].isNumberedOption }
    }

    /// Selection cursors in front of a menu row: Claude Code `❯`, Codex `›`, Gemini CLI `●`, plain
    /// `>`, and the arrows other terminal agents draw (`→ [1] Approve once`).
    static let menuCursors: [[UInt8]] = ["❯", "›", "●", ">", "→", "▶", "▸", "➜"].map { Array($0.utf8) }

    private static let roundTopLeft = Array("╭".utf8)
    private static let squareTopLeft = Array("┌".utf8)
    private static let roundBottomLeft = Array("╰".utf8)
    private static let squareBottomLeft = Array("└".utf8)
    private static let verticalBar = Array("│".utf8)
    private static let heavyVerticalBar = Array("┃".utf8)

    /// The lines of a captured screen, escapes stripped, no-break spaces read as spaces.
    static func lines(of screen: String) -> [ScreenLine] {
        var stripper = EscapeStripper(noBreakSpaceAsSpace: true, tracksFaint: true)
        stripper.strip(Array(screen.utf8))
        let faint = stripper.faint[...]
        return ScreenText.lineSlices(stripper.text).map { ScreenLine($0, faint: faint) }
    }
}
