/// A syntax error with the place it was found, printed as `FILE:LINE:COL: error: message`.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String
    /// True when the source simply ended too early (open quote, `{`, heredoc): the REPL then asks
    /// for a continuation line instead of reporting an error.
    public var isIncomplete: Bool

    public init(_ message: String, at location: SourceLocation, isIncomplete: Bool = false) {
        self.message = message
        self.location = location
        self.isIncomplete = isIncomplete
    }

    public var description: String { "\(location): error: \(message)" }
}
