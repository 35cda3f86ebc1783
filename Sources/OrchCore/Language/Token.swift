/// One lexical unit of the orch language.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A word: bare (`amp`), quoted (`"fix it"`, `'raw'`), a heredoc body, or adjacent pieces of
        /// those glued together (`"a"b'c'` is one word). `quoted` is true when any piece was quoted
        /// or came from a heredoc, so `"{"` or `";"` stay plain text.
        case word(String, quoted: Bool)
        /// `;` or a newline: ends a command.
        case separator
        case leftBrace
        case rightBrace
        case end
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }
}
