import OrchCore
import Testing

@Suite("Lexer")
struct LexerTests {
    // MARK: Helpers

    private func tokens(_ source: String) throws(Diagnostic) -> [Token] {
        try Lexer(source: source, file: "<test>").tokenize()
    }

    private func kinds(_ source: String) throws(Diagnostic) -> [Token.Kind] {
        try tokens(source).map(\.kind)
    }

    private func lexError(_ source: String) -> Diagnostic? {
        do {
            _ = try tokens(source)
            return nil
        } catch {
            return error
        }
    }

    private func bare(_ text: String) -> Token.Kind { .word(text, quoted: false) }
    private func quoted(_ text: String) -> Token.Kind { .word(text, quoted: true) }

    /// `line:column` of each token, for compact location checks.
    private func places(_ source: String) throws(Diagnostic) -> [String] {
        try tokens(source).map { "\($0.location.line):\($0.location.column)" }
    }

    // MARK: Words, separators, comments

    @Test func wordsAndSeparators() throws {
        #expect(
            try kinds("send amp hi; status\n")
                == [bare("send"), bare("amp"), bare("hi"), .separator, bare("status"), .separator, .end])
    }

    @Test func emptyInputIsJustEnd() throws {
        #expect(try kinds("") == [.end])
        #expect(try tokens("")[0].location.description == "<test>:1:1")
    }

    @Test func separatorsAreNotCollapsed() throws {
        #expect(try kinds("a;;b\n\n") == [bare("a"), .separator, .separator, bare("b"), .separator, .separator, .end])
    }

    @Test func spacesAndTabsSeparateWords() throws {
        #expect(try kinds(" \ta \t b\t") == [bare("a"), bare("b"), .end])
    }

    @Test func locationsAreOneBasedLineAndColumn() throws {
        // Tab counts as one column; the newline separator sits where the newline is.
        #expect(try places("send amp\n\tpeek  x;y") == ["1:1", "1:6", "1:9", "2:2", "2:8", "2:9", "2:10", "2:11"])
        #expect(try tokens("a\n")[2].location.description == "<test>:2:1")
    }

    @Test func commentsRunToEndOfLine() throws {
        #expect(
            try kinds("# heading\nsend amp x # trailing ; not a separator\nstatus")
                == [.separator, bare("send"), bare("amp"), bare("x"), .separator, bare("status"), .end])
    }

    @Test func hashInsideWordOrQuotesIsText() throws {
        #expect(try kinds("a#b \"#\" '#x' \"a\"#b") == [bare("a#b"), quoted("#"), quoted("#x"), quoted("a#b"), .end])
    }

    // MARK: Braces

    @Test(arguments: [
        ("loop 3 { echo hi }", ["loop", "3", "{", "echo", "hi", "}"]),
        ("loop 3 {echo hi}", ["loop", "3", "{", "echo", "hi", "}"]),
        ("{}", ["{", "}"]),
        ("x}}", ["x", "}", "}"]),
        ("}else", ["}", "else"]),
        ("echo ${HOME} f(){} a{b", ["echo", "${HOME}", "f(){}", "a{b"]),
        ("echo a{b}} c", ["echo", "a{b}", "}", "c"]),
        ("sleep 1s}", ["sleep", "1s", "}"]),
        ("a{\"x\"}", ["a{x}"]),
        ("\"a\"}", ["a", "}"]),
    ])
    func braces(source: String, expected: [String]) throws {
        let described = try kinds(source).compactMap { kind -> String? in
            switch kind {
            case .word(let text, _): text
            case .leftBrace: "{"
            case .rightBrace: "}"
            case .separator: ";"
            case .end: nil
            }
        }
        #expect(described == expected)
    }

    @Test func quotedBracesAreWords() throws {
        #expect(try kinds("\"{\" '}'") == [quoted("{"), quoted("}"), .end])
    }

    @Test func braceLocations() throws {
        #expect(try places("loop 2 {x}") == ["1:1", "1:6", "1:8", "1:9", "1:10", "1:11"])
    }

    // MARK: Quotes

    @Test(arguments: [
        (#""a\nb""#, "a\nb"),
        (#""a\tb""#, "a\tb"),
        (#""say \"hi\"""#, "say \"hi\""),
        (#""back\\slash""#, "back\\slash"),
        (#""\u{1F600}""#, "😀"),
        (#""\u{41}\u{e9}""#, "Aé"),
        (#""\u{0000000A}""#, "\n"),
        (#""""#, ""),
        ("\"a\\\nb\"", "ab"),
    ])
    func doubleQuoteEscapes(source: String, expected: String) throws {
        #expect(try kinds(source) == [quoted(expected), .end])
    }

    @Test func singleQuotesAreRaw() throws {
        #expect(try kinds(#"'a\nb "c" \u{41}'"#) == [quoted(#"a\nb "c" \u{41}"#), .end])
    }

    @Test func quotesMaySpanLines() throws {
        let result = try tokens("echo \"one\ntwo\" 'three\nfour' x")
        #expect(result.map(\.kind) == [bare("echo"), quoted("one\ntwo"), quoted("three\nfour"), bare("x"), .end])
        #expect(result[2].location.description == "<test>:2:6")
        #expect(result[3].location.description == "<test>:3:7")
    }

    @Test func quotedSeparatorsAndSpacesStayText() throws {
        #expect(try kinds("echo \"a; b\" 'c\n#d'") == [bare("echo"), quoted("a; b"), quoted("c\n#d"), .end])
    }

    @Test func adjacentPiecesGlue() throws {
        let result = try tokens(#"x "a"b'c' y"z w" 'p'"q""#)
        #expect(result.map(\.kind) == [bare("x"), quoted("abc"), quoted("yz w"), quoted("pq"), .end])
        #expect(result[1].location.column == 3)
        #expect(result[2].location.column == 11)
    }

    // MARK: Backslashes outside quotes

    @Test func backslashNewlineContinuesTheLine() throws {
        #expect(try kinds("echo a\\\nb") == [bare("echo"), bare("ab"), .end])
        #expect(try kinds("echo a \\\n  b\n") == [bare("echo"), bare("a"), bare("b"), .separator, .end])
        let result = try tokens("echo a \\\n  b")
        #expect(result[2].location.description == "<test>:2:3")
    }

    @Test func backslashElsewhereIsText() throws {
        #expect(
            try kinds(#"send amp C:\path \d+ \;"#) == [
                bare("send"), bare("amp"), bare(#"C:\path"#), bare(#"\d+"#), bare("\\"), .separator, .end,
            ])
    }

    // MARK: Unicode and line endings

    @Test func columnsCountCharacters() throws {
        // "é" (one character), "😀" and a family emoji (one grapheme of several scalars) are one column each.
        #expect(try places("é 😀x y") == ["1:1", "1:3", "1:6", "1:7"])
        #expect(try places("👨‍👩‍👧 z") == ["1:1", "1:3", "1:4"])
        #expect(try places("\"é😀\" z") == ["1:1", "1:6", "1:7"])
    }

    @Test func crlfLineEndings() throws {
        let result = try tokens("a\r\nb c\r\n\"x\r\ny\" 'p\r\nq'\r\n")
        #expect(
            result.map(\.kind)
                == [
                    bare("a"), .separator, bare("b"), bare("c"), .separator, quoted("x\ny"), quoted("p\nq"), .separator,
                    .end,
                ])
        #expect(result[2].location.description == "<test>:2:1")
        #expect(result[6].location.description == "<test>:4:4")
    }

    @Test func crlfComment() throws {
        #expect(try kinds("a # c\r\nb") == [bare("a"), .separator, bare("b"), .end])
    }

    // MARK: Heredocs

    @Test func heredoc() throws {
        let result = try tokens("send amp <<EOF\nline 1\n  line 2\nEOF\nstatus\n")
        #expect(
            result.map(\.kind)
                == [
                    bare("send"), bare("amp"), quoted("line 1\n  line 2"), .separator, bare("status"), .separator, .end,
                ])
        #expect(result[2].location.description == "<test>:1:10")
        #expect(result[4].location.description == "<test>:5:1")
    }

    @Test func restOfHeredocLineIsLexed() throws {
        #expect(
            try kinds("send amp <<EOF # a comment\nbody\nEOF")
                == [bare("send"), bare("amp"), quoted("body"), .separator, .end])
        #expect(
            try kinds("send amp <<EOF; echo after\nbody\nEOF\n")
                == [
                    bare("send"), bare("amp"), quoted("body"), .separator, bare("echo"), bare("after"), .separator,
                    .end,
                ])
    }

    @Test func heredocBodyIsLiteral() throws {
        #expect(
            try kinds("echo <<EOF\n# not a comment; {braces} \"q\" \\n 'x'\n\nEOF\n")
                == [bare("echo"), quoted("# not a comment; {braces} \"q\" \\n 'x'\n"), .separator, .end])
    }

    @Test func heredocStripsTabsWithDash() throws {
        #expect(
            try kinds("send amp <<-EOF\n\tone\n\t\t two\n  three\n\tEOF\n")
                == [bare("send"), bare("amp"), quoted("one\n two\n  three"), .separator, .end])
    }

    @Test func heredocWithoutDashKeepsTabsAndNeedsExactTerminator() throws {
        #expect(try kinds("echo <<EOF\n\tx\n\tEOF\nEOF") == [bare("echo"), quoted("\tx\n\tEOF"), .separator, .end])
    }

    @Test(arguments: ["<<'EOF'", "<<\"EOF\"", "<<EOF", "<< EOF", "<<-'EOF'"])
    func heredocDelimiterForms(opener: String) throws {
        #expect(try kinds("echo \(opener)\n$x \\t\nEOF\n") == [bare("echo"), quoted("$x \\t"), .separator, .end])
    }

    @Test func quotedDelimiterMayHoldSpaces() throws {
        #expect(try kinds("echo <<'END OF TEXT'\nx\nEND OF TEXT") == [bare("echo"), quoted("x"), .separator, .end])
    }

    @Test func emptyHeredoc() throws {
        #expect(try kinds("echo <<EOF\nEOF\n") == [bare("echo"), quoted(""), .separator, .end])
    }

    @Test func twoHeredocsOnOneLineAreReadInOrder() throws {
        let result = try tokens("send a <<A; send b <<B\nfirst\nA\nsecond\nB\necho done")
        #expect(
            result.map(\.kind)
                == [
                    bare("send"), bare("a"), quoted("first"), .separator, bare("send"), bare("b"), quoted("second"),
                    .separator, bare("echo"), bare("done"), .end,
                ])
        #expect(result[6].location.description == "<test>:1:20")
        #expect(result[8].location.description == "<test>:6:1")
    }

    @Test func heredocWithCRLF() throws {
        #expect(
            try kinds("send amp <<EOF\r\nx\r\ny\r\nEOF\r\nstatus")
                == [bare("send"), bare("amp"), quoted("x\ny"), .separator, bare("status"), .end])
    }

    @Test func heredocInsideBlock() throws {
        #expect(
            try kinds("loop 2 { send amp <<EOF\nhi\nEOF\n}")
                == [
                    bare("loop"), bare("2"), .leftBrace, bare("send"), bare("amp"), quoted("hi"), .separator,
                    .rightBrace, .end,
                ])
    }

    @Test func heredocAfterMultilineStringStartsAfterThatLine() throws {
        #expect(
            try kinds("send amp <<EOF \"a\nb\"\nbody\nEOF")
                == [bare("send"), bare("amp"), quoted("body"), quoted("a\nb"), .separator, .end])
    }

    @Test func lessThanInsideWordIsText() throws {
        #expect(try kinds("echo a<<b") == [bare("echo"), bare("a<<b"), .end])
    }

    // MARK: Errors

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var source: String
        var location: String
        var message: String
        var incomplete: Bool
        var testDescription: String { source.debugDescription }
    }

    @Test(arguments: [
        ErrorCase(
            source: "echo \"abc", location: "<test>:1:6", message: "unterminated string: missing closing \"",
            incomplete: true),
        ErrorCase(
            source: "echo x\n  'abc\n", location: "<test>:2:3", message: "unterminated string: missing closing '",
            incomplete: true),
        ErrorCase(
            source: "echo \"abc\\", location: "<test>:1:6", message: "unterminated string: missing closing \"",
            incomplete: true),
        ErrorCase(
            source: "echo \"\\u{1F6", location: "<test>:1:6", message: "unterminated string: missing closing \"",
            incomplete: true),
        ErrorCase(
            source: "echo a\\", location: "<test>:1:7",
            message: "unfinished line: '\\' at the end continues it on the next line", incomplete: true),
        ErrorCase(
            source: "send amp <<EOF", location: "<test>:1:10",
            message: "unterminated heredoc: missing a line EOF to end it",
            incomplete: true),
        ErrorCase(
            source: "send amp <<EOF\nbody", location: "<test>:1:10",
            message: "unterminated heredoc: missing a line EOF to end it", incomplete: true),
        ErrorCase(
            source: "x\nsend amp <<-END\nbody\nEND \n", location: "<test>:2:10",
            message: "unterminated heredoc: missing a line END to end it", incomplete: true),
        ErrorCase(
            source: "a <<A <<B\nx\nA\ny\n", location: "<test>:1:7",
            message: "unterminated heredoc: missing a line B to end it",
            incomplete: true),
        ErrorCase(
            source: "send amp <<\nx", location: "<test>:1:10",
            message: "expected a heredoc delimiter after <<, as in <<EOF",
            incomplete: false),
        ErrorCase(
            source: "send amp <<''\nx", location: "<test>:1:10",
            message: "expected a heredoc delimiter after <<, as in <<EOF",
            incomplete: false),
        ErrorCase(
            source: "send amp <<EOF\"x\"\n", location: "<test>:1:15",
            message: "unexpected \" after the heredoc delimiter EOF",
            incomplete: false),
        ErrorCase(
            source: "send amp <<'EOF\nx", location: "<test>:1:12", message: "heredoc delimiter: missing closing '",
            incomplete: false),
    ])
    func errors(_ error: ErrorCase) throws {
        let diagnostic = try #require(lexError(error.source))
        #expect(diagnostic.location.description == error.location)
        #expect(diagnostic.message == error.message)
        #expect(diagnostic.isIncomplete == error.incomplete)
    }

    @Test func unknownEscapeIsAnErrorAtTheBackslash() throws {
        let diagnostic = try #require(lexError("echo ok\necho \"a\\qb\""))
        #expect(diagnostic.location.description == "<test>:2:8")
        #expect(diagnostic.message.hasPrefix("unknown escape \\q in string"))
        #expect(!diagnostic.isIncomplete)
        // `\$` is not an escape either: there is no interpolation to protect against.
        #expect(lexError(#"echo "\$x""#)?.message.hasPrefix("unknown escape \\$ in string") == true)
    }

    @Test(arguments: [
        #""\u{110000}""#, #""\u{}""#, #""\u{123456789}""#, #""\u41""#, #""\u{zz}""#, #""\u{41""#, #""\u{D800}""#,
    ])
    func badUnicodeEscapes(source: String) throws {
        let diagnostic = try #require(lexError("echo " + source))
        #expect(diagnostic.location.description == "<test>:1:7")
        #expect(diagnostic.message.hasPrefix("invalid unicode escape"))
        #expect(!diagnostic.isIncomplete)
    }

    @Test func errorUsesTheGivenFileName() throws {
        do {
            _ = try Lexer(source: "\"x", file: "init.orch").tokenize()
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "init.orch:1:1: error: unterminated string: missing closing \"")
        }
    }
}
