/// Splits orch source text into tokens: words, separators (`;`, newline), braces and a final `.end`.
///
/// The rules, shell-like but smaller:
/// - Spaces and tabs separate words; `;` and a newline each give one `.separator` (the parser skips
///   empty commands). `\r\n` line endings are accepted everywhere.
/// - `#` at the start of a word starts a comment that runs to the end of the line (`a#b` is a word).
/// - `{` and `}` where a word would start are braces, also when glued to what follows (`{echo` is
///   `{` then `echo`). Inside a bare word, braces that balance within the word are ordinary
///   characters (`${HOME}`, `f(){}`, `a{b`), but a `}` with no `{` before it in the word ends the
///   word and closes a block, so `loop 3 {echo hi}` works as it reads.
/// - `"double"` quotes take the escapes `\n \t \" \\ \u{1F600}` (and a backslash-newline, which
///   continues the line); any other escape is an error. `'single'` quotes are raw. Both may span
///   lines. Outside quotes a backslash is an ordinary character, except before a newline, where it
///   joins the next line to this one.
/// - Adjacent pieces glue into one word: `"a"b'c'` is `abc`, marked quoted.
/// - `<<EOF`, `<<-EOF` (leading tabs stripped from body and terminator), `<<'EOF'`, `<<"EOF"` start a
///   heredoc at the start of a word. Its body is the lines after the line holding the `<<`, up to a
///   line equal to the delimiter, joined by `\n` without a trailing newline; several heredocs on one
///   line are read in order. The word is located at the `<<`.
///
/// Locations are 1-based; columns count characters (grapheme clusters), a tab being one column.
public struct Lexer {
    private let characters: [Character]
    private let file: String

    /// Prepares to lex `source`; `file` names it in token locations (`<repl>`, `init.orch`…).
    public init(source: String, file: String) {
        self.characters = Array(source)
        self.file = file
    }

    /// All tokens of the source, ending with `.end`.
    ///
    /// Throws a `Diagnostic` at the offending place; it is `isIncomplete` when the source merely
    /// stops too early (open quote, heredoc without its terminator, backslash at the very end).
    public func tokenize() throws(Diagnostic) -> [Token] {
        var scanner = Scanner(characters: characters, file: file)
        return try scanner.run()
    }
}

/// The mutable cursor behind `Lexer.tokenize()`.
private struct Scanner {
    /// A heredoc whose `<<` was seen and whose body starts after the next newline.
    struct PendingHeredoc {
        var tokenIndex: Int
        var delimiter: String
        var stripsTabs: Bool
        var location: SourceLocation
    }

    let characters: [Character]
    let file: String
    var index = 0
    var line = 1
    var column = 1
    var tokens: [Token] = []
    var pending: [PendingHeredoc] = []

    init(characters: [Character], file: String) {
        self.characters = characters
        self.file = file
    }

    var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    func peek(_ offset: Int = 0) -> Character? {
        let position = index + offset
        return position < characters.count ? characters[position] : nil
    }

    /// True at a backslash that joins the next line to this one (or ends the input).
    var continuesLine: Bool {
        peek() == "\\" && (peek(1).map(Self.isNewline) ?? true)
    }

    mutating func advance() {
        if Self.isNewline(characters[index]) {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    mutating func emit(_ kind: Token.Kind, at location: SourceLocation) {
        tokens.append(Token(kind, at: location))
    }

    mutating func run() throws(Diagnostic) -> [Token] {
        while let character = peek() {
            switch character {
            case " ", "\t", "\r":
                advance()
            case "\n", "\r\n":
                emit(.separator, at: location)
                advance()
                try readPendingHeredocs()
            case ";":
                emit(.separator, at: location)
                advance()
            case "{":
                emit(.leftBrace, at: location)
                advance()
            case "}":
                emit(.rightBrace, at: location)
                advance()
            case "#":
                while let next = peek(), !Self.isNewline(next) { advance() }
            case "\\" where continuesLine:
                try skipLineContinuation()
            case "<" where peek(1) == "<":
                try lexHeredocStart()
            default:
                try lexWord()
            }
        }
        if let first = pending.first {
            throw unterminatedHeredoc(first)
        }
        emit(.end, at: location)
        return tokens
    }

    // MARK: Words

    /// Skips a backslash followed by a newline; a backslash ending the input asks for more.
    mutating func skipLineContinuation() throws(Diagnostic) {
        guard peek(1) != nil else {
            throw Diagnostic(
                "unfinished line: '\\' at the end continues it on the next line",
                at: location, isIncomplete: true)
        }
        advance()
        advance()
    }

    /// Reads one word made of bare, `"double"` and `'single'` pieces glued together.
    mutating func lexWord() throws(Diagnostic) {
        let start = location
        var text = ""
        var quoted = false
        var openBraces = 0
        scan: while let character = peek() {
            switch character {
            case " ", "\t", "\r", "\n", "\r\n", ";":
                break scan
            case "\"":
                quoted = true
                text += try lexDoubleQuoted()
            case "'":
                quoted = true
                text += try lexSingleQuoted()
            case "\\" where continuesLine:
                try skipLineContinuation()
            case "{":
                openBraces += 1
                text.append(character)
                advance()
            case "}":
                guard openBraces > 0 else { break scan }
                openBraces -= 1
                text.append(character)
                advance()
            default:
                text.append(character)
                advance()
            }
        }
        emit(.word(text, quoted: quoted), at: start)
    }

    /// Reads `"…"` from its opening quote and returns the text with escapes resolved.
    mutating func lexDoubleQuoted() throws(Diagnostic) -> String {
        let open = location
        advance()
        var text = ""
        while true {
            guard let character = peek() else { throw unterminatedString(at: open, quote: "\"") }
            switch character {
            case "\"":
                advance()
                return text
            case "\\":
                let escape = location
                advance()
                guard let escaped = peek() else { throw unterminatedString(at: open, quote: "\"") }
                switch escaped {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "\"": text.append("\"")
                case "\\": text.append("\\")
                case "\n", "\r\n": break  // a line continuation inside the string
                case "u":
                    advance()
                    text.append(try lexUnicodeEscape(at: escape, stringOpen: open))
                    continue
                default:
                    throw Diagnostic(
                        "unknown escape \\\(escaped) in string (valid escapes: \\n \\t \\\" \\\\ \\u{…}; "
                            + "'single quotes' take text as is)",
                        at: escape)
                }
                advance()
            case "\r\n":
                text.append("\n")
                advance()
            default:
                text.append(character)
                advance()
            }
        }
    }

    /// Reads the `{HEX}` of a `\u{HEX}` escape, just after the `u`.
    mutating func lexUnicodeEscape(at escape: SourceLocation, stringOpen: SourceLocation) throws(Diagnostic)
        -> Character
    {
        let invalid = Diagnostic(
            "invalid unicode escape: expected \\u{HEX} with 1 to 8 hex digits, as in \\u{1F600}", at: escape)
        guard let brace = peek() else { throw unterminatedString(at: stringOpen, quote: "\"") }
        guard brace == "{" else { throw invalid }
        advance()
        var digits = ""
        while true {
            guard let character = peek() else { throw unterminatedString(at: stringOpen, quote: "\"") }
            advance()
            if character == "}" { break }
            guard character.isHexDigit, digits.count < 8 else { throw invalid }
            digits.append(character)
        }
        guard !digits.isEmpty, let value = UInt32(digits, radix: 16) else { throw invalid }
        guard let scalar = Unicode.Scalar(value) else {
            throw Diagnostic("invalid unicode escape: \\u{\(digits)} is not a Unicode scalar value", at: escape)
        }
        return Character(scalar)
    }

    /// Reads `'…'` from its opening quote: raw text, with `\r\n` read as `\n`.
    mutating func lexSingleQuoted() throws(Diagnostic) -> String {
        let open = location
        advance()
        var text = ""
        while true {
            guard let character = peek() else { throw unterminatedString(at: open, quote: "'") }
            advance()
            switch character {
            case "'": return text
            case "\r\n": text.append("\n")
            default: text.append(character)
            }
        }
    }

    func unterminatedString(at open: SourceLocation, quote: Character) -> Diagnostic {
        Diagnostic("unterminated string: missing closing \(quote)", at: open, isIncomplete: true)
    }

    // MARK: Heredocs

    /// Reads `<<EOF`, `<<-EOF`, `<<'EOF'` or `<<"EOF"`; the body is filled in after the next newline.
    mutating func lexHeredocStart() throws(Diagnostic) {
        let start = location
        advance()
        advance()
        var stripsTabs = false
        if peek() == "-" {
            stripsTabs = true
            advance()
        }
        while peek() == " " || peek() == "\t" { advance() }
        var delimiter = ""
        if let quote = peek(), quote == "'" || quote == "\"" {
            let open = location
            advance()
            while true {
                guard let character = peek(), !Self.isNewline(character) else {
                    throw Diagnostic("heredoc delimiter: missing closing \(quote)", at: open)
                }
                advance()
                if character == quote { break }
                delimiter.append(character)
            }
        } else {
            while let character = peek(), !Self.endsWord(character), character != "\"", character != "'" {
                delimiter.append(character)
                advance()
            }
        }
        guard !delimiter.isEmpty else {
            throw Diagnostic("expected a heredoc delimiter after <<, as in <<EOF", at: start)
        }
        if let next = peek(), !Self.endsWord(next) {
            throw Diagnostic("unexpected \(next) after the heredoc delimiter \(delimiter)", at: location)
        }
        emit(.word("", quoted: true), at: start)
        pending.append(
            PendingHeredoc(
                tokenIndex: tokens.count - 1, delimiter: delimiter, stripsTabs: stripsTabs, location: start))
    }

    /// Reads the bodies of the heredocs opened on the line that just ended, in order.
    mutating func readPendingHeredocs() throws(Diagnostic) {
        for heredoc in pending {
            var lines: [String] = []
            while true {
                guard peek() != nil else { throw unterminatedHeredoc(heredoc) }
                var text = ""
                while let character = peek(), !Self.isNewline(character) {
                    text.append(character)
                    advance()
                }
                let endedWithNewline = peek() != nil
                if endedWithNewline { advance() }
                if heredoc.stripsTabs { text = String(text.drop { $0 == "\t" }) }
                if text == heredoc.delimiter { break }
                lines.append(text)
                guard endedWithNewline else { throw unterminatedHeredoc(heredoc) }
            }
            tokens[heredoc.tokenIndex].kind = .word(lines.joined(separator: "\n"), quoted: true)
        }
        pending.removeAll()
    }

    func unterminatedHeredoc(_ heredoc: PendingHeredoc) -> Diagnostic {
        Diagnostic(
            "unterminated heredoc: missing a line \(heredoc.delimiter) to end it",
            at: heredoc.location, isIncomplete: true)
    }

    // MARK: Character classes

    static func isNewline(_ character: Character) -> Bool {
        character == "\n" || character == "\r\n"
    }

    /// Characters that end a bare heredoc delimiter and must follow any delimiter.
    static func endsWord(_ character: Character) -> Bool {
        switch character {
        case " ", "\t", "\r", "\n", "\r\n", ";", "{", "}": true
        default: false
        }
    }
}
