/// One recognisable line of an agent's screen: a literal, or a small hand-written shape.
///
/// Profiles keep tables of these rather than regular expressions: the classifier runs on every pane
/// change, and literal byte comparisons over a few dozen lines cost microseconds. Literals are
/// case-sensitive, as the CLIs print them.
public struct ScreenPattern: Sendable, Hashable, CustomStringConvertible {
    enum Shape: Sendable, Hashable {
        case contains([UInt8])
        case prefix([UInt8])
        case suffix([UInt8])
        case line([UInt8])
        case spinner(glyphs: [[UInt8]])
        case elapsed(glyphs: [[UInt8]])
        case gerund
        case menuRow(cursors: [[UInt8]])
        case shellPrompt
        case yesNo
        case all([Shape])
    }

    let shape: Shape
    /// Whether the line must be the last non-blank line of the screen, e.g. a question still unanswered.
    public private(set) var lastLineOnly: Bool
    let label: String

    /// How the pattern reads in listings (`help`, diagnostics).
    public var description: String { lastLineOnly ? label + " on the last line" : label }

    private init(_ shape: Shape, _ label: String) {
        self.shape = shape
        self.lastLineOnly = false
        self.label = label
    }

    /// Lines containing `text` anywhere.
    public static func contains(_ text: String) -> ScreenPattern {
        ScreenPattern(.contains(Array(text.utf8)), "contains \(quoted(text))")
    }

    /// Lines that start with `text` once their indentation is removed.
    public static func prefix(_ text: String) -> ScreenPattern {
        ScreenPattern(.prefix(Array(text.utf8)), "starts with \(quoted(text))")
    }

    /// Lines that end with `text` (trailing spaces are never part of a line).
    public static func suffix(_ text: String) -> ScreenPattern {
        ScreenPattern(.suffix(Array(text.utf8)), "ends with \(quoted(text))")
    }

    /// Lines that are exactly `text` once their indentation is removed.
    public static func line(_ text: String) -> ScreenPattern {
        ScreenPattern(.line(Array(text.utf8)), "is \(quoted(text))")
    }

    /// `GLYPH Verb…`: a spinner glyph, a space, one to four capitalised words and an ellipsis
    /// (`…` or `...`), then anything: `✳ Pollinating… (esc to interrupt · thinking)`.
    public static func spinner(glyphs: String) -> ScreenPattern {
        ScreenPattern(.spinner(glyphs: glyphBytes(glyphs)), "spinner \(glyphs) Verb…")
    }

    /// `GLYPH Verbed for 1m 3s`: a glyph, a space, a capitalised word, ` for ` and a duration.
    public static func elapsed(glyphs: String) -> ScreenPattern {
        ScreenPattern(.elapsed(glyphs: glyphBytes(glyphs)), "\(glyphs) Verbed for <duration>")
    }

    /// A line that is one capitalised `-ing` word and an ellipsis: `Thinking...`, `Burrowing…`;
    /// anything may follow after a space (`Thinking... (3s)`).
    public static let gerund = ScreenPattern(.gerund, "Verbing…")

    /// A selection cursor on a numbered menu row: `❯ 1. Yes`, `› 1. Yes, proceed (y)`, `● 1. Allow once`.
    public static func menuRow(cursors: String) -> ScreenPattern {
        ScreenPattern(.menuRow(cursors: glyphBytes(cursors)), "menu row \(cursors) 1. …")
    }

    /// A yes/no question waiting for its answer: `(y/n)`, `[Y/n]`, `[y/N]`, `(yes/no)` in any
    /// case, near the end of the line (`Overwrite? (y/n) [n]: `).
    public static let yesNo = ScreenPattern(.yesNo, "(y/n) question")

    /// A shell prompt line such as `me@host:~/src$`, `[root@box ~]#` or `host%`.
    public static let shellPrompt = ScreenPattern(.shellPrompt, "shell prompt")

    /// Lines matching every one of `patterns`.
    public static func all(_ patterns: ScreenPattern...) -> ScreenPattern {
        ScreenPattern(.all(patterns.map(\.shape)), patterns.map(\.description).joined(separator: " and "))
    }

    /// The same pattern, matching only on the last non-blank line of the screen.
    public var onLastLine: ScreenPattern {
        var copy = self
        copy.lastLineOnly = true
        return copy
    }

    /// Whether `text`, read as one screen line, matches (for tests and `pattern` diagnostics).
    public func matches(_ text: String, isLastLine: Bool = true) -> Bool {
        matches(ScreenLine(ArraySlice(ScreenText.replacingNoBreakSpaces(Array(text.utf8)))), isLastLine: isLastLine)
    }

    func matches(_ line: ScreenLine, isLastLine: Bool) -> Bool {
        if lastLineOnly && !isLastLine { return false }
        return Self.matches(shape, line)
    }

    private static func matches(_ shape: Shape, _ line: ScreenLine) -> Bool {
        switch shape {
        case .contains(let needle): return line.bytes.containsBytes(needle)
        case .prefix(let start): return line.trimmed.hasBytePrefix(start)
        case .suffix(let end): return line.bytes.hasByteSuffix(end)
        case .line(let whole): return line.trimmed.elementsEqual(whole)
        case .spinner(let glyphs): return afterGlyph(line.trimmed, glyphs).map(isVerbWithEllipsis) ?? false
        case .elapsed(let glyphs): return afterGlyph(line.trimmed, glyphs).map(isVerbForDuration) ?? false
        case .gerund: return isGerund(line.trimmed)
        case .menuRow(let cursors): return afterGlyph(line.trimmed, cursors) != nil && line.isNumberedOption
        case .shellPrompt: return isShellPrompt(line.trimmed)
        case .yesNo: return isYesNoQuestion(line.trimmed)
        case .all(let shapes): return shapes.allSatisfy { matches($0, line) }
        }
    }

    // MARK: - The hand-written shapes

    private static func glyphBytes(_ glyphs: String) -> [[UInt8]] {
        glyphs.map { Array(String($0).utf8) }
    }

    private static func quoted(_ text: String) -> String { "\"" + text + "\"" }

    private static let ellipsis = Array("…".utf8)
    private static let threeDots = Array("...".utf8)
    private static let forWord = Array(" for ".utf8)

    /// The rest of `text` after one of `glyphs` and a space, or nil.
    private static func afterGlyph(_ text: ArraySlice<UInt8>, _ glyphs: [[UInt8]]) -> ArraySlice<UInt8>? {
        for glyph in glyphs where text.hasBytePrefix(glyph) {
            let rest = text.dropFirst(glyph.count)
            guard rest.first == 0x20 else { continue }
            return rest.dropFirst()
        }
        return nil
    }

    private static let yesNoChoices: [[UInt8]] = ["(y/n)", "[y/n]", "(yes/no)", "[yes/no]"].map { Array($0.utf8) }

    /// One of `yesNoChoices` (any case) within the line's last 24 bytes: the question sits at the
    /// end, before at most a default and a colon.
    private static func isYesNoQuestion(_ text: ArraySlice<UInt8>) -> Bool {
        let tail = text.suffix(24).map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }[...]
        return yesNoChoices.contains { tail.containsBytes($0) }
    }

    private static func isUppercase(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// Length of an ellipsis (`…` or `...`) at `index`, or 0.
    private static func ellipsisLength(_ text: ArraySlice<UInt8>, at index: Int) -> Int {
        if text.hasBytes(ellipsis, at: index) { return ellipsis.count }
        if text.hasBytes(threeDots, at: index) { return threeDots.count }
        return 0
    }

    /// `Pollinating…`, `Running tools...`, `Sautéing… (2s)`: capitalised words, then an ellipsis.
    private static func isVerbWithEllipsis(_ text: ArraySlice<UInt8>) -> Bool {
        guard let first = text.first, isUppercase(first) else { return false }
        var words = 1
        var index = text.startIndex + 1
        while index < text.endIndex {
            if ellipsisLength(text, at: index) > 0 { return true }
            let byte = text[index]
            if byte == 0x20 {
                words += 1
                guard words <= 4, index + 1 < text.endIndex, isASCIILetter(text[index + 1]) else { return false }
            } else if !(isASCIILetter(byte) || byte >= 0x80 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "'")) {
                return false
            }
            index += 1
        }
        return false
    }

    /// `Thinking...` alone on its line (anything after a following space).
    private static func isGerund(_ text: ArraySlice<UInt8>) -> Bool {
        guard let first = text.first, isUppercase(first) else { return false }
        var index = text.startIndex + 1
        while index < text.endIndex, isASCIILetter(text[index]) { index += 1 }
        let word = text[text.startIndex..<index]
        guard word.count >= 4, word.hasByteSuffix(Array("ing".utf8)) else { return false }
        let dots = ellipsisLength(text, at: index)
        guard dots > 0 else { return false }
        let after = index + dots
        return after == text.endIndex || text[after] == 0x20
    }

    /// `Brewed for 1m 3s`, `Worked for 3s`, `Sautéed for 12.5s`, then the end or a separator.
    private static func isVerbForDuration(_ text: ArraySlice<UInt8>) -> Bool {
        guard let first = text.first, isUppercase(first) else { return false }
        var index = text.startIndex + 1
        while index < text.endIndex, isASCIILetter(text[index]) || text[index] >= 0x80 {
            if ellipsisLength(text, at: index) > 0 { return false }
            index += 1
        }
        guard text.hasBytes(forWord, at: index) else { return false }
        index += forWord.count
        guard let end = durationEnd(text, from: index) else { return false }
        return end == text.endIndex || !isASCIILetter(text[end]) && !isDigit(text[end])
    }

    /// Parses `1h 2m 3s`, `0m 3s`, `12.5s`, `850ms` from `start`; returns the index after it.
    private static func durationEnd(_ text: ArraySlice<UInt8>, from start: Int) -> Int? {
        var index = start
        var end: Int?
        while true {
            var position = index
            while position < text.endIndex, isDigit(text[position]) { position += 1 }
            guard position > index else { break }
            if position < text.endIndex, text[position] == UInt8(ascii: ".") {
                position += 1
                while position < text.endIndex, isDigit(text[position]) { position += 1 }
            }
            if text.hasBytes(milliseconds, at: position) {
                position += milliseconds.count
            } else if position < text.endIndex, durationUnits.contains(text[position]) {
                position += 1
            } else {
                break
            }
            end = position
            // Another token follows after one space (`1m 3s`); otherwise the duration ends here.
            guard position + 1 < text.endIndex, text[position] == 0x20, isDigit(text[position + 1]) else { break }
            index = position + 1
        }
        return end
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    private static let milliseconds = Array("ms".utf8)
    private static let durationUnits: [UInt8] = [UInt8(ascii: "h"), UInt8(ascii: "m"), UInt8(ascii: "s")]

    /// A prompt that ends in `$`, `#` or `%` (not a percentage) on a line short enough to be one.
    private static func isShellPrompt(_ text: ArraySlice<UInt8>) -> Bool {
        guard let last = text.last, text.count <= 120 else { return false }
        switch last {
        case UInt8(ascii: "$"), UInt8(ascii: "#"):
            return true
        case UInt8(ascii: "%"):
            guard text.count >= 2 else { return true }
            return !isDigit(text[text.endIndex - 2])
        default:
            return false
        }
    }
}
